// A uniform grid over a zone's plane (x, y in signed wire units): square cells of one size, each
// holding the items inside it. With the cell as large as the interest range, everything within
// range of a point lies in the 3 x 3 cells around the point's cell.

/** Cell coordinates fit 17 bits (wire coordinates are int16, cells at least one unit wide). */
const CELL_SPAN = 1 << 17;
const CELL_OFFSET = 1 << 16;

export class SpatialGrid<T> {
  readonly #cellSize: number;
  readonly #cells = new Map<number, Set<T>>();

  constructor(cellSize: number) {
    if (!(cellSize >= 1)) throw new RangeError(`grid cell size must be at least 1, got ${cellSize}`);
    this.#cellSize = cellSize;
  }

  /** The key of the cell holding (x, y). */
  cellOf(x: number, y: number): number {
    return (Math.floor(x / this.#cellSize) + CELL_OFFSET) * CELL_SPAN + (Math.floor(y / this.#cellSize) + CELL_OFFSET);
  }

  insert(item: T, x: number, y: number): number {
    const key = this.cellOf(x, y);
    let cell = this.#cells.get(key);
    if (cell === undefined) {
      cell = new Set();
      this.#cells.set(key, cell);
    }
    cell.add(item);
    return key;
  }

  remove(item: T, key: number): void {
    const cell = this.#cells.get(key);
    if (cell === undefined) return;
    cell.delete(item);
    if (cell.size === 0) this.#cells.delete(key);
  }

  /** Moves an item to the cell of (x, y); returns that cell's key. */
  move(item: T, key: number, x: number, y: number): number {
    const next = this.cellOf(x, y);
    if (next === key) return key;
    this.remove(item, key);
    return this.insert(item, x, y);
  }

  /** Calls `visit` for every item in the 3 x 3 cells around (x, y). */
  forEachNear(x: number, y: number, visit: (item: T) => void): void {
    const cx = Math.floor(x / this.#cellSize) + CELL_OFFSET;
    const cy = Math.floor(y / this.#cellSize) + CELL_OFFSET;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const cell = this.#cells.get((cx + dx) * CELL_SPAN + cy + dy);
        if (cell !== undefined) for (const item of cell) visit(item);
      }
    }
  }
}
