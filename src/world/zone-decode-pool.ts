// Decodes zones in worker threads (docs/world.md "Zone loader"): requests are spread over a few workers,
// each holding its own copy of the type dump. `inline` mode decodes on the calling thread instead (the
// benchmark's baseline, and small tools).
import { Worker } from 'node:worker_threads';
import type { TypeList } from '../objectproperty/index.js';
import { WorldError } from './errors.js';
import { loadWorldTypes, type TypeDumpSource } from './type-dump-source.js';
import type { ZoneData } from './zone-data.js';
import { ZoneDecoder, type ZoneFileBytes } from './zone-decoder.js';
import { errorFromWire, type DecodeReply, type DecodeRequest } from './zone-decode-protocol.js';

export interface ZoneDecodePoolOptions {
  readonly dump: TypeDumpSource;
  /** Worker threads; 0 decodes on the calling thread. Default 1. */
  readonly workers?: number;
}

interface Pending {
  readonly zone: string;
  readonly resolve: (zone: ZoneData) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

// Built, the worker is a .js file beside this one. Run from sources under tsx (tests, `npm start`), Node 20
// does not apply the parent's module hooks to workers, so the worker registers tsx itself first.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./zone-decode-worker${FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url);

function startWorker(workerData: unknown): Worker {
  if (!FROM_SOURCES) return new Worker(WORKER_URL, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}

export class ZoneDecodePool {
  readonly #dump: TypeDumpSource;
  readonly #slots: Slot[] = [];
  #inline: Promise<ZoneDecoder> | undefined;
  #next = 0;
  #ids = 0;
  #closed = false;

  constructor(options: ZoneDecodePoolOptions) {
    this.#dump = options.dump;
    const workers = options.workers ?? 1;
    for (let i = 0; i < workers; i++) this.#slots.push(this.#spawn());
  }

  /** Decodes a zone's files; rejects with ZoneDecodeError naming zone, file and property. */
  decode(zone: string, files: ZoneFileBytes): Promise<ZoneData> {
    if (this.#closed) return Promise.reject(new WorldError('ERR_WORLD_CLOSED', `zone ${zone}: the decode pool is closed`));
    if (this.#slots.length === 0) return this.#decodeInline(zone, files);
    const slot = this.#slots[this.#next++ % this.#slots.length]!;
    const id = ++this.#ids;
    return new Promise<ZoneData>((resolve, reject) => {
      slot.pending.set(id, { zone, resolve, reject });
      slot.worker.ref(); // keep the process alive while a decode is pending (unref'd when idle)
      const request: DecodeRequest = { id, zone, files: [...files] };
      slot.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    for (const slot of this.#slots) this.#failAll(slot, new WorldError('ERR_WORLD_CLOSED', 'the decode pool closed'));
  }

  async #decodeInline(zone: string, files: ZoneFileBytes): Promise<ZoneData> {
    this.#inline ??= loadWorldTypes(this.#dump).then((types: TypeList) => new ZoneDecoder(types));
    return (await this.#inline).decode(zone, files);
  }

  #spawn(): Slot {
    const worker = startWorker(this.#dump);
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: DecodeReply) => {
      const p = slot.pending.get(reply.id);
      if (p === undefined) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply.zone);
      else p.reject(errorFromWire(p.zone, reply.error));
    });
    worker.on('error', (error) => this.#replace(slot, error));
    worker.on('exit', (code) => {
      if (!this.#closed) this.#replace(slot, new Error(`zone decode worker exited with code ${code}`));
    });
    return slot;
  }

  /** A worker that died fails its requests and is replaced, so one bad zone never stops the others. */
  #replace(slot: Slot, error: Error): void {
    this.#failAll(slot, new WorldError('ERR_WORLD_WORKER', `zone decode worker failed: ${error.message}`, { cause: error }));
    const at = this.#slots.indexOf(slot);
    if (at < 0 || this.#closed) return;
    void slot.worker.terminate();
    this.#slots[at] = this.#spawn();
  }

  #failAll(slot: Slot, error: Error): void {
    for (const [, p] of slot.pending) p.reject(error);
    slot.pending.clear();
  }
}
