// Login benchmark (issue 6): many concurrent clients, each doing the handshake, MSG_USER_AUTHEN_V3
// (CK1 from the offer, ClientKey2 back), the admission and the character list, against one login
// server on an SQLite file. The clients run in a child process so they do not take the server's
// event loop; the server runs in this process. Over the measured window the server's CPU is taken
// (process.cpuUsage) and profiled (node:inspector): its CPU per login is split into stages by the
// profile's stacks (crypto, store, actor messaging, encoding, network, login logic, GC), beside a
// calibration of this machine measured in the same run (SHA-512 hashes and Twofish key schedules
// and blocks per second), so a figure can be compared across days as a multiple of the machine.
//
//   npm run bench:login [-- --clients 50 --seconds 10 --accounts 5000 --characters 2 --sync normal --profile 1]
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ActorSystem, silentLogger } from '../src/runtime/index.js';
import { LOGIN, Twofish, passwordHash } from '../src/protocol/index.js';
import { KiClient } from '../src/net/index.js';
import { ImchCharacterCodec } from '../src/objectproperty/index.js';
import { openStore } from '../src/store/index.js';
import { authenticate, startLoginServer } from '../src/servers/login/index.js';
import { WindowProfiler, stageTimes, type Frame, type StageRule } from './kit/cpu-profile.js';

const SELF = fileURLToPath(import.meta.url);
const PASSWORD = 'bench-password';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
function textArg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

interface ClientResult {
  readonly logins: number;
  readonly failures: number;
  readonly elapsedMs: number;
  readonly latenciesMs: number[];
  readonly firstError: string | undefined;
  /** CPU of the client process over the run, in % of one core. */
  readonly cpuPct: number;
}

// ---- the clients (child process) ----------------------------------------------------------------

async function runClients(port: number, clients: number, seconds: number, accounts: number, characters: number): Promise<ClientResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  const perWorker = Math.max(1, Math.floor(accounts / clients));
  const warmupEnd = performance.now() + 1000;
  const deadline = warmupEnd + seconds * 1000;
  let measuredStart = 0;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  // The server measures its CPU over the same window.
  setTimeout(() => process.send!({ phase: 'start' }), warmupEnd - performance.now());
  let windowLogins = 0;
  setTimeout(() => process.send!({ phase: 'end', logins: windowLogins }), deadline - performance.now());
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; performance.now() < deadline; i++) {
      // Each worker cycles through its own accounts: no two logins of one account overlap.
      const account = w + clients * (i % perWorker);
      const started = performance.now();
      let client: KiClient | undefined;
      try {
        client = await KiClient.connect({ port, keepAliveMs: 0 });
        const auth = await authenticate(client, `bench-${account}`, PASSWORD, { machineId: BigInt(account + 1) });
        if (auth.error !== 0) throw new Error(`authentication error ${auth.error}: ${auth.reason}`);
        const admit = await client.next(LOGIN.MSG_USER_ADMIT_IND, 5000);
        if (admit.Status !== 1) throw new Error(`queued at ${admit.PositionInQueue}`);
        client.send(LOGIN.MSG_REQUESTCHARACTERLIST, {});
        const end = await client.next(LOGIN.MSG_CHARACTERLIST, 5000);
        if (end.Error !== 0 || client.queued(LOGIN.MSG_CHARACTERINFO) !== characters) throw new Error(`character list error ${end.Error}, ${client.queued(LOGIN.MSG_CHARACTERINFO)} characters`);
        const done = performance.now();
        if (started >= warmupEnd) {
          if (measuredStart === 0) measuredStart = started;
          latencies.push(done - started);
        }
        if (done >= warmupEnd && done <= deadline) windowLogins++;
      } catch (error) {
        failures++;
        firstError ??= (error as Error).message;
      } finally {
        client?.destroy();
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPct = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100);
  return { logins: latencies.length, failures, elapsedMs: performance.now() - (measuredStart || warmupEnd), latenciesMs: latencies, firstError, cpuPct };
}

if (process.argv[2] === 'clients') {
  const [, , , port, clients, seconds, accounts, characters] = process.argv;
  runClients(Number(port), Number(clients), Number(seconds), Number(accounts), Number(characters)).then(
    (result) => {
      process.send!({ result }, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  // After the whole module has run: main uses the constants below.
  setImmediate(() => void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  }));
}

// ---- the server and the report (this process) ---------------------------------------------------

/** What this machine does in a second of CPU, measured in this run: the baseline of the login figures. */
interface Calibration {
  /** SHA-512 of 100 bytes (a password hash plus a salt), per second. */
  readonly sha512PerSec: number;
  /** Twofish-256 key schedules per second (one per Rec1 key). */
  readonly twofishKeysPerSec: number;
  /** Twofish blocks (16 bytes) encrypted per second. */
  readonly twofishBlocksPerSec: number;
}

/** Operations per second of CPU time (not of wall time: on a shared machine this process is not always running). */
function rate(run: () => void, cpuMs = 300): number {
  for (let i = 0; i < 100; i++) run();
  let count = 0;
  const started = process.cpuUsage();
  let usedUs = 0;
  while (usedUs < cpuMs * 1000) {
    for (let i = 0; i < 100; i++) run();
    count += 100;
    const used = process.cpuUsage(started);
    usedUs = used.user + used.system;
  }
  return Math.round(count / (usedUs / 1e6));
}

function calibrate(): Calibration {
  const input = Buffer.alloc(100, 0x61);
  const key = Buffer.alloc(32, 0x17);
  const cipher = new Twofish(key);
  const block = Buffer.alloc(16);
  return {
    sha512PerSec: rate(() => createHash('sha512').update(input).digest()),
    twofishKeysPerSec: rate(() => new Twofish(key)),
    twofishBlocksPerSec: rate(() => cipher.encryptBlock(block, 0, block, 0)),
  };
}

const inFile = (...parts: string[]) => (frame: Frame): boolean => parts.some((part) => frame.file.includes(part));
/** Innermost match wins: a sample in SHA-512 called by the login logic is crypto. */
const LOGIN_STAGES: readonly StageRule[] = [
  { stage: 'crypto', test: (f) => inFile('src/protocol/crypto/', 'twofish-ts', 'node:internal/crypto')(f) || /^(digest|update|randomBytes|randomFillSync|timingSafeEqual|Hash)$/.test(f.functionName) },
  { stage: 'store', test: inFile('src/store/', 'better-sqlite3', 'kysely') },
  { stage: 'encoding', test: inFile('src/protocol/', 'src/objectproperty/', '@msgpack') },
  { stage: 'network', test: (f) => inFile('src/net/socket-', 'src/net/tcp-listener', 'node:net', 'node:internal/stream', 'node:internal/streams')(f) || /^(writeBuffer|writev|writeUtf8String|close|onStreamRead)$/.test(f.functionName) },
  { stage: 'actor messaging', test: inFile('src/runtime/') },
  { stage: 'login logic', test: inFile('src/servers/', 'src/net/') },
  { stage: 'logging', test: inFile('pino') },
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const clients = arg('clients', 50);
  const seconds = arg('seconds', 10);
  const accounts = arg('accounts', 5000);
  const characters = arg('characters', 2);
  const synchronous = textArg('sync', 'full') === 'normal' ? 'normal' : 'full';
  const dir = mkdtempSync(join(tmpdir(), 'imlight-bench-login-'));
  const store = await openStore({ databaseUrl: null, sqlitePath: join(dir, 'imlight.db'), sqliteSynchronous: synchronous });
  const system = ActorSystem.create('bench', { logger: silentLogger });
  try {
    process.stdout.write(`creating ${accounts} accounts with ${characters} characters each...\n`);
    const codec = new ImchCharacterCodec();
    const hash = passwordHash(PASSWORD);
    const creates: Promise<unknown>[] = [];
    for (let i = 0; i < accounts; i++) {
      creates.push(
        store.accounts.create({ username: `bench-${i}`, passwordHash: hash }).then(async (account) => {
          for (let c = 0; c < characters; c++) {
            await store.characters.create({ accountId: account.id, name: `Hero${i}x${c}`, creationData: codec.encodeInfo({ id: 0n, name: `Hero${i}x${c}`, zone: '', location: '', creationData: Buffer.alloc(0) }) });
          }
        }),
      );
      if (creates.length >= 200) await Promise.all(creates.splice(0));
    }
    await Promise.all(creates);
    const login = await startLoginServer(system, {
      store,
      host: '127.0.0.1',
      port: 0,
      settings: { capacity: 1_000_000, characterLimit: characters },
    });
    process.stdout.write(`login server on port ${login.address.port}; ${clients} clients for ${seconds} s (after 1 s warm-up), SQLite synchronous=${synchronous}\n`);
    const calibration = calibrate();
    const profiling = arg('profile', 1) === 1;
    const profiler = profiling ? new WindowProfiler() : undefined;
    const load = loadavg()[0]!;
    const child = fork(SELF, ['clients', String(login.address.port), String(clients), String(seconds), String(accounts), String(characters)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let cpuMark = process.cpuUsage();
    let wallMark = performance.now();
    let window: { cpuUs: number; wallMs: number; logins: number; profile: Awaited<ReturnType<WindowProfiler['stop']>> | undefined } | undefined;
    const result = await new Promise<ClientResult>((resolve, reject) => {
      child.on('message', (message: { phase?: 'start' | 'end'; logins?: number; result?: ClientResult }) => {
        if (message.phase === 'start') {
          void (profiler?.start() ?? Promise.resolve()).then(() => {
            cpuMark = process.cpuUsage();
            wallMark = performance.now();
          });
        } else if (message.phase === 'end') {
          const cpu = process.cpuUsage(cpuMark);
          const wallMs = performance.now() - wallMark;
          const logins = message.logins!;
          void (profiler?.stop() ?? Promise.resolve(undefined)).then((profile) => { window = { cpuUs: cpu.user + cpu.system, wallMs, logins, profile }; });
        } else if (message.result !== undefined) {
          resolve(message.result);
        }
      });
      child.once('exit', (code) => reject(new Error(`the clients exited with ${code}`)));
    });
    while (window === undefined) await new Promise((r) => setTimeout(r, 10));
    const cpuUsPerLogin = window.cpuUs / Math.max(1, window.logins);
    const stages: Record<string, number> = {};
    if (window.profile !== undefined) {
      // IMLIGHT_BENCH_CPU_PROF=<file>: the window's profile, for a closer look (npx tsx bench/kit/cpu-profile.ts <file>).
      const profileTo = process.env.IMLIGHT_BENCH_CPU_PROF;
      if (profileTo !== undefined && profileTo !== '') writeFileSync(profileTo, JSON.stringify(window.profile));
      const times = stageTimes(window.profile, LOGIN_STAGES);
      times.delete('idle');
      const busy = [...times.values()].reduce((sum, us) => sum + us, 0);
      // The profile gives the shares; process.cpuUsage gives the total (it also counts the kernel's work for us).
      for (const [stage, us] of [...times].sort((a, b) => b[1] - a[1])) stages[stage] = Number(((us / busy) * cpuUsPerLogin).toFixed(1));
    }
    const sorted = result.latenciesMs.sort((a, b) => a - b);
    const loginsPerSec = Math.round(result.logins / (result.elapsedMs / 1000));
    const p50Ms = Number(percentile(sorted, 50).toFixed(2));
    const p99Ms = Number(percentile(sorted, 99).toFixed(2));
    const maxMs = Number((sorted[sorted.length - 1] ?? Number.NaN).toFixed(2));
    const serverCpuPct = Math.round((window.cpuUs / 1000 / window.wallMs) * 100);
    // The login in units of the machine: how many SHA-512 hashes the same CPU time would have done.
    const sha512PerLogin = Number(((cpuUsPerLogin / 1e6) * calibration.sha512PerSec).toFixed(0));
    const rows: Array<[string, string]> = [
      ['logins (handshake + authenticate + admit + list)', String(result.logins)],
      ['logins/s', String(loginsPerSec)],
      ['latency p50', `${p50Ms} ms`],
      ['latency p99', `${p99Ms} ms`],
      ['latency max', `${maxMs} ms`],
      ['failures', String(result.failures)],
      ['server CPU', `${serverCpuPct} % of one core`],
      ['clients CPU', `${result.cpuPct} % of one core`],
      ['server CPU per login (window)', `${cpuUsPerLogin.toFixed(0)} us (${window.logins} logins; ${profiling ? 'profiled' : 'not profiled'})`],
      ...Object.entries(stages).map(([stage, us]): [string, string] => [`  ${stage}`, `${us} us`]),
      ['calibration: SHA-512 (100 B) /s', String(calibration.sha512PerSec)],
      ['calibration: Twofish key schedules /s', String(calibration.twofishKeysPerSec)],
      ['calibration: Twofish blocks /s', String(calibration.twofishBlocksPerSec)],
      ['server CPU per login, in SHA-512s', String(sha512PerLogin)],
      ['load average before', load.toFixed(2)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    if (result.firstError !== undefined) process.stdout.write(`first failure: ${result.firstError}\n`);
    await login.stop();
    process.stdout.write(
      `${JSON.stringify({ bench: 'login', clients, seconds, characters, sqliteSynchronous: synchronous, logins: result.logins, failures: result.failures, loginsPerSec, p50Ms, p99Ms, maxMs, serverCpuPct, clientCpuPct: result.cpuPct, cpuUsPerLogin: Math.round(cpuUsPerLogin), stagesUsPerLogin: stages, calibration, sha512PerLogin, loadAverage: Number(load.toFixed(2)) })}\n`,
    );
  } finally {
    await system.terminate();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
