// One zone benchmark run: the server under test in a child process of its own (so its CPU and
// memory are measured apart from the bots), the bots in another, this process between them. The
// server is one Imlight zone (a standalone game server; the bots' one-time keys are written to its
// store directly) or one room of Colyseus 0.16 on its WebSocket transport, the peer of
// bench:zone-peer. The server's CPU is taken over the bots' measured window only.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ActorSystem, silentLogger } from '../../src/runtime/index.js';
import { openStore } from '../../src/store/index.js';
import { startGameServer } from '../../src/servers/game/index.js';
import { WindowProfiler } from './cpu-profile.js';
import { COLYSEUS_ENTRY, COLYSEUS_MOVE, COLYSEUS_MOVES, mergeResults, percentile, serveBots, BUCKETS, BUCKET_MS, type BotKey, type BotsJob, type BotsResult, type Walk } from './zone-bots.js';

const SELF = fileURLToPath(import.meta.url);
const CHILD_ARGS = { execArgv: ['--import', 'tsx', '--max-old-space-size=4096'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[] };

export interface ServerJob {
  readonly kind: 'imlight' | 'colyseus';
  readonly players: number;
  readonly tickMs: number;
  /** Imlight: the zone's interest range in world units (0: everyone sees everyone). */
  readonly interestRange: number;
  /** Colyseus: relay every move at once instead of in one batch per tick. */
  readonly perMove: boolean;
  /** Bots start spread over this square (wire units from -half to +half), or all at the zone's origin. */
  readonly spreadHalf: number;
  /** Imlight: the bots are dealt round-robin over this many zones (Generated/Zone0, ...), or all in one. */
  readonly zones?: number;
}

export interface RunOptions extends ServerJob {
  readonly rate: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly walk: Walk | undefined;
  readonly botProcesses: number;
}

export interface RunReport {
  readonly kind: 'imlight' | 'colyseus';
  readonly players: number;
  readonly movesPerSec: number;
  readonly deliveriesPerSec: number;
  readonly showsPerSec: number;
  readonly hidesPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly serverCpuPercent: number;
  readonly cpuUsPerDelivery: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
  readonly attachS: number;
}

interface ServerReady {
  readonly port: number;
  readonly keys: readonly BotKey[];
}

interface ServerWindow {
  readonly cpuUs: number;
  readonly wallMs: number;
  readonly rss: number;
  readonly peakRss: number;
}

// ---- the servers under test (child processes) ------------------------------------------------------

function spreadPosition(half: number): { x: number; y: number } {
  if (half <= 0) return { x: 0, y: 0 };
  return { x: Math.round((Math.random() * 2 - 1) * half), y: Math.round((Math.random() * 2 - 1) * half) };
}

async function startImlight(job: ServerJob, dir: string): Promise<ServerReady & { stop(): Promise<void> }> {
  const store = await openStore({ databaseUrl: null, sqlitePath: join(dir, 'bench.db'), sqliteSynchronous: 'normal' });
  const system = ActorSystem.create('bench', { logger: silentLogger });
  const keys: BotKey[] = await Promise.all(
    Array.from({ length: job.players }, async (_, i) => {
      const { x, y } = spreadPosition(job.spreadHalf);
      const account = await store.accounts.create({ username: `bot${i}`, password: 'benchmark password' });
      // Stored in world units: 4 per wire step (docs/game-server.md, movement units).
      const zoneName = (job.zones ?? 1) > 1 ? `Generated/Zone${i % job.zones!}` : 'Start';
      const character = await store.characters.create({ accountId: account.id, name: `Bot${i}`, zoneName, location: { x: x * 4, y: y * 4, z: 0, yaw: 0 } });
      const key = `bench-key-${i}-${Math.random().toString(36).slice(2)}`;
      await store.loginKeys.create({ key, accountId: account.id, characterId: character.id, server: 'Bench', expiresAt: new Date(Date.now() + 600_000) });
      return { key, accountId: String(account.id), characterId: String(character.id), x, y };
    }),
  );
  const game = await startGameServer(system, {
    name: 'Bench', store, host: '127.0.0.1', port: 0, pool: null, capacity: job.players + 10,
    settings: { moveTickMs: job.tickMs, saveIntervalMs: 3_600_000, renderDistance: job.interestRange },
  });
  return {
    port: game.port,
    keys,
    stop: async () => {
      await game.shutdown(30_000);
      await system.terminate();
      await store.close();
    },
  };
}

async function startColyseus(job: ServerJob): Promise<ServerReady & { stop(): Promise<void> }> {
  const { Room, Server, matchMaker } = await import('@colyseus/core');
  const { WebSocketTransport } = await import('@colyseus/ws-transport');
  // The same relay as an Imlight zone: the last move of each client per tick, one message with all of them to everyone.
  class ZoneRoom extends Room {
    override maxClients = 100_000;
    override autoDispose = false;
    #pending = new Map<unknown, Uint8Array>();

    override onCreate(): void {
      this.setPatchRate(null);
      this.onMessage(COLYSEUS_MOVE, (client, bytes: Uint8Array) => {
        if (bytes.length !== COLYSEUS_ENTRY) return;
        if (job.perMove) this.broadcast(COLYSEUS_MOVES, bytes);
        else this.#pending.set(client, bytes.slice());
      });
      if (!job.perMove) {
        this.setSimulationInterval(() => {
          if (this.#pending.size === 0) return;
          const batch = new Uint8Array(this.#pending.size * COLYSEUS_ENTRY);
          let o = 0;
          for (const move of this.#pending.values()) {
            batch.set(move, o);
            o += COLYSEUS_ENTRY;
          }
          this.#pending.clear();
          this.broadcast(COLYSEUS_MOVES, batch);
        }, job.tickMs);
      }
    }

    override onLeave(client: unknown): void {
      this.#pending.delete(client);
    }
  }
  const http = createServer();
  const server = new Server({ transport: new WebSocketTransport({ server: http }), greet: false });
  server.define('zone', ZoneRoom);
  await server.listen(0, '127.0.0.1');
  await matchMaker.createRoom('zone', {});
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const keys = Array.from({ length: job.players }, (_, i) => ({ key: '', accountId: '0', characterId: String(i), ...spreadPosition(job.spreadHalf) }));
  return { port, keys, stop: () => server.gracefullyShutdown(false) };
}

async function serveServer(job: ServerJob): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-bench-zone-'));
  const server = job.kind === 'imlight' ? await startImlight(job, dir) : await startColyseus(job);
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 250);
  let cpuMark = process.cpuUsage();
  let wallMark = performance.now();
  // IMLIGHT_BENCH_CPU_PROF=<file prefix>: the server profiles the measured window into <prefix>-<kind>.cpuprofile (its hot path).
  const profileTo = process.env.IMLIGHT_BENCH_CPU_PROF;
  const profiler = profileTo === undefined || profileTo === '' ? undefined : new WindowProfiler();
  process.on('message', async (message: { op: 'start' | 'end' | 'stop' }) => {
    if (message.op === 'start') {
      await profiler?.start();
      cpuMark = process.cpuUsage();
      wallMark = performance.now();
    } else if (message.op === 'end') {
      const cpu = process.cpuUsage(cpuMark);
      if (profiler !== undefined) writeFileSync(`${profileTo}-${job.kind}-${job.players}.cpuprofile`, JSON.stringify(await profiler.stop()));
      process.send!({ window: { cpuUs: cpu.user + cpu.system, wallMs: performance.now() - wallMark, rss: process.memoryUsage.rss(), peakRss } satisfies ServerWindow });
    } else {
      clearInterval(sampler);
      void server.stop().finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
  process.send!({ ready: { port: server.port, keys: server.keys } satisfies ServerReady });
}

if (process.argv[2] === 'zone-server') {
  process.once('message', (job: ServerJob) => {
    serveServer(job).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
} else if (process.argv[2] === 'zone-bots') {
  serveBots();
}

// ---- the run (this process) -------------------------------------------------------------------------

function once<T>(child: ChildProcess, pick: (message: any) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      const value = pick(message);
      if (value === undefined) return;
      child.off('message', onMessage);
      resolve(value);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`a benchmark process exited with ${code}`)));
  });
}

export async function runZone(options: RunOptions): Promise<RunReport> {
  const server = fork(SELF, ['zone-server'], CHILD_ARGS);
  const serverJob: ServerJob = { kind: options.kind, players: options.players, tickMs: options.tickMs, interestRange: options.interestRange, perMove: options.perMove, spreadHalf: options.spreadHalf, ...(options.zones === undefined ? {} : { zones: options.zones }) };
  server.send(serverJob);
  const ready = await once(server, (m: { ready?: ServerReady }) => m.ready);
  let window: Promise<ServerWindow> | undefined;
  const bots = Array.from({ length: options.botProcesses }, () => fork(SELF, ['zone-bots'], CHILD_ARGS));
  let attached = 0;
  const results = bots.map((child, c) => new Promise<BotsResult>((resolve, reject) => {
    child.on('message', (reply: { phase?: 'attached' | 'start' | 'end'; ok?: boolean; result?: BotsResult; error?: string }) => {
      if (reply.phase === 'attached') {
        if (++attached === bots.length) for (const each of bots) each.send({ go: true });
      } else if (reply.phase === 'start') {
        if (c === 0) server.send({ op: 'start' });
      } else if (reply.phase === 'end') {
        if (c === 0) {
          window = once(server, (m: { window?: ServerWindow }) => m.window);
          server.send({ op: 'end' });
        }
      } else if (reply.ok === true) {
        resolve(reply.result!);
      } else {
        reject(new Error(reply.error));
      }
    });
    child.once('exit', (code) => { if (code !== 0) reject(new Error(`bots exited with ${code}`)); });
    const job: BotsJob = { kind: options.kind, port: ready.port, keys: ready.keys.filter((_, i) => i % bots.length === c), rate: options.rate, warmupMs: options.warmupMs, measureMs: options.measureMs, walk: options.walk };
    child.send(job);
  }));
  const result = mergeResults(await Promise.all(results));
  const measured = await window!;
  server.send({ op: 'stop' });
  await new Promise((resolve) => server.once('exit', resolve));
  const seconds = result.windowMs / 1000;
  const max = percentile(result.histogram, result.deliveries, 1);
  return {
    kind: options.kind,
    players: options.players,
    movesPerSec: Math.round(result.sent / seconds),
    deliveriesPerSec: Math.round(result.deliveries / seconds),
    showsPerSec: Math.round(result.shows / seconds),
    hidesPerSec: Math.round(result.hides / seconds),
    p50Ms: round1(percentile(result.histogram, result.deliveries, 0.5)),
    p99Ms: round1(percentile(result.histogram, result.deliveries, 0.99)),
    maxMs: max >= BUCKETS * BUCKET_MS ? Number.POSITIVE_INFINITY : round1(max),
    serverCpuPercent: round1((measured.cpuUs / 1000 / measured.wallMs) * 100),
    cpuUsPerDelivery: Number((measured.cpuUs / Math.max(1, (result.deliveries * measured.wallMs) / result.windowMs)).toFixed(3)),
    rssMb: Math.round(measured.rss / 2 ** 20),
    peakRssMb: Math.round(measured.peakRss / 2 ** 20),
    attachS: round1(result.attachMs / 1000),
  };
}

function round1(value: number): number {
  return Number(value.toFixed(1));
}

/** Reads `--name value` or IMLIGHT_BENCH_NAME. */
export function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at >= 0) return Number(process.argv[at + 1]);
  const env = process.env[`IMLIGHT_BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
  return env === undefined || env === '' ? fallback : Number(env);
}

export function printRows(title: string, rows: readonly (readonly [string, string])[]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(title);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}
