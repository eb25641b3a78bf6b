import type { ActorRef } from './actor-ref.js';
import type { Cell } from './cell.js';

// Live children by name. A stopping child keeps its name until it has terminated, so a new sibling cannot
// take the name of one still running its postStop. Children asked to stop are remembered, so a restart waits
// for them and keeps the others (see docs/runtime.md, Lifecycle).
export class Children {
  readonly #byName = new Map<string, Cell<any>>();
  #stopping: Set<Cell<any>> | undefined = undefined;

  get size(): number {
    return this.#byName.size;
  }

  // Children asked to stop that have not terminated yet.
  get stoppingCount(): number {
    return this.#stopping?.size ?? 0;
  }

  get(name: string): Cell<any> | undefined {
    return this.#byName.get(name);
  }

  add(cell: Cell<any>): void {
    this.#byName.set(cell.name, cell);
  }

  markStopping(cell: Cell<any>): void {
    if (this.#byName.get(cell.name) === cell) (this.#stopping ??= new Set()).add(cell);
  }

  isStopping(cell: Cell<any>): boolean {
    return this.#stopping?.has(cell) ?? false;
  }

  remove(cell: Cell<any>): boolean {
    if (this.#byName.get(cell.name) !== cell) return false;
    this.#byName.delete(cell.name);
    this.#stopping?.delete(cell);
    return true;
  }

  cells(): Cell<any>[] {
    return [...this.#byName.values()];
  }

  refs(): ActorRef[] {
    return this.cells().map((cell) => cell.self);
  }
}
