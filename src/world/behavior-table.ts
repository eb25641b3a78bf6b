// Template behaviors -> client behavior classes (docs/world.md "The client object"). The key is the
// string-id hash of a behavior template's `m_behaviorName`; the table is built from the dump's class
// names (a client behavior class named like the behavior, with or without a `Client` prefix) plus the
// hand-checked rules below, which are data so they can change without touching the builder.
import type { TypeList } from '../objectproperty/index.js';
import { stringId } from '../protocol/index.js';
import { isA } from './op-values.js';

export interface BehaviorRules {
  /** behavior name -> client class, where the naming rule does not hold. */
  readonly exceptions: Readonly<Record<string, string>>;
  /** Behaviors never sent (they made the client fail, or the client does not want them). */
  readonly notSent: readonly string[];
  /** behavior name -> behaviors that must accompany it (added when the template lacks them). */
  readonly requires: Readonly<Record<string, readonly string[]>>;
}

/** Known constraints of one working server (unverified elsewhere: docs/world.md). */
export const DEFAULT_BEHAVIOR_RULES: BehaviorRules = Object.freeze({
  exceptions: Object.freeze({}),
  notSent: Object.freeze(['PathMovementBehavior', 'GamebryoClientLeashBehavior', 'ClientInfractionBehavior']),
  requires: Object.freeze({ NPCBehavior: Object.freeze(['ObjectStateBehavior']) }),
});

export class BehaviorTable {
  readonly rules: BehaviorRules;
  readonly #byHash: ReadonlyMap<number, string>;
  readonly #notSent: ReadonlySet<number>;

  constructor(types: TypeList, rules: BehaviorRules = DEFAULT_BEHAVIOR_RULES) {
    this.rules = rules;
    const byHash = new Map<number, string>();
    const named = types.classes.filter((c) => isA(types, c.name, 'class BehaviorInstance') && c.name !== 'class BehaviorInstance');
    // Exact names first, then `Client`-prefixed ones for names not taken.
    for (const c of named) byHash.set(stringId(bare(c.name)), c.name);
    for (const c of named) {
      const name = bare(c.name);
      if (name.startsWith('Client')) {
        const key = stringId(name.slice('Client'.length));
        if (!byHash.has(key)) byHash.set(key, c.name);
      }
    }
    for (const [behavior, cls] of Object.entries(rules.exceptions)) byHash.set(stringId(behavior), cls);
    this.#byHash = byHash;
    this.#notSent = new Set(rules.notSent.map((n) => stringId(n)));
  }

  /** The client class for a behavior name hash; undefined when unmapped. */
  classOf(nameHash: number): string | undefined {
    return this.#byHash.get(nameHash);
  }

  isSent(nameHash: number): boolean {
    return !this.#notSent.has(nameHash);
  }
}

/** "class Foo" -> "Foo". */
export function bare(className: string): string {
  return className.replace(/^(class|struct) /, '');
}
