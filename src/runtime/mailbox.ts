import type { ActorRef, SystemMessage } from './actor-ref.js';
import type { Dispatcher, Runnable } from './dispatcher.js';
import { RingQueue } from './ring-queue.js';
import { isThenable } from './thenable.js';

// What the mailbox runs messages against; a fake one tests the mailbox alone.
export interface MessageInvoker {
  // Both may return a thenable: the mailbox then runs nothing else until it settles.
  invokeSystem(message: SystemMessage): unknown;
  invokeUser(message: unknown, sender: ActorRef | undefined): unknown;
  // A sync throw or a rejection of either; `message` is the user message, or undefined for a system message.
  invocationFailed(error: unknown, message: unknown): void;
  // A user message that cannot be queued (closed or full mailbox).
  rejected(message: unknown, sender: ActorRef | undefined, reason: 'closed' | 'full'): void;
}

const IDLE = 0;
const SCHEDULED = 1;
const AWAITING = 2;
const CLOSED = 3;

// Owns the actor's queues and run loop: all system messages first, then user messages up to `throughput`,
// re-checking system messages after each one. User messages wait while the mailbox is suspended
// (a failure in this actor or an ancestor awaiting a directive, or a stop/restart in progress); system messages
// never do. Suspensions are counted: each suspend is undone by one resume, so an actor suspended both by its own
// failure and by its parent's stays suspended until both are resolved.
export class Mailbox implements Runnable {
  readonly #user = new RingQueue<unknown, ActorRef | undefined>();
  #system: SystemMessage[] | undefined = undefined;
  #systemHead = 0;
  #status = IDLE;
  #suspendCount = 0;
  #processed = 0;
  #awaitedMessage: unknown = undefined;
  #onSettled: (() => void) | undefined = undefined;
  #onRejected: ((error: unknown) => void) | undefined = undefined;

  constructor(
    protected readonly invoker: MessageInvoker,
    private readonly dispatcher: Dispatcher,
    private readonly throughput: number,
  ) {}

  get size(): number {
    return this.#user.size;
  }

  get processed(): number {
    return this.#processed;
  }

  get isClosed(): boolean {
    return this.#status === CLOSED;
  }

  get isSuspended(): boolean {
    return this.#suspendCount !== 0;
  }

  get suspendCount(): number {
    return this.#suspendCount;
  }

  post(message: unknown, sender: ActorRef | undefined): void {
    if (this.#status === CLOSED) {
      this.invoker.rejected(message, sender, 'closed');
      return;
    }
    this.#user.push(message, sender);
    if (this.#status === IDLE && this.#suspendCount === 0) {
      this.#status = SCHEDULED;
      this.dispatcher.schedule(this);
    }
  }

  postSystem(message: SystemMessage): void {
    if (this.#status === CLOSED) return;
    if (this.#system === undefined) this.#system = [];
    this.#system.push(message);
    if (this.#status === IDLE) {
      this.#status = SCHEDULED;
      this.dispatcher.schedule(this);
    }
  }

  suspend(): void {
    this.#suspendCount++;
  }

  // Undoes one suspend; user messages flow again once every suspend is undone.
  resume(): void {
    if (this.#suspendCount === 0) return;
    if (--this.#suspendCount !== 0) return;
    if (this.#status === IDLE && this.#user.size > 0) {
      this.#status = SCHEDULED;
      this.dispatcher.schedule(this);
    }
  }

  // Puts messages back at the front (unstash), ahead of everything queued.
  prependAll(queue: RingQueue<unknown, ActorRef | undefined>): void {
    this.#user.prependAll(queue);
    if (this.#status === IDLE && this.#suspendCount === 0 && this.#user.size > 0) {
      this.#status = SCHEDULED;
      this.dispatcher.schedule(this);
    }
  }

  // Closes for good; queued user messages go to `leftover` (dead letters), queued system messages to `leftoverSystem`.
  close(leftover: (message: unknown, sender: ActorRef | undefined) => void, leftoverSystem: (message: SystemMessage) => void): void {
    this.#status = CLOSED;
    this.#user.drain(leftover);
    const system = this.#system;
    if (system !== undefined) {
      this.#system = undefined;
      for (let i = this.#systemHead; i < system.length; i++) leftoverSystem(system[i]!);
    }
  }

  run(): number {
    if (this.#status === CLOSED) return 0;
    const invoker = this.invoker;
    const user = this.#user;
    let processed = 0;
    while (true) {
      if (this.#system !== undefined) {
        const message = this.#nextSystem();
        let result: unknown;
        try {
          result = invoker.invokeSystem(message);
        } catch (error) {
          if (this.#status === CLOSED) return processed;
          invoker.invocationFailed(error, undefined);
          continue;
        }
        if (this.#status === CLOSED) return processed;
        if (isThenable(result)) {
          this.#await(result, undefined);
          return processed;
        }
        continue;
      }
      if (this.#suspendCount !== 0 || user.size === 0) break;
      if (processed >= this.throughput) {
        this.dispatcher.schedule(this);
        return processed;
      }
      const sender = user.peekSecond();
      const message = user.shift();
      processed++;
      this.#processed++;
      let result: unknown;
      try {
        result = invoker.invokeUser(message, sender);
      } catch (error) {
        if (this.#status === CLOSED) return processed;
        invoker.invocationFailed(error, message);
        continue;
      }
      if (this.#status === CLOSED) return processed;
      if (result !== undefined && isThenable(result)) {
        this.#await(result, message);
        return processed;
      }
    }
    this.#status = IDLE;
    return processed;
  }

  #nextSystem(): SystemMessage {
    const system = this.#system!;
    const message = system[this.#systemHead++]!;
    if (this.#systemHead === system.length) {
      this.#system = undefined;
      this.#systemHead = 0;
    }
    return message;
  }

  #await(result: PromiseLike<unknown>, message: unknown): void {
    this.#status = AWAITING;
    this.#awaitedMessage = message;
    this.#onSettled ??= () => this.#continue(false, undefined);
    this.#onRejected ??= (error: unknown) => this.#continue(true, error);
    result.then(this.#onSettled, this.#onRejected);
  }

  #continue(failed: boolean, error: unknown): void {
    if (this.#status === CLOSED) return;
    const message = this.#awaitedMessage;
    this.#awaitedMessage = undefined;
    this.#status = SCHEDULED;
    if (failed) this.invoker.invocationFailed(error, message);
    if (this.#status === CLOSED) return;
    this.dispatcher.schedule(this);
  }
}

// Bounded variant, chosen at spawn so unbounded mailboxes pay no capacity check.
export class BoundedMailbox extends Mailbox {
  constructor(
    invoker: MessageInvoker,
    dispatcher: Dispatcher,
    throughput: number,
    readonly capacity: number,
  ) {
    super(invoker, dispatcher, throughput);
  }

  override post(message: unknown, sender: ActorRef | undefined): void {
    if (this.size >= this.capacity && !this.isClosed) {
      this.invoker.rejected(message, sender, 'full');
      return;
    }
    super.post(message, sender);
  }
}
