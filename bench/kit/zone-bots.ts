// Movement bots for the zone benchmarks (bench:zone, bench:zone-peer), run in a child process of
// their own. A bot attaches (Imlight: raw KiNP socket with MSG_ATTACH; Colyseus: colyseus.js
// joinOrCreate), then moves `rate` times a second at its own phase; every move carries its send
// time, so any bot can time any other bot's move: Imlight's MSG_SERVERMOVE carries it in LocationZ
// (low 16 bits) and Direction (high 8 bits), in units of 0.1 ms; the Colyseus room relays the same
// 7 bytes. LocationX/Y are the bot's real position (a random walk when `walk` is set), so a zone
// with interest management sees bots come into and leave range.
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ControlOpcode, FrameReader, GAME, MessageRegistry, decodeDml, decodeSessionOffer, encodeDmlFrame, encodeSessionAccept } from '../../src/protocol/index.js';

export interface BotKey {
  readonly key: string;
  readonly accountId: string;
  readonly characterId: string;
  /** Starting position in wire units (signed). */
  readonly x: number;
  readonly y: number;
}

export interface Walk {
  /** The square the bots walk in, wire units from -half to +half on x and y. */
  readonly half: number;
  /** Wire units per move. */
  readonly step: number;
}

export interface BotsJob {
  readonly kind: 'imlight' | 'colyseus';
  readonly port: number;
  /** Imlight: one key per bot. Colyseus: the keys give only the count and the positions. */
  readonly keys: readonly BotKey[];
  readonly rate: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly walk: Walk | undefined;
}

export interface BotsResult {
  readonly attachMs: number;
  readonly sent: number;
  readonly deliveries: number;
  /** MSG_NEWOBJECT / MSG_REMOVEOBJECT received in the measured window (Imlight). */
  readonly shows: number;
  readonly hides: number;
  readonly windowMs: number;
  /** Latency histogram: count per BUCKET_MS (the last bucket holds everything above). */
  readonly histogram: number[];
}

export const BUCKET_MS = 0.1;
export const BUCKETS = 20_000;
const GAME_SERVICE = 5;
const TIME_UNITS_PER_MS = 10;
const TIME_MASK = 0xff_ffff;
/** Colyseus message types of the peer room: 0 = a move from a bot, 1 = a batch of moves to the bots. */
export const COLYSEUS_MOVE = 0;
export const COLYSEUS_MOVES = 1;
/**
 * A move to and from the Colyseus room: x, y, time low (u16 each), time high (u8), the sending bot's
 * index (u16), then 4 bytes of padding: 13 bytes, the size of KiNP's MSG_SERVERMOVE, so both servers
 * send the same bytes per move.
 */
export const COLYSEUS_ENTRY = 13;

function clockUnits(): number {
  return Math.round((performance.timeOrigin + performance.now()) * TIME_UNITS_PER_MS) & TIME_MASK;
}

export function percentile(histogram: readonly number[], total: number, p: number): number {
  const wanted = Math.ceil(total * p);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= wanted) return (i + 1) * BUCKET_MS;
  }
  return histogram.length * BUCKET_MS;
}

export function mergeResults(all: readonly BotsResult[]): BotsResult {
  const sum = (pick: (r: BotsResult) => number): number => all.reduce((total, r) => total + pick(r), 0);
  return {
    attachMs: Math.max(...all.map((r) => r.attachMs)),
    sent: sum((r) => r.sent),
    deliveries: sum((r) => r.deliveries),
    shows: sum((r) => r.shows),
    hides: sum((r) => r.hides),
    windowMs: all[0]!.windowMs,
    histogram: all[0]!.histogram.map((_, i) => sum((r) => r.histogram[i]!)),
  };
}

interface Counters {
  measuring: boolean;
  deliveries: number;
  shows: number;
  hides: number;
  readonly histogram: number[];
}

interface MovingBot {
  readonly ready: Promise<void>;
  sendMove(x: number, y: number, time: number): void;
  close(): void;
}

function record(counters: Counters, now: number, sentAt: number): void {
  counters.deliveries++;
  const elapsed = ((now - sentAt) & TIME_MASK) / TIME_UNITS_PER_MS;
  counters.histogram[Math.min(BUCKETS - 1, Math.floor(elapsed / BUCKET_MS))]!++;
}

function imlightBot(port: number, key: BotKey, registry: MessageRegistry, counters: Counters): MovingBot {
  const socket: Socket = createConnection({ host: '127.0.0.1', port, noDelay: true });
  const reader = new FrameReader({ maxBodyLength: 1 << 20 });
  const moveOrder = registry.record(GAME.MSG_SERVERMOVE).order;
  const newOrder = registry.record(GAME.MSG_NEWOBJECT).order;
  const removeOrder = registry.record(GAME.MSG_REMOVEOBJECT).order;
  let attached = false;
  // A hand-rolled reader of the DML messages in a frame: decoding 1.25 million moves a second would take the bots' core.
  const onPayload = (payload: Buffer): void => {
    if (!counters.measuring) return;
    const now = clockUnits();
    let o = 0;
    while (o + 4 <= payload.length) {
      const length = payload.readUInt16LE(o + 2);
      if (length < 4) break;
      if (payload[o] === GAME_SERVICE) {
        const order = payload[o + 1];
        if (order === moveOrder && o + 13 <= payload.length) record(counters, now, payload.readUInt16LE(o + 8) | (payload[o + 10]! << 16));
        else if (order === newOrder) counters.shows++;
        else if (order === removeOrder) counters.hides++;
      }
      o += length;
    }
  };
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        if (frame.isControl) {
          if (frame.opcode === ControlOpcode.SessionOffer) {
            socket.write(encodeSessionAccept(decodeSessionOffer(frame.payload)));
            socket.write(encodeDmlFrame(registry, GAME.MSG_ATTACH, {
              GameObjectID: 0n, LoginKey: key.key, UserID: BigInt(key.accountId), CharID: BigInt(key.characterId), ZoneName: '', Location: '',
              TargetPlayerID: 0n, ZoneID: 0n, Slot: 0, SessionID: 0n, SessionSlot: 0, PassKey: '', Reattach: 0, Retry: 0, Locale: 'English', MachineID: 0n,
            }));
          }
          continue;
        }
        if (attached) {
          onPayload(frame.payload);
          continue;
        }
        for (const result of decodeDml(registry, frame.payload)) {
          if (!result.ok) continue;
          if (result.record.name === 'MSG_LOGINCOMPLETE') {
            attached = true;
            resolve();
          }
          if (result.record.name === 'MSG_ATTACHFAILED') reject(new Error('attach failed'));
        }
      }
    });
  });
  return {
    ready,
    sendMove: (x, y, time) => {
      socket.write(encodeDmlFrame(registry, GAME.MSG_CLIENTMOVE, { LocationX: x & 0xffff, LocationY: y & 0xffff, LocationZ: time & 0xffff, Direction: time >>> 16, ZoneCounter: 0 }));
    },
    close: () => socket.destroy(),
  };
}

async function colyseusBot(port: number, index: number, counters: Counters): Promise<MovingBot> {
  const { Client } = await import('colyseus.js');
  // The room is created by the server before the bots start: concurrent joinOrCreate calls could make several.
  const room = await new Client(`ws://127.0.0.1:${port}`).join('zone');
  room.onMessage(COLYSEUS_MOVES, (bytes: Uint8Array) => {
    if (!counters.measuring) return;
    const now = clockUnits();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let o = 0; o + COLYSEUS_ENTRY <= bytes.length; o += COLYSEUS_ENTRY) {
      // The room sends every move to everyone: a bot's own move is not a delivery.
      if (view.getUint16(o + 7, true) === index) continue;
      record(counters, now, view.getUint16(o + 4, true) | (bytes[o + 6]! << 16));
    }
  });
  const move = new Uint8Array(COLYSEUS_ENTRY);
  const view = new DataView(move.buffer);
  view.setUint16(7, index, true);
  return {
    ready: Promise.resolve(),
    sendMove: (x, y, time) => {
      view.setUint16(0, x & 0xffff, true);
      view.setUint16(2, y & 0xffff, true);
      view.setUint16(4, time & 0xffff, true);
      move[6] = time >>> 16;
      room.sendBytes(COLYSEUS_MOVE, move);
    },
    close: () => void room.leave(true).catch(() => {}),
  };
}

export async function runBots(job: BotsJob): Promise<BotsResult> {
  const registry = MessageRegistry.defaults();
  const counters: Counters = { measuring: false, deliveries: 0, shows: 0, hides: 0, histogram: new Array<number>(BUCKETS).fill(0) };
  const started = performance.now();
  const bots: MovingBot[] = [];
  // Attach in waves: hundreds of simultaneous attaches would only measure the store's queue.
  for (let i = 0; i < job.keys.length; i += 50) {
    const wave = await Promise.all(job.keys.slice(i, i + 50).map((key, j) => (job.kind === 'imlight' ? imlightBot(job.port, key, registry, counters) : colyseusBot(job.port, i + j, counters))));
    await Promise.all(wave.map((bot) => bot.ready));
    bots.push(...wave);
  }
  const attachMs = performance.now() - started;
  // Every bot process attaches first; the parent then starts them moving together.
  await new Promise<void>((resolve) => {
    process.on('message', (message: { go?: boolean }) => { if (message.go === true) resolve(); });
    process.send!({ phase: 'attached' });
  });

  const n = bots.length;
  const intervalMs = 1000 / job.rate;
  const xs = Int32Array.from(job.keys, (k) => k.x);
  const ys = Int32Array.from(job.keys, (k) => k.y);
  const headings = Float64Array.from(job.keys, () => Math.random() * 2 * Math.PI);
  let sent = 0;
  const timers: NodeJS.Timeout[] = [];
  const walk = job.walk;
  for (let i = 0; i < n; i++) {
    const bot = bots[i]!;
    // Each bot at its own phase, so the moves spread over the server's ticks.
    timers.push(setTimeout(() => {
      timers.push(setInterval(() => {
        if (walk !== undefined) {
          headings[i]! += (Math.random() - 0.5) * 0.6;
          let x = xs[i]! + Math.round(Math.cos(headings[i]!) * walk.step);
          let y = ys[i]! + Math.round(Math.sin(headings[i]!) * walk.step);
          // Turn back at the edge of the square.
          if (Math.abs(x) > walk.half || Math.abs(y) > walk.half) {
            headings[i]! += Math.PI;
            x = Math.max(-walk.half, Math.min(walk.half, x));
            y = Math.max(-walk.half, Math.min(walk.half, y));
          }
          xs[i] = x;
          ys[i] = y;
        }
        bot.sendMove(xs[i]!, ys[i]!, clockUnits());
        if (counters.measuring) sent++;
      }, intervalMs));
    }, (i / n) * intervalMs));
  }
  await new Promise((resolve) => setTimeout(resolve, job.warmupMs));
  counters.measuring = true;
  process.send!({ phase: 'start' });
  const windowStart = performance.now();
  await new Promise((resolve) => setTimeout(resolve, job.measureMs));
  counters.measuring = false;
  process.send!({ phase: 'end' });
  const windowMs = performance.now() - windowStart;
  for (const timer of timers) clearInterval(timer);
  for (const bot of bots) bot.close();
  return { attachMs, sent, deliveries: counters.deliveries, shows: counters.shows, hides: counters.hides, windowMs, histogram: counters.histogram };
}

/** The body of a bots child process: one job from the parent, one result back. */
export function serveBots(): void {
  process.once('message', (job: BotsJob) => {
    runBots(job).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) => process.send!({ ok: false, error: String(error) }, () => process.exit(1)),
    );
  });
}
