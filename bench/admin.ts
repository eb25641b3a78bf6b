// Admin console benchmark: what one live-feed update costs on a large actor tree. Builds a system shaped like a busy
// server (SESSIONS sessions of 5 actors each under one server actor), then times system.snapshot() alone, the console's
// capped tree sample (snapshot + breadth-first walk + rates) and its JSON encoding, and the longest event-loop block
// among them. Prints a table, then as its last line one JSON object. Run with `npm run bench:admin`.
import { TreeSampler } from '../src/admin/tree-sampler.js';
import { Actor, ActorSystem, props, silentLogger, type ActorContext } from '../src/runtime/index.js';

const SESSIONS = Number(process.env['BENCH_SESSIONS'] ?? 10_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 20);
const CHILDREN_PER_SESSION = 4;

type Nothing = { readonly type: 'nothing' };

class Leaf extends Actor<Nothing> {
  constructor(context: ActorContext<Nothing>) {
    super(context);
  }
  readonly receive = { nothing: () => {} };
}

class Session extends Actor<Nothing> {
  constructor(context: ActorContext<Nothing>) {
    super(context);
  }
  readonly receive = { nothing: () => {} };
  override preStart(): void {
    for (let i = 0; i < CHILDREN_PER_SESSION; i++) this.context.spawn(props<Nothing>((c) => new Leaf(c), { kind: 'Service' }), `service-${i}`);
  }
}

class Server extends Actor<Nothing> {
  constructor(context: ActorContext<Nothing>) {
    super(context);
  }
  readonly receive = { nothing: () => {} };
  override preStart(): void {
    for (let i = 0; i < SESSIONS; i++) this.context.spawn(props<Nothing>((c) => new Session(c), { kind: 'Session' }), `session-${i}`);
  }
}

function countActors(node: { children: readonly unknown[] }): number {
  let n = 1;
  for (const child of node.children as Array<{ children: readonly unknown[] }>) n += countActors(child);
  return n;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const system = ActorSystem.create('bench', { logger: silentLogger });
system.spawn(props<Nothing>((c) => new Server(c), { kind: 'Server' }), 'server');
const expected = 2 + SESSIONS * (1 + CHILDREN_PER_SESSION);
while (countActors(system.snapshot()) < expected) await new Promise((resolve) => setTimeout(resolve, 50));

const sampler = new TreeSampler(system);
const snapshotMs: number[] = [];
const sampleMs: number[] = [];
const jsonMs: number[] = [];
let bytes = 0;
let shown = 0;
let total = 0;
for (let round = 0; round < ROUNDS; round++) {
  snapshotMs.push(time(() => system.snapshot()).ms);
  const sample = time(() => sampler.sample());
  sampleMs.push(sample.ms);
  const json = time(() => JSON.stringify(sample.value));
  jsonMs.push(json.ms);
  bytes = json.value.length;
  shown = sample.value.shownActors;
  total = sample.value.totalActors;
  await new Promise((resolve) => setTimeout(resolve, 10));
}
await system.terminate();

const worstUpdateMs = Math.max(...sampleMs.map((ms, i) => ms + jsonMs[i]!));
const rows: Array<[string, string]> = [
  ['actors in the system', total.toLocaleString()],
  ['actors sent (cap)', shown.toLocaleString()],
  ['system.snapshot() median', `${median(snapshotMs).toFixed(1)} ms`],
  ['capped tree sample median (incl. snapshot)', `${median(sampleMs).toFixed(1)} ms`],
  ['JSON encoding of the tree median', `${median(jsonMs).toFixed(2)} ms`],
  ['tree document size', `${(bytes / 1024).toFixed(0)} KiB`],
  ['worst update (sample + JSON)', `${worstUpdateMs.toFixed(1)} ms`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log(JSON.stringify({
  bench: 'admin', actors: total, shown, snapshotMs: +median(snapshotMs).toFixed(2), sampleMs: +median(sampleMs).toFixed(2),
  jsonMs: +median(jsonMs).toFixed(2), treeBytes: bytes, worstUpdateMs: +worstUpdateMs.toFixed(2),
}));
