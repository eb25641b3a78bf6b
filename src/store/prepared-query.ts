// Kysely builds and compiles a query tree on every call: a few microseconds, as much as running
// the small indexed statements of the hot paths (a login makes nine). A PreparedQuery builds its
// query once, with placeholders where the values go, keeps the compiled SQL, and binds the
// values at each run. The query is still written once, in Kysely, for both back ends; each
// repository (one per store, so one per back end) owns its prepared queries.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

class Placeholder {
  constructor(readonly index: number) {}
}

/**
 * Stands for the `index`-th value given to `execute`. Typed as the column's value so the
 * builder accepts it; Kysely passes it through as a bound parameter, never into the SQL text.
 */
export function slot<T>(index: number): T {
  return new Placeholder(index) as unknown as T;
}

export class PreparedQuery<R> {
  readonly #build: (db: Kysely<Database>) => Compilable<R>;
  #compiled: CompiledQuery<R> | undefined = undefined;
  /** Per bound parameter: the slot index it takes its value from, or -1 for a constant. */
  #slots: readonly number[] = [];

  constructor(build: (db: Kysely<Database>) => Compilable<R>) {
    this.#build = build;
  }

  /** Runs on `db` (the store's instance or a transaction's); `values` fill the slots in order. */
  execute(db: Kysely<Database>, values: readonly unknown[]): Promise<QueryResult<R>> {
    const compiled = this.#compiled ?? this.#compile(db, values.length);
    const slots = this.#slots;
    const parameters = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slotIndex = slots[i]!;
      parameters[i] = slotIndex < 0 ? compiled.parameters[i] : values[slotIndex];
    }
    return db.executeQuery<R>({ query: compiled.query, queryId: compiled.queryId, sql: compiled.sql, parameters });
  }

  async first(db: Kysely<Database>, values: readonly unknown[]): Promise<R | undefined> {
    return (await this.execute(db, values)).rows[0];
  }

  async all(db: Kysely<Database>, values: readonly unknown[]): Promise<R[]> {
    return (await this.execute(db, values)).rows;
  }

  #compile(db: Kysely<Database>, count: number): CompiledQuery<R> {
    const compiled = this.#build(db).compile();
    const slots = compiled.parameters.map((p) => (p instanceof Placeholder ? p.index : -1));
    // A query may leave some values unused (one variant of a shape-dependent query), never need more.
    if (slots.some((s) => s >= count)) throw new Error(`prepared query uses more slots than the ${count} values given: ${compiled.sql}`);
    this.#slots = slots;
    this.#compiled = compiled;
    return compiled;
  }
}
