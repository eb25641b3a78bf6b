// KIWAD throughput: write, parse the index, read every entry (in memory and
// from a file), and the entry CRC. Prints a table, then one JSON line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kiwadCrc, openWad, readWad, writeWad, type WadInputFile } from '../src/archive/index.js';

const ENTRIES = 2000;
const ENTRY_BYTES = 16 * 1024;

function makeFiles(): WadInputFile[] {
  const files: WadInputFile[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const compress = i % 4 !== 0;
    const line = `<Field${i % 97} TYPE="INT" NOXFER="FALSE">${(i * 7919) % 100003}</Field${i % 97}>\n`;
    const data = compress
      ? Buffer.from(line.repeat(Math.ceil(ENTRY_BYTES / line.length))).subarray(0, ENTRY_BYTES)
      : Buffer.from(Array.from({ length: ENTRY_BYTES }, (_, k) => (k * 31 + i) & 0xff));
    files.push({ name: `GameData/dir${i % 50}/file-${i}.xml`, data, compress });
  }
  return files;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const files = makeFiles();
const contentMB = (ENTRIES * ENTRY_BYTES) / 1e6;
const written = time(() => writeWad(files, { version: 2, flags: 1 }));
const wadBytes = written.value;
// Best of five: the first parse also pays for compiling the parser.
let indexed = time(() => readWad(wadBytes));
for (let k = 0; k < 4; k++) {
  const again = time(() => readWad(wadBytes));
  if (again.ms < indexed.ms) indexed = again;
}
const readAll = time(() => {
  let total = 0;
  for (const entry of indexed.value.entries) total += entry.data().length;
  return total;
});
const crc = time(() => {
  let x = 0;
  for (let k = 0; k < 10; k++) x ^= kiwadCrc(wadBytes);
  return x;
});

async function fromFile(): Promise<{ openMs: number; readMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'imlight-bench-wad-'));
  try {
    const path = join(dir, 'bench.wad');
    await writeFile(path, wadBytes);
    const opened = await timeAsync(() => openWad(path));
    const wad = opened.value;
    try {
      const fileRead = await timeAsync(async () => {
        let total = 0;
        for (const entry of wad.entries) total += (await wad.read(entry)).length;
        return total;
      });
      if (fileRead.value !== readAll.value) throw new Error('file and memory readers disagree');
      return { openMs: opened.ms, readMs: fileRead.ms };
    } finally {
      await wad.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const { openMs, readMs: fileReadMs } = await fromFile();

const results = {
  entries: ENTRIES,
  archiveMB: +(wadBytes.length / 1e6).toFixed(2),
  contentMB: +contentMB.toFixed(2),
  writeMBPerSec: +(contentMB / (written.ms / 1000)).toFixed(1),
  indexMs: +indexed.ms.toFixed(2),
  readMemoryMBPerSec: +(contentMB / (readAll.ms / 1000)).toFixed(1),
  openFileIndexMs: +openMs.toFixed(2),
  readFileMBPerSec: +(contentMB / (fileReadMs / 1000)).toFixed(1),
  crcMBPerSec: +((10 * wadBytes.length) / 1e6 / (crc.ms / 1000)).toFixed(0),
};
console.table([
  { step: 'writeWad (3/4 compressed)', result: `${results.writeMBPerSec} MB/s of content` },
  { step: 'readWad index + placeholder scan', result: `${results.indexMs} ms for ${ENTRIES} entries` },
  { step: 'readWad data() of every entry', result: `${results.readMemoryMBPerSec} MB/s` },
  { step: 'openWad (index from file)', result: `${results.openFileIndexMs} ms` },
  { step: 'openWad read() of every entry', result: `${results.readFileMBPerSec} MB/s` },
  { step: 'kiwadCrc', result: `${results.crcMBPerSec} MB/s` },
]);
console.log(JSON.stringify(results));
