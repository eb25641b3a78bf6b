// Actor runtime benchmark: Imlight's runtime and nact side by side, under the same harness, in one process.
// (a) tell throughput into one actor, (b) ping-pong between two actors, (c) ask round trips per second,
// (d) spawn + stop of 100,000 actors, (e) heap bytes per idle actor. Each throughput figure is the best of
// ROUNDS runs after a warm-up. Prints a table, then as its last line one JSON object.
// Run with `npm run bench:actors` (tsx --expose-gc, so memory is measured after full collections).
import nact from 'nact';
import { Actor, ActorSystem, props, silentLogger, type ActorRef } from '../src/runtime/index.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const TELLS = Number(process.env['BENCH_TELLS'] ?? 2_000_000);
const PING_PONGS = Number(process.env['BENCH_PING_PONGS'] ?? 200_000);
const ASKS = Number(process.env['BENCH_ASKS'] ?? 200_000);
const ASK_CONCURRENCY = 64;
const SPAWNS = 100_000;
const IDLE_ACTORS = 100_000;

interface Figures {
  tellPerSec: number;
  pingPongPerSec: number;
  askPerSec: number;
  spawnPerSec: number;
  bytesPerIdleActor: number;
}

interface Contender {
  readonly name: string;
  tell(n: number): Promise<void>;
  pingPong(n: number): Promise<void>;
  ask(n: number): Promise<void>;
  spawnStop(n: number): Promise<void>;
  spawnIdle(n: number): Promise<() => Promise<void>>;
}

const gc = (globalThis as { gc?: () => void }).gc;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(done: () => boolean): Promise<void> {
  while (!done()) await turn();
}

async function rate(n: number, run: (n: number) => Promise<void>): Promise<number> {
  await run(Math.max(1, Math.floor(n / 10)));
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    gc?.();
    const start = process.hrtime.bigint();
    await run(n);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, n / seconds);
  }
  return best;
}

async function bytesPerActor(n: number, spawnIdle: Contender['spawnIdle']): Promise<number> {
  const warm = await spawnIdle(1000);
  await warm();
  for (let i = 0; i < 3; i++) {
    gc?.();
    await turn();
  }
  const before = process.memoryUsage().heapUsed;
  const release = await spawnIdle(n);
  for (let i = 0; i < 3; i++) {
    gc?.();
    await turn();
  }
  const after = process.memoryUsage().heapUsed;
  await release();
  return (after - before) / n;
}

async function measure(contender: Contender): Promise<Figures> {
  return {
    tellPerSec: await rate(TELLS, (n) => contender.tell(n)),
    pingPongPerSec: await rate(PING_PONGS, (n) => contender.pingPong(n)),
    askPerSec: await rate(ASKS, (n) => contender.ask(n)),
    spawnPerSec: await rate(SPAWNS, (n) => contender.spawnStop(n)),
    bytesPerIdleActor: await bytesPerActor(IDLE_ACTORS, (n) => contender.spawnIdle(n)),
  };
}

// ---- Imlight ---------------------------------------------------------------------------------------------------

type Count = { type: 'count' };
type Ball = { type: 'ball'; left: number; to: ActorRef<Ball> };
type Question = { type: 'question'; replyTo: ActorRef<number> };
type Idle = { type: 'noop' };

class Counter extends Actor<Count> {
  static received = 0;
  readonly receive = {
    count: () => void Counter.received++,
  };
}

class Player extends Actor<Ball> {
  static finished: (() => void) | undefined;
  readonly receive = {
    ball: (m: Ball) => {
      if (m.left === 0) Player.finished?.();
      else m.to.tell({ type: 'ball', left: m.left - 1, to: this.context.self });
    },
  };
}

class Answerer extends Actor<Question> {
  readonly receive = {
    question: (m: Question) => m.replyTo.tell(1),
  };
}

class Sleeper extends Actor<Idle> {
  static stopped = 0;
  readonly receive = { noop: () => {} };
  override postStop(): void {
    Sleeper.stopped++;
  }
}

function imlight(): Contender {
  const system = ActorSystem.create('bench', { logger: silentLogger });
  const counter = system.spawn(props<Count>((ctx) => new Counter(ctx)), 'counter');
  const ping = system.spawn(props<Ball>((ctx) => new Player(ctx)), 'ping');
  const pong = system.spawn(props<Ball>((ctx) => new Player(ctx)), 'pong');
  const answerer = system.spawn(props<Question>((ctx) => new Answerer(ctx)), 'answerer');
  const sleeperProps = props<Idle>((ctx) => new Sleeper(ctx));
  let batch = 0;
  const message: Count = { type: 'count' };
  return {
    name: 'imlight',
    async tell(n) {
      Counter.received = 0;
      for (let i = 0; i < n; i++) counter.tell(message);
      await until(() => Counter.received === n);
    },
    async pingPong(n) {
      await new Promise<void>((resolve) => {
        Player.finished = resolve;
        ping.tell({ type: 'ball', left: n, to: pong });
      });
    },
    async ask(n) {
      const worker = async (count: number): Promise<void> => {
        for (let i = 0; i < count; i++) await answerer.ask<number>((replyTo) => ({ type: 'question', replyTo }), 10_000);
      };
      await Promise.all(Array.from({ length: ASK_CONCURRENCY }, () => worker(n / ASK_CONCURRENCY)));
    },
    async spawnStop(n) {
      Sleeper.stopped = 0;
      const prefix = `s${batch++}-`;
      for (let i = 0; i < n; i++) system.spawn(sleeperProps, prefix + i).sendSystem({ type: 'stop' });
      await until(() => Sleeper.stopped === n);
    },
    async spawnIdle(n) {
      const prefix = `idle${batch++}-`;
      const refs: ActorRef<Idle>[] = [];
      for (let i = 0; i < n; i++) refs.push(system.spawn(sleeperProps, prefix + i));
      await until(() => system.snapshot().children.length >= n);
      return async () => {
        Sleeper.stopped = 0;
        for (const ref of refs) ref.sendSystem({ type: 'stop' });
        await until(() => Sleeper.stopped === n);
      };
    },
  };
}

// ---- nact ------------------------------------------------------------------------------------------------------

function nactContender(): Contender {
  const system = nact.start();
  let received = 0;
  const counter = nact.spawnStateless(system, () => void received++, 'counter');
  let finished: (() => void) | undefined;
  type NactBall = { left: number; to: nact.Ref<NactBall>; self: nact.Ref<NactBall> };
  const player = (m: NactBall): void => {
    if (m.left === 0) finished?.();
    else nact.dispatch(m.to, { left: m.left - 1, to: m.self, self: m.to });
  };
  const ping = nact.spawnStateless(system, player, 'ping');
  const pong = nact.spawnStateless(system, player, 'pong');
  const answerer = nact.spawnStateless(system, (m: { replyTo: nact.Ref<number> }) => nact.dispatch(m.replyTo, 1), 'answerer');
  let batch = 0;
  return {
    name: 'nact',
    async tell(n) {
      received = 0;
      const message = { type: 'count' };
      for (let i = 0; i < n; i++) nact.dispatch(counter, message);
      await until(() => received === n);
    },
    async pingPong(n) {
      await new Promise<void>((resolve) => {
        finished = resolve;
        nact.dispatch(ping, { left: n, to: pong, self: ping });
      });
    },
    async ask(n) {
      const worker = async (count: number): Promise<void> => {
        for (let i = 0; i < count; i++) await nact.query(answerer, (replyTo: nact.Ref<number>) => ({ replyTo }), 10_000);
      };
      await Promise.all(Array.from({ length: ASK_CONCURRENCY }, () => worker(n / ASK_CONCURRENCY)));
    },
    async spawnStop(n) {
      const prefix = `s${batch++}-`;
      for (let i = 0; i < n; i++) nact.stop(nact.spawnStateless(system, () => {}, prefix + i));
      // nact finishes a stop (afterStop) on the next setImmediate.
      await turn();
      await turn();
    },
    async spawnIdle(n) {
      const prefix = `idle${batch++}-`;
      const refs: nact.Ref<unknown>[] = [];
      for (let i = 0; i < n; i++) refs.push(nact.spawnStateless(system, () => {}, prefix + i));
      await turn();
      return async () => {
        for (const ref of refs) nact.stop(ref);
        await turn();
        await turn();
      };
    },
  };
}

// ---- report ----------------------------------------------------------------------------------------------------

if (gc === undefined) console.warn('global.gc is unavailable: run with `tsx --expose-gc` for stable memory figures');

const ours = await measure(imlight());
const theirs = await measure(nactContender());

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const rows: Array<[string, keyof Figures, boolean]> = [
  ['tell into one actor (msg/s)', 'tellPerSec', true],
  ['ping-pong, two actors (msg/s)', 'pingPongPerSec', true],
  [`ask round trips, ${ASK_CONCURRENCY} in flight (/s)`, 'askPerSec', true],
  ['spawn + stop (actors/s)', 'spawnPerSec', true],
  ['heap per idle actor (bytes)', 'bytesPerIdleActor', false],
];
const ratios: Record<string, number> = {};
console.log(`${'metric'.padEnd(40)}${'imlight'.padStart(16)}${'nact'.padStart(16)}${'ratio'.padStart(10)}`);
for (const [label, key, higherIsBetter] of rows) {
  const ratio = higherIsBetter ? ours[key] / theirs[key] : theirs[key] / ours[key];
  ratios[key] = Math.round(ratio * 100) / 100;
  console.log(`${label.padEnd(40)}${fmt(ours[key]).padStart(16)}${fmt(theirs[key]).padStart(16)}${`${ratio.toFixed(2)}x`.padStart(10)}`);
}
console.log('(ratio: how many times better Imlight is; for memory, nact bytes / Imlight bytes)');
const round = (f: Figures): Figures => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Math.round(v)])) as unknown as Figures;
console.log(JSON.stringify({ ...round(ours), nact: round(theirs), ratios }));
process.exit(0);
