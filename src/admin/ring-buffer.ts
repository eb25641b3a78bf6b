// The last `capacity` items of an unbounded stream, with the count of everything ever pushed.
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#total++;
  }

  /** Items pushed since creation, including those overwritten. */
  get total(): number {
    return this.#total;
  }

  /** Newest first. */
  newestFirst(): T[] {
    const count = Math.min(this.#total, this.capacity);
    const out: T[] = [];
    for (let i = 1; i <= count; i++) out.push(this.#items[(this.#next - i + this.capacity) % this.capacity] as T);
    return out;
  }
}
