// The data tools run in-process through commander: wad list/unpack/pack,
// op decode/encode and codegen types.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { readWad, writeWad } from '../../src/archive/index.js';
import { registerOpCommands } from '../../src/cli/commands/op.js';
import { registerTypesCodegenCommand } from '../../src/cli/commands/codegen-types.js';
import { registerWadCommands, safeEntryPath, type ObjectToolsIo } from '../../src/cli/commands/wad.js';
import { ObjectPropertyCodec, encodeBind, loadTypeDump, type OpObject } from '../../src/objectproperty/index.js';
import { kindsDump, kindsObject } from './fixtures.js';

interface Run { out: string[]; err: string[]; exitCode: number }

async function run(args: string[]): Promise<Run> {
  const result: Run = { out: [], err: [], exitCode: 0 };
  const io: ObjectToolsIo = {
    out: (l) => result.out.push(l), err: (l) => result.err.push(l), isTTY: false, setExitCode: (c) => { result.exitCode = c; },
  };
  const program = new Command('imlight').exitOverride().configureOutput({ writeOut: () => {}, writeErr: (s) => result.err.push(s) });
  registerWadCommands(program, io);
  registerOpCommands(program, io);
  // Shaped like the real `codegen` command: its own argument and a required --out.
  const codegen = program.command('codegen').argument('<source>').requiredOption('-o, --out <dir>', 'output').action(() => {});
  registerTypesCodegenCommand(codegen, io);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    // main() turns commander's own parse errors into exit code 2.
    if (!(error instanceof CommanderError)) throw error;
    result.exitCode = 2;
  }
  return result;
}

describe('imlight wad, op and codegen types', () => {
  let dir: string;
  let dumpPath: string;
  const types = loadTypeDump(kindsDump);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imlight-op-cli-'));
    dumpPath = join(dir, 'types.json');
    await writeFile(dumpPath, JSON.stringify(kindsDump));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('unpack --deser writes a BINd file of a test archive as JSON and the other entries as they are', async () => {
    const bind = encodeBind(types, { flags: 7, object: kindsObject(true) as OpObject });
    const archive = join(dir, 'Data.wad');
    await writeFile(archive, writeWad([
      { name: 'ObjectData/Kinds.xml', data: bind, compress: true },
      { name: 'text1.txt', data: Buffer.from('this is text1\n'), compress: true },
      { name: 'sub/raw.bin', data: Buffer.from([1, 2, 3]) },
    ]));
    const out = join(dir, 'unpacked');
    const r = await run(['wad', 'unpack', archive, '--out', out, '--deser', '--types', dumpPath]);
    assert.equal(r.exitCode, 0, r.err.join('\n'));
    assert.match(r.out.at(-1)!, /3 files.*1 BINd files as JSON/);
    const json = JSON.parse(await readFile(join(out, 'ObjectData/Kinds.xml.json'), 'utf8'));
    assert.equal(json.format, 'BINd');
    assert.equal(json.flags, 7);
    assert.equal(json.object.$class, 'class Kinds');
    assert.equal(json.object.m_enum, 'BLUE');
    assert.equal(json.object.m_gid, String(0x0123456789abcdefn));
    assert.deepEqual(json.object.m_bytes, { $hex: 'fffe0080' });
    assert.equal(existsSync(join(out, 'ObjectData/Kinds.xml')), false);
    assert.equal(await readFile(join(out, 'text1.txt'), 'utf8'), 'this is text1\n');
    assert.deepEqual(await readFile(join(out, 'sub/raw.bin')), Buffer.from([1, 2, 3]));

    // The JSON goes back to the very same BINd bytes through op encode.
    const back = join(dir, 'Kinds.bin');
    const e = await run(['op', 'encode', join(out, 'ObjectData/Kinds.xml.json'), '--types', dumpPath, '--out', back]);
    assert.equal(e.exitCode, 0, e.err.join('\n'));
    assert.deepEqual(await readFile(back), bind);
  });

  it('unpack without --deser keeps BINd files raw, and list shows every entry', async () => {
    const archive = join(dir, 'Plain.wad');
    const bind = encodeBind(types, { flags: 0, object: kindsObject() as OpObject });
    await writeFile(archive, writeWad([{ name: 'a/b.bin', data: bind }, { name: 'c.txt', data: Buffer.from('c'), compress: true }]));
    const out = join(dir, 'plain');
    assert.equal((await run(['wad', 'unpack', archive, '--out', out])).exitCode, 0);
    assert.deepEqual(await readFile(join(out, 'a/b.bin')), bind);
    const list = await run(['wad', 'list', archive]);
    assert.equal(list.out.length, 3);
    assert.match(list.out[0]!, / stored .* a\/b\.bin$/);
    assert.match(list.out[1]!, / zlib .* c\.txt$/);
    assert.match(list.out[2]!, /^2 entries/);
  });

  it('unpack refuses an archive whose entry names leave the output folder, writing nothing', async () => {
    for (const name of ['../evil.txt', 'a/../../evil.txt', '/etc/evil', 'C:/evil', 'a\\..\\..\\evil']) {
      const archive = join(dir, 'evil.wad');
      await writeFile(archive, writeWad([{ name: 'good.txt', data: Buffer.from('ok') }, { name, data: Buffer.from('x') }]));
      const out = join(dir, 'evil-out');
      const r = await run(['wad', 'unpack', archive, '--out', out]);
      assert.equal(r.exitCode, 1, name);
      assert.match(r.err.join('\n'), /would leave the output folder/);
      assert.equal(existsSync(join(out, 'good.txt')), false);
      assert.equal(existsSync(join(dir, 'evil.txt')), false);
    }
    assert.equal(safeEntryPath('/tmp/x', 'a/b/c.txt'), '/tmp/x/a/b/c.txt');
  });

  it('--deser without --types is a usage error', async () => {
    const r = await run(['wad', 'unpack', join(dir, 'Plain.wad'), '--deser']);
    assert.equal(r.exitCode, 2);
  });

  it('pack builds an archive from a folder that unpacks to the same files', async () => {
    const src = join(dir, 'to-pack');
    await mkdir(join(src, 'deep/er'), { recursive: true });
    await writeFile(join(src, 'top.txt'), 'top');
    await writeFile(join(src, 'deep/er/file.bin'), Buffer.alloc(1000, 7));
    await writeFile(join(src, 'empty'), '');
    const archive = join(dir, 'packed.wad');
    const r = await run(['wad', 'pack', src, archive]);
    assert.equal(r.exitCode, 0, r.err.join('\n'));
    const wad = readWad(await readFile(archive));
    assert.deepEqual(wad.entries.map((e) => e.name), ['deep/er/file.bin', 'empty', 'top.txt']);
    assert.deepEqual(wad.get('deep/er/file.bin')!.data(), Buffer.alloc(1000, 7));
    assert.equal(wad.get('deep/er/file.bin')!.compressed, true);
    assert.equal(wad.get('top.txt')!.data().toString(), 'top');
  });

  it('op decode prints JSON of a hex blob, and op encode turns it back into the same bytes', async () => {
    const codec = new ObjectPropertyCodec(types, { flags: 1 });
    const blob = codec.encode(kindsObject() as OpObject, { flags: 3 });
    const d = await run(['op', 'decode', blob.toString('hex'), '--types', dumpPath, '--flags', '1']);
    assert.equal(d.exitCode, 0, d.err.join('\n'));
    const doc = JSON.parse(d.out.join('\n'));
    assert.equal(doc.flags, 3);
    assert.equal(doc.object.m_u64, '18446744073709551615');
    const e = await run(['op', 'encode', JSON.stringify(doc), '--types', dumpPath, '--flags', '1']);
    assert.equal(e.exitCode, 0, e.err.join('\n'));
    assert.equal(e.out[0], blob.toString('hex'));
  });

  it('op decode reads files and reports typed errors', async () => {
    const file = join(dir, 'blob.bin');
    await writeFile(file, Buffer.from('78563412', 'hex'));
    const r = await run(['op', 'decode', file, '--types', dumpPath]);
    assert.equal(r.exitCode, 1);
    assert.match(r.err[0]!, /unknown class hash .*ERR_OP_UNKNOWN_CLASS/);
    const notHex = await run(['op', 'decode', 'zz-not-hex', '--types', dumpPath]);
    assert.match(notHex.err[0]!, /neither a file nor hex/);
  });

  it('codegen types writes interfaces for the chosen classes and those they reference', async () => {
    const out = join(dir, 'generated');
    const r = await run(['codegen', 'types', dumpPath, '--out', out, '--class', 'class Kinds']);
    assert.equal(r.exitCode, 0, r.err.join('\n'));
    const text = await readFile(join(out, 'object-types.ts'), 'utf8');
    assert.match(text, /export interface Kinds \{/);
    assert.match(text, /export interface KindsChildSub \{/);
    assert.match(text, /export type KindsChildLike = KindsChild \| KindsChildSub;/);
    assert.match(r.out[0]!, /3 classes/);
    const short = await run(['codegen', 'types', dumpPath, '-o', join(dir, 'gen2'), '--class', 'class KindsChild']);
    assert.equal(short.exitCode, 0, short.err.join('\n'));
    assert.match(await readFile(join(dir, 'gen2', 'object-types.ts'), 'utf8'), /export interface KindsChild \{/);
    assert.equal((await run(['codegen', 'types', dumpPath])).exitCode, 2);
  });
});

describe('imlight wad unpack with duplicate names', () => {
  it('writes the last entry of a duplicated name, as readers do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imlight-op-dup-'));
    try {
      const archive = join(dir, 'dup.wad');
      await writeFile(archive, writeWad([
        { name: 'same.txt', data: Buffer.from('first') }, { name: 'same.txt', data: Buffer.from('second'), compress: true },
      ]));
      const r = await run(['wad', 'unpack', archive, '--out', join(dir, 'out')]);
      assert.equal(r.exitCode, 0, r.err.join('\n'));
      assert.equal(await readFile(join(dir, 'out/same.txt'), 'utf8'), 'second');
      assert.match(r.err.join('\n'), /duplicate name/);

      // An entry that is also a folder of another fails alone; an unpatched placeholder is skipped.
      const mixed = writeWad([
        { name: 'a', data: Buffer.from('file') }, { name: 'a/b', data: Buffer.from('nested') }, { name: 'ph.bin', data: Buffer.from('zzzz') },
        { name: 'ok.txt', data: Buffer.from('ok') },
      ]);
      const ph = readWad(mixed).get('ph.bin')!;
      mixed.fill(0, ph.offset, ph.offset + ph.storedSize);
      await writeFile(archive, mixed);
      const m = await run(['wad', 'unpack', archive, '--out', join(dir, 'mixed')]);
      assert.equal(m.exitCode, 1);
      assert.match(m.err.join('\n'), /skipped ph\.bin: unpatched placeholder/);
      // Which of the two loses depends on which write lands first.
      assert.equal(m.err.filter((l) => /^failed a(\/b)?: /.test(l)).length, 1);
      assert.equal(await readFile(join(dir, 'mixed/ok.txt'), 'utf8'), 'ok');
      assert.equal(existsSync(join(dir, 'mixed/ph.bin')), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
