// World benchmark, load part (docs/world.md "Zone loader"): a generated zone of 5,000 objects and 50
// spawners loaded 20 times through WorldData (archive read + decode in a worker thread): p50/p99 load
// time, and the longest event-loop stall seen by a 1 ms timer on the main thread while loading.
// Baselines in the same run: the same loads decoded on the main thread (workers 0), and the timer's
// longest gap while idle (the machine's own noise).
//
// Hook for the zone runtime's parts (players, creatures, move latency, memory per entity, RSS for 100
// zones): add a function returning those figures and merge it into `results` below; until then they
// are null.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FolderLocator, WorldData, generatedZone, sampleTypes, writeSampleWorld, zoneArchive, zoneArchivePath } from '../src/world/index.js';

const OBJECTS = 5000;
const SPAWNERS = 50;
const LOADS = 20;
const ZONE = 'Bench/Generated_Zone';

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number): number => +n.toFixed(2);

/** Runs `work` while a 1 ms timer measures the longest gap between its ticks. */
async function withStallMeter<T>(work: () => Promise<T>): Promise<{ value: T; maxStallMs: number }> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  try {
    const value = await work();
    return { value, maxStallMs: max };
  } finally {
    clearInterval(timer);
  }
}

async function loads(world: WorldData): Promise<{ p50: number; p99: number; maxStallMs: number }> {
  await world.loadZone(ZONE); // warm-up: worker start, JIT
  const times: number[] = [];
  const { maxStallMs } = await withStallMeter(async () => {
    for (let i = 0; i < LOADS; i++) {
      world.invalidate(ZONE);
      const start = performance.now();
      await world.loadZone(ZONE);
      times.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p99: pct(times, 99), maxStallMs };
}

const dir = await mkdtemp(join(tmpdir(), 'imlight-bench-world-'));
try {
  const sample = await writeSampleWorld(dir);
  const archive = zoneArchive(sampleTypes(), generatedZone(ZONE, OBJECTS, SPAWNERS));
  await writeFile(join(dir, ...zoneArchivePath(ZONE).split('/')), archive);
  const open = (workers: number) => WorldData.open({ locator: new FolderLocator(dir), dump: { file: sample.typeDumpPath }, workers });

  const idle = await withStallMeter(() => new Promise((r) => setTimeout(r, 1000)));
  const worker = await open(1);
  const inWorker = await loads(worker);
  await worker.close();
  const inline = await open(0);
  const onMain = await loads(inline);
  await inline.close();

  const results = {
    objects: OBJECTS,
    spawners: SPAWNERS,
    archiveKB: round(archive.length / 1024),
    loads: LOADS,
    zoneLoadP50Ms: round(inWorker.p50),
    zoneLoadP99Ms: round(inWorker.p99),
    maxStallMs: round(inWorker.maxStallMs),
    baselineMainThreadLoadP99Ms: round(onMain.p99),
    baselineMainThreadMaxStallMs: round(onMain.maxStallMs),
    idleMaxStallMs: round(idle.maxStallMs),
    stallRatioWorkerToMainThread: round(inWorker.maxStallMs / onMain.maxStallMs),
    loadRatioWorkerToMainThread: round(inWorker.p99 / onMain.p99),
    // Zone runtime figures: not measured by this benchmark yet (see the header).
    players: null,
    creatures: null,
    moveP99Ms: null,
    bytesPerIdleEntity: null,
    rssMbFor100Zones: null,
  };
  console.table([
    { step: `load ${OBJECTS} objects + ${SPAWNERS} spawners, worker decode`, p50: results.zoneLoadP50Ms, p99: results.zoneLoadP99Ms, maxStallMs: results.maxStallMs },
    { step: 'same, decoded on the main thread (baseline)', p50: round(onMain.p50), p99: results.baselineMainThreadLoadP99Ms, maxStallMs: results.baselineMainThreadMaxStallMs },
    { step: 'idle timer (machine noise)', p50: '-', p99: '-', maxStallMs: results.idleMaxStallMs },
  ]);
  console.log(JSON.stringify(results));
} finally {
  await rm(dir, { recursive: true, force: true });
}
