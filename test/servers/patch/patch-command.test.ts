import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { registerPatchCommands } from '../../../src/cli/commands/patch.js';
import { PatchHttpServer, decodeFileListTables, fileRecordsOf } from '../../../src/servers/patch/index.js';
import { bytes, tempDir, writeTree } from './fixtures.js';

async function run(args: string[]): Promise<{ out: string[]; err: string[]; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const program = new Command().exitOverride();
  registerPatchCommands(program, { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, setExitCode: (c) => { code = c; } });
  await program.parseAsync(['node', 'imlight', ...args]);
  return { out, err, code };
}

const TREE = { 'a.txt': 'alpha', 'Data/b.bin': bytes(20_000, 2), 'Data/c.txt': 'charlie' };

describe('imlight patch commands', () => {
  test('build writes both lists and prints a plain summary when not on a terminal', async () => {
    const dir = await tempDir('cmd-build');
    const out = await tempDir('cmd-out');
    try {
      await writeTree(dir.path, TREE);
      const first = await run(['patch', 'build', dir.path, '--out', out.path]);
      assert.equal(first.code, 0, first.err.join('\n'));
      assert.match(first.out[0]!, /^3 files, .* hashed 3 .* reused 0 /);
      const records = fileRecordsOf(decodeFileListTables(await readFile(join(out.path, 'LatestFileList.bin'))));
      assert.deepEqual(records.map((r) => r.SrcFileName), ['Data/b.bin', 'Data/c.txt', 'a.txt']);
      assert.match(await readFile(join(out.path, 'LatestFileList.xml'), 'utf8'), /<LatestFileList>/);
      const second = await run(['patch', 'build', dir.path, '--out', out.path]);
      assert.match(second.out[0]!, /hashed 0 .* reused 3 /);
      const missing = await run(['patch', 'build', join(dir.path, 'nope')]);
      assert.equal(missing.code, 1);
    } finally {
      await dir.cleanup();
      await out.cleanup();
    }
  });

  test('verify reports missing, size and CRC mismatches with exit code 1, and 0 for a faithful copy', async () => {
    const served = await tempDir('cmd-served');
    const copy = await tempDir('cmd-copy');
    const server = new PatchHttpServer({ dir: served.path, build: { cachePath: false } });
    try {
      await writeTree(served.path, TREE);
      await writeTree(copy.path, TREE);
      await server.start({ host: '127.0.0.1', port: 0 });
      const good = await run(['patch', 'verify', copy.path, server.url()]);
      assert.equal(good.code, 0, good.out.join('\n'));
      assert.match(good.out.at(-1)!, /^3 files checked .*: 0 missing, 0 size mismatches, 0 CRC mismatches$/);

      await writeFile(join(copy.path, 'a.txt'), 'alphA');
      await writeFile(join(copy.path, 'Data/c.txt'), 'charlie!');
      await rm(join(copy.path, 'Data/b.bin'));
      const bad = await run(['patch', 'verify', copy.path, `${server.url()}LatestFileList.bin`]);
      assert.equal(bad.code, 1);
      assert.ok(bad.out.some((l) => /^missing\s+Data\/b\.bin$/.test(l)), bad.out.join('\n'));
      assert.ok(bad.out.some((l) => /^size\s+Data\/c\.txt: expected 7 bytes, found 8$/.test(l)));
      assert.ok(bad.out.some((l) => /^crc\s+a\.txt: expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}$/.test(l)));
      assert.match(bad.out.at(-1)!, /1 missing, 1 size mismatches, 1 CRC mismatches$/);

      const unreachable = await run(['patch', 'verify', copy.path, 'http://127.0.0.1:1/']);
      assert.equal(unreachable.code, 1);
      assert.match(unreachable.err[0]!, /patch verify failed/);
    } finally {
      await server.stop();
      await served.cleanup();
      await copy.cleanup();
    }
  });
});
