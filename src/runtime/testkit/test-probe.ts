import type { ActorRef, SystemMessage } from '../actor-ref.js';
import type { ActorSystem } from '../actor-system.js';
import { ProbeTimeoutError, UnexpectedMessageError } from '../errors.js';
import { settle, VirtualScheduler } from './virtual-scheduler.js';

let probeIds = 0;

interface Received {
  readonly message: unknown;
  readonly sender: ActorRef | undefined;
}

// A ref that records what it receives, for tests. On a VirtualScheduler every wait advances virtual time
// (stopping as soon as the expectation is met); on the real scheduler it waits in real time.
export class TestProbe<M = any> {
  readonly ref: ActorRef<M>;
  readonly #queue: Received[] = [];
  readonly #terminated: ActorRef[] = [];
  #lastSender: ActorRef | undefined = undefined;
  #wake: (() => void) | undefined = undefined;

  constructor(readonly system: ActorSystem, name = `probe-${++probeIds}`) {
    const path = `${system.address}/temp/${name}`;
    this.ref = {
      path,
      tell: (message: M, sender?: ActorRef) => {
        this.#queue.push({ message, sender });
        this.#wake?.();
      },
      ask: (build, timeoutMs) => (system.deadLetters as ActorRef).ask((replyTo) => build(replyTo as ActorRef<any>), timeoutMs),
      sendSystem: (message: SystemMessage) => {
        if (message.type !== 'terminated') return;
        this.#terminated.push(message.ref);
        this.#wake?.();
      },
    };
  }

  get path(): string {
    return this.ref.path;
  }

  // The sender of the message returned last by expectMessage/fishForMessage.
  get lastSender(): ActorRef | undefined {
    return this.#lastSender;
  }

  get received(): number {
    return this.#queue.length;
  }

  reply(message: unknown): void {
    if (this.#lastSender === undefined) throw new TypeError(`${this.path}: no sender to reply to`);
    this.#lastSender.tell(message, this.ref);
  }

  watch(ref: ActorRef): void {
    ref.sendSystem({ type: 'watch', watcher: this.ref });
  }

  unwatch(ref: ActorRef): void {
    ref.sendSystem({ type: 'unwatch', watcher: this.ref });
  }

  async expectMessage<T extends M = M>(timeoutMs = 3000): Promise<T> {
    await this.#waitFor(() => this.#queue.length > 0, timeoutMs, 'expected a message');
    return this.#take() as T;
  }

  async expectNoMessage(ms: number): Promise<void> {
    await this.#waitFor(() => this.#queue.length > 0, ms, '', true);
    if (this.#queue.length > 0) throw new UnexpectedMessageError(this.path, this.#queue[0]!.message);
  }

  // Skips messages until one satisfies `predicate`, and returns it.
  async fishForMessage<T extends M = M>(predicate: (message: M) => boolean, timeoutMs = 3000): Promise<T> {
    const found = (): boolean => {
      while (this.#queue.length > 0) {
        if (predicate(this.#queue[0]!.message as M)) return true;
        this.#queue.shift();
      }
      return false;
    };
    await this.#waitFor(found, timeoutMs, 'no message matched');
    return this.#take() as T;
  }

  // Watches `ref` if not already watched, and waits for its Terminated.
  async expectTerminated(ref: ActorRef, timeoutMs = 3000): Promise<void> {
    this.watch(ref);
    const seen = (): boolean => this.#terminated.some((r) => r.path === ref.path);
    await this.#waitFor(seen, timeoutMs, `expected Terminated of ${ref.path}`);
    this.#terminated.splice(this.#terminated.findIndex((r) => r.path === ref.path), 1);
  }

  #take(): unknown {
    const received = this.#queue.shift()!;
    this.#lastSender = received.sender;
    return received.message;
  }

  async #waitFor(done: () => boolean, timeoutMs: number, what: string, quietIsOk = false): Promise<void> {
    await settle();
    if (done()) return;
    const scheduler = this.system.scheduler;
    if (scheduler instanceof VirtualScheduler) {
      await scheduler.advance(timeoutMs, done);
    } else {
      await new Promise<void>((resolve) => {
        const timer = scheduler.schedule(timeoutMs, () => {
          this.#wake = undefined;
          resolve();
        });
        this.#wake = () => {
          if (!done()) return;
          this.#wake = undefined;
          timer.cancel();
          resolve();
        };
      });
    }
    if (!done() && !quietIsOk) throw new ProbeTimeoutError(this.path, what, timeoutMs);
  }
}
