// Sessions benchmark (issue 4): (a) many concurrent sessions doing the handshake and keep-alives:
// memory per session and CPU at idle; (b) MSG_PING -> MSG_PING_RSP round trips through a session
// and a service from many clients; (c) the same clients against a bare node:net echo server.
// The server, the echo server and the clients each run in their own child process, so the
// server's memory is measured alone and the clients use the other core.
//
//   npm run bench:sessions [-- --sessions 10000 --services 1 --clients 100 --seconds 5 --idle-seconds 10]
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ActorSystem, silentLogger } from '../src/runtime/index.js';
import { SYSTEM, encodeSessionOffer } from '../src/protocol/index.js';
import { KiClient, MessageService, NetCounters, kiServerProps, service, startServer, type ServerInfo, type ServiceContext, type ServiceEnv } from '../src/net/index.js';

const SELF = fileURLToPath(import.meta.url);

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

type Request = { id: number; op: string; [key: string]: unknown };
type Reply = { id: number; [key: string]: unknown };

// ---- child roles -------------------------------------------------------------------------------

class BenchPingService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(SYSTEM.MSG_PING, () => this.send(SYSTEM.MSG_PING_RSP, {}));
  }
}

/** Extra services for --services N: each handles one message the benchmark never sends. */
class IdleService extends MessageService {
  constructor(context: ServiceContext, env: ServiceEnv) {
    super(context, env);
    this.onClient(SYSTEM.MSG_PING_RSP, () => {});
  }
}

function gcAndMeasure(): { rss: number; heapUsed: number; external: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

function serve(handle: (request: Request) => Promise<unknown> | unknown): void {
  // A normal exit on SIGINT, so a child run with --cpu-prof writes its profile.
  process.on('SIGINT', () => process.exit(0));
  process.on('message', (request: Request) => {
    void Promise.resolve(handle(request)).then(
      (value) => process.send!({ id: request.id, ok: true, value }),
      (error: unknown) => process.send!({ id: request.id, ok: false, error: String(error) }),
    );
  });
  process.send!({ id: 0, ready: true });
}

async function serverRole(): Promise<void> {
  const extraServices = Array.from({ length: arg('services', 1) - 1 }, (_, i) => service(`idle-${i + 1}`, IdleService));
  const system = ActorSystem.create('bench', { logger: silentLogger });
  const counters = new NetCounters();
  const { ref, address } = await startServer(
    system,
    kiServerProps({ name: 'bench', host: '127.0.0.1', port: 0, maxConnections: 60_000, services: [service('ping', BenchPingService), ...extraServices], metrics: counters }),
    'server',
  );
  let cpuMark = process.cpuUsage();
  let wallMark = performance.now();
  let bytesInMark = 0;
  serve(async (request) => {
    switch (request.op) {
      case 'port':
        return address.port;
      case 'measure':
        return gcAndMeasure();
      case 'snapshot':
        gcAndMeasure();
        return (await import('node:v8')).writeHeapSnapshot(request['path'] as string);
      case 'info':
        return ref.ask<ServerInfo>((replyTo) => ({ type: 'net.server-info', replyTo }), 10_000);
      case 'cpu-mark':
        bytesInMark = counters.snapshot().bytesIn;
        cpuMark = process.cpuUsage();
        wallMark = performance.now();
        return null;
      case 'cpu-read': {
        const used = process.cpuUsage(cpuMark);
        return {
          percent: ((used.user + used.system) / 1000 / (performance.now() - wallMark)) * 100,
          cpuUs: used.user + used.system,
          bytesIn: counters.snapshot().bytesIn - bytesInMark,
        };
      }
      default:
        throw new Error(`unknown op ${request.op}`);
    }
  });
}

async function echoRole(): Promise<void> {
  // The offer lets the same KiClient connect; after it, every byte is echoed as it comes.
  const offer = encodeSessionOffer({ sid: 1, secs: 0, millis: 0 });
  const server = createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => {});
    socket.write(offer);
    socket.on('data', (chunk) => socket.write(chunk));
  });
  server.maxConnections = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let cpuMark = process.cpuUsage();
  serve((request) => {
    if (request.op === 'port') return (server.address() as { port: number }).port;
    if (request.op === 'cpu-mark') {
      cpuMark = process.cpuUsage();
      return null;
    }
    if (request.op === 'cpu-read') {
      const used = process.cpuUsage(cpuMark);
      return { cpuUs: used.user + used.system };
    }
    throw new Error(`unknown op ${request.op}`);
  });
}

async function clientsRole(): Promise<void> {
  let idle: KiClient[] = [];
  serve(async (request) => {
    switch (request.op) {
      case 'connect': {
        const count = request['count'] as number;
        const port = request['port'] as number;
        const started = performance.now();
        for (let done = 0; done < count; ) {
          const batch = Math.min(250, count - done);
          const clients = await Promise.all(Array.from({ length: batch }, () => KiClient.connect({ port, keepAliveMs: 10_000, connectTimeoutMs: 60_000 })));
          idle.push(...clients);
          done += batch;
        }
        // One keep-alive round trip per client: every session has finished its handshake.
        await Promise.all(idle.map(async (c) => {
          c.sendKeepAlive();
          await c.nextControl(4, 60_000);
        }));
        return { connected: idle.length, ms: performance.now() - started };
      }
      case 'disconnect': {
        await Promise.all(idle.map((c) => c.close()));
        idle = [];
        return null;
      }
      case 'round-trips': {
        const port = request['port'] as number;
        const clients = await Promise.all(Array.from({ length: request['clients'] as number }, () => KiClient.connect({ port, keepAliveMs: 0 })));
        const seconds = request['seconds'] as number;
        const reply = request['reply'] === 'echo' ? SYSTEM.MSG_PING : SYSTEM.MSG_PING_RSP;
        const latencies: number[] = [];
        // Warm-up, then the measured window.
        const run = async (ms: number, record: boolean): Promise<number> => {
          const end = performance.now() + ms;
          let count = 0;
          await Promise.all(clients.map(async (c) => {
            while (performance.now() < end) {
              const t0 = performance.now();
              c.send(SYSTEM.MSG_PING, {});
              await c.next(reply, 10_000);
              if (record) latencies.push(performance.now() - t0);
              count++;
            }
          }));
          return count;
        };
        await run(1000, false);
        const t = performance.now();
        const count = await run(seconds * 1000, true);
        const elapsed = (performance.now() - t) / 1000;
        await Promise.all(clients.map((c) => c.close()));
        latencies.sort((a, b) => a - b);
        const pick = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
        return { perSec: count / elapsed, p50: pick(0.5), p99: pick(0.99), samples: latencies.length };
      }
      default:
        throw new Error(`unknown op ${request.op}`);
    }
  });
}

// ---- the driver --------------------------------------------------------------------------------

class Child {
  readonly #process: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  #ids = 0;
  readonly ready: Promise<void>;

  constructor(role: string, args: string[] = []) {
    // Diagnostics: BENCH_SERVER_NODE_ARGS adds node flags to the server child (e.g. --cpu-prof).
    const extra = role === 'server' ? (process.env['BENCH_SERVER_NODE_ARGS']?.split(' ').filter(Boolean) ?? []) : [];
    this.#process = fork(SELF, [role, ...args], { execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096', ...extra], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.#process.on('message', (reply: Reply & { ok?: boolean; value?: unknown; error?: string; ready?: boolean }) => {
        if (reply.ready === true) {
          resolve();
          return;
        }
        const waiter = this.#pending.get(reply.id);
        this.#pending.delete(reply.id);
        if (reply.ok === true) waiter?.resolve(reply.value);
        else waiter?.reject(new Error(reply.error));
      });
      this.#process.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
    });
  }

  call<T>(op: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.#ids;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#process.send({ id, op, ...params });
    });
  }

  kill(): void {
    // SIGINT lets a --cpu-prof child write its profile.
    this.#process.kill('SIGINT');
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const sessions = arg('sessions', 10_000);
  const rtClients = arg('clients', 100);
  const seconds = arg('seconds', 5);
  const idleSeconds = arg('idle-seconds', 10);

  const services = arg('services', 1);
  const server = new Child('server', ['--services', String(services)]);
  const clients = new Child('clients');
  const echo = new Child('echo');
  await Promise.all([server.ready, clients.ready, echo.ready]);
  try {
    const port = await server.call<number>('port');
    const echoPort = await echo.call<number>('port');

    // (a) sessions: memory and idle CPU.
    const before = await server.call<{ rss: number; heapUsed: number; external: number }>('measure');
    const connected = await clients.call<{ connected: number; ms: number }>('connect', { port, count: sessions });
    const info = await server.call<ServerInfo>('info');
    await sleep(1000);
    const after = await server.call<{ rss: number; heapUsed: number; external: number }>('measure');
    // Diagnostics: BENCH_HEAP_SNAPSHOT=file.heapsnapshot writes the server's heap with the sessions open.
    if (process.env['BENCH_HEAP_SNAPSHOT'] !== undefined) await server.call('snapshot', { path: process.env['BENCH_HEAP_SNAPSHOT'] });
    await server.call('cpu-mark');
    await sleep(idleSeconds * 1000);
    const { percent: idleCpu, bytesIn: idleBytesIn } = await server.call<{ percent: number; bytesIn: number }>('cpu-read');
    // A client KeepAlive frame is 14 bytes.
    const keepAlivesPerSec = idleBytesIn / 14 / idleSeconds;
    const bytesPerSession = Math.round((after.rss - before.rss) / info.sessions);
    const heapPerSession = Math.round((after.heapUsed - before.heapUsed) / info.sessions);
    await clients.call('disconnect');
    await sleep(500);
    // Collect what phase (a) left behind, so that its garbage does not weigh on phase (b).
    await server.call('measure');

    // (b) round trips through a session and a service; (c) the bare echo server. With two cores
    // the clients may be the bottleneck of both, so the server's own CPU time per round trip is
    // measured as well: that is the cost the session layer adds.
    type RoundTrips = { perSec: number; p50: number; p99: number; samples: number };
    await server.call('cpu-mark');
    const session = await clients.call<RoundTrips>('round-trips', { port, clients: rtClients, seconds, reply: 'session' });
    const sessionCpuUs = (await server.call<{ cpuUs: number }>('cpu-read')).cpuUs;
    await echo.call('cpu-mark');
    const bare = await clients.call<RoundTrips>('round-trips', { port: echoPort, clients: rtClients, seconds, reply: 'echo' });
    const echoCpuUs = (await echo.call<{ cpuUs: number }>('cpu-read')).cpuUs;
    // Each phase runs a 1 s warm-up and then `seconds`; the CPU covers both.
    const perTrip = (cpuUs: number, r: RoundTrips): number => cpuUs / (r.perSec * (seconds + 1));
    const sessionUsPerTrip = perTrip(sessionCpuUs, session);
    const echoUsPerTrip = perTrip(echoCpuUs, bare);

    const rows = [
      ['sessions open', `${info.sessions} (connected in ${(connected.ms / 1000).toFixed(1)} s, ${services} service(s) each)`],
      ['server RSS per session', kb(bytesPerSession)],
      ['server heap per session', kb(heapPerSession)],
      [`server CPU at idle (${idleSeconds} s, client keep-alive every 10 s)`, `${idleCpu.toFixed(1)} % (${Math.round(keepAlivesPerSec)} keep-alives/s answered)`],
      [`session round trips (${rtClients} clients)`, `${Math.round(session.perSec)}/s  p50 ${session.p50.toFixed(2)} ms  p99 ${session.p99.toFixed(2)} ms`],
      [`bare echo round trips (${rtClients} clients)`, `${Math.round(bare.perSec)}/s  p50 ${bare.p50.toFixed(2)} ms  p99 ${bare.p99.toFixed(2)} ms`],
      ['session / echo', `${((session.perSec / bare.perSec) * 100).toFixed(0)} %`],
      ['server CPU per round trip: session / echo', `${sessionUsPerTrip.toFixed(1)} us / ${echoUsPerTrip.toFixed(1)} us`],
    ];
    const width = Math.max(...rows.map(([k]) => k!.length));
    for (const [k, v] of rows) console.log(`${k!.padEnd(width)}  ${v}`);
    console.log(
      JSON.stringify({
        sessions: info.sessions,
        servicesPerSession: services,
        bytesPerSession,
        heapBytesPerSession: heapPerSession,
        idleCpuPercent: Number(idleCpu.toFixed(2)),
        idleKeepAlivesPerSec: Math.round(keepAlivesPerSec),
        roundTripsPerSec: Math.round(session.perSec),
        p50Ms: Number(session.p50.toFixed(3)),
        p99Ms: Number(session.p99.toFixed(3)),
        echoRoundTripsPerSec: Math.round(bare.perSec),
        echoP50Ms: Number(bare.p50.toFixed(3)),
        echoP99Ms: Number(bare.p99.toFixed(3)),
        roundTripRatio: Number((session.perSec / bare.perSec).toFixed(3)),
        serverCpuUsPerRoundTrip: Number(sessionUsPerTrip.toFixed(2)),
        echoCpuUsPerRoundTrip: Number(echoUsPerTrip.toFixed(2)),
      }),
    );
  } finally {
    server.kill();
    clients.kill();
    echo.kill();
  }
}

const role = process.argv[2];
if (role === 'server') await serverRole();
else if (role === 'echo') await echoRole();
else if (role === 'clients') await clientsRole();
else await main();
