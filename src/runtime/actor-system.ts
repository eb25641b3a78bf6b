import type { ActorRef, SystemMessage } from './actor-ref.js';
import { Actor } from './actor.js';
import { Cell, type ActorSnapshot } from './cell.js';
import type { DeadLetterLogOptions } from './dead-letter-log.js';
import { Dispatcher } from './dispatcher.js';
import { ActorNotRunningError } from './errors.js';
import { EventStream } from './event-stream.js';
import { LocalActorRef } from './local-ref.js';
import { createJsonLogger, type Logger } from './logger.js';
import type { Message } from './message.js';
import { props, type Props } from './props.js';
import { RealScheduler, type Scheduler } from './scheduler.js';
import { SystemRuntime } from './system-runtime.js';

export interface ActorSystemOptions {
  readonly scheduler?: Scheduler;
  readonly logger?: Logger;
  // Messages processed in one event-loop turn before yielding to I/O with setImmediate. Default 5000.
  readonly yieldAfter?: number;
  // Dead letters are logged at info level, `limit` (default 10) lines then a pause of `suspendMs` (default 5 min);
  // false logs none. They are counted and published either way.
  readonly deadLetterLog?: DeadLetterLogOptions | false;
}

// Resolves paths this process does not host, e.g. "imlight://game-1/" for a cluster peer.
export interface RefProvider {
  resolve(path: string): ActorRef | undefined;
}

class Guardian extends Actor<never> {
  readonly receive = {};
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

// The root of an actor tree: the user guardian at imlight://<name>/user, dead letters, the scheduler, the event stream.
export class ActorSystem {
  readonly name: string;
  readonly address: string;
  readonly scheduler: Scheduler;
  readonly eventStream: EventStream;
  readonly log: Logger;
  readonly deadLetters: ActorRef;
  readonly #runtime: SystemRuntime;
  readonly #guardian: Cell<never>;
  readonly #providers: Array<{ readonly prefix: string; readonly provider: RefProvider }> = [];
  readonly #terminated: Promise<void>;
  #resolveTerminated!: () => void;
  #terminating = false;

  private constructor(name: string, options: ActorSystemOptions) {
    if (!NAME.test(name)) throw new TypeError(`invalid actor system name ${JSON.stringify(name)}: use letters, digits, '_', '.', '-'`);
    this.name = name;
    this.address = `imlight://${name}`;
    this.scheduler = options.scheduler ?? new RealScheduler();
    this.log = (options.logger ?? createJsonLogger()).child({ system: name });
    this.eventStream = new EventStream((error, kind) => this.log.error({ err: error, kind }, 'event stream subscriber threw'));
    this.#runtime = new SystemRuntime(this, this.address, new Dispatcher(options.yieldAfter), this.scheduler, this.eventStream, this.log, options.deadLetterLog);
    this.deadLetters = this.#runtime.deadLetters;
    this.#terminated = new Promise<void>((resolve) => {
      this.#resolveTerminated = resolve;
    });
    const root: ActorRef = {
      path: this.address,
      tell: () => {},
      ask: () => Promise.reject(new ActorNotRunningError(this.address, 'ask to the root')),
      sendSystem: (message: SystemMessage) => this.#rootMessage(message),
    };
    this.#guardian = new Cell<never>(this.#runtime, props<never>((context) => new Guardian(context), { kind: 'guardian' }), root, 'user', this.address, true);
    this.#guardian.mailbox.postSystem({ type: 'start' });
  }

  static create(name: string, options: ActorSystemOptions = {}): ActorSystem {
    return new ActorSystem(name, options);
  }

  // Messages that reached dead letters since the system started.
  get deadLetterCount(): number {
    return this.#runtime.deadLetterCount;
  }

  get isTerminated(): boolean {
    return this.#guardian.isTerminated;
  }

  // Resolves once every actor has stopped, whether by terminate() or by a failure escalated past the user guardian.
  get whenTerminated(): Promise<void> {
    return this.#terminated;
  }

  spawn<M extends Message>(actorProps: Props<M>, name: string): ActorRef<M> {
    if (this.#terminating) throw new ActorNotRunningError(this.address, `spawn of ${name}`);
    return this.#guardian.spawn(actorProps, name);
  }

  // A live actor by its full path ("imlight://<system>/user/a/b") or by its path inside this system ("/user/a/b").
  lookup(path: string): ActorRef | undefined {
    let local: string | undefined;
    if (path.startsWith('/')) local = path;
    else if (path.startsWith(this.address) && (path.length === this.address.length || path[this.address.length] === '/')) local = path.slice(this.address.length);
    if (local === undefined) return this.#resolveRemote(path);
    const segments = local.split('/').filter((segment) => segment.length > 0);
    if (segments[0] !== 'user') return undefined;
    let cell: Cell<any> | undefined = this.#guardian;
    for (let i = 1; i < segments.length && cell !== undefined; i++) {
      const child: ActorRef | undefined = cell.child(segments[i]!);
      cell = child === undefined ? undefined : LocalActorRef.cellOf(child);
    }
    return cell === undefined || cell.isTerminated ? undefined : cell.self;
  }

  // Transport seam: paths starting with `prefix` are resolved by `provider`. Returns a function that removes it.
  registerRefProvider(prefix: string, provider: RefProvider): () => void {
    if (prefix === this.address || prefix.startsWith(`${this.address}/`)) throw new TypeError(`${prefix} is this system's own address`);
    const entry = { prefix, provider };
    this.#providers.push(entry);
    this.#providers.sort((a, b) => b.prefix.length - a.prefix.length);
    return () => {
      const at = this.#providers.indexOf(entry);
      if (at >= 0) this.#providers.splice(at, 1);
    };
  }

  // Ask any ref, local or not: a transport's remote ref implements its ask() with this.
  ask<R>(target: ActorRef, build: (replyTo: ActorRef<R>) => unknown, timeoutMs: number): Promise<R> {
    return this.#runtime.ask(target, build, timeoutMs);
  }

  // Transport seam: records a message that could not be delivered to `recipient` (e.g. an inbound message for a
  // path that no longer exists). An ask whose reply slot is the sender fails at once.
  recordDeadLetter(recipient: string, message: unknown, sender?: ActorRef): void {
    this.#runtime.deadLetter(message, sender, recipient, 'no-actor');
  }

  // Akka's GracefulStop: sends `ref` PoisonPill (so what was sent before is processed first) and resolves true once
  // it terminated, false if it has not within `timeoutMs`.
  gracefulStop(ref: ActorRef, timeoutMs: number): Promise<boolean> {
    return this.#runtime.gracefulStop(ref, timeoutMs);
  }

  snapshot(): ActorSnapshot {
    return this.#guardian.snapshot();
  }

  // Stops every actor, children before parents; resolves once the last postStop has run.
  terminate(): Promise<void> {
    if (!this.#terminating) {
      this.#terminating = true;
      this.#guardian.sendSystem({ type: 'stop' });
    }
    return this.#terminated;
  }

  #resolveRemote(path: string): ActorRef | undefined {
    for (const { prefix, provider } of this.#providers) if (path.startsWith(prefix)) return provider.resolve(path);
    return undefined;
  }

  #rootMessage(message: SystemMessage): void {
    if (message.type === 'child-terminated') {
      this.log.debug('actor system terminated');
      this.#resolveTerminated();
    } else if (message.type === 'failed') {
      // A failure escalated past the user guardian (logged there with its reason): the whole system stops.
      this.#terminating = true;
      this.#guardian.sendSystem({ type: 'stop' });
    }
  }
}
