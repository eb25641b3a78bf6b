// Patch server benchmark: file list build speed against the machine's CRC-32 limit, and HTTP download
// throughput with many concurrent clients.
//   npm run bench:patch                                    (2 GB in 5,000 files)
//   PATCH_BENCH_MB=200 PATCH_BENCH_FILES=500 npm run bench:patch   (quick run)
// The tree is generated in os.tmpdir() and deleted afterwards. Files just written sit in the page cache,
// so the hashing figure is warm-cache (CPU and memory bound), which is what the CRC limit compares to.
import { randomFillSync } from 'node:crypto';
import { mkdtemp, mkdir, rm, statfs, utimes, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { PatchHttpServer, buildFileList } from '../src/servers/patch/index.js';

const MB = 1024 * 1024;
const requestedMb = Number(process.env.PATCH_BENCH_MB ?? 2048);
const fileCount = Math.max(1, Number(process.env.PATCH_BENCH_FILES ?? 5000));
const clients = Math.max(1, Number(process.env.PATCH_BENCH_CLIENTS ?? 64));

async function main(): Promise<void> {
  const base = tmpdir();
  const fsStats = await statfs(base);
  const freeMb = Math.floor((fsStats.bavail * fsStats.bsize) / MB);
  // Keep a wide margin: the tree, the manifest and whatever else shares the disk.
  const totalMb = Math.max(1, Math.min(requestedMb, Math.floor(freeMb / 3)));
  if (totalMb < requestedMb) console.log(`only ${freeMb} MB free in ${base}: shrinking the tree from ${requestedMb} MB to ${totalMb} MB`);
  const dir = await mkdtemp(join(base, 'imlight-bench-patch-'));
  try {
    const tGen = Date.now();
    const pool = Buffer.allocUnsafe(64 * MB);
    randomFillSync(pool);
    const totalBytes = totalMb * MB;
    let seed = 12345;
    const rand = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    const weights = Array.from({ length: fileCount }, () => 0.2 + rand() * 1.6);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    let written = 0;
    const oneHourAgo = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < fileCount; i++) {
      const size = i === fileCount - 1 ? totalBytes - written : Math.floor((weights[i]! / weightSum) * totalBytes);
      const sub = join(dir, `Data/d${i % 50}`);
      await mkdir(sub, { recursive: true });
      const start = Math.floor(rand() * (pool.length - 1));
      const chunks: Buffer[] = [];
      for (let left = size, at = start; left > 0;) {
        const n = Math.min(left, pool.length - at);
        chunks.push(pool.subarray(at, at + n));
        left -= n;
        at = 0;
      }
      const file = join(sub, `f${i}.bin`);
      await writeFile(file, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      // Dated in the past like real game data, so the builder's racy-mtime rule does not re-hash them.
      await utimes(file, oneHourAgo, oneHourAgo);
      written += size;
    }
    const genSecs = (Date.now() - tGen) / 1000;

    // The machine's limit: CRC-32 of one large in-memory buffer.
    const big = Buffer.allocUnsafe(256 * MB);
    randomFillSync(big);
    let crcBest = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = process.hrtime.bigint();
      crc32(big);
      crcBest = Math.min(crcBest, Number(process.hrtime.bigint() - t) / 1e9);
    }
    const crcLimitMBPerSec = 256 / crcBest;

    // Two full builds (every file hashed): the first runs right after the tree was written (write-back in
    // flight, code not yet optimised); hashMBPerSec is the better of the two, the table shows both.
    const t0 = process.hrtime.bigint();
    await buildFileList(dir, { cachePath: false });
    const firstSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    const t1 = process.hrtime.bigint();
    const { list, stats } = await buildFileList(dir, { cachePath: join(dir, '.cache.json') });
    const buildSecs = Number(process.hrtime.bigint() - t1) / 1e9;
    const firstMBPerSec = stats.hashedBytes / MB / firstSecs;
    const hashMBPerSec = Math.max(firstMBPerSec, stats.hashedBytes / MB / buildSecs);

    const t2 = process.hrtime.bigint();
    const again = await buildFileList(dir, { cachePath: join(dir, '.cache.json') });
    const rebuildSecs = Number(process.hrtime.bigint() - t2) / 1e9;

    const server = new PatchHttpServer({ dir, list, maxConcurrentRequests: clients * 2 });
    const { port } = await server.start({ host: '127.0.0.1', port: 0 });
    const paths = list.entries.map((e) => e.SrcFileName);
    // The clients run in a worker thread so they do not share the server's event loop.
    const worker = new Worker(`
      const http = require('node:http');
      const { parentPort, workerData } = require('node:worker_threads');
      const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.clients });
      let next = 0, bytes = 0, failed = 0;
      const started = process.hrtime.bigint();
      const one = () => new Promise((resolve) => {
        const path = workerData.paths[next++];
        const req = http.get({ host: '127.0.0.1', port: workerData.port, path: '/' + path.split('/').map(encodeURIComponent).join('/'), agent,
          headers: { 'User-Agent': 'KingsIsle Patcher' } }, (res) => {
          if (res.statusCode !== 200) failed++;
          res.on('data', (c) => { bytes += c.length; });
          res.on('end', resolve);
          res.on('error', () => { failed++; resolve(); });
        });
        req.on('error', () => { failed++; resolve(); });
      });
      const client = async () => { while (next < workerData.paths.length) await one(); };
      Promise.all(Array.from({ length: workerData.clients }, client)).then(() => {
        agent.destroy();
        parentPort.postMessage({ bytes, failed, secs: Number(process.hrtime.bigint() - started) / 1e9 });
      });
    `, { eval: true, workerData: { port, paths, clients } });
    const download = await new Promise<{ bytes: number; failed: number; secs: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    await server.stop();
    const httpMBPerSec = download.bytes / MB / download.secs;

    const rows: Array<[string, string]> = [
      ['tree', `${stats.files} files, ${(stats.bytes / MB).toFixed(0)} MB (generated in ${genSecs.toFixed(1)} s)`],
      ['CRC-32 limit (256 MB in memory)', `${crcLimitMBPerSec.toFixed(0)} MB/s`],
      ['full build 1, just after writing', `${firstSecs.toFixed(2)} s, ${firstMBPerSec.toFixed(0)} MB/s`],
      ['full build 2 (with manifest)', `${buildSecs.toFixed(2)} s, ${(stats.hashedBytes / MB / buildSecs).toFixed(0)} MB/s`],
      ['hashing, best of the two', `${hashMBPerSec.toFixed(0)} MB/s (${((hashMBPerSec / crcLimitMBPerSec) * 100).toFixed(0)}% of the limit)`],
      ['rebuild, nothing changed', `${rebuildSecs.toFixed(3)} s, ${again.stats.hashed} files hashed`],
      [`HTTP download, ${clients} clients`, `${(download.bytes / MB).toFixed(0)} MB in ${download.secs.toFixed(2)} s, ${httpMBPerSec.toFixed(0)} MB/s, ${download.failed} failed`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`${'measure'.padEnd(width)}  result`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    if (download.failed > 0 || download.bytes !== stats.bytes) throw new Error(`HTTP download incomplete: ${download.bytes} of ${stats.bytes} bytes, ${download.failed} failed`);
    console.log(JSON.stringify({
      hashMBPerSec: Math.round(hashMBPerSec), crcLimitMBPerSec: Math.round(crcLimitMBPerSec), httpMBPerSec: Math.round(httpMBPerSec),
      files: stats.files, totalMB: Math.round(stats.bytes / MB), clients, rebuildUnchangedSecs: Number(rebuildSecs.toFixed(3)), loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
