// Stopping a top-level actor from outside the actor system (a server, from the code that started it) and
// waiting for its end: the one way the parts of a process stop what they spawned.
import type { ActorRef } from './actor-ref.js';
import type { ActorSystem } from './actor-system.js';
import { stopGracefully } from './message.js';

/**
 * Tells `ref` to stop after the messages already in its mailbox (PoisonPill) and resolves once it has stopped, its
 * children first, or after `limitMs`, whichever comes first. Resolves at once when the actor is already gone.
 */
export function stopAndWait(system: ActorSystem, ref: ActorRef, limitMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, limitMs);
    const unsubscribe = system.eventStream.subscribe('lifecycle', (event) => {
      if (event.path === ref.path && event.event === 'stopped') done();
    });
    function done(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
    if (system.lookup(ref.path) === undefined) done();
    else stopGracefully(ref);
  });
}
