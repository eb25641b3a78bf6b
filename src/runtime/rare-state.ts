import type { ActorRef } from './actor-ref.js';
import type { Children } from './children.js';
import type { DeathWatch } from './death-watch.js';
import type { HandlerTable } from './handler-table.js';
import type { Logger } from './logger.js';
import type { Message } from './message.js';
import type { RingQueue } from './ring-queue.js';
import type { RestartStatistics } from './supervision.js';
import type { Timers } from './timers.js';

// State of a cell that most actors never use, behind one pointer so an idle actor stays small.
export class RareState<M extends Message> {
  children: Children | undefined = undefined;
  deathWatch: DeathWatch | undefined = undefined;
  behaviors: HandlerTable[] | undefined = undefined;
  stash: RingQueue<unknown, ActorRef | undefined> | undefined = undefined;
  timers: Timers<M> | undefined = undefined;
  log: Logger | undefined = undefined;
  restartStats: RestartStatistics | undefined = undefined;
  // Failed and not yet resumed or restarted: a second failure meanwhile is only logged.
  failed = false;
  restartCause: unknown = undefined;
  // The restart follows a failed creation: the fresh instance gets preStart, not postRestart.
  freshStart = false;
  // preRestart has run; the restart finishes when the last child asked to stop has terminated.
  awaitingChildren = false;
  // Terminated notifications held back while the actor restarts or is suspended.
  deferred: ActorRef[] | undefined = undefined;
}
