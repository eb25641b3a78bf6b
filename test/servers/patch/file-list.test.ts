import assert from 'node:assert/strict';
import { readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  FileListDecodeError, FileType, buildFileList, decodeFileListTables, decodeFileListXml, encodeFileListTables,
  fileRecordsOf, writeFileList,
} from '../../../src/servers/patch/index.js';
import { OLD_TIME, bytes, kiwad, tempDir, writeTree } from './fixtures.js';
import { assertReferenceVectors, referenceKiwadCrc, referenceStandardCrc } from './reference-crc.js';

const archive = kiwad({ 'subdir/subdir_text1.txt': 'this is subdir text1\n', 'text1.txt': 'this is text1\n', 'uncompressed.mp3': 'uncompressed data\n' });

const TREE: Record<string, Buffer | string> = {
  'readme.txt': 'hello patch\n',
  'Data/GameData/Root.wad': archive.bytes,
  'Data/GameData/Not a wad.wad': 'plain text pretending to be an archive',
  'Data/Bin/Game.exe': bytes(3000, 7),
  'Data/Sounds/big.bin': bytes(300_000, 11),
  'Data/empty.dat': '',
  'names/a & b <c>.txt': 'escaped name',
  'PatchClient/Patcher.dll': bytes(1000, 3),
  'packages/Zone_1/Data/GameData/Zone_1.wad': kiwad({ 'zone.xml': '<zone/>' }).bytes,
  'packages/About/x.txt': 'reserved package name',
  '.hidden/secret.txt': 'dot folders are not served',
};

describe('building the file list', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let outside: { path: string; cleanup: () => Promise<void> };
  before(async () => {
    dir = await tempDir('filelist');
    outside = await tempDir('outside');
    await writeTree(dir.path, TREE);
    await writeFile(join(outside.path, 'secret.txt'), 'outside');
    await symlink(join(outside.path, 'secret.txt'), join(dir.path, 'escape.txt'));
    await symlink(join(dir.path, 'readme.txt'), join(dir.path, 'inner-link.txt'));
  });
  after(async () => { await dir.cleanup(); await outside.cleanup(); });

  test('the .bin round-trips and every record matches the file on disk', async () => {
    const { list, stats } = await buildFileList(dir.path, { cachePath: false });
    const tables = decodeFileListTables(list.bin);
    assert.deepEqual(tables.map((t) => t.name), list.tables.map((t) => t.name));
    assert.deepEqual(encodeFileListTables(tables), list.bin, 're-encoding the decoded tables gives the same bytes');
    const records = fileRecordsOf(tables);
    const expected = [...Object.keys(TREE).filter((p) => !p.startsWith('.')), 'inner-link.txt'].sort();
    assert.deepEqual(records.map((r) => r.SrcFileName).sort(), expected);
    for (const r of records) {
      const content = await readFile(join(dir.path, r.SrcFileName));
      assert.equal(r.Size, content.length, r.SrcFileName);
      assert.equal(r.CRC, referenceKiwadCrc(content), r.SrcFileName);
    }
    assert.equal(stats.hashed, expected.length);
    assert.ok(stats.skipped.some((s) => s.path === 'escape.txt' && /escapes/.test(s.reason)), 'a symlink leaving the directory is skipped');
    assertReferenceVectors();
    assert.equal(list.binCrc, referenceStandardCrc(list.bin), 'ListFileCRC keeps CRC-32/IEEE by default');
    const kiwadList = (await buildFileList(dir.path, { cachePath: false, listFileCrc: 'kiwad' })).list;
    assert.equal(kiwadList.binCrc, referenceKiwadCrc(kiwadList.bin), 'the setting switches ListFileCRC to the KIWAD CRC');
  });

  test('tables come in the documented order with _TableList, About, Base, PatchClient and one per package', async () => {
    const { list, stats } = await buildFileList(dir.path, { cachePath: false });
    const tables = decodeFileListTables(list.bin);
    assert.deepEqual(tables.map((t) => t.name), ['_TableList', 'About', 'Base', 'PatchClient', 'Zone_1']);
    assert.deepEqual(tables[0]!.records.map((r) => r.Name), ['About', 'Base', 'PatchClient', 'Zone_1']);
    assert.deepEqual(tables[1]!.records, [{ Version: 1 }]);
    const byName = new Map(fileRecordsOf(tables).map((r) => [r.SrcFileName, r]));
    assert.equal(byName.get('PatchClient/Patcher.dll')!.table, 'PatchClient');
    assert.equal(byName.get('PatchClient/Patcher.dll')!.TarFileName, 'Patcher.dll');
    assert.equal(byName.get('packages/Zone_1/Data/GameData/Zone_1.wad')!.table, 'Zone_1');
    assert.equal(byName.get('packages/Zone_1/Data/GameData/Zone_1.wad')!.TarFileName, 'Data/GameData/Zone_1.wad');
    assert.equal(byName.get('packages/About/x.txt')!.table, 'Base', 'a reserved package name stays in Base');
    assert.ok(stats.warnings.some((w) => w.includes('packages/About')));
    assert.equal(byName.get('readme.txt')!.TarFileName, '');
  });

  test('archives get FileType 3 with their index region size and CRC; other files get 0', async () => {
    const { list, stats } = await buildFileList(dir.path, { cachePath: false });
    const root = list.bySrc.get('Data/GameData/Root.wad')!;
    assert.equal(root.FileType, FileType.Archive);
    assert.equal(root.HeaderSize, archive.indexEnd);
    assert.equal(root.CompressedHeaderSize, archive.indexEnd);
    assert.equal(root.HeaderCRC, referenceKiwadCrc(archive.bytes.subarray(0, archive.indexEnd)));
    assert.equal(root.CRC, referenceKiwadCrc(archive.bytes));
    const fake = list.bySrc.get('Data/GameData/Not a wad.wad')!;
    assert.equal(fake.FileType, FileType.Plain);
    assert.equal(fake.HeaderSize, 0);
    assert.ok(stats.warnings.some((w) => w.includes('Not a wad.wad')));
    assert.equal(list.bySrc.get('Data/Bin/Game.exe')!.FileType, FileType.Executable);
    const plain = list.bySrc.get('Data/Sounds/big.bin')!;
    assert.deepEqual([plain.FileType, plain.HeaderSize, plain.CompressedHeaderSize, plain.HeaderCRC], [1, 0, 0, 0]);
  });

  test('the .xml holds the same tables and escapes names with & < >', async () => {
    const { list } = await buildFileList(dir.path, { cachePath: false });
    const out = await tempDir('filelist-out');
    try {
      const written = await writeFileList(list, out.path);
      const xml = await readFile(written.xml, 'utf8');
      assert.ok(xml.includes('a &amp; b &lt;c&gt;.txt'), 'special characters are escaped');
      assert.ok(xml.includes('<SrcFileName TYPE="STR">readme.txt</SrcFileName>'));
      const fromXml = decodeFileListXml(xml);
      const fromBin = decodeFileListTables(await readFile(written.bin));
      assert.deepEqual(fromXml.map((t) => t.name), fromBin.map((t) => t.name));
      for (let i = 0; i < fromBin.length; i++) {
        assert.deepEqual(fromXml[i]!.records.map((r) => ({ ...r })), fromBin[i]!.records.map((r) => ({ ...r })), fromBin[i]!.name);
        if (fromBin[i]!.records.length > 0) assert.deepEqual(fromXml[i]!.fields, fromBin[i]!.fields);
      }
    } finally {
      await out.cleanup();
    }
  });

  test('the order of records is deterministic', async () => {
    const a = await buildFileList(dir.path, { cachePath: false, concurrency: 1 });
    const b = await buildFileList(dir.path, { cachePath: false, concurrency: 8 });
    assert.deepEqual(a.list.bin, b.list.bin);
  });
});

describe('the manifest cache', () => {
  test('a rebuild re-hashes only the changed file and updates the list', async () => {
    const dir = await tempDir('incremental');
    try {
      await writeTree(dir.path, { 'a.txt': 'alpha', 'b/b.txt': 'bravo', 'c.bin': bytes(5000, 1) });
      let clock = 1_700_000_000_000;
      const now = (): number => clock;
      const first = await buildFileList(dir.path, { now });
      assert.equal(first.stats.hashed, 3);
      assert.equal(first.list.version, 1);

      clock += 60_000;
      const second = await buildFileList(dir.path, { now });
      assert.equal(second.stats.hashed, 0, 'nothing changed, nothing hashed');
      assert.equal(second.stats.reused, 3);
      assert.equal(second.list.version, 1, 'same content keeps the version');
      assert.equal(second.list.timeSecs, first.list.timeSecs);
      assert.deepEqual(second.list.bin, first.list.bin);

      const changed = new Date(OLD_TIME.getTime() + 3_600_000);
      await writeFile(join(dir.path, 'b/b.txt'), 'bravo, changed');
      await utimes(join(dir.path, 'b/b.txt'), changed, changed);
      clock += 60_000;
      const third = await buildFileList(dir.path, { now });
      assert.equal(third.stats.hashed, 1, 'only the changed file is hashed');
      assert.equal(third.list.version, 2);
      assert.equal(third.list.timeSecs, Math.floor(clock / 1000));
      const rec = fileRecordsOf(decodeFileListTables(third.list.bin)).find((r) => r.SrcFileName === 'b/b.txt')!;
      assert.equal(rec.CRC, referenceKiwadCrc(Buffer.from('bravo, changed')));
      assert.equal(rec.Size, 14);
    } finally {
      await dir.cleanup();
    }
  });

  test('a file modified just before it was hashed is hashed again next time', async () => {
    const dir = await tempDir('racy');
    try {
      await writeTree(dir.path, { 'fresh.txt': 'new' }, new Date());
      assert.equal((await buildFileList(dir.path)).stats.hashed, 1);
      assert.equal((await buildFileList(dir.path)).stats.hashed, 1, 'an mtime inside the racy window is not trusted');
    } finally {
      await dir.cleanup();
    }
  });

  test('a corrupt manifest is ignored, not fatal', async () => {
    const dir = await tempDir('badcache');
    try {
      await writeTree(dir.path, { 'a.txt': 'alpha' });
      await writeFile(join(dir.path, '.imlight-patch-cache.json'), '{"format":1,"files":');
      const { stats, list } = await buildFileList(dir.path);
      assert.equal(stats.hashed, 1);
      assert.equal(list.entries.length, 1, 'the cache file itself is not listed');
    } finally {
      await dir.cleanup();
    }
  });
});

describe('decoding hostile lists', () => {
  test('every truncation fails with FileListDecodeError and nothing else', async () => {
    const dir = await tempDir('truncate');
    try {
      await writeTree(dir.path, { 'a.txt': 'alpha', 'PatchClient/p.exe': 'x' });
      const { list } = await buildFileList(dir.path, { cachePath: false });
      for (let n = 1; n < list.bin.length; n++) {
        const cut = list.bin.subarray(0, n);
        try {
          decodeFileListTables(cut);
        } catch (error) {
          assert.ok(error instanceof FileListDecodeError, `cut at ${n}: ${String(error)}`);
          continue;
        }
        // A cut that lands exactly between tables is a shorter, valid list.
        assert.ok(decodeFileListTables(cut).length < list.tables.length);
      }
    } finally {
      await dir.cleanup();
    }
  });

  test('random bytes and random mutations of a real list never fail with anything but FileListDecodeError', async () => {
    const dir = await tempDir('fuzz');
    try {
      await writeTree(dir.path, { 'a.txt': 'alpha', 'packages/P/b.txt': 'b' });
      const { list } = await buildFileList(dir.path, { cachePath: false });
      const decodesOrRefuses = (buf: Buffer): boolean => {
        try {
          decodeFileListTables(buf);
          return true;
        } catch (error) {
          return error instanceof FileListDecodeError;
        }
      };
      fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => decodesOrRefuses(Buffer.from(b))), { numRuns: 500 });
      fc.assert(fc.property(fc.nat(list.bin.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const copy = Buffer.from(list.bin);
        copy[at] = value;
        return decodesOrRefuses(copy);
      }), { numRuns: 1000 });
    } finally {
      await dir.cleanup();
    }
  });

  test('absurd counts and wrong message headers are refused', () => {
    const huge = Buffer.alloc(8);
    huge.writeUInt32LE(0xffffffff, 0);
    assert.throws(() => decodeFileListTables(huge), FileListDecodeError);
    const wrong = Buffer.from([0, 0, 0, 0, 0x02, 0x02, 4, 0]);
    assert.throws(() => decodeFileListTables(wrong), /expected MSG_CUSTOMDICT/);
    const short = Buffer.from([0, 0, 0, 0, 0x02, 0x01, 2, 0]);
    assert.throws(() => decodeFileListTables(short), /shorter than its header/);
  });
});
