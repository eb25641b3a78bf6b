// A process streaming character saves is killed with SIGKILL mid-stream; the database must
// open cleanly afterwards and hold every save the process saw acknowledged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { postgresHarness, sqliteHarness, type FreshDatabase, type Harness } from './store-harness.js';

const child = fileURLToPath(new URL('./fixtures/save-stream.ts', import.meta.url));
const killAfterSaves = 300;

interface Acknowledged {
  characterIds: bigint[];
  lastSeq: Map<bigint, number>;
  total: number;
}

function runAndKill(location: FreshDatabase['location']): Promise<Acknowledged> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(location)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: Acknowledged = { characterIds: [], lastSeq: new Map(), total: 0 };
    let buffered = '';
    let stderr = '';
    let killed = false;
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      // Only complete lines count: a partial line was not fully acknowledged to us.
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const parts = line.split(' ');
        if (parts[0] === 'ready') {
          acknowledged.characterIds = parts.slice(1).map((x) => BigInt(x));
        } else {
          acknowledged.lastSeq.set(BigInt(parts[0]!), Number(parts[1]));
          acknowledged.total++;
          if (acknowledged.total >= killAfterSaves && !killed) {
            killed = true;
            proc.kill('SIGKILL');
          }
        }
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`save stream ended without the kill (code ${code}): ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

function defineCrashTest(harness: Harness, extraCheck?: (database: FreshDatabase) => Promise<void>): void {
  describe(`crash safety on ${harness.name}`, { skip: harness.skip }, () => {
    it('keeps every acknowledged character save across a SIGKILL', async () => {
      const database = await harness.fresh();
      try {
        const acknowledged = await runAndKill(database.location);
        assert.equal(acknowledged.characterIds.length, 8);
        assert.ok(acknowledged.total >= killAfterSaves);
        await extraCheck?.(database);
        const store = await database.open();
        for (const id of acknowledged.characterIds) {
          const character = await store.characters.get(id);
          assert.ok(character, `character ${id} survived`);
          const acked = acknowledged.lastSeq.get(id) ?? 0;
          const stored = Number(character.state['seq'] ?? 0);
          assert.ok(stored >= acked, `character ${id}: acknowledged save ${acked}, stored ${stored}`);
          assert.equal(character.location?.x, stored);
        }
      } finally {
        await database.dispose();
      }
    });
  });
}

defineCrashTest(sqliteHarness(), async (database) => {
  // Opening after the kill recovers the WAL; the file must then pass SQLite's own check.
  const db = new BetterSqlite3(database.location.sqlitePath!);
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
});
defineCrashTest(await postgresHarness());
