import type { ActorContext, PipeResult } from './actor-context.js';
import type { ActorRef, SystemMessage } from './actor-ref.js';
import type { ActorSystem } from './actor-system.js';
import type { Actor } from './actor.js';
import { Children } from './children.js';
import { DeathWatch } from './death-watch.js';
import {
  ActorInitializationError,
  ActorNameTakenError,
  ActorNotRunningError,
  InvalidActorNameError,
  MailboxOverflowError,
  NoCurrentMessageError,
  NotAChildError,
  StashOverflowError,
} from './errors.js';
import { RECEIVE_TIMEOUT_TICK, ReceiveTimeoutTick, TIMER_TICK, TimerTick } from './internal-messages.js';
import { LocalActorRef } from './local-ref.js';
import type { Logger } from './logger.js';
import { BoundedMailbox, Mailbox, type MessageInvoker } from './mailbox.js';
import { POISON_PILL_TYPE, type Handlers, type Message } from './message.js';
import type { Props } from './props.js';
import { ReceiveTimeout } from './receive-timeout.js';
import { RingQueue } from './ring-queue.js';
import { defaultStrategy, Directive, RestartStatistics } from './supervision.js';
import type { SystemRuntime } from './system-runtime.js';
import { isThenable } from './thenable.js';
import { Timers, type TimerOwner } from './timers.js';

export interface ActorSnapshot {
  readonly path: string;
  readonly kind: string;
  readonly mailboxSize: number;
  readonly processed: number;
  readonly children: ActorSnapshot[];
}

type Handler = (message: any) => unknown;
type HandlerTable = Record<string, Handler | undefined>;

// Handler tables have no Object.prototype behind them, so a message typed "constructor" or "toString" is
// unhandled rather than calling a built-in; instances keep V8's fast property lookups.
class HandlerTableBase {}
Object.setPrototypeOf(HandlerTableBase.prototype, null);
delete (HandlerTableBase.prototype as { constructor?: unknown }).constructor;

function toTable(handlers: object): HandlerTable {
  const table = new HandlerTableBase() as HandlerTable;
  for (const key of Object.keys(handlers)) {
    const handler = (handlers as Record<string, unknown>)[key];
    if (typeof handler === 'function') table[key] = handler as Handler;
  }
  return table;
}

const EMPTY_TABLE = toTable({});

const RUNNING = 0;
const RESTARTING = 1;
const STOPPING = 2;
const TERMINATED = 3;

// One actor's runtime state; it is also the actor's context. Children, death watch, timers, receive timeout and
// supervision statistics live in their own files and are created on first use, so an idle actor stays small.
export class Cell<M extends Message> implements ActorContext<M>, MessageInvoker, TimerOwner {
  readonly self: LocalActorRef<M>;
  readonly mailbox: Mailbox;
  sender: ActorRef | undefined = undefined;
  incarnation = 0;
  #actor: Actor<M> | undefined = undefined;
  #behavior: HandlerTable = EMPTY_TABLE;
  #current: unknown = undefined;
  #state = RUNNING;
  #finishing = false;
  #receiveTimeout: ReceiveTimeout | undefined = undefined;
  #rare: RareState<M> | undefined = undefined;
  #path: string | undefined = undefined;

  constructor(
    readonly runtime: SystemRuntime,
    readonly props: Props<M>,
    readonly parent: ActorRef,
    readonly name: string,
    private readonly parentPath: string,
    readonly isGuardian: boolean = false,
  ) {
    const mailboxOptions = props.mailbox;
    this.mailbox = mailboxOptions === undefined
      ? new Mailbox(this, runtime.dispatcher, props.throughput)
      : new BoundedMailbox(this, runtime.dispatcher, props.throughput, mailboxOptions.capacity);
    this.self = new LocalActorRef<M>(this, this.mailbox);
  }

  // ---- the context API --------------------------------------------------------------------------------------

  // Built on first use: most actors never need their path as a string.
  get path(): string {
    return (this.#path ??= `${this.parentPath}/${this.name}`);
  }

  // Owned by the parent's supervision: this child's restarts in the current window.
  restartStatistics(): RestartStatistics {
    return (this.#extra().restartStats ??= new RestartStatistics());
  }

  #extra(): RareState<M> {
    return (this.#rare ??= new RareState<M>());
  }

  get system(): ActorSystem {
    return this.runtime.system;
  }

  get log(): Logger {
    return (this.#extra().log ??= this.runtime.log.child({ actor: this.path }));
  }

  get children(): readonly ActorRef[] {
    return this.#rare?.children?.refs() ?? [];
  }

  get isTerminated(): boolean {
    return this.#state === TERMINATED;
  }

  child(name: string): ActorRef | undefined {
    return this.#rare?.children?.get(name)?.self;
  }

  spawn<C extends Message>(props: Props<C>, name: string): ActorRef<C> {
    if (typeof name !== 'string' || name.length === 0 || name.includes('/') || name.startsWith('$')) throw new InvalidActorNameError(String(name));
    if (this.#state !== RUNNING) throw new ActorNotRunningError(this.path, `spawn of ${name}`);
    const children = (this.#extra().children ??= new Children());
    if (children.get(name) !== undefined) throw new ActorNameTakenError(`${this.path}/${name}`);
    const cell = new Cell<C>(this.runtime, props, this.self, name, this.path);
    children.add(cell);
    cell.mailbox.postSystem({ type: 'start' });
    return cell.self;
  }

  stop(ref?: ActorRef): void {
    if (ref === undefined || ref.path === this.path) {
      this.sendSystem({ type: 'stop' });
      return;
    }
    const cell = LocalActorRef.cellOf(ref);
    if (cell !== undefined && this.#rare?.children?.get(cell.name) === cell) {
      cell.sendSystem({ type: 'stop' });
      return;
    }
    throw new NotAChildError(ref.path, this.path);
  }

  watch(ref: ActorRef, message?: M): void {
    if (ref.path === this.path) return;
    if ((this.#extra().deathWatch ??= new DeathWatch()).watch(ref, message)) ref.sendSystem({ type: 'watch', watcher: this.self });
  }

  unwatch(ref: ActorRef): void {
    if (this.#rare?.deathWatch?.unwatch(ref)) ref.sendSystem({ type: 'unwatch', watcher: this.self });
  }

  become(handlers: Partial<Handlers<M>>, options: { discardOld?: boolean } = {}): void {
    if (options.discardOld === false) (this.#extra().behaviors ??= []).push(this.#behavior);
    this.#behavior = toTable(handlers);
  }

  unbecome(): void {
    const previous = this.#rare?.behaviors?.pop();
    if (previous !== undefined) this.#behavior = previous;
    else if (this.#actor !== undefined) this.#behavior = toTable(this.#actor.receive);
  }

  stash(): void {
    if (this.#current === undefined) throw new NoCurrentMessageError(this.path);
    const stash = (this.#extra().stash ??= new RingQueue());
    if (stash.size >= this.props.stashCapacity) throw new StashOverflowError(this.path, this.props.stashCapacity);
    stash.push(this.#current, this.sender);
  }

  unstashAll(): void {
    const stash = this.#rare?.stash;
    if (stash !== undefined && stash.size > 0) this.mailbox.prependAll(stash);
  }

  get timers(): Timers<M> {
    return (this.#extra().timers ??= new Timers<M>(this, this.runtime.scheduler));
  }

  setReceiveTimeout(ms: number | undefined, message?: M): void {
    if (ms === undefined) {
      this.#receiveTimeout?.cancel();
      this.#receiveTimeout = undefined;
      return;
    }
    if (message === undefined) throw new TypeError('setReceiveTimeout needs the message to deliver');
    (this.#receiveTimeout ??= new ReceiveTimeout(this, this.runtime.scheduler)).set(ms, message);
  }

  pipeToSelf<T>(promise: Promise<T>, map: (result: PipeResult<T>) => M): void {
    const deliver = (result: PipeResult<T>): void => {
      let message: M;
      try {
        message = map(result);
      } catch (error) {
        this.log.error({ err: error }, 'pipeToSelf mapping failed');
        return;
      }
      this.mailbox.post(message, undefined);
    };
    promise.then((value) => deliver({ ok: true, value }), (error: unknown) => deliver({ ok: false, error }));
  }

  enqueueSelf(message: unknown): void {
    this.mailbox.post(message, undefined);
  }

  sendSystem(message: SystemMessage): void {
    if (this.#state === TERMINATED) {
      if (message.type === 'watch') message.watcher.sendSystem({ type: 'terminated', ref: this.self });
      return;
    }
    this.mailbox.postSystem(message);
  }

  snapshot(): ActorSnapshot {
    return {
      path: this.path,
      kind: this.props.kind ?? this.#actor?.constructor.name ?? 'actor',
      mailboxSize: this.mailbox.size,
      processed: this.mailbox.processed,
      children: this.#rare?.children?.cells().map((cell) => cell.snapshot()) ?? [],
    };
  }

  // ---- the invoker: called by the mailbox ---------------------------------------------------------------------

  invokeUser(message: any, sender: ActorRef | undefined): unknown {
    this.sender = sender;
    this.#current = message;
    if (this.#receiveTimeout !== undefined) this.#receiveTimeout.touch();
    const handler = this.#behavior[message.type];
    if (handler !== undefined) return handler(message);
    return this.#special(message);
  }

  invokeSystem(message: SystemMessage): unknown {
    switch (message.type) {
      case 'start':
        return this.#start();
      case 'stop':
        return this.#beginStop();
      case 'watch':
        (this.#extra().deathWatch ??= new DeathWatch()).addWatcher(message.watcher);
        return undefined;
      case 'unwatch':
        this.#rare?.deathWatch?.removeWatcher(message.watcher);
        return undefined;
      case 'terminated':
        return this.#watchedTerminated(message.ref);
      case 'failed':
        return this.#childFailed(message.child, message.error, message.message, message.escalated === true);
      case 'resume':
        return this.#resume();
      case 'restart':
        return this.#beginRestart(message.error, message.message);
      case 'child-terminated':
        return this.#childTerminated(message.child);
    }
  }

  invocationFailed(error: unknown, message: unknown): void {
    this.#fail(error, message, false);
  }

  #fail(error: unknown, message: unknown, escalated: boolean): void {
    if (this.#state >= STOPPING) {
      this.log.error({ err: error }, 'actor failed while stopping');
      return;
    }
    this.mailbox.suspend();
    this.parent.sendSystem({ type: 'failed', child: this.self, error, message, escalated });
  }

  rejected(message: unknown, sender: ActorRef | undefined, reason: 'closed' | 'full'): void {
    if (message instanceof TimerTick || message instanceof ReceiveTimeoutTick) return;
    this.runtime.deadLetter(message, sender, this.path, reason);
    if (reason === 'full' && this.props.mailbox?.overflow === 'fail' && this.#state === RUNNING && !this.mailbox.isSuspended) {
      this.invocationFailed(new MailboxOverflowError(this.path, this.props.mailbox.capacity), undefined);
    }
  }

  // ---- message paths off the hot path --------------------------------------------------------------------------

  #special(message: any): unknown {
    switch (message?.type) {
      case TIMER_TICK:
        if (message instanceof TimerTick && this.#rare?.timers?.accept(message)) return this.#deliverInternal(message.message);
        return undefined;
      case RECEIVE_TIMEOUT_TICK:
        if (message instanceof ReceiveTimeoutTick && this.#receiveTimeout !== undefined) {
          const inner = this.#receiveTimeout.accept(message);
          if (inner !== undefined) return this.#deliverInternal(inner);
        }
        return undefined;
      case POISON_PILL_TYPE:
        this.mailbox.postSystem({ type: 'stop' });
        return undefined;
      default:
        return this.#unhandled(message);
    }
  }

  #deliverInternal(message: any): unknown {
    this.sender = undefined;
    this.#current = message;
    const handler = this.#behavior[message.type];
    if (handler !== undefined) return handler(message);
    return this.#unhandled(message);
  }

  #unhandled(message: unknown): undefined {
    const events = this.runtime.eventStream;
    if (events.hasSubscribers('unhandled')) events.publish('unhandled', { recipient: this.path, message });
    this.log.debug({ messageType: (message as { type?: unknown } | null)?.type }, 'unhandled message');
    return undefined;
  }

  #start(): unknown {
    if (this.#state !== RUNNING) return undefined;
    const actor = this.#create();
    this.#lifecycle('started');
    return actor.preStart();
  }

  #create(): Actor<M> {
    let actor: Actor<M>;
    try {
      actor = this.props.create(this);
    } catch (error) {
      throw new ActorInitializationError(this.path, error);
    }
    this.#actor = actor;
    if (this.#rare !== undefined) this.#rare.behaviors = undefined;
    this.#behavior = toTable(actor.receive);
    return actor;
  }

  #resume(): unknown {
    if (this.#state !== RUNNING) return undefined;
    if (this.#actor === undefined) return this.#beginRestart(undefined, undefined);
    this.mailbox.resume();
    // Children suspended by a failure this actor escalated resume with it.
    for (const cell of this.#rare?.children?.cells() ?? []) if (cell.mailbox.isSuspended) cell.sendSystem({ type: 'resume' });
    return undefined;
  }

  #beginStop(): unknown {
    if (this.#state >= STOPPING) return undefined;
    this.#state = STOPPING;
    this.mailbox.suspend();
    this.#rare?.timers?.cancelAll();
    this.#receiveTimeout?.cancel();
    const children = this.#rare?.children;
    if (children !== undefined && children.size > 0) {
      for (const cell of children.cells()) cell.sendSystem({ type: 'stop' });
      return undefined;
    }
    return this.#finishStop();
  }

  #finishStop(): unknown {
    if (this.#finishing) return undefined;
    this.#finishing = true;
    let result: unknown;
    try {
      result = this.#actor?.postStop();
    } catch (error) {
      this.log.error({ err: error }, 'postStop failed');
    }
    if (isThenable(result)) {
      return result.then(
        () => this.#finalize(),
        (error: unknown) => {
          this.log.error({ err: error }, 'postStop failed');
          this.#finalize();
        },
      );
    }
    this.#finalize();
    return undefined;
  }

  #finalize(): void {
    this.#state = TERMINATED;
    const deadLetter = (message: unknown, sender: ActorRef | undefined): void => this.rejected(message, sender, 'closed');
    this.mailbox.close(deadLetter, (message) => {
      if (message.type === 'watch') message.watcher.sendSystem({ type: 'terminated', ref: this.self });
    });
    this.#rare?.stash?.drain(deadLetter);
    if (this.#rare !== undefined) this.#rare.stash = undefined;
    // The parent first: by the time it sees Terminated, the child's name is free again.
    this.parent.sendSystem({ type: 'child-terminated', child: this.self });
    this.#rare?.deathWatch?.terminate(this.self);
    this.#lifecycle('stopped');
    this.#actor = undefined;
    this.#behavior = EMPTY_TABLE;
    if (this.#rare !== undefined) this.#rare.behaviors = undefined;
    this.#current = undefined;
    this.sender = undefined;
  }

  #beginRestart(error: unknown, message: unknown): unknown {
    if (this.#state !== RUNNING) return undefined;
    this.#state = RESTARTING;
    this.#extra().restartCause = error;
    this.incarnation++;
    this.#rare?.timers?.cancelAll();
    this.#receiveTimeout?.cancel();
    this.#receiveTimeout = undefined;
    this.mailbox.suspend();
    let result: unknown;
    try {
      result = this.#actor?.preRestart(error, message as M | undefined);
    } catch (hookError) {
      this.log.error({ err: hookError }, 'preRestart failed');
    }
    const next = (): unknown => this.#stopChildrenForRestart();
    if (isThenable(result)) {
      return result.then(next, (hookError: unknown) => {
        this.log.error({ err: hookError }, 'preRestart failed');
        return next();
      });
    }
    return next();
  }

  #stopChildrenForRestart(): unknown {
    if (this.#state !== RESTARTING) return undefined;
    const children = this.#rare?.children;
    if (children !== undefined && children.size > 0) {
      for (const cell of children.cells()) cell.sendSystem({ type: 'stop' });
      return undefined;
    }
    return this.#finishRestart();
  }

  #finishRestart(): unknown {
    const cause = this.#rare?.restartCause;
    if (this.#rare !== undefined) this.#rare.restartCause = undefined;
    this.#state = RUNNING;
    this.#actor = undefined;
    this.#behavior = EMPTY_TABLE;
    this.#current = undefined;
    this.mailbox.resume();
    this.unstashAll();
    const actor = this.#create();
    this.#lifecycle('restarted');
    const deferred = this.#rare?.deferred;
    if (deferred !== undefined) {
      this.#rare!.deferred = undefined;
      for (const ref of deferred) this.mailbox.postSystem({ type: 'terminated', ref });
    }
    return actor.postRestart(cause);
  }

  #childTerminated(child: ActorRef): unknown {
    const cell = LocalActorRef.cellOf(child);
    const children = this.#rare?.children;
    if (cell === undefined || children === undefined || !children.remove(cell)) return undefined;
    if (children.size > 0) return undefined;
    if (this.#state === STOPPING) return this.#finishStop();
    if (this.#state === RESTARTING) return this.#finishRestart();
    return undefined;
  }

  #watchedTerminated(ref: ActorRef): unknown {
    // The failed instance must not see it: hand it to the fresh one once the restart is done.
    if (this.#state === RESTARTING) {
      (this.#extra().deferred ??= []).push(ref);
      return undefined;
    }
    const watch = this.#rare?.deathWatch?.takeWatch(ref);
    if (watch === undefined || this.#state >= STOPPING) return undefined;
    if (watch.message !== undefined) {
      this.mailbox.post(watch.message, undefined);
      return undefined;
    }
    this.sender = undefined;
    this.#current = undefined;
    return this.#actor?.onTerminated(ref);
  }

  #childFailed(child: ActorRef, error: unknown, message: unknown, escalated: boolean): unknown {
    const cell = LocalActorRef.cellOf(child);
    if (cell === undefined || this.#rare?.children?.get(cell.name) !== cell || this.#state >= STOPPING) return undefined;
    const strategy = this.#actor?.supervisorStrategy ?? defaultStrategy;
    let directive: Directive;
    try {
      // A failure escalated up to the root stops there: the guardian has nobody above it to ask.
      directive = escalated && this.isGuardian ? Directive.escalate : strategy.decide(error);
    } catch (decideError) {
      this.log.error({ err: decideError }, 'supervisor decider threw; escalating');
      directive = Directive.escalate;
    }
    if (directive === Directive.restart && !cell.restartStatistics().allow(strategy, this.runtime.scheduler.now())) {
      directive = Directive.stop;
    }
    try {
      this.#actor?.onChildFailure(child, error, directive);
    } catch (hookError) {
      this.log.error({ err: hookError, child: cell.path }, 'failure hook threw');
    }
    const events = this.runtime.eventStream;
    if (events.hasSubscribers('failure')) events.publish('failure', { path: cell.path, error, directive });
    const targets = strategy.scope === 'all-for-one' ? this.#extra().children!.cells() : [cell];
    switch (directive) {
      case Directive.resume:
        this.log.warn({ err: error, child: cell.path }, 'child failed; resuming it');
        cell.sendSystem({ type: 'resume' });
        break;
      case Directive.restart:
        this.log.warn({ err: error, child: cell.path, scope: strategy.scope }, 'child failed; restarting');
        for (const target of targets) target.sendSystem({ type: 'restart', error, message: target === cell ? message : undefined });
        break;
      case Directive.stop:
        this.log.error({ err: error, child: cell.path, scope: strategy.scope }, 'child failed; stopping');
        for (const target of targets) target.sendSystem({ type: 'stop' });
        break;
      case Directive.escalate:
        if (this.isGuardian) {
          this.log.error({ err: error, child: cell.path }, 'failure escalated to the root; stopping the failing subtree');
          cell.sendSystem({ type: 'stop' });
        } else {
          this.#fail(error, undefined, true);
        }
        break;
    }
    return undefined;
  }

  #lifecycle(event: 'started' | 'restarted' | 'stopped'): void {
    const events = this.runtime.eventStream;
    if (events.hasSubscribers('lifecycle')) {
      events.publish('lifecycle', { path: this.path, kind: this.props.kind ?? this.#actor?.constructor.name ?? 'actor', event });
    }
  }
}

// State most actors never use, behind one pointer so an idle actor stays small.
class RareState<M extends Message> {
  children: Children | undefined = undefined;
  deathWatch: DeathWatch | undefined = undefined;
  behaviors: HandlerTable[] | undefined = undefined;
  stash: RingQueue<unknown, ActorRef | undefined> | undefined = undefined;
  timers: Timers<M> | undefined = undefined;
  log: Logger | undefined = undefined;
  restartCause: unknown = undefined;
  restartStats: RestartStatistics | undefined = undefined;
  deferred: ActorRef[] | undefined = undefined;
}
