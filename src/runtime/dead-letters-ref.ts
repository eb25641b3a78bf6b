import type { ActorRef, SystemMessage } from './actor-ref.js';
import type { SystemRuntime } from './system-runtime.js';

// The ref of the dead-letter office: whatever is told to it is counted and published, never silently lost.
export class DeadLettersRef implements ActorRef<unknown> {
  readonly path: string;

  constructor(private readonly runtime: SystemRuntime) {
    this.path = `${runtime.address}/deadLetters`;
  }

  tell(message: unknown, sender?: ActorRef): void {
    this.runtime.deadLetter(message, sender, this.path, 'no-actor');
  }

  ask<R>(build: (replyTo: ActorRef<R>) => unknown, timeoutMs: number): Promise<R> {
    return this.runtime.ask(this, build, timeoutMs);
  }

  sendSystem(message: SystemMessage): void {
    if (message.type === 'watch') message.watcher.sendSystem({ type: 'terminated', ref: this });
  }
}
