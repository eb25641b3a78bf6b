// A server's service list resolved against its message definitions: the routing tables every
// session of the server shares, computed once (from the first instance of each service).
import type { Logger, PropsOptions } from '../runtime/index.js';
import type { MessageRegistry } from '../protocol/index.js';
import { NetConfigError } from './errors.js';
import { ServiceTable, type ServiceFactory } from './message-service.js';

/** Where one kind of message goes. */
export interface ServiceRoutes {
  /** By record index: pairs (service position in the list, handler slot), flattened. */
  readonly client: readonly (readonly number[] | undefined)[];
  /** By internal message type: service positions. */
  readonly types: ReadonlyMap<string, readonly number[]>;
}

const DEFAULT_SERVICE_MAILBOX = 1000;
const RESERVED_NAMES = new Set(['socket-listener', 'socket-sender']);

export class ServiceCatalog {
  readonly specs: ServiceFactory;
  readonly registry: MessageRegistry;
  readonly tables: readonly ServiceTable[];
  /** Spawn options per service (its bounded mailbox), shared by every session. */
  readonly propsOptions: readonly PropsOptions[];
  readonly #log: Logger;
  #routes: ServiceRoutes | undefined = undefined;

  constructor(specs: ServiceFactory, registry: MessageRegistry, log: Logger) {
    const names = new Set<string>();
    for (const spec of specs) {
      if (typeof spec.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(spec.name)) {
        throw new NetConfigError(`service name ${JSON.stringify(spec.name)} must be kebab-case (a-z, 0-9, -)`);
      }
      if (names.has(spec.name) || RESERVED_NAMES.has(spec.name)) throw new NetConfigError(`service name ${spec.name} is used twice or reserved`);
      names.add(spec.name);
    }
    this.specs = specs;
    this.registry = registry;
    this.tables = specs.map(() => new ServiceTable());
    this.propsOptions = specs.map((spec) => Object.freeze({ mailbox: Object.freeze({ capacity: spec.mailboxCapacity ?? DEFAULT_SERVICE_MAILBOX, overflow: 'fail' as const }) }));
    this.#log = log;
  }

  /**
   * The routes. Once every service has been built once they are computed and kept; before that
   * (or while a service cannot even be constructed) they cover the services known so far.
   */
  routes(): ServiceRoutes {
    if (this.#routes !== undefined) return this.#routes;
    const client: (number[] | undefined)[] = new Array(this.registry.records.length).fill(undefined);
    const types = new Map<string, number[]>();
    let complete = true;
    this.tables.forEach((table, position) => {
      if (table.state !== 'complete') {
        complete = false;
        return;
      }
      table.kinds.forEach((kind, slot) => {
        const record = this.registry.byName(kind.protocol, kind.name);
        if (record === undefined) {
          this.#log.warn({ service: this.specs[position]!.name, kind: `${kind.protocol}.${kind.name}` }, 'a service handles a message the loaded definitions lack; it will never receive it');
          return;
        }
        (client[record.index] ??= []).push(position, slot);
      });
      for (const type of table.types) {
        let list = types.get(type);
        if (list === undefined) types.set(type, (list = []));
        list.push(position);
      }
    });
    const routes: ServiceRoutes = { client, types };
    if (complete) this.#routes = routes;
    return routes;
  }
}
