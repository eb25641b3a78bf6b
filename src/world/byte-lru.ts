// A least-recently-used cache bounded by the bytes of its values (zone files kept for reloads).

export class ByteLru<K, V> {
  readonly #max: number;
  readonly #sizeOf: (value: V) => number;
  readonly #map = new Map<K, { value: V; size: number }>();
  #bytes = 0;

  constructor(maxBytes: number, sizeOf: (value: V) => number) {
    this.#max = maxBytes;
    this.#sizeOf = sizeOf;
  }

  get bytes(): number { return this.#bytes; }
  get size(): number { return this.#map.size; }

  get(key: K): V | undefined {
    const hit = this.#map.get(key);
    if (hit === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, hit);
    return hit.value;
  }

  /** Stores the value unless it alone exceeds the bound; evicts the least recently used to fit. */
  set(key: K, value: V): void {
    this.delete(key);
    const size = this.#sizeOf(value);
    if (size > this.#max) return;
    this.#map.set(key, { value, size });
    this.#bytes += size;
    for (const [k, v] of this.#map) {
      if (this.#bytes <= this.#max) break;
      this.#map.delete(k);
      this.#bytes -= v.size;
    }
  }

  delete(key: K): void {
    const hit = this.#map.get(key);
    if (hit === undefined) return;
    this.#map.delete(key);
    this.#bytes -= hit.size;
  }
}
