const MIN_BUFFER = 1024;

// The outgoing batch for one remote node: frames are appended as they are told and go out as one transport message
// per microtask, or earlier once the batch reaches maxBytes. One link per node keeps every sender's order.
export class OutboundLink {
  #buffer: Buffer | undefined = undefined;
  #length = 0;
  #frames = 0;
  #scheduled = false;
  #lastSize = MIN_BUFFER;

  constructor(
    readonly node: string,
    readonly subject: string,
    private readonly header: Uint8Array,
    private readonly maxBytes: number,
    private readonly publish: (link: OutboundLink, data: Uint8Array, frames: number) => void,
  ) {}

  get pendingFrames(): number {
    return this.#frames;
  }

  // Whether one frame of this size fits in a batch at all.
  fits(bytes: number): boolean {
    return this.header.byteLength + bytes <= this.maxBytes;
  }

  append(frame: Uint8Array): void {
    if (this.#frames > 0 && this.#length + frame.byteLength > this.maxBytes) this.flush();
    let buffer = this.#buffer;
    if (buffer === undefined) {
      buffer = Buffer.allocUnsafe(Math.min(this.maxBytes, Math.max(this.#lastSize, this.header.byteLength + frame.byteLength)));
      buffer.set(this.header, 0);
      this.#length = this.header.byteLength;
      this.#buffer = buffer;
    }
    const needed = this.#length + frame.byteLength;
    if (needed > buffer.byteLength) {
      const grown = Buffer.allocUnsafe(Math.min(this.maxBytes, Math.max(needed, buffer.byteLength * 2)));
      buffer.copy(grown, 0, 0, this.#length);
      buffer = grown;
      this.#buffer = grown;
    }
    buffer.set(frame, this.#length);
    this.#length = needed;
    this.#frames++;
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flushTask);
    }
  }

  flush(): void {
    const buffer = this.#buffer;
    if (buffer === undefined || this.#frames === 0) return;
    const data = buffer.subarray(0, this.#length);
    const frames = this.#frames;
    // The next batch starts at about this one's size, so a steady stream does not regrow its buffer every time.
    this.#lastSize = Math.max(MIN_BUFFER, this.#length + (this.#length >> 2));
    this.#buffer = undefined;
    this.#length = 0;
    this.#frames = 0;
    this.publish(this, data, frames);
  }

  readonly #flushTask = (): void => {
    this.#scheduled = false;
    this.flush();
  };
}
