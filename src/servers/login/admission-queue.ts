// AdmissionQueue: the realm's capacity (flows.md section 2, Admit). Players beyond it wait in a
// FIFO queue and are told their position with MSG_USER_ADMIT_IND whenever it changes. Occupancy is
// this server's admitted sessions plus the players on other servers of the realm, recounted from
// the store's OnlinePlayers every queueRecountMs (so no per-login count query).
import { Actor, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import { LOGIN } from '../../protocol/index.js';
import type { SessionCommand } from '../../net/index.js';
import type { Store } from '../../store/index.js';
import { AdmitStatus } from './login-codes.js';
import type { AdmissionMessage, EnterRealm, LeaveRealm, RecordAdmitted, SessionAdmitted, SessionQueued } from './login-messages.js';

export interface AdmissionQueueInit {
  readonly store: Store;
  readonly serverName: string;
  readonly capacity: number;
  readonly queueLimit: number;
  readonly recountMs: number;
  readonly online: ActorRef<RecordAdmitted>;
}

interface Waiting {
  readonly sid: number;
  readonly accountId: bigint;
  readonly session: ActorRef<SessionCommand>;
  /** The position last sent to the client. */
  sent: number;
}

const RECOUNT = Object.freeze({ type: 'admission.recount' as const });

export class AdmissionQueue extends Actor<AdmissionMessage> {
  readonly #init: AdmissionQueueInit;
  readonly #admitted = new Map<number, bigint>();
  #queue: Waiting[] = [];
  #elsewhere = 0;
  #recounting = false;

  constructor(context: ActorContext<AdmissionMessage>, init: AdmissionQueueInit) {
    super(context);
    this.#init = init;
  }

  readonly receive: Handlers<AdmissionMessage> = {
    'admission.enter': (m) => this.#enter(m),
    'admission.leave': (m) => this.#leave(m),
    'admission.status': ({ replyTo }) =>
      replyTo.tell({ admitted: this.#admitted.size, queued: this.#queue.length, elsewhere: this.#elsewhere, capacity: this.#init.capacity }),
    'admission.recount': () => this.#recount(),
    'admission.recounted': ({ elsewhere }) => {
      this.#recounting = false;
      if (elsewhere === undefined) return;
      this.#elsewhere = elsewhere;
      this.#drain();
    },
  };

  override preStart(): void {
    this.context.timers.startPeriodic('recount', RECOUNT, this.#init.recountMs);
    this.#recount();
  }

  #hasRoom(): boolean {
    return this.#admitted.size + this.#elsewhere < this.#init.capacity;
  }

  #enter({ accountId, sid, session, replyTo }: EnterRealm): void {
    if (this.#admitted.has(sid)) {
      replyTo.tell({ type: 'admission.admitted' });
      return;
    }
    const queuedAt = this.#queue.findIndex((w) => w.sid === sid);
    if (queuedAt >= 0) {
      replyTo.tell({ type: 'admission.queued', position: queuedAt + 1 });
      return;
    }
    if (this.#queue.length === 0 && this.#hasRoom()) {
      this.#admit(sid, accountId, session);
      replyTo.tell({ type: 'admission.admitted' });
      return;
    }
    if (this.#queue.length >= this.#init.queueLimit) {
      this.context.log.warn({ sid, queued: this.#queue.length, limit: this.#init.queueLimit }, 'admission queue full: login refused');
      replyTo.tell({ type: 'admission.refused', reason: 'the realm is full and so is its queue' });
      return;
    }
    const waiting: Waiting = { sid, accountId, session, sent: this.#queue.length + 1 };
    this.#queue.push(waiting);
    this.#tellPosition(waiting);
    replyTo.tell({ type: 'admission.queued', position: waiting.sent });
  }

  #leave({ sid }: LeaveRealm): void {
    if (this.#admitted.delete(sid)) {
      this.#drain();
      return;
    }
    const at = this.#queue.findIndex((w) => w.sid === sid);
    if (at < 0) return;
    this.#queue.splice(at, 1);
    this.#sendPositions(at);
  }

  #admit(sid: number, accountId: bigint, session: ActorRef<SessionCommand>): void {
    this.#admitted.set(sid, accountId);
    session.tell({ type: 'net.send', kind: LOGIN.MSG_USER_ADMIT_IND, data: { Status: AdmitStatus.Admitted, PositionInQueue: 0 } });
    const admitted: SessionAdmitted = { type: 'login.admitted', accountId };
    session.tell({ type: 'net.tell-services', message: admitted });
    this.#init.online.tell({ type: 'online.admitted', accountId, sid });
  }

  /** Admits from the head while there is room, then tells the others their new positions. */
  #drain(): void {
    let moved = 0;
    while (moved < this.#queue.length && this.#hasRoom()) {
      const next = this.#queue[moved]!;
      this.#admit(next.sid, next.accountId, next.session);
      moved++;
    }
    if (moved === 0) return;
    this.#queue = this.#queue.slice(moved);
    this.#sendPositions(0);
  }

  #sendPositions(from: number): void {
    for (let i = from; i < this.#queue.length; i++) {
      const waiting = this.#queue[i]!;
      if (waiting.sent !== i + 1) {
        waiting.sent = i + 1;
        this.#tellPosition(waiting);
      }
    }
  }

  #tellPosition(waiting: Waiting): void {
    waiting.session.tell({ type: 'net.send', kind: LOGIN.MSG_USER_ADMIT_IND, data: { Status: AdmitStatus.Queued, PositionInQueue: waiting.sent } });
    const queued: SessionQueued = { type: 'login.queued', position: waiting.sent };
    waiting.session.tell({ type: 'net.tell-services', message: queued });
  }

  #recount(): void {
    if (this.#recounting) return;
    this.#recounting = true;
    const { store, serverName } = this.#init;
    const log = this.context.log;
    this.context.pipeToSelf(Promise.all([store.onlinePlayers.count(), store.onlinePlayers.count({ server: serverName })]), (result) => {
      if (!result.ok) {
        log.error({ err: result.error }, 'cannot count the realm\'s online players; keeping the last count');
        return { type: 'admission.recounted', elsewhere: undefined };
      }
      const [total, own] = result.value;
      return { type: 'admission.recounted', elsewhere: Math.max(0, total - own) };
    });
  }
}
