import type { ActorRef } from './actor-ref.js';
import type { Cell } from './cell.js';

// Live children by name. A stopping child keeps its name until it has terminated, so a new sibling cannot
// take the name of one still running its postStop.
export class Children {
  readonly #byName = new Map<string, Cell<any>>();

  get size(): number {
    return this.#byName.size;
  }

  get(name: string): Cell<any> | undefined {
    return this.#byName.get(name);
  }

  add(cell: Cell<any>): void {
    this.#byName.set(cell.name, cell);
  }

  remove(cell: Cell<any>): boolean {
    if (this.#byName.get(cell.name) !== cell) return false;
    this.#byName.delete(cell.name);
    return true;
  }

  cells(): Cell<any>[] {
    return [...this.#byName.values()];
  }

  refs(): ActorRef[] {
    return this.cells().map((cell) => cell.self);
  }
}
