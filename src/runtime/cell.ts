import type { ActorContext, PipeResult, ReceiveTimeoutOptions } from './actor-context.js';
import type { ActorRef, SystemMessage } from './actor-ref.js';
import type { ActorSystem } from './actor-system.js';
import type { Actor } from './actor.js';
import { Children } from './children.js';
import { DeathWatch } from './death-watch.js';
import {
  ActorInitializationError,
  ActorKilledError,
  ActorNameTakenError,
  ActorNotRunningError,
  InvalidActorNameError,
  MailboxOverflowError,
  NoCurrentMessageError,
  NotAChildError,
  StashedTwiceError,
  StashOverflowError,
} from './errors.js';
import { EMPTY_TABLE, RECEIVE_PLACEHOLDER, toTable, type HandlerTable } from './handler-table.js';
import { RECEIVE_TIMEOUT_TICK, ReceiveTimeoutTick, TIMER_TICK, TimerTick, WATCH_MESSAGE, WatchMessage } from './internal-messages.js';
import { LocalActorRef } from './local-ref.js';
import type { Logger } from './logger.js';
import { BoundedMailbox, Mailbox, type MessageInvoker } from './mailbox.js';
import { KILL_TYPE, POISON_PILL_TYPE, type ControlMessage, type Handlers, type Message } from './message.js';
import type { Props } from './props.js';
import { RareState } from './rare-state.js';
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

const RUNNING = 0;
const RESTARTING = 1;
const STOPPING = 2;
const TERMINATED = 3;

// Takes the place of the current message once stash() took it, so stashing it again is caught.
const STASHED = Symbol('stashed');

// One actor's runtime state; it is also the actor's context. Children, death watch, timers, receive timeout and
// supervision statistics live in their own files and are created on first use, so an idle actor stays small.
export class Cell<M extends Message> implements ActorContext<M>, MessageInvoker, TimerOwner {
  readonly self: LocalActorRef<M>;
  readonly mailbox: Mailbox;
  incarnation = 0;
  #sender: ActorRef | undefined = undefined;
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

  get sender(): ActorRef {
    return this.#sender ?? this.runtime.deadLetters;
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
    // A child born while this actor is suspended is suspended as often, so the resumes to come balance out.
    for (let i = this.mailbox.suspendCount; i > 0; i--) cell.mailbox.suspend();
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
      this.#stopChild(cell);
      return;
    }
    throw new NotAChildError(ref.path, this.path);
  }

  #stopChild(cell: Cell<any>): void {
    this.#rare?.children?.markStopping(cell);
    cell.sendSystem({ type: 'stop' });
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
    else this.#behavior = this.#actor === undefined ? RECEIVE_PLACEHOLDER : toTable(this.#actor.receive);
  }

  stash(): void {
    const current = this.#current;
    if (current === undefined) throw new NoCurrentMessageError(this.path);
    if (current === STASHED) throw new StashedTwiceError(this.path);
    const stash = (this.#extra().stash ??= new RingQueue());
    if (stash.size >= this.props.stashCapacity) throw new StashOverflowError(this.path, this.props.stashCapacity);
    stash.push(current, this.#sender);
    this.#current = STASHED;
  }

  unstashAll(): void {
    const stash = this.#rare?.stash;
    if (stash !== undefined && stash.size > 0) this.mailbox.prependAll(stash);
  }

  clearStash(): unknown[] {
    const cleared: unknown[] = [];
    this.#rare?.stash?.drain((message) => cleared.push(message));
    return cleared;
  }

  forward<T>(target: ActorRef<T>, message: T): void {
    target.tell(message, this.#sender);
  }

  get timers(): Timers<M> {
    return (this.#extra().timers ??= new Timers<M>(this, this.runtime.scheduler));
  }

  setReceiveTimeout(ms: number | undefined, message?: M | ControlMessage, options?: ReceiveTimeoutOptions<M>): void {
    if (ms === undefined) {
      this.#receiveTimeout?.cancel();
      this.#receiveTimeout = undefined;
      return;
    }
    if (message === undefined) throw new TypeError('setReceiveTimeout needs the message to deliver');
    (this.#receiveTimeout ??= new ReceiveTimeout(this, this.runtime.scheduler)).set(ms, message, options?.ignore);
  }

  pipeToSelf<T>(promise: Promise<T>, map: (result: PipeResult<T>) => M | ControlMessage): void {
    this.pipeTo(promise, this.self as ActorRef<M | ControlMessage>, map);
  }

  pipeTo<T, R>(promise: Promise<T>, recipient: ActorRef<R>, map: (result: PipeResult<T>) => R, sender?: ActorRef): void {
    const deliver = (result: PipeResult<T>): void => {
      let message: R;
      try {
        message = map(result);
      } catch (error) {
        this.log.error({ err: error }, 'pipe mapping failed');
        return;
      }
      recipient.tell(message, sender);
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
    this.#sender = sender;
    this.#current = message;
    if (this.#receiveTimeout !== undefined) this.#receiveTimeout.touchBy(message);
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
      case 'suspend':
        return this.#suspend();
      case 'resume':
        return this.#resume();
      case 'restart':
        return this.#beginRestart(message.error, message.message);
      case 'child-terminated':
        return this.#childTerminated(message.child);
    }
  }

  invocationFailed(error: unknown, message: unknown): void {
    this.#fail(error, message, undefined);
  }

  // Suspends this actor and its whole subtree, then asks the parent. `perpetrator` is the child whose failure this
  // actor escalates: it is suspended already, by its own failure.
  #fail(error: unknown, message: unknown, perpetrator: Cell<any> | undefined): void {
    if (this.#state >= STOPPING) {
      this.log.error({ err: error }, 'actor failed while stopping');
      return;
    }
    const rare = this.#extra();
    if (rare.failed) {
      this.log.error({ err: error }, 'actor failed again while its supervisor decides on its failure');
      return;
    }
    rare.failed = true;
    this.mailbox.suspend();
    for (const cell of rare.children?.cells() ?? []) if (cell !== perpetrator) cell.sendSystem({ type: 'suspend' });
    this.parent.sendSystem({ type: 'failed', child: this.self, error, message, escalated: perpetrator !== undefined });
  }

  rejected(message: unknown, sender: ActorRef | undefined, reason: 'closed' | 'full'): void {
    if (message instanceof TimerTick || message instanceof ReceiveTimeoutTick) return;
    if (message instanceof WatchMessage) {
      this.runtime.deadLetter(message.message, undefined, this.path, reason);
      return;
    }
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
      case WATCH_MESSAGE:
        if (message instanceof WatchMessage && this.#rare?.deathWatch?.takeQueued(message)) return this.#deliverInternal(message.message);
        return undefined;
      default:
        return this.#control(message);
    }
  }

  // A message the runtime queued for itself (timer, receive timeout, watch message): handled like a told one.
  #deliverInternal(message: any): unknown {
    this.#sender = undefined;
    this.#current = message;
    const handler = this.#behavior[message.type];
    if (handler !== undefined) return handler(message);
    return this.#control(message);
  }

  #control(message: any): unknown {
    switch (message?.type) {
      case POISON_PILL_TYPE:
        this.mailbox.postSystem({ type: 'stop' });
        return undefined;
      case KILL_TYPE:
        throw new ActorKilledError(this.path);
      default:
        return this.#unhandled(message);
    }
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
    return this.#preStart(actor);
  }

  // A constructor or preStart that fails is a failed creation: the instance is dropped, so the next restart is a
  // fresh start (preStart, not postRestart), as in Akka.
  #create(): Actor<M> {
    this.#behavior = RECEIVE_PLACEHOLDER;
    if (this.#rare !== undefined) this.#rare.behaviors = undefined;
    let actor: Actor<M>;
    try {
      actor = this.props.create(this);
    } catch (error) {
      this.#behavior = EMPTY_TABLE;
      throw new ActorInitializationError(this.path, error);
    }
    this.#actor = actor;
    // The constructor may have called become(): what it left in place of `receive` becomes `receive`.
    const receive = toTable(actor.receive);
    if (this.#behavior === RECEIVE_PLACEHOLDER) this.#behavior = receive;
    const stack = this.#rare?.behaviors;
    if (stack !== undefined) for (let i = 0; i < stack.length; i++) if (stack[i] === RECEIVE_PLACEHOLDER) stack[i] = receive;
    return actor;
  }

  #preStart(actor: Actor<M>): unknown {
    let result: unknown;
    try {
      result = actor.preStart();
    } catch (error) {
      return this.#creationFailed(actor, error);
    }
    return isThenable(result) ? result.then(undefined, (error: unknown) => this.#creationFailed(actor, error)) : undefined;
  }

  #creationFailed(actor: Actor<M>, error: unknown): never {
    if (this.#actor === actor) this.#actor = undefined;
    throw new ActorInitializationError(this.path, error);
  }

  #suspend(): unknown {
    if (this.#state >= STOPPING) return undefined;
    this.mailbox.suspend();
    for (const cell of this.#rare?.children?.cells() ?? []) cell.sendSystem({ type: 'suspend' });
    return undefined;
  }

  #resume(): unknown {
    if (this.#state >= STOPPING) return undefined;
    // Resuming an actor whose creation failed has nothing to resume: it is created afresh (Akka does the same).
    if (this.#actor === undefined && this.#state === RUNNING && this.mailbox.suspendCount === 1) return this.#beginRestart(undefined, undefined);
    this.mailbox.resume();
    for (const cell of this.#rare?.children?.cells() ?? []) cell.sendSystem({ type: 'resume' });
    if (!this.mailbox.isSuspended) this.#resumed();
    return undefined;
  }

  // The last suspension was lifted: the failure (if any) is settled, and Terminated held back meanwhile is due.
  #resumed(): void {
    const rare = this.#rare;
    if (rare === undefined) return;
    rare.failed = false;
    const deferred = rare.deferred;
    if (deferred === undefined || this.#state !== RUNNING) return;
    rare.deferred = undefined;
    for (const ref of deferred) this.mailbox.postSystem({ type: 'terminated', ref });
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
    this.#sender = undefined;
  }

  // Akka's restart sequence (docs/runtime.md, Lifecycle): the actor and its subtree are suspended already; the
  // failed instance's preRestart runs (by default it stops the children), the restart waits for the children
  // asked to stop, then a fresh instance is created and the surviving children are restarted.
  #beginRestart(error: unknown, message: unknown): unknown {
    if (this.#state !== RUNNING) return undefined;
    this.#state = RESTARTING;
    const rare = this.#extra();
    rare.restartCause = error;
    rare.awaitingChildren = false;
    this.incarnation++;
    rare.timers?.cancelAll();
    this.#receiveTimeout?.cancel();
    this.#receiveTimeout = undefined;
    const failed = this.#actor;
    // A failed creation restarts as a fresh start: no instance to run preRestart on, and no child kept.
    rare.freshStart = failed === undefined;
    let result: unknown;
    try {
      if (failed !== undefined) result = failed.preRestart(error, message as M | undefined);
      else for (const cell of rare.children?.cells() ?? []) this.#stopChild(cell);
    } catch (hookError) {
      this.log.error({ err: hookError }, 'preRestart failed');
    }
    const next = (): unknown => this.#restartWhenChildrenStopped();
    if (isThenable(result)) {
      return result.then(next, (hookError: unknown) => {
        this.log.error({ err: hookError }, 'preRestart failed');
        return next();
      });
    }
    return next();
  }

  #restartWhenChildrenStopped(): unknown {
    if (this.#state !== RESTARTING) return undefined;
    const rare = this.#extra();
    if ((rare.children?.stoppingCount ?? 0) > 0) {
      rare.awaitingChildren = true;
      return undefined;
    }
    return this.#finishRestart();
  }

  #finishRestart(): unknown {
    const rare = this.#extra();
    const cause = rare.restartCause;
    const freshStart = rare.freshStart;
    rare.restartCause = undefined;
    rare.awaitingChildren = false;
    rare.freshStart = false;
    const survivors = rare.children?.cells() ?? [];
    this.#state = RUNNING;
    this.#actor = undefined;
    this.#current = undefined;
    this.mailbox.resume();
    if (!this.mailbox.isSuspended) rare.failed = false;
    this.unstashAll();
    const actor = this.#create();
    let result: unknown;
    if (freshStart) {
      this.#lifecycle('started');
      result = this.#preStart(actor);
    } else {
      this.#lifecycle('restarted');
      result = actor.postRestart(cause);
    }
    if (!this.mailbox.isSuspended) this.#resumed();
    for (const cell of survivors) cell.sendSystem({ type: 'restart', error: cause, message: undefined });
    return result;
  }

  #childTerminated(child: ActorRef): unknown {
    const cell = LocalActorRef.cellOf(child);
    const children = this.#rare?.children;
    if (cell === undefined || children === undefined || !children.remove(cell)) return undefined;
    if (this.#state === STOPPING && children.size === 0) return this.#finishStop();
    if (this.#state === RESTARTING && this.#rare!.awaitingChildren && children.stoppingCount === 0) return this.#finishRestart();
    return undefined;
  }

  #watchedTerminated(ref: ActorRef): unknown {
    if (this.#state >= STOPPING) {
      this.#rare?.deathWatch?.takeWatch(ref);
      return undefined;
    }
    // Neither a failed instance nor a suspended one may see it: it waits for the restart or the resume.
    if (this.#state === RESTARTING || this.mailbox.isSuspended) {
      (this.#extra().deferred ??= []).push(ref);
      return undefined;
    }
    const deathWatch = this.#rare?.deathWatch;
    const watch = deathWatch?.takeWatch(ref);
    if (watch === undefined) return undefined;
    if (watch.message !== undefined) {
      const envelope = new WatchMessage(ref, watch.message);
      deathWatch!.queued(envelope);
      this.mailbox.post(envelope, undefined);
      return undefined;
    }
    this.#sender = undefined;
    this.#current = undefined;
    return this.#actor?.onTerminated(ref);
  }

  #childFailed(child: ActorRef, error: unknown, message: unknown, escalated: boolean): unknown {
    const cell = LocalActorRef.cellOf(child);
    if (cell === undefined || this.#rare?.children?.get(cell.name) !== cell || this.#state >= STOPPING) return undefined;
    const strategy = this.#actor?.supervisorStrategy ?? defaultStrategy;
    let directive: Directive;
    try {
      // A failure escalated up to the user guardian goes past it: the guardian has nobody above it to ask.
      directive = escalated && this.isGuardian ? Directive.escalate : strategy.decide(error);
    } catch (decideError) {
      this.log.error({ err: decideError }, 'supervisor decider threw; escalating');
      directive = Directive.escalate;
    }
    if (directive === Directive.restart && !cell.restartStatistics().allow(strategy, this.runtime.scheduler.now())) {
      directive = Directive.stop;
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
        for (const target of targets) {
          // A sibling restarted with the failed child is suspended first, as the failed child is already.
          if (target !== cell) target.sendSystem({ type: 'suspend' });
          target.sendSystem({ type: 'restart', error, message: target === cell ? message : undefined });
        }
        break;
      case Directive.stop:
        this.log.error({ err: error, child: cell.path, scope: strategy.scope }, 'child failed; stopping');
        for (const target of targets) this.#stopChild(target);
        break;
      case Directive.escalate:
        if (this.isGuardian) this.log.fatal({ err: error, child: cell.path }, 'failure escalated past the user guardian; terminating the actor system');
        this.#fail(error, undefined, cell);
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
