import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { kiwadCrc, readWad, writeWad, WadErrorCode, WadWriteInputError } from '../../src/archive/index.js';
import { SPEC_FILES, specFilesWithMatchingDeflater } from './spec-archive.js';

// Index entries straight from the bytes, independent of the reader.
function rawIndex(wad: Buffer) {
  const version = wad.readUInt32LE(5);
  const count = wad.readUInt32LE(9);
  let pos = version >= 2 ? 14 : 13;
  const out = [];
  for (let i = 0; i < count; i++) {
    const nameLength = wad.readUInt32LE(pos + 17);
    out.push({
      offset: wad.readUInt32LE(pos), size: wad.readUInt32LE(pos + 4), compressedSize: wad.readUInt32LE(pos + 8),
      compressed: wad[pos + 12], crc: wad.readUInt32LE(pos + 13), nameLength,
      name: wad.toString('utf8', pos + 21, pos + 21 + nameLength),
    });
    pos += 21 + nameLength;
  }
  return { version, count, indexEnd: pos, entries: out };
}

test('the spec test archive is 243 bytes with its index ending at byte 158 when streams use 3-byte matches', () => {
  const wad = writeWad(specFilesWithMatchingDeflater());
  assert.equal(wad.length, 243);
  assert.equal(wad.toString('latin1', 0, 5), 'KIWAD');
  const index = rawIndex(wad);
  assert.equal(index.version, 1);
  assert.equal(index.count, 4);
  assert.equal(index.indexEnd, 158);
  assert.equal(Math.min(...index.entries.map((e) => e.offset)), 158);
  assert.deepEqual(index.entries.map((e) => e.name), [
    'subdir/subdir_text1.txt\0', 'text1.txt\0', 'text2.txt\0', 'uncompressed.mp3\0',
  ]);
  assert.deepEqual(index.entries.map((e) => e.compressed), [1, 1, 1, 0]);
  assert.deepEqual(index.entries.map((e) => e.size), [21, 14, 14, 18]);
  assert.equal(index.entries[3]!.compressedSize, 0xffffffff);
  for (const e of index.entries) {
    const storedSize = e.compressed ? e.compressedSize : e.size;
    assert.equal(e.crc, kiwadCrc(wad.subarray(e.offset, e.offset + storedSize)), e.name);
  }
});

test('node zlib streams of the spec files are longer at every level but keep the layout', () => {
  // Node's zlib hashes 4 bytes and misses the 3-byte "is " match the spec's
  // streams use, so the spec's 243 bytes cannot come from any level of it.
  for (let level = 1; level <= 9; level++) {
    const wad = writeWad(SPEC_FILES, { level });
    const index = rawIndex(wad);
    assert.equal(index.indexEnd, 158);
    const stored = SPEC_FILES.map((f) => (f.compress ? deflateSync(f.data, { level }).length : f.data.length));
    assert.equal(wad.length, 158 + stored.reduce((a, b) => a + b, 0));
    assert.ok(wad.length > 243, `level ${level} gives ${wad.length}`);
    const read = readWad(wad);
    for (const f of SPEC_FILES) assert.deepEqual(read.get(f.name)!.data(), f.data);
  }
});

test('entries are sorted by name bytes and duplicates keep their input order', () => {
  const wad = writeWad([
    { name: 'b', data: Buffer.from('first b') },
    { name: 'a/z', data: Buffer.from('az') },
    { name: 'B', data: Buffer.from('capital') },
    { name: 'b', data: Buffer.from('second b'), compress: true },
    { name: 'a', data: Buffer.from('a') },
  ]);
  const read = readWad(wad);
  assert.deepEqual(read.entries.map((e) => e.name), ['B', 'a', 'a/z', 'b', 'b']);
  assert.deepEqual(read.entries.slice(3).map((e) => e.data().toString()), ['first b', 'second b']);
  assert.equal(read.get('b')!.data().toString(), 'second b');
});

test('version 2 writes the flags byte and version 1 refuses flags', () => {
  const wad = writeWad([{ name: 'x', data: Buffer.from('x') }], { version: 2, flags: 1 });
  assert.equal(wad.readUInt32LE(5), 2);
  assert.equal(wad[13], 1);
  assert.equal(rawIndex(wad).indexEnd, 14 + 21 + 2);
  assert.throws(() => writeWad([], { flags: 1 }), { code: WadErrorCode.BadInput });
  assert.throws(() => writeWad([], { version: 2, flags: 256 }), { code: WadErrorCode.BadInput });
  assert.throws(() => writeWad([], { version: 3 as 2 }), { code: WadErrorCode.BadInput });
});

test('an empty file is stored uncompressed even when compression is asked for', () => {
  const wad = writeWad([{ name: 'empty', data: Buffer.alloc(0), compress: true }]);
  const [e] = rawIndex(wad).entries;
  assert.equal(e!.compressed, 0);
  assert.equal(e!.size, 0);
  assert.equal(e!.crc, 0);
  assert.equal(wad.length, 13 + 21 + 6);
});

test('the writer refuses names and streams it cannot store faithfully', () => {
  const data = Buffer.from('content');
  const bad = (file: object, name: string) => {
    assert.throws(() => writeWad([file as never]), (error: unknown) => {
      assert.ok(error instanceof WadWriteInputError, String(error));
      assert.equal(error.code, WadErrorCode.BadInput);
      assert.equal(error.entryName, name);
      return true;
    });
  };
  bad({ name: '', data }, '');
  bad({ name: 'a\0b', data }, 'a\0b');
  bad({ name: 'x'.repeat(5000), data }, 'x'.repeat(5000));
  bad({ name: 'n', data: 'not a buffer' }, 'n');
  bad({ name: 'n', data, deflated: Buffer.from('garbage') }, 'n');
  bad({ name: 'n', data, deflated: deflateSync(Buffer.from('other content')) }, 'n');
  bad({ name: 'n', data, deflated: deflateSync(Buffer.from('content and more')) }, 'n');
});
