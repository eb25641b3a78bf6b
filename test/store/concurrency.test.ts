// The per-account character limit across processes: two processes each fire 10 concurrent
// creates for one account on the same database; exactly the limit (6) may succeed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { postgresHarness, sqliteHarness, type Harness } from './store-harness.js';

const child = fileURLToPath(new URL('./fixtures/create-burst.ts', import.meta.url));

/** Starts a burst child; resolves `ready` once it has opened the store, `result` with its codes. */
function startBurst(args: string[]): { proc: ChildProcessWithoutNullStreams; ready: Promise<void>; result: Promise<string[]> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args]);
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  const result = new Promise<string[]>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`burst child exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.slice('ready\n'.length)) as string[]);
    });
  });
  return { proc, ready, result };
}

function defineCrossProcessLimitTest(harness: Harness): void {
  describe(`cross-process character limit on ${harness.name}`, { skip: harness.skip }, () => {
    it('lets exactly 6 of 20 concurrent creates from two processes succeed', async () => {
      const database = await harness.fresh();
      try {
        const store = await database.open();
        const owner = await store.accounts.create({ username: 'contested', password: 'contested pw' });
        await store.close();
        const bursts = ['a', 'b'].map((label) => startBurst([JSON.stringify(database.location), owner.id.toString(), '10', label]));
        await Promise.all(bursts.map((b) => b.ready));
        for (const burst of bursts) burst.proc.stdin.end('go\n');
        const codes = (await Promise.all(bursts.map((b) => b.result))).flat();
        assert.equal(codes.length, 20);
        assert.equal(codes.filter((c) => c === 'ok').length, 6, codes.join(' '));
        assert.ok(codes.every((c) => c === 'ok' || c === 'ERR_CHARACTER_LIMIT'), codes.join(' '));
        const check = await database.open();
        assert.equal((await check.characters.listByAccount(owner.id)).length, 6);
      } finally {
        await database.dispose();
      }
    });
  });
}

defineCrossProcessLimitTest(sqliteHarness());
defineCrossProcessLimitTest(await postgresHarness());
