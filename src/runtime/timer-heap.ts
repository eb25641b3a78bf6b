export interface Cancellable {
  cancel(): void;
}

// One scheduled callback; it is its own cancel handle so scheduling allocates a single object.
export class TimerEntry implements Cancellable {
  cancelled = false;
  constructor(readonly at: number, readonly seq: number, readonly fn: () => void, readonly heap: TimerHeap) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.heap.cancelled(this);
  }
}

// A binary min-heap ordered by (time, insertion). Cancelled entries are dropped lazily and compacted away
// once they outnumber the live ones, so cancelling (every answered ask) is O(1).
export class TimerHeap {
  #items: TimerEntry[] = [];
  #seq = 0;
  #live = 0;
  #dead = 0;

  constructor(private readonly onEmpty: () => void = () => {}) {}

  get live(): number {
    return this.#live;
  }

  push(at: number, fn: () => void): TimerEntry {
    const entry = new TimerEntry(at, this.#seq++, fn, this);
    const items = this.#items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = entry;
    this.#live++;
    return entry;
  }

  // The earliest live entry, without removing it.
  peek(): TimerEntry | undefined {
    const items = this.#items;
    while (items.length > 0 && items[0]!.cancelled) {
      this.#removeTop();
      this.#dead--;
    }
    return items[0];
  }

  // Removes and returns the earliest live entry; it counts as fired (cancel() on it becomes a no-op).
  pop(): TimerEntry | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    this.#removeTop();
    top.cancelled = true;
    this.#live--;
    return top;
  }

  cancelled(_entry: TimerEntry): void {
    this.#live--;
    this.#dead++;
    if (this.#live === 0) {
      this.#items = [];
      this.#dead = 0;
      this.onEmpty();
    } else if (this.#dead > 256 && this.#dead > this.#live) {
      this.#compact();
    }
  }

  #removeTop(): void {
    const items = this.#items;
    const last = items.pop()!;
    if (items.length === 0) return;
    let i = 0;
    const n = items.length;
    while (true) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
  }

  #compact(): void {
    const live = this.#items.filter((e) => !e.cancelled);
    live.sort((a, b) => (a.at - b.at) || (a.seq - b.seq));
    this.#items = live;
    this.#dead = 0;
  }
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
