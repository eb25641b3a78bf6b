// LoginAfk (flows.md section 2, AFK): a session that has not authenticated within the AFK limit,
// or that sends no request (MSG_LOGIN_NOT_AFK or any other) for that long once admitted, gets
// MSG_DISCONNECT_LOGIN_AFK and is closed. A player waiting in the admission queue is not idle by
// choice: the clock stops while queued and restarts at admission.
import { LOGIN, type MessageKind } from '../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../net/index.js';
import type { LoginDeps } from './login-deps.js';
import type { SessionStateMessage } from './login-messages.js';

type AfkMessage = SessionStateMessage | { readonly type: 'login.afk-check' };

const AFK_CHECK = Object.freeze({ type: 'login.afk-check' as const });

/** Every client request of the login protocol: each one counts as activity. */
const ACTIVITY: readonly MessageKind<any>[] = [
  LOGIN.MSG_LOGIN_NOT_AFK,
  LOGIN.MSG_USER_AUTHEN_V3,
  LOGIN.MSG_USER_VALIDATE,
  LOGIN.MSG_REQUESTCHARACTERLIST,
  LOGIN.MSG_CREATECHARACTER,
  LOGIN.MSG_DELETECHARACTER,
  LOGIN.MSG_SELECTCHARACTER,
  LOGIN.MSG_REQUESTSERVERLIST,
  LOGIN.MSG_CHANGECHARACTERNAME,
];

export class LoginAfkService extends MessageService<AfkMessage> {
  readonly #deps: LoginDeps;
  #phase: 'unauthenticated' | 'authenticated' | 'queued' | 'admitted' = 'unauthenticated';
  #since = 0;
  #lastActivity = 0;

  constructor(context: ServiceContext<AfkMessage>, env: ServiceEnv, deps: LoginDeps) {
    super(context, env);
    this.#deps = deps;
    for (const kind of ACTIVITY) this.onClient(kind, () => this.#active());
    this.onServer('login.authenticated', () => {
      this.#phase = 'authenticated';
    });
    this.onServer('login.queued', () => {
      this.#phase = 'queued';
    });
    this.onServer('login.admitted', () => {
      this.#phase = 'admitted';
      this.#active();
    });
    this.onServer('login.afk-check', () => this.#check());
  }


  override preStart(): void {
    this.#since = this.#now();
    this.#lastActivity = this.#since;
    this.context.timers.startPeriodic('afk', AFK_CHECK, this.#deps.settings.afkCheckIntervalMs);
  }

  #now(): number {
    return this.context.system.scheduler.now();
  }

  #active(): void {
    this.#lastActivity = this.#now();
  }

  #check(): void {
    const limit = this.#deps.settings.afkTimeoutMs;
    const now = this.#now();
    let idleMs: number;
    switch (this.#phase) {
      case 'queued':
      case 'authenticated':
        return;
      case 'unauthenticated':
        idleMs = now - this.#since;
        break;
      default:
        idleMs = now - this.#lastActivity;
    }
    if (idleMs < limit) return;
    this.log.info({ phase: this.#phase, idleMs, limitMs: limit, remote: this.env.remoteAddress }, 'login session AFK: disconnecting');
    this.context.timers.cancel('afk');
    this.send(LOGIN.MSG_DISCONNECT_LOGIN_AFK, { Warning: 0 });
    this.closeSession('afk');
  }
}
