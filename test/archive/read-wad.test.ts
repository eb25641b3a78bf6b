import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { kiwadCrc, readWad, WadError, WadErrorCode, writeWad, type WadInputFile } from '../../src/archive/index.js';
import { SPEC_FILES, specFilesWithMatchingDeflater } from './spec-archive.js';
import { entryField, entryPos, Field, patchU32 } from './wad-patch.js';

function assertWadError(fn: () => unknown, code: string, entryName?: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof WadError, `expected a WadError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (entryName !== undefined) {
      assert.equal(error.entryName, entryName);
      assert.ok(error.message.includes(entryName), error.message);
    }
    return true;
  });
}

test('the spec test archive reads back: header, sorted entries, sizes and contents', () => {
  const wad = readWad(writeWad(specFilesWithMatchingDeflater()));
  assert.deepEqual(wad.header, { version: 1, flags: 0, count: 4, indexOffset: 13 });
  assert.deepEqual(wad.entries.map((e) => [e.name, e.size, e.storedSize, e.compressed]), [
    ['subdir/subdir_text1.txt', 21, 27, true],
    ['text1.txt', 14, 20, true],
    ['text2.txt', 14, 20, true],
    ['uncompressed.mp3', 18, 18, false],
  ]);
  assert.equal(wad.entries[0]!.offset, 158);
  for (const f of SPEC_FILES) {
    const entry = wad.get(f.name)!;
    assert.deepEqual(entry.data(), f.data);
    assert.equal(entry.crc, kiwadCrc(entry.stored()));
  }
  assert.deepEqual(wad.placeholders, []);
  assert.deepEqual(wad.notes, []);
});

test('a version-2 archive with flags reads back', () => {
  const files: WadInputFile[] = [
    { name: 'GameData/LoginMessages.xml', data: Buffer.from('<xml>'.repeat(300)), compress: true },
    { name: 'a.bin', data: Buffer.from([0, 1, 2, 3, 255]) },
  ];
  const wad = readWad(writeWad(files, { version: 2, flags: 1 }));
  assert.equal(wad.header.version, 2);
  assert.equal(wad.header.flags, 1);
  assert.equal(wad.header.indexOffset, 14);
  for (const f of files) assert.deepEqual(wad.get(f.name)!.data(), f.data);
  assert.ok(wad.get('GameData/LoginMessages.xml')!.storedSize < 1500);
});

test('duplicate names are all kept and the last one wins in the name index', () => {
  const wad = readWad(writeWad([
    { name: 'dup', data: Buffer.from('one') },
    { name: 'dup', data: Buffer.from('two'), compress: true },
    { name: 'dup', data: Buffer.from('three') },
  ]));
  assert.deepEqual(wad.entries.map((e) => e.data().toString()), ['one', 'two', 'three']);
  assert.equal(wad.get('dup')!.data().toString(), 'three');
  assert.equal(wad.byName.size, 1);
});

test('a placeholder entry is skipped with a note and does not hide an earlier duplicate', () => {
  const base = writeWad([
    { name: 'keep', data: Buffer.from('real') },
    { name: 'keep', data: Buffer.from('patched later'), compress: true },
    { name: 'other', data: Buffer.from('other') },
  ]);
  const placeholderEntry = 1;
  const offset = entryField(base, placeholderEntry, Field.offset);
  const stored = entryField(base, placeholderEntry, Field.compressedSize);
  const wadBytes = Buffer.from(base);
  wadBytes.fill(0, offset, offset + stored);
  const wad = readWad(wadBytes);
  assert.deepEqual(wad.placeholders.map((e) => [e.name, e.position]), [['keep', 1]]);
  assert.equal(wad.notes.length, 1);
  assert.match(wad.notes[0]!, /placeholder "keep"/);
  assert.deepEqual(wad.entries.map((e) => e.name), ['keep', 'other']);
  assert.equal(wad.get('keep')!.data().toString(), 'real');
});

test('all-zero data whose CRC matches is a real file, not a placeholder', () => {
  const zeros = Buffer.alloc(64);
  const wad = readWad(writeWad([{ name: 'zeros', data: zeros }, { name: 'packed', data: zeros, compress: true }]));
  assert.deepEqual(wad.placeholders, []);
  assert.deepEqual(wad.get('zeros')!.data(), zeros);
  assert.deepEqual(wad.get('packed')!.data(), zeros);
});

test('zero-length entries are empty files, whatever their flag and CRC say', () => {
  const base = writeWad([{ name: 'empty', data: Buffer.alloc(0) }, { name: 'x', data: Buffer.from('x') }]);
  let wadBytes = patchU32(base, 0, Field.crc, 0xdeadbeef);
  wadBytes[entryPos(wadBytes, 0) + Field.compressed] = 1;
  wadBytes = patchU32(wadBytes, 0, Field.compressedSize, 0);
  const wad = readWad(wadBytes);
  assert.deepEqual(wad.placeholders, []);
  assert.equal(wad.get('empty')!.data().length, 0);
  assert.equal(wad.get('x')!.data().toString(), 'x');
});

const specWad = () => writeWad(SPEC_FILES);

test('an entry whose range runs past the end of the file is refused by name', () => {
  const wad = specWad();
  assertWadError(() => readWad(patchU32(wad, 1, Field.offset, wad.length - 3)), WadErrorCode.OutOfRange, 'text1.txt');
  assertWadError(() => readWad(patchU32(wad, 3, Field.size, 0xffffffff)), WadErrorCode.OutOfRange, 'uncompressed.mp3');
  assertWadError(() => readWad(patchU32(wad, 0, Field.compressedSize, 0xffffffff)), WadErrorCode.OutOfRange,
    'subdir/subdir_text1.txt');
  // The compressed-size field of a stored entry is not used.
  assert.equal(readWad(patchU32(wad, 3, Field.compressedSize, 12345)).get('uncompressed.mp3')!.data().toString(),
    'uncompressed data\n');
});

test('a stream that inflates to another size than declared is refused by name', () => {
  const wad = specWad();
  const size = entryField(wad, 1, Field.size);
  for (const wrong of [size - 1, size + 1, 1, 0x7fffffff]) {
    const read = readWad(patchU32(wad, 1, Field.size, wrong), { maxEntrySize: 2 ** 31 });
    assertWadError(() => read.get('text1.txt')!.data(), WadErrorCode.WrongSize, 'text1.txt');
  }
});

test('a zlib bomb is stopped at the declared size', () => {
  const bomb = deflateSync(Buffer.alloc(8 * 1024 * 1024));
  const wad = readWad(writeWad([{ name: 'bomb', data: Buffer.alloc(100) }]));
  assert.equal(wad.entries.length, 1);
  const real = writeWad([{ name: 'bomb', data: Buffer.alloc(8 * 1024 * 1024), deflated: bomb }]);
  const lying = patchU32(real, 0, Field.size, 100);
  assertWadError(() => readWad(lying).get('bomb')!.data(), WadErrorCode.WrongSize, 'bomb');
  assertWadError(() => readWad(real, { maxEntrySize: 1024 }).get('bomb')!.data(), WadErrorCode.EntryTooLarge, 'bomb');
});

test('a CRC mismatch on non-zero data is refused by name, on stored and compressed entries', () => {
  const wad = specWad();
  for (const [i, name] of [[3, 'uncompressed.mp3'], [2, 'text2.txt']] as const) {
    const corrupt = patchU32(wad, i, Field.crc, entryField(wad, i, Field.crc) ^ 1);
    const read = readWad(corrupt);
    assert.deepEqual(read.placeholders, []);
    assertWadError(() => read.get(name)!.data(), WadErrorCode.CrcMismatch, name);
    assert.equal(read.get('text1.txt')!.data().toString(), 'this is text1\n', 'other entries stay readable');
  }
});

test('a corrupt zlib stream with a matching CRC is refused by name', () => {
  const wad = Buffer.from(specWad());
  const offset = entryField(wad, 1, Field.offset);
  const stored = entryField(wad, 1, Field.compressedSize);
  wad.fill(0xee, offset, offset + stored);
  const fixed = patchU32(wad, 1, Field.crc, kiwadCrc(wad.subarray(offset, offset + stored)));
  assertWadError(() => readWad(fixed).get('text1.txt')!.data(), WadErrorCode.Inflate, 'text1.txt');
});

test('every truncation of the archive is a typed error', () => {
  const wad = specWad();
  const indexEnd = entryField(wad, 0, Field.offset);
  for (let length = 0; length < wad.length; length++) {
    const cut = wad.subarray(0, length);
    let code: string | undefined;
    try {
      readWad(cut);
    } catch (error) {
      assert.ok(error instanceof WadError, `length ${length}: ${String(error)}`);
      code = error.code;
    }
    const expected: string[] = length < 13 ? [WadErrorCode.Truncated]
      : length < indexEnd ? [WadErrorCode.Truncated, WadErrorCode.BadCount]
        : [WadErrorCode.OutOfRange];
    assert.ok(code !== undefined && expected.includes(code), `length ${length}: ${code}`);
  }
});

test('bad magic, unknown versions and empty names are refused', () => {
  const wad = specWad();
  const badMagic = Buffer.from(wad);
  badMagic.write('KIWAX', 0, 'latin1');
  assertWadError(() => readWad(badMagic), WadErrorCode.BadMagic);
  assertWadError(() => readWad(Buffer.from('PK\x03\x04')), WadErrorCode.BadMagic);
  for (const version of [0, 3, 0xffffffff]) {
    const v = Buffer.from(wad);
    v.writeUInt32LE(version, 5);
    assertWadError(() => readWad(v), WadErrorCode.BadVersion);
  }
  assertWadError(() => readWad(patchU32(wad, 0, Field.nameLength, 0)), WadErrorCode.BadName);
  const nulName = Buffer.from(wad);
  nulName[entryPos(nulName, 0) + 21] = 0;
  assertWadError(() => readWad(nulName), WadErrorCode.BadName);
});

test('absurd counts and name lengths fail fast without allocating', () => {
  const wad = specWad();
  const count = Buffer.from(wad);
  count.writeUInt32LE(0xffffffff, 9);
  assertWadError(() => readWad(count), WadErrorCode.BadCount);
  count.writeUInt32LE(Math.floor((wad.length - 13) / 22) + 1, 9);
  assertWadError(() => readWad(count), WadErrorCode.BadCount);
  assertWadError(() => readWad(patchU32(wad, 0, Field.nameLength, 0xfffffff0)), WadErrorCode.BadName);
  assertWadError(() => readWad(patchU32(wad, 1, Field.nameLength, 4000)), WadErrorCode.Truncated);
  // The file-size cap applies even under a generous name limit.
  assertWadError(() => readWad(patchU32(wad, 1, Field.nameLength, 0x7fffffff), { maxNameLength: 2 ** 32 }),
    WadErrorCode.Truncated);
});

test('random corruption of an archive ends in contents or a typed error, never anything else', () => {
  const wad = writeWad([...SPEC_FILES, { name: 'empty', data: Buffer.alloc(0) }], { version: 2 });
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat({ max: wad.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    fc.nat({ max: wad.length }),
    (flips, cut) => {
      const mutated = Buffer.from(wad.subarray(0, Math.max(cut, wad.length - 40)));
      for (const [at, value] of flips) if (at < mutated.length) mutated[at] = value;
      try {
        const read = readWad(mutated, { maxEntrySize: 1 << 20 });
        for (const entry of read.entries) {
          try {
            const data = entry.data();
            assert.equal(data.length, entry.size);
          } catch (error) {
            if (!(error instanceof WadError)) throw error;
          }
        }
      } catch (error) {
        if (!(error instanceof WadError)) throw error;
      }
    },
  ), { numRuns: 3000, seed: 20261125 });
});
