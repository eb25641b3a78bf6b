import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kiwadCrc, openWad, readWad, WadError, WadErrorCode, writeWad, type WadInputFile } from '../../src/archive/index.js';
import { SPEC_FILES, specFilesWithMatchingDeflater } from './spec-archive.js';
import { entryField, Field, patchU32 } from './wad-patch.js';

let dir: string;
let counter = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imlight-wad-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function toFile(bytes: Buffer): Promise<string> {
  const path = join(dir, `archive-${counter++}.wad`);
  await writeFile(path, bytes);
  return path;
}

async function rejectsWith(promise: Promise<unknown>, code: string, entryName?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof WadError, `expected a WadError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (entryName !== undefined) assert.equal(error.entryName, entryName);
    return true;
  });
}

test('the spec test archive opened from a file lists and reads every entry', async () => {
  const wad = await openWad(await toFile(writeWad(specFilesWithMatchingDeflater())));
  try {
    assert.equal(wad.fileSize, 243);
    assert.deepEqual(wad.header, { version: 1, flags: 0, count: 4, indexOffset: 13 });
    assert.deepEqual(wad.entries.map((e) => e.name), ['subdir/subdir_text1.txt', 'text1.txt', 'text2.txt', 'uncompressed.mp3']);
    for (const f of SPEC_FILES) {
      assert.deepEqual(await wad.read(f.name), f.data);
      assert.deepEqual(await wad.read(wad.get(f.name)!), f.data);
    }
    assert.equal((await wad.readStored('text1.txt')).length, 20);
  } finally {
    await wad.close();
  }
});

test('an index larger than one read chunk is parsed across chunk boundaries like the in-memory reader', async () => {
  const files: WadInputFile[] = [];
  for (let i = 0; i < 700; i++) {
    const name = `dir${i % 7}/${'n'.repeat(i % 50)}file-${i}.txt`;
    files.push({ name, data: Buffer.from(`content of ${name}\n`.repeat(i % 5)), compress: i % 3 === 0 });
  }
  const bytes = writeWad(files, { version: 2, flags: 1 });
  const memory = readWad(bytes);
  const wad = await openWad(await toFile(bytes), { chunkSize: 1, maxNameLength: 100 });
  try {
    assert.deepEqual(wad.header, memory.header);
    assert.deepEqual(wad.entries, memory.entries.map(({ data: _d, stored: _s, ...entry }) => entry));
    const results = await Promise.all(wad.entries.map((e) => wad.read(e)));
    results.forEach((data, i) => assert.deepEqual(data, memory.entries[i]!.data()));
  } finally {
    await wad.close();
  }
});

test('reading a placeholder rejects with a placeholder error and other entries stay readable', async () => {
  const base = writeWad([{ name: 'hole', data: Buffer.from('patched later') }, { name: 'ok', data: Buffer.from('ok') }]);
  const bytes = Buffer.from(base);
  const offset = entryField(bytes, 0, Field.offset);
  bytes.fill(0, offset, offset + entryField(bytes, 0, Field.size));
  const wad = await openWad(await toFile(bytes));
  try {
    await rejectsWith(wad.read('hole'), WadErrorCode.Placeholder, 'hole');
    assert.equal((await wad.read('ok')).toString(), 'ok');
  } finally {
    await wad.close();
  }
});

test('corrupt entries reject with typed errors naming them', async () => {
  const wad0 = writeWad(SPEC_FILES);
  const crc = await openWad(await toFile(patchU32(wad0, 3, Field.crc, 1)));
  const size = await openWad(await toFile(patchU32(wad0, 1, Field.size, 15)));
  try {
    await rejectsWith(crc.read('uncompressed.mp3'), WadErrorCode.CrcMismatch, 'uncompressed.mp3');
    await rejectsWith(size.read('text1.txt'), WadErrorCode.WrongSize, 'text1.txt');
    await rejectsWith(size.read('missing'), WadErrorCode.NotFound, 'missing');
  } finally {
    await crc.close();
    await size.close();
  }
  const small = await openWad(await toFile(wad0), { maxEntrySize: 16 });
  try {
    await rejectsWith(small.read('uncompressed.mp3'), WadErrorCode.EntryTooLarge, 'uncompressed.mp3');
  } finally {
    await small.close();
  }
});

test('malformed headers and indexes are refused at open', async () => {
  const wad0 = writeWad(SPEC_FILES);
  await rejectsWith(openWad(await toFile(Buffer.alloc(0))), WadErrorCode.Truncated);
  await rejectsWith(openWad(await toFile(Buffer.from('not a wad at all'))), WadErrorCode.BadMagic);
  await rejectsWith(openWad(await toFile(wad0.subarray(0, 120))), WadErrorCode.Truncated);
  await rejectsWith(openWad(await toFile(wad0.subarray(0, 200))), WadErrorCode.OutOfRange);
  await rejectsWith(openWad(await toFile(patchU32(wad0, 2, Field.nameLength, 0xffffffff))), WadErrorCode.BadName);
  const count = Buffer.from(wad0);
  count.writeUInt32LE(100000000, 9);
  await rejectsWith(openWad(await toFile(count)), WadErrorCode.BadCount);
  await assert.rejects(openWad(join(dir, 'does-not-exist.wad')), { code: 'ENOENT' });
});

test('a closed archive refuses further reads', async () => {
  const wad = await openWad(await toFile(writeWad(SPEC_FILES)));
  await wad.close();
  await wad.close();
  await rejectsWith(wad.read('text1.txt'), WadErrorCode.Closed);
  await rejectsWith(wad.readStored(wad.entries[0]!), WadErrorCode.Closed);
});

test('large entries inflate off the main thread with the same checks', async () => {
  const big = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 29;
  const bytes = writeWad([{ name: 'big', data: big, compress: true }, { name: 'big-stored', data: big }]);
  const wad = await openWad(await toFile(bytes));
  const lying = await openWad(await toFile(patchU32(bytes, 0, Field.size, big.length - 1)));
  const corrupt = Buffer.from(bytes);
  const offset = entryField(corrupt, 0, Field.offset);
  const stored = corrupt.subarray(offset, offset + entryField(corrupt, 0, Field.compressedSize));
  stored[1] ^= 0xff;
  const broken = await openWad(await toFile(patchU32(corrupt, 0, Field.crc, kiwadCrc(stored))));
  const wrongCrc = await openWad(await toFile(patchU32(bytes, 0, Field.crc, 0)));
  try {
    assert.deepEqual(await wad.read('big'), big);
    assert.deepEqual(await wad.read('big-stored'), big);
    await rejectsWith(lying.read('big'), WadErrorCode.WrongSize, 'big');
    await rejectsWith(broken.read('big'), WadErrorCode.Inflate, 'big');
    await rejectsWith(wrongCrc.read('big'), WadErrorCode.CrcMismatch, 'big');
  } finally {
    await Promise.all([wad.close(), lying.close(), broken.close(), wrongCrc.close()]);
  }
});
