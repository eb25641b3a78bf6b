// Store benchmark: character saves/s and account look-ups/s on each back end, one caller at a
// time and 50 concurrent callers. SQLite in a temp file ('full', the default: every save fsynced
// before it is acknowledged, and 'normal' for comparison); PostgreSQL in a schema of its own
// when reachable.
// Usage: npm run bench:store [-- --seconds 2]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Account, type Character, type Store } from '../src/store/index.js';

const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 2;
const postgresUrl = process.env['IMLIGHT_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const accountsForLookups = 1000;

interface Figures {
  savesPerSecSingle: number;
  savesPerSec50: number;
  lookupsPerSecSingle: number;
  lookupsPerSec50: number;
}

/** Runs `workers` loops of `op` for the time budget; returns completed operations per second. */
async function rate(workers: number, op: (worker: number, i: number) => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await op(worker, i);
        done++;
      }
    }),
  );
  return Math.round(done / ((performance.now() - started) / 1000));
}

async function measure(store: Store): Promise<Figures> {
  const owners: Account[] = [];
  for (let i = 0; i < accountsForLookups; i++) owners.push(await store.accounts.create({ username: `bench-user-${i}`, password: `password-${i}` }));
  const characters: Character[] = [];
  for (let i = 0; i < 50; i++) characters.push(await store.characters.create({ accountId: owners[i]!.id, name: `Bencher${i}` }));
  const versions = characters.map((c) => c.stateVersion);
  const state = { gold: 0, inventory: Array.from({ length: 20 }, (_, i) => ({ item: i, count: 1 })), quests: { active: [1, 2, 3] } };
  const save = async (worker: number, i: number) => {
    versions[worker] = await store.characters.save(characters[worker]!.id, {
      expectedVersion: versions[worker]!,
      state: { ...state, gold: i },
      zoneName: 'WizardCity/WC_Ravenwood',
      location: { x: i, y: -i, z: 0, yaw: 1 },
    });
  };
  const lookup = async (worker: number, i: number) => {
    const found = await store.accounts.findByUsername(`BENCH-USER-${(worker * 7919 + i) % accountsForLookups}`);
    if (found === undefined) throw new Error('lookup missed');
  };
  return {
    savesPerSecSingle: await rate(1, save),
    savesPerSec50: await rate(50, save),
    lookupsPerSecSingle: await rate(1, lookup),
    lookupsPerSec50: await rate(50, lookup),
  };
}

async function sqliteFigures(synchronous: 'full' | 'normal'): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-bench-store-'));
  const store = await openStore({ databaseUrl: null, sqlitePath: join(dir, 'bench.db'), sqliteSynchronous: synchronous });
  try {
    return await measure(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresFigures(): Promise<Figures | null> {
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    console.error(`PostgreSQL unreachable, skipped: ${(error as Error).message}`);
    await admin.end().catch(() => {});
    return null;
  }
  const schema = `imlight_bench_${randomBytes(6).toString('hex')}`;
  try {
    const store = await openStore({ databaseUrl: postgresUrl, postgresSchema: schema, postgresPoolSize: 20 });
    try {
      return await measure(store);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
}

const results: Record<string, Figures | null> = {
  sqlite: await sqliteFigures('full'),
  sqliteSynchronousNormal: await sqliteFigures('normal'),
  postgres: await postgresFigures(),
};

const rows = Object.entries(results).map(([backend, f]) =>
  f === null
    ? `| ${backend.padEnd(24)} | ${'unreachable'.padStart(12)} | ${''.padStart(12)} | ${''.padStart(12)} | ${''.padStart(12)} |`
    : `| ${backend.padEnd(24)} | ${String(f.savesPerSecSingle).padStart(12)} | ${String(f.savesPerSec50).padStart(12)} | ${String(f.lookupsPerSecSingle).padStart(12)} | ${String(f.lookupsPerSec50).padStart(12)} |`,
);
console.log(`store benchmark, ${seconds} s per figure (operations per second)`);
console.log(`| ${'back end'.padEnd(24)} | ${'saves x1'.padStart(12)} | ${'saves x50'.padStart(12)} | ${'lookups x1'.padStart(12)} | ${'lookups x50'.padStart(12)} |`);
console.log(`|${'-'.repeat(26)}|${'-'.repeat(14)}|${'-'.repeat(14)}|${'-'.repeat(14)}|${'-'.repeat(14)}|`);
for (const row of rows) console.log(row);
console.log(JSON.stringify({ bench: 'store', seconds, ...results }));
