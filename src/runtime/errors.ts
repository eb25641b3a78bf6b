// Every error the runtime raises: one class per failure, each with a stable `code` (never reused) and a `cause`.

export abstract class RuntimeError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class AskTimeoutError extends RuntimeError {
  readonly code = 'ERR_ASK_TIMEOUT';
  constructor(readonly targetPath: string, readonly elapsedMs: number) {
    super(`ask to ${targetPath} got no reply within ${elapsedMs} ms`);
  }
}

export class DeadLetterError extends RuntimeError {
  readonly code = 'ERR_ASK_DEAD_LETTER';
  constructor(readonly targetPath: string) {
    super(`ask to ${targetPath} went to dead letters: the target is not alive`);
  }
}

export class InvalidTimeoutError extends RuntimeError {
  readonly code = 'ERR_INVALID_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`a timeout must be a finite number of milliseconds above 0, got ${timeoutMs}`);
  }
}

export class InvalidActorNameError extends RuntimeError {
  readonly code = 'ERR_ACTOR_NAME_INVALID';
  constructor(readonly actorName: string) {
    super(`invalid actor name ${JSON.stringify(actorName)}: it must be non-empty, without '/', and not start with '$'`);
  }
}

export class ActorNameTakenError extends RuntimeError {
  readonly code = 'ERR_ACTOR_NAME_TAKEN';
  constructor(readonly path: string) {
    super(`an actor named ${path} is already alive`);
  }
}

export class ActorNotRunningError extends RuntimeError {
  readonly code = 'ERR_ACTOR_NOT_RUNNING';
  constructor(readonly path: string, operation: string) {
    super(`${operation} refused: ${path} is stopping or stopped`);
  }
}

export class NotAChildError extends RuntimeError {
  readonly code = 'ERR_NOT_A_CHILD';
  constructor(readonly path: string, readonly parentPath: string) {
    super(`${path} is not a child of ${parentPath}: an actor may stop only itself or its children`);
  }
}

export class MailboxOverflowError extends RuntimeError {
  readonly code = 'ERR_MAILBOX_OVERFLOW';
  constructor(readonly path: string, readonly capacity: number) {
    super(`mailbox of ${path} is full (capacity ${capacity})`);
  }
}

export class StashOverflowError extends RuntimeError {
  readonly code = 'ERR_STASH_OVERFLOW';
  constructor(readonly path: string, readonly capacity: number) {
    super(`stash of ${path} is full (capacity ${capacity})`);
  }
}

export class NoCurrentMessageError extends RuntimeError {
  readonly code = 'ERR_NO_CURRENT_MESSAGE';
  constructor(readonly path: string) {
    super(`stash() called by ${path} outside of a message handler`);
  }
}

export class ActorInitializationError extends RuntimeError {
  readonly code = 'ERR_ACTOR_INIT';
  constructor(readonly path: string, cause: unknown) {
    super(`creating the actor instance of ${path} failed`, { cause });
  }
}

export class StashedTwiceError extends RuntimeError {
  readonly code = 'ERR_STASHED_TWICE';
  constructor(readonly path: string) {
    super(`${path} stashed the same message twice`);
  }
}

export class ActorKilledError extends RuntimeError {
  readonly code = 'ERR_ACTOR_KILLED';
  constructor(readonly path: string) {
    super(`${path} was killed (it received Kill)`);
  }
}

export class DeathPactError extends RuntimeError {
  readonly code = 'ERR_DEATH_PACT';
  constructor(readonly path: string, readonly terminatedPath: string) {
    super(`${path} watched ${terminatedPath}, which terminated, and did not handle it (override onTerminated or watch with a message)`);
  }
}

export class ProbeTimeoutError extends RuntimeError {
  readonly code = 'ERR_PROBE_TIMEOUT';
  constructor(readonly probePath: string, what: string, readonly timeoutMs: number) {
    super(`${probePath}: ${what} within ${timeoutMs} ms`);
  }
}

export class UnexpectedMessageError extends RuntimeError {
  readonly code = 'ERR_PROBE_UNEXPECTED_MESSAGE';
  constructor(readonly probePath: string, readonly received: unknown) {
    super(`${probePath}: expected no message, received ${describe(received)}`);
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}
