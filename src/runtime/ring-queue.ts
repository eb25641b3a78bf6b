const NONE: never[] = [];

// A FIFO over a power-of-two ring with a parallel second slot (the sender), so a message needs no envelope.
// It starts with no storage at all: an idle actor pays nothing until its first message.
export class RingQueue<A, B = undefined> {
  #first: (A | undefined)[] = NONE;
  #second: (B | undefined)[] = NONE;
  #head = 0;
  #size = 0;
  #mask = -1;

  get size(): number {
    return this.#size;
  }

  push(first: A, second: B): void {
    if (this.#size === this.#first.length) this.#grow();
    const at = (this.#head + this.#size) & this.#mask;
    this.#first[at] = first;
    this.#second[at] = second;
    this.#size++;
  }

  unshift(first: A, second: B): void {
    if (this.#size === this.#first.length) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#first[this.#head] = first;
    this.#second[this.#head] = second;
    this.#size++;
  }

  // The second slot of the head; read it before shift().
  peekSecond(): B {
    return this.#second[this.#head] as B;
  }

  shift(): A {
    const at = this.#head;
    const first = this.#first[at] as A;
    this.#first[at] = undefined;
    this.#second[at] = undefined;
    this.#head = (at + 1) & this.#mask;
    if (--this.#size === 0 && this.#first.length > 1024) this.#release();
    return first;
  }

  // Moves every element of `other`, in order, to the front of this queue.
  prependAll(other: RingQueue<A, B>): void {
    const items: A[] = [];
    const seconds: B[] = [];
    while (other.size > 0) {
      seconds.push(other.peekSecond());
      items.push(other.shift());
    }
    for (let i = items.length - 1; i >= 0; i--) this.unshift(items[i] as A, seconds[i] as B);
  }

  drain(each: (first: A, second: B) => void): void {
    while (this.#size > 0) {
      const second = this.peekSecond();
      each(this.shift(), second);
    }
  }

  #grow(): void {
    const old = this.#first.length;
    const capacity = old === 0 ? 8 : old * 2;
    const first = new Array<A | undefined>(capacity);
    const second = new Array<B | undefined>(capacity);
    for (let i = 0; i < this.#size; i++) {
      const from = (this.#head + i) & this.#mask;
      first[i] = this.#first[from];
      second[i] = this.#second[from];
    }
    this.#first = first;
    this.#second = second;
    this.#head = 0;
    this.#mask = capacity - 1;
  }

  // A burst of a million messages should not pin its storage forever.
  #release(): void {
    this.#first = NONE;
    this.#second = NONE;
    this.#head = 0;
    this.#mask = -1;
  }
}
