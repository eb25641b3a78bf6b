import { POISON_PILL_TYPE } from '../runtime/index.js';
import { ClusterConfigError } from './errors.js';

// A check run on every inbound message of a type: a predicate, or anything with zod's safeParse (zod schemas fit
// without the cluster depending on zod).
export type MessageSchema =
  | ((message: Record<string, unknown>) => boolean)
  | { safeParse(value: unknown): { success: boolean } };

const TYPE = /^[A-Za-z0-9@][A-Za-z0-9_@./:-]{0,127}$/;

// The message types allowed to cross processes. Outbound, an unregistered type never leaves (it is dead-lettered);
// inbound, an unregistered or schema-failing message is logged and dropped.
export class MessageTypes {
  readonly #types = new Map<string, MessageSchema | null>();

  constructor() {
    // stopGracefully(remoteRef) must work like on a local ref.
    this.#types.set(POISON_PILL_TYPE, null);
  }

  register(type: string, schema?: MessageSchema): this {
    if (typeof type !== 'string' || !TYPE.test(type)) throw new ClusterConfigError(`invalid message type ${JSON.stringify(type)}`);
    if (this.#types.has(type) && type !== POISON_PILL_TYPE) throw new ClusterConfigError(`message type ${type} is registered twice`);
    this.#types.set(type, schema ?? null);
    return this;
  }

  registerAll(types: Iterable<string>): this {
    for (const type of types) this.register(type);
    return this;
  }

  has(type: string): boolean {
    return this.#types.has(type);
  }

  get types(): readonly string[] {
    return [...this.#types.keys()];
  }

  // 'ok', or why the message is refused.
  check(message: unknown): 'ok' | 'not-an-object' | 'unregistered' | 'schema' {
    if (message === null || typeof message !== 'object' || Array.isArray(message) || ArrayBuffer.isView(message)) return 'not-an-object';
    const type = (message as { type?: unknown }).type;
    if (typeof type !== 'string') return 'not-an-object';
    const schema = this.#types.get(type);
    if (schema === undefined) return this.#types.has(type) ? 'ok' : 'unregistered';
    if (schema === null) return 'ok';
    try {
      const valid = typeof schema === 'function' ? schema(message as Record<string, unknown>) : schema.safeParse(message).success;
      return valid === true ? 'ok' : 'schema';
    } catch {
      return 'schema';
    }
  }
}
