// Login benchmark (issue 6): many concurrent clients, each doing the handshake, MSG_USER_AUTHEN_V3
// (CK1 from the offer, ClientKey2 back), the admission and the character list, against one login
// server on an SQLite file. The clients run in a child process so they do not take the server's
// event loop; the server runs in this process.
//
//   npm run bench:login [-- --clients 50 --seconds 10 --accounts 5000 --characters 2 --sync normal]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ActorSystem, silentLogger } from '../src/runtime/index.js';
import { LOGIN, passwordHash } from '../src/protocol/index.js';
import { KiClient } from '../src/net/index.js';
import { ImchCharacterCodec } from '../src/objectproperty/index.js';
import { openStore } from '../src/store/index.js';
import { authenticate, startLoginServer } from '../src/servers/login/index.js';

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
      process.send!(result, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  await main();
}

// ---- the server and the report (this process) ---------------------------------------------------

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
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const child = fork(SELF, ['clients', String(login.address.port), String(clients), String(seconds), String(accounts), String(characters)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const result = await new Promise<ClientResult>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ClientResult));
      child.once('exit', (code) => reject(new Error(`the clients exited with ${code}`)));
    });
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;
    const sorted = result.latenciesMs.sort((a, b) => a - b);
    const loginsPerSec = Math.round(result.logins / (result.elapsedMs / 1000));
    const p50Ms = Number(percentile(sorted, 50).toFixed(2));
    const p99Ms = Number(percentile(sorted, 99).toFixed(2));
    const maxMs = Number((sorted[sorted.length - 1] ?? Number.NaN).toFixed(2));
    const serverCpuPct = Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100);
    const rows: Array<[string, string]> = [
      ['logins (handshake + authenticate + admit + list)', String(result.logins)],
      ['logins/s', String(loginsPerSec)],
      ['latency p50', `${p50Ms} ms`],
      ['latency p99', `${p99Ms} ms`],
      ['latency max', `${maxMs} ms`],
      ['failures', String(result.failures)],
      ['server CPU', `${serverCpuPct} % of one core`],
      ['clients CPU', `${result.cpuPct} % of one core`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    if (result.firstError !== undefined) process.stdout.write(`first failure: ${result.firstError}\n`);
    await login.stop();
    process.stdout.write(
      `${JSON.stringify({ bench: 'login', clients, seconds, characters, sqliteSynchronous: synchronous, logins: result.logins, failures: result.failures, loginsPerSec, p50Ms, p99Ms, maxMs, serverCpuPct, clientCpuPct: result.cpuPct })}\n`,
    );
  } finally {
    await system.terminate();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
