// ObjectProperty benchmark: compact decode/encode of a realistic object (a few
// dozen properties, nested objects and lists), BINd decode, and `wad unpack`
// (with --deser) of a generated 200 MB archive. Prints a table, then one JSON line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWad, type WadInputFile } from '../src/archive/index.js';
import { unpackWad } from '../src/cli/commands/wad.js';
import { ObjectPropertyCodec, decodeBind, encodeBind, loadTypeDump, type OpObject } from '../src/objectproperty/index.js';
import { benchDump, benchObject } from '../test/objectproperty/fixtures.js';

const ARCHIVE_MB = Number(process.env['IMLIGHT_BENCH_ARCHIVE_MB'] ?? 200);

function rate(fn: () => void, seconds = 2): number {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
    elapsed = process.hrtime.bigint() - start;
  }
  return n / (Number(elapsed) / 1e9);
}

const types = loadTypeDump(benchDump);
const codec = new ObjectPropertyCodec(types);
const object = benchObject() as OpObject;
const blob = codec.encode(object);
const propertyCount = (o: unknown): number => {
  if (Array.isArray(o)) return o.reduce((n: number, x) => n + propertyCount(x), 0);
  if (typeof o !== 'object' || o === null || Buffer.isBuffer(o) || !('$class' in o)) return 0;
  return Object.entries(o).reduce((n, [k, v]) => n + (k === '$class' ? 0 : 1 + propertyCount(v)), 0);
};

const decodePerSec = rate(() => { codec.decode(blob); });
const encodePerSec = rate(() => { codec.encode(object); });
const bind = encodeBind(types, { flags: 0, object });
const bindDecodePerSec = rate(() => { decodeBind(types, bind); });

// A 200 MB archive: stored noise (incompressible data such as textures and
// sounds) makes up the size; a quarter of the entries are zlib-compressed text,
// and 200 are BINd files decoded to JSON.
async function unpackBench(): Promise<{ mbPerSec: number; archiveMB: number; contentMB: number; entries: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'imlight-bench-op-'));
  try {
    const files: WadInputFile[] = [];
    const entrySize = 512 * 1024;
    const stored = Math.round((ARCHIVE_MB * 1024 * 1024) / entrySize);
    let seed = 12345;
    const noise = (n: number): Buffer => {
      const b = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i += 4) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; b.writeUInt32LE(seed, i); }
      return b;
    };
    const text = Buffer.from('ObjectProperty data, zone geometry, sounds and textures. '.repeat(Math.ceil(entrySize / 57))).subarray(0, entrySize);
    for (let i = 0; i < stored; i++) files.push({ name: `Data/${Math.floor(i / 50)}/file${i}.bin`, data: noise(entrySize) });
    for (let i = 0; i < stored / 3; i++) files.push({ name: `Text/${Math.floor(i / 50)}/file${i}.txt`, data: text, compress: true });
    for (let i = 0; i < 200; i++) files.push({ name: `ObjectData/Template${i}.xml`, data: bind, compress: true });
    const archive = writeWad(files);
    const contentBytes = files.reduce((n, f) => n + f.data.length, 0);
    const path = join(dir, 'Bench.wad');
    await writeFile(path, archive);
    const start = process.hrtime.bigint();
    const result = await unpackWad(path, { out: join(dir, 'out'), types });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.files !== files.length || result.deserialized !== 200) throw new Error(`unpack wrote ${result.files} files, ${result.deserialized} BINd`);
    return { mbPerSec: contentBytes / 1e6 / seconds, archiveMB: archive.length / 1e6, contentMB: contentBytes / 1e6, entries: files.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const unpack = await unpackBench();

const results = {
  objectBytes: blob.length,
  objectProperties: propertyCount(object),
  decodePerSec: Math.round(decodePerSec),
  encodePerSec: Math.round(encodePerSec),
  bindDecodePerSec: Math.round(bindDecodePerSec),
  archiveMB: +unpack.archiveMB.toFixed(1),
  unpackMBPerSec: +unpack.mbPerSec.toFixed(1),
};
console.table([
  { step: `compact decode (${results.objectBytes} B, ${results.objectProperties} properties)`, result: `${results.decodePerSec} objects/s` },
  { step: 'compact encode', result: `${results.encodePerSec} objects/s` },
  { step: `BINd (verbose) decode (${bind.length} B)`, result: `${results.bindDecodePerSec} objects/s` },
  { step: `wad unpack --deser (${unpack.entries} entries, ${results.archiveMB} MB archive, ${unpack.contentMB.toFixed(1)} MB content)`, result: `${results.unpackMBPerSec} MB/s` },
]);
console.log(JSON.stringify(results));
