// A KiNP client over node:net, for tests, bots and load tools. It speaks only the wire protocol
// (wire-protocol.md sections 1-3), so it works against any KiNP server, not only ours.
import { createConnection, type Socket } from 'node:net';
import {
  ControlOpcode,
  FrameReader,
  MessageRegistry,
  decodeDml,
  decodeSessionOffer,
  encodeClientKeepAlive,
  encodeDmlFrame,
  encodeKeepAliveRsp,
  encodeSessionAccept,
  type EncodableData,
  type MessageKind,
  type RecordDef,
  type SessionOffer,
} from '../protocol/index.js';
import { ClientClosedError, ClientConnectError, ClientTimeoutError } from './errors.js';

export interface KiClientOptions {
  readonly port: number;
  readonly host?: string;
  /** Message definitions; default: the shipped ones. Pass the server's when they differ. */
  readonly registry?: MessageRegistry;
  /**
   * 'auto' (default): answer the SessionOffer with a SessionAccept echoing its sid/secs/millis.
   * 'manual': connect() resolves on the offer and the caller calls accept() (or never does).
   */
  readonly handshake?: 'auto' | 'manual';
  /** How often the client sends its own KeepAlive; 0 disables. Default 10,000 ms. */
  readonly keepAliveMs?: number;
  /** Limit for the TCP connect plus the SessionOffer. Default 10,000 ms. */
  readonly connectTimeoutMs?: number;
  /** Messages of one kind (or control opcode) kept while nobody awaits them. Default 1,024. */
  readonly queueCap?: number;
  /** Largest frame body accepted from the server. Default 1 MiB. */
  readonly maxBodyLength?: number;
}

export interface ClientCloseInfo {
  /** 'local' (close() was called), 'remote' (the server closed), or 'error' (socket or protocol error). */
  readonly reason: 'local' | 'remote' | 'error';
  readonly error?: Error;
}

export interface ClientStats {
  messagesIn: number;
  messagesOut: number;
  controlIn: number;
  /** Messages thrown away because their kind's queue was full. */
  dropped: number;
  /** DML messages the client could not decode (unknown kind, truncated...). */
  decodeErrors: number;
  /** Data frames holding more than one DML message: a server should send none (real clients read only the first). */
  crowdedFrames: number;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  what: string;
}

/** A FIFO of values with FIFO waiters; at most one side is non-empty at a time. */
class Mailslot {
  values: unknown[] = [];
  head = 0;
  waiters: Waiter[] = [];
  get size(): number {
    return this.values.length - this.head;
  }
  take(): unknown {
    const value = this.values[this.head];
    this.values[this.head++] = undefined;
    if (this.head === this.values.length) {
      this.values = [];
      this.head = 0;
    }
    return value;
  }
}

const DEFAULT_KEEP_ALIVE_MS = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_QUEUE_CAP = 1024;
const DEFAULT_MAX_BODY = 1 << 20;

export class KiClient {
  /** The server's SessionOffer: its (sid, secs, millis) salt the login crypto. */
  readonly offer: SessionOffer;
  readonly registry: MessageRegistry;
  /** Resolves once, when the connection is gone; never rejects. */
  readonly closed: Promise<ClientCloseInfo>;
  readonly stats: ClientStats = { messagesIn: 0, messagesOut: 0, controlIn: 0, dropped: 0, decodeErrors: 0, crowdedFrames: 0 };

  readonly #socket: Socket;
  readonly #reader: FrameReader;
  readonly #queueCap: number;
  readonly #dml = new Map<number, Mailslot>();
  readonly #control = new Map<number, Mailslot>();
  readonly #startedAt = Date.now();
  #keepAlive: NodeJS.Timeout | undefined = undefined;
  #closeInfo: ClientCloseInfo | undefined = undefined;
  #resolveClosed!: (info: ClientCloseInfo) => void;
  #accepted = false;
  #closing = false;

  private constructor(socket: Socket, reader: FrameReader, offer: SessionOffer, registry: MessageRegistry, options: KiClientOptions) {
    this.#socket = socket;
    this.#reader = reader;
    this.offer = offer;
    this.registry = registry;
    this.#queueCap = options.queueCap ?? DEFAULT_QUEUE_CAP;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => this.#finish({ reason: 'error', error }));
    socket.on('close', () => this.#finish({ reason: this.#closing ? 'local' : 'remote' }));
    const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    if (keepAliveMs > 0) {
      this.#keepAlive = setInterval(() => this.sendKeepAlive(), keepAliveMs);
      this.#keepAlive.unref();
    }
  }

  /** Connects, reads the SessionOffer and (unless handshake is 'manual') sends the SessionAccept. */
  static connect(options: KiClientOptions): Promise<KiClient> {
    const registry = options.registry ?? MessageRegistry.defaults();
    const host = options.host ?? '127.0.0.1';
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise<KiClient>((resolve, reject) => {
      const socket = createConnection({ host, port: options.port, noDelay: true });
      const reader = new FrameReader({ maxBodyLength: options.maxBodyLength ?? DEFAULT_MAX_BODY });
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(new ClientConnectError(`no SessionOffer from ${host}:${options.port} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('error', (error) => fail(new ClientConnectError(`cannot connect to ${host}:${options.port}: ${error.message}`, { cause: error })));
      socket.once('close', () => fail(new ClientConnectError(`${host}:${options.port} closed the connection before its SessionOffer`)));
      const onData = (chunk: Buffer): void => {
        let frames;
        try {
          frames = reader.push(chunk);
        } catch (error) {
          fail(new ClientConnectError(`bad frame from ${host}:${options.port} before the SessionOffer`, { cause: error }));
          return;
        }
        if (frames.length === 0) return;
        const first = frames[0]!;
        if (!first.isControl || first.opcode !== ControlOpcode.SessionOffer) {
          fail(new ClientConnectError(`first frame from ${host}:${options.port} is not a SessionOffer (control ${first.isControl}, opcode ${first.opcode})`));
          return;
        }
        let offer: SessionOffer;
        try {
          offer = decodeSessionOffer(first.payload);
        } catch (error) {
          fail(new ClientConnectError(`malformed SessionOffer from ${host}:${options.port}`, { cause: error }));
          return;
        }
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners();
        // Frames after the offer in the same chunk were decoded already: hand them to the client.
        const client = new KiClient(socket, reader, { ...offer, crypto: Buffer.from(offer.crypto) }, registry, options);
        for (let i = 1; i < frames.length; i++) client.#onFrame(frames[i]!.isControl, frames[i]!.opcode, frames[i]!.payload);
        if ((options.handshake ?? 'auto') === 'auto') client.accept();
        resolve(client);
      };
      socket.on('data', onData);
    });
  }

  /** True once the connection is gone. */
  get isClosed(): boolean {
    return this.#closeInfo !== undefined;
  }

  /** Sends the SessionAccept: by default an echo of the offer; tests may pass other values. */
  accept(values: { sid?: number; secs?: number; millis?: number } = {}): void {
    this.#accepted = true;
    this.writeRaw(encodeSessionAccept({ sid: values.sid ?? this.offer.sid, secs: values.secs ?? this.offer.secs, millis: values.millis ?? this.offer.millis }));
  }

  get accepted(): boolean {
    return this.#accepted;
  }

  /** Sends one typed DML message in its own frame. */
  send<T>(kind: MessageKind<T>, data: EncodableData<T>): void {
    this.writeRaw(encodeDmlFrame(this.registry, kind, data));
    this.stats.messagesOut++;
  }

  sendKeepAlive(): void {
    if (this.#closeInfo !== undefined || this.#closing) return;
    const now = Date.now();
    const minutes = Math.min(0xffff, Math.floor((now - this.#startedAt) / 60_000));
    this.writeRaw(encodeClientKeepAlive({ sid: this.offer.sid, millis: now % 1000, minutes }));
  }

  /** Writes arbitrary bytes: the escape hatch for hostile-client tests. */
  writeRaw(bytes: Buffer | Uint8Array): void {
    if (this.#closeInfo !== undefined || this.#closing) throw new ClientClosedError('a send', this.#closeInfo?.reason ?? 'local');
    this.#socket.write(bytes);
  }

  /** Resolves with the data of the next message of `kind` (queued ones first). */
  next<T>(kind: MessageKind<T>, timeoutMs: number): Promise<T> {
    const record = this.registry.record(kind);
    return this.#wait(this.#slot(this.#dml, record.index), `${record.protocol}.${record.name}`, timeoutMs) as Promise<T>;
  }

  /** Resolves with the payload of the next control frame with this opcode (e.g. KeepAliveRsp). */
  nextControl(opcode: number, timeoutMs: number): Promise<Buffer> {
    return this.#wait(this.#slot(this.#control, opcode), `control opcode ${opcode}`, timeoutMs) as Promise<Buffer>;
  }

  /** Messages of `kind` received and not yet taken by next(). */
  queued<T>(kind: MessageKind<T>): number {
    return this.#dml.get(this.registry.record(kind).index)?.size ?? 0;
  }

  /** Stops reading from the socket (a client that "never reads"); the server's writes back up. */
  pauseReading(): void {
    this.#socket.pause();
  }

  resumeReading(): void {
    this.#socket.resume();
  }

  /** Ends the connection (FIN) and resolves when it is closed. */
  close(): Promise<ClientCloseInfo> {
    if (this.#closeInfo === undefined && !this.#closing) {
      this.#closing = true;
      this.#socket.end();
      // A peer that never answers the FIN must not keep the promise pending.
      const hard = setTimeout(() => this.#socket.destroy(), 2000);
      hard.unref();
    }
    return this.closed;
  }

  /** Resets the connection at once. */
  destroy(): void {
    this.#closing = true;
    this.#socket.destroy();
  }

  #slot(map: Map<number, Mailslot>, key: number): Mailslot {
    let slot = map.get(key);
    if (slot === undefined) {
      slot = new Mailslot();
      map.set(key, slot);
    }
    return slot;
  }

  #wait(slot: Mailslot, what: string, timeoutMs: number): Promise<unknown> {
    if (slot.size > 0) return Promise.resolve(slot.take());
    if (this.#closeInfo !== undefined) return Promise.reject(new ClientClosedError(what, this.#closeInfo.reason, { cause: this.#closeInfo.error }));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        what,
        timer: setTimeout(() => {
          const at = slot.waiters.indexOf(waiter);
          if (at >= 0) slot.waiters.splice(at, 1);
          reject(new ClientTimeoutError(what, timeoutMs));
        }, timeoutMs),
      };
      slot.waiters.push(waiter);
    });
  }

  #deliver(slot: Mailslot, value: unknown): void {
    const waiter = slot.waiters.shift();
    if (waiter !== undefined) {
      clearTimeout(waiter.timer);
      waiter.resolve(value);
      return;
    }
    if (slot.size >= this.#queueCap) {
      slot.take();
      this.stats.dropped++;
    }
    slot.values.push(value);
  }

  #onData(chunk: Buffer): void {
    let frames;
    try {
      frames = this.#reader.push(chunk);
    } catch (error) {
      this.#socket.destroy();
      this.#finish({ reason: 'error', error: error as Error });
      return;
    }
    for (const frame of frames) this.#onFrame(frame.isControl, frame.opcode, frame.payload);
  }

  #onFrame(isControl: boolean, opcode: number, payload: Buffer): void {
    if (isControl) {
      this.stats.controlIn++;
      if (opcode === ControlOpcode.KeepAlive && this.#closeInfo === undefined) this.#socket.write(encodeKeepAliveRsp());
      // Payloads may be views of a socket chunk: copy what is kept.
      this.#deliver(this.#slot(this.#control, opcode), Buffer.from(payload));
      return;
    }
    if (opcode !== 0) return;
    const results = decodeDml(this.registry, payload);
    if (results.length > 1) this.stats.crowdedFrames++;
    for (const result of results) {
      if (!result.ok) {
        this.stats.decodeErrors++;
        continue;
      }
      this.stats.messagesIn++;
      this.#deliver(this.#slot(this.#dml, (result.record as RecordDef).index), result.data);
    }
  }

  #finish(info: ClientCloseInfo): void {
    if (this.#closeInfo !== undefined) return;
    this.#closeInfo = info;
    if (this.#keepAlive !== undefined) clearInterval(this.#keepAlive);
    for (const map of [this.#dml, this.#control]) {
      for (const slot of map.values()) {
        for (const waiter of slot.waiters.splice(0)) {
          clearTimeout(waiter.timer);
          waiter.reject(new ClientClosedError(waiter.what, info.reason, { cause: info.error }));
        }
      }
    }
    this.#resolveClosed(info);
  }
}
