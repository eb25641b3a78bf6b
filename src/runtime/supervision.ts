import { ActorInitializationError, ActorKilledError, DeathPactError } from './errors.js';

export const Directive = { resume: 'resume', restart: 'restart', stop: 'stop', escalate: 'escalate' } as const;
export type Directive = (typeof Directive)[keyof typeof Directive];

export type Decider = (error: unknown) => Directive;

export interface SupervisorStrategy {
  // one-for-one applies the directive to the failing child; all-for-one to every child.
  readonly scope: 'one-for-one' | 'all-for-one';
  // Restarts allowed within `withinMs` before the child is stopped instead.
  readonly maxRetries: number;
  readonly withinMs: number;
  readonly decide: Decider;
}

export interface StrategyOptions {
  readonly maxRetries?: number;
  readonly withinMs?: number;
  readonly decide?: Decider;
}

export const restartAlways: Decider = () => Directive.restart;

// Akka's default decider: an actor that could not be created, was killed or broke a death pact is stopped;
// any other error restarts it.
export const defaultDecider: Decider = (error) =>
  error instanceof ActorInitializationError || error instanceof ActorKilledError || error instanceof DeathPactError ? Directive.stop : Directive.restart;

export function oneForOne(options: StrategyOptions = {}): SupervisorStrategy {
  return strategy('one-for-one', options);
}

export function allForOne(options: StrategyOptions = {}): SupervisorStrategy {
  return strategy('all-for-one', options);
}

export const defaultStrategy: SupervisorStrategy = oneForOne();

type ErrorClass = abstract new (...args: any[]) => unknown;

// A decider by error type: the first rule whose class matches wins (so list subclasses first).
export function decideByType(rules: ReadonlyArray<readonly [ErrorClass, Directive]>, otherwise: Directive = Directive.escalate): Decider {
  return (error) => {
    for (const [type, directive] of rules) if (error instanceof type) return directive;
    return otherwise;
  };
}

function strategy(scope: SupervisorStrategy['scope'], options: StrategyOptions): SupervisorStrategy {
  const maxRetries = options.maxRetries ?? 10;
  const withinMs = options.withinMs ?? 60_000;
  if (!(maxRetries >= 0) || !(withinMs > 0)) throw new RangeError(`invalid retry budget: ${maxRetries} restarts within ${withinMs} ms`);
  return Object.freeze({ scope, maxRetries, withinMs, decide: options.decide ?? defaultDecider });
}

// Restart count of one child inside the current window; kept on the child, created on its first failure.
export class RestartStatistics {
  #count = 0;
  #windowStart = 0;

  // True when another restart fits the budget; counts it.
  allow(strategy: SupervisorStrategy, now: number): boolean {
    if (this.#count === 0 || now - this.#windowStart > strategy.withinMs) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count++;
    return this.#count <= strategy.maxRetries;
  }
}
