// PostgreSQL restarted while a swarm plays against login and game servers that use it. Only in the full
// suite (IMLIGHT_FAULTS=full), as root, with pg_ctlcluster on the machine: restarting the shared
// database would break the other test files running alongside in the normal run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runSwarm, type SwarmProgress } from '../../src/bots/index.js';
import { openStore } from '../../src/store/index.js';
import { postgresReachable, postgresTestUrl } from '../store/store-harness.js';
import { FULL, figures, gameServersReady, makeAccounts, sleep, startPlayNetwork } from './support.js';

const PG_CTL = '/usr/bin/pg_ctlcluster';

async function skipReason(): Promise<string | undefined> {
  if (!FULL) return 'restarts the shared PostgreSQL: only in the full fault suite (IMLIGHT_FAULTS=full, npm run test:faults)';
  if (process.getuid?.() !== 0) return 'restarting PostgreSQL needs root';
  if (!existsSync(PG_CTL) || !existsSync('/etc/postgresql')) return 'pg_ctlcluster is not installed';
  return postgresReachable();
}

function restartPostgres(): number {
  const version = readdirSync('/etc/postgresql')[0]!;
  const started = Date.now();
  execFileSync(PG_CTL, ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'ignore' });
  return Date.now() - started;
}

const reason = await skipReason();

test('PostgreSQL restarted twice under load: the servers recover, and no confirmed save is lost', { skip: reason ?? false }, async (t) => {
  const schema = `imlight_faults_${randomBytes(5).toString('hex')}`;
  t.after(async () => {
    const client = new pg.Client({ connectionString: postgresTestUrl });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });
  const net = await startPlayNetwork(t, { openStore: () => openStore({ databaseUrl: postgresTestUrl, postgresSchema: schema }) });
  await gameServersReady(net);
  const bots = 60;
  // An error the driver throws outside any query (a pooled connection killed by the restart while checked out)
  // reaches the process as an uncaught exception: in an imlight process that is fatal, so it fails the case.
  const uncaught: string[] = [];
  const onUncaught = (error: Error): void => { uncaught.push(error.message); };
  process.on('uncaughtException', onUncaught);
  t.after(() => { process.off('uncaughtException', onUncaught); });
  const accounts = await makeAccounts(net.store, 'pgr', bots);
  const snapshots: SwarmProgress[] = [];
  const durationMs = 45_000;
  const swarm = runSwarm({
    login: { host: '127.0.0.1', port: net.port },
    accounts,
    count: bots,
    durationMs,
    actions: 10,
    actionsPerSec: 20,
    mix: { move: 60, chat: 10, zone: 30 },
    stepTimeoutMs: 8000,
    retryDelayMs: 500,
    progressIntervalMs: 250,
    onProgress: (p) => snapshots.push(p),
  });
  await sleep(10_000);
  const before = snapshots.at(-1)!;
  const restartMs = restartPostgres();
  await sleep(10_000);
  const secondRestartMs = restartPostgres();
  const restartedAt = Date.now();
  const report = await swarm;
  const completedBefore = before.journeysCompleted;
  const afterSecond = snapshots.find((s) => s.elapsedMs >= before.elapsedMs + restartMs + 10_000 + secondRestartMs + 2000);
  const completedAfterRestart = report.journeysCompleted - (afterSecond?.journeysCompleted ?? report.journeysCompleted);
  assert.deepEqual(uncaught, [], 'no database error escaped as an uncaught exception (it would stop an imlight process)');
  assert.ok(completedBefore > 0, 'the swarm was playing before the restart');
  assert.ok(completedAfterRestart >= bots / 2, `journeys complete again after the database is back (${completedAfterRestart})`);
  const lost = Object.entries(report.errors).filter(([kind]) => kind.includes('state-lost')).reduce((n, [, c]) => n + c, 0);
  assert.equal(lost, 0, `no character came back older than its confirmed logout (${JSON.stringify(report.errors)})`);
  // The servers are still up and admit a newcomer.
  const [late] = await makeAccounts(net.store, 'pgr-late', 1);
  const after = await runSwarm({ login: { host: '127.0.0.1', port: net.port }, accounts: [late!], count: 1, actions: 3, actionsPerSec: 20 });
  assert.equal(after.journeysCompleted, 1, JSON.stringify(after.errors));
  figures(t, 'postgres-restart', {
    bots, restarts: 2, restartMs, secondRestartMs, journeysBefore: completedBefore, journeysTotal: report.journeysCompleted, journeysFailed: report.journeysFailed,
    completedAfterRestart, errors: report.errors, confirmedSavesLost: lost, secondsAfterRestart: Math.round((Date.now() - restartedAt) / 1000),
  });
});
