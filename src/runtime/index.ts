export type { ActorContext, PipeResult, ReceiveTimeoutOptions, TimerScheduler } from './actor-context.js';
export type { ActorRef, LocalSystemMessage, SystemMessage, TransportSystemMessage } from './actor-ref.js';
export { ActorSystem, type ActorSystemOptions, type RefProvider } from './actor-system.js';
export { Actor } from './actor.js';
export type { ActorSnapshot } from './cell.js';
export type { DeadLetterLogOptions } from './dead-letter-log.js';
export {
  ActorInitializationError,
  ActorKilledError,
  ActorNameTakenError,
  ActorNotRunningError,
  AskTimeoutError,
  DeadLetterError,
  DeathPactError,
  InvalidActorNameError,
  InvalidTimeoutError,
  MailboxOverflowError,
  NoCurrentMessageError,
  NotAChildError,
  ProbeTimeoutError,
  RuntimeError,
  StashedTwiceError,
  StashOverflowError,
  UnexpectedMessageError,
} from './errors.js';
export type { DeadLetterEvent, EventKind, EventMap, EventStream, FailureEvent, LifecycleEvent, UnhandledEvent } from './event-stream.js';
export { createJsonLogger, LogLevel, silentLogger, type JsonLoggerOptions, type Logger, type LogLevelName } from './logger.js';
export { Kill, KILL_TYPE, PoisonPill, POISON_PILL_TYPE, stopGracefully, type ControlMessage, type Handlers, type Message } from './message.js';
export { props, type MailboxOptions, type Props, type PropsOptions } from './props.js';
export { RealScheduler, type Scheduler } from './scheduler.js';
export type { Cancellable } from './timer-heap.js';
export {
  allForOne,
  decideByType,
  defaultDecider,
  defaultStrategy,
  Directive,
  oneForOne,
  restartAlways,
  type Decider,
  type StrategyOptions,
  type SupervisorStrategy,
} from './supervision.js';
