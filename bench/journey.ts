// Journey benchmark: bots play the full journey (login, character list and selection, attach at the game
// server, moving in the zone, logout) against one `imlight start` process (login and game servers on
// SQLite, in a child process so the bots and the servers each get a core). The number of bots grows stage by
// stage until journeys fail or the rate stops growing; the best stage is the result.
// Usage: npm run bench:journey [-- --stages 50,100,200,400 --seconds 20]
// Last line: {"journeysPerSec": ..., "bots": ..., "p99Ms": {"login.connect": ..., ...}, "stages": [...]}
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSwarm, type BotAccount, type SwarmReport } from '../src/bots/index.js';
import { openStore } from '../src/store/index.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
};
const stages = arg('stages', '50,100,200,400,800,1600').split(',').map(Number);
const seconds = Number(arg('seconds', '20'));
const REPO = fileURLToPath(new URL('../', import.meta.url));

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<Server>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const portOpen = (port: number): Promise<boolean> => new Promise((resolve) => {
  const socket = connect({ host: '127.0.0.1', port });
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

async function startServers(dir: string, login: number, game: number, patch: number, http: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', '--data-dir', dir, '--log-level', 'warn',
    '--set', `login.port=${login}`, '--set', 'login.host=127.0.0.1', '--set', `game.port=${game}`, '--set', 'game.host=127.0.0.1',
    '--set', `patch.port=${patch}`, '--set', `patch.httpPort=${http}`, '--set', 'admin.enabled=false',
    // Every bot comes from 127.0.0.1: the per-address cap and the realm capacity must not be what is measured.
    '--set', 'session.maxConnectionsPerAddress=65535', '--set', 'login.capacity=100000', '--set', 'game.capacity=100000',
  ], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, IMLIGHT_CONFIG: '' } });
  for (let i = 0; i < 300; i++) {
    if ((await portOpen(login)) && (await portOpen(game))) return child;
    if (child.exitCode !== null) throw new Error('imlight exited during its start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('imlight did not start within 30 s');
}

interface Stage {
  bots: number;
  journeysPerSec: number;
  completed: number;
  failed: number;
  errorRate: number;
  p99Ms: Record<string, number>;
  errors: Record<string, number>;
}

function stageOf(bots: number, report: SwarmReport): Stage {
  const p99Ms: Record<string, number> = {};
  for (const [step, summary] of Object.entries(report.steps)) p99Ms[step] = summary.p99Ms;
  const total = report.journeysCompleted + report.journeysFailed;
  return {
    bots, journeysPerSec: report.journeysPerSec, completed: report.journeysCompleted, failed: report.journeysFailed,
    errorRate: total === 0 ? 1 : Math.round((report.journeysFailed / total) * 1000) / 1000, p99Ms, errors: report.errors,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-bench-journey-'));
  const maxBots = Math.max(...stages);
  const [login, game, patch, http] = await freePorts(4);
  const accounts: BotAccount[] = [];
  const results: Stage[] = [];
  let child: ChildProcess | undefined;
  try {
    const store = await openStore({ sqlitePath: join(dir, 'imlight.db'), databaseUrl: null });
    for (let i = 0; i < maxBots; i++) {
      const account = { username: `bench${i}`, password: `pw${i}` };
      await store.accounts.create(account);
      accounts.push(account);
    }
    await store.close();
    child = await startServers(dir, login!, game!, patch!, http!);
    // One short warm-up journey per bot of the largest stage creates the characters, so stages time play, not creation.
    const warm = await runSwarm({ login: { host: '127.0.0.1', port: login! }, accounts, count: maxBots, journeys: 1, actions: 0, spawnPerSec: 200, stepTimeoutMs: 30_000 });
    console.log(`warm-up: ${warm.journeysCompleted} characters created, ${warm.journeysFailed} failed`);
    for (const bots of stages) {
      const report = await runSwarm({
        login: { host: '127.0.0.1', port: login! },
        accounts,
        count: bots,
        durationMs: seconds * 1000,
        actions: 10,
        actionsPerSec: 10,
        mix: { move: 1, chat: 0, zone: 0 },
        spawnPerSec: Math.max(50, bots / 2),
        stepTimeoutMs: 10_000,
        retryDelayMs: 200,
      });
      const stage = stageOf(bots, report);
      results.push(stage);
      console.log(`${String(bots).padStart(5)} bots  ${stage.journeysPerSec.toFixed(1).padStart(7)} journeys/s  ${String(stage.completed).padStart(6)} ok  ${String(stage.failed).padStart(4)} failed  p99 ms: ${Object.entries(stage.p99Ms).map(([s, ms]) => `${s} ${ms}`).join(', ')}`);
      if (stage.errorRate > 0.01) {
        console.log(`  errors: ${JSON.stringify(stage.errors)}; stopping here`);
        break;
      }
      const best = Math.max(...results.slice(0, -1).map((s) => s.journeysPerSec), 0);
      if (results.length > 1 && stage.journeysPerSec < best * 1.05) {
        console.log('  the rate stopped growing: the machine is saturated');
        break;
      }
    }
  } finally {
    if (child !== undefined && child.exitCode === null) {
      const running = child;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const healthy = results.filter((s) => s.errorRate <= 0.01);
  const best = (healthy.length > 0 ? healthy : results).reduce((a, b) => (b.journeysPerSec > a.journeysPerSec ? b : a));
  console.log(`\nbest: ${best.bots} bots, ${best.journeysPerSec} journeys/s (${cpus().length} cores, ${seconds} s per stage; journey = login, list, select, attach, 10 moves at 10/s, logout)`);
  console.log('step                 p99 ms');
  for (const [step, ms] of Object.entries(best.p99Ms)) console.log(`${step.padEnd(20)} ${ms}`);
  console.log(JSON.stringify({ journeysPerSec: best.journeysPerSec, bots: best.bots, p99Ms: best.p99Ms, stages: results.map(({ errors: _e, ...s }) => s) }));
}

await main();
