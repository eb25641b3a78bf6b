// Remote tell throughput and ask round trip between two OS processes over the local NATS, side by side with the
// same figures inside one process. Run: npm run bench:cluster (NATS at IMLIGHT_NATS_URL, default 127.0.0.1:4222).
// The last line printed is one JSON object: remoteTellPerSec, remoteAskP50Ms, remoteAskP99Ms, localTellPerSec, ...
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ClusterNode, MessageTypes, NatsTransport } from '../src/cluster/index.js';
import { Actor, ActorSystem, props, silentLogger, type ActorContext, type ActorRef } from '../src/runtime/index.js';

const NATS_URL = process.env['IMLIGHT_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const TELLS = Number(process.env['BENCH_TELLS'] ?? 1_000_000);
const ASKS = Number(process.env['BENCH_ASKS'] ?? 5_000);
const WINDOW = 20_000;
const ACK_EVERY = 10_000;

type SinkMessage = { type: 't'; n: number } | { type: 'expect'; total: number; ackTo: ActorRef } | { type: 'echo'; replyTo: ActorRef };

// Counts tells and reports progress to `ackTo` every ACK_EVERY messages and at the end, so the sender can keep a
// bounded number of messages in flight (remote tells have no backpressure of their own).
class Sink extends Actor<SinkMessage> {
  #count = 0;
  #total = 0;
  #ackTo: ActorRef | undefined = undefined;

  constructor(context: ActorContext<SinkMessage>) {
    super(context);
  }

  readonly receive = {
    t: () => {
      const count = ++this.#count;
      if (count % ACK_EVERY === 0 || count === this.#total) this.#ackTo?.tell({ type: 'ack', count });
    },
    expect: (m: { total: number; ackTo: ActorRef }) => {
      this.#count = 0;
      this.#total = m.total;
      this.#ackTo = m.ackTo;
    },
    echo: (m: { replyTo: ActorRef }) => m.replyTo.tell({ type: 'echoed' }),
  };
}

type AckMessage = { type: 'ack'; count: number };

// Receives acks and wakes the sending loop.
class AckCounter extends Actor<AckMessage> {
  constructor(context: ActorContext<AckMessage>, private readonly onAck: (count: number) => void) {
    super(context);
  }
  readonly receive = { ack: (m: { count: number }) => this.onAck(m.count) };
}

function messages(): MessageTypes {
  return new MessageTypes().registerAll(['t', 'expect', 'echo', 'echoed', 'ack']);
}

async function tellThroughput(system: ActorSystem, sink: ActorRef<SinkMessage>, total: number): Promise<number> {
  let acked = 0;
  let wake: (() => void) | undefined;
  const ackName = `acks-${randomBytes(3).toString('hex')}`;
  const acks = system.spawn(props<AckMessage>((context) => new AckCounter(context, (count) => {
    acked = count;
    wake?.();
  })), ackName);
  const waitAcked = (atLeast: number): Promise<void> =>
    acked >= atLeast ? Promise.resolve() : new Promise<void>((resolve) => {
      wake = () => {
        if (acked < atLeast) return;
        wake = undefined;
        resolve();
      };
    });
  await sink.ask((replyTo) => ({ type: 'echo', replyTo }), 10_000);
  sink.tell({ type: 'expect', total, ackTo: acks });
  await sink.ask((replyTo) => ({ type: 'echo', replyTo }), 10_000);
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const chunk = Math.min(WINDOW, total - sent);
    for (let i = 0; i < chunk; i++) sink.tell({ type: 't', n: sent + i });
    sent += chunk;
    await waitAcked(Math.min(sent, total) - 2 * WINDOW);
  }
  await waitAcked(total);
  const seconds = (performance.now() - started) / 1000;
  system.lookup(acks.path)?.sendSystem({ type: 'stop' });
  return total / seconds;
}

async function askLatency(sink: ActorRef<SinkMessage>, count: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 200; i++) await sink.ask((replyTo) => ({ type: 'echo', replyTo }), 10_000);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await sink.ask((replyTo) => ({ type: 'echo', replyTo }), 10_000);
    times.push(performance.now() - started);
  }
  times.sort((x, y) => x - y);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function receiver(cluster: string, name: string): Promise<void> {
  const system = ActorSystem.create(name, { logger: silentLogger });
  const transport = await NatsTransport.connect({ servers: NATS_URL, name });
  await ClusterNode.start(system, { transport, messages: messages(), cluster });
  system.spawn(props<SinkMessage>((context) => new Sink(context)), 'sink');
  process.stdout.write('ready\n');
}

function startReceiver(cluster: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--receiver', cluster, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  // In one process: the same actors, the same flow control, no serialization.
  const localSystem = ActorSystem.create('bench-local', { logger: silentLogger });
  const localSink = localSystem.spawn(props<SinkMessage>((context) => new Sink(context)), 'sink');
  const localTellPerSec = await tellThroughput(localSystem, localSink, TELLS);
  const localAsk = await askLatency(localSink, ASKS);
  await localSystem.terminate();

  const cluster = `bench${randomBytes(3).toString('hex')}`;
  const child = await startReceiver(cluster, 'bench-recv');
  const system = ActorSystem.create('bench-send', { logger: silentLogger });
  const transport = await NatsTransport.connect({ servers: NATS_URL, name: 'bench-send' });
  const node = await ClusterNode.start(system, { transport, messages: messages(), cluster });
  const measure = async (): Promise<{ tellPerSec: number; ask: { p50: number; p99: number }; tellBatches: number }> => {
    const sink = node.refOn<SinkMessage>('bench-recv', '/user/sink');
    const before = node.stats().batchesSent;
    const tellPerSec = await tellThroughput(system, sink, TELLS);
    const tellBatches = node.stats().batchesSent - before;
    return { tellPerSec, ask: await askLatency(sink, ASKS), tellBatches };
  };
  let result: Awaited<ReturnType<typeof measure>>;
  try {
    result = await measure();
  } finally {
    child.kill('SIGTERM');
    await system.terminate();
    await node.stop();
  }
  const { tellPerSec: remoteTellPerSec, ask: remoteAsk, tellBatches } = result;
  const rows = [
    ['tell throughput (msg/s)', Math.round(localTellPerSec).toLocaleString('en'), Math.round(remoteTellPerSec).toLocaleString('en')],
    ['ask p50 (ms)', localAsk.p50.toFixed(3), remoteAsk.p50.toFixed(3)],
    ['ask p99 (ms)', localAsk.p99.toFixed(3), remoteAsk.p99.toFixed(3)],
  ];
  console.log(`cluster benchmark: ${TELLS.toLocaleString('en')} tells, ${ASKS.toLocaleString('en')} asks, NATS ${NATS_URL}`);
  console.log(`${'measure'.padEnd(26)}${'one process'.padStart(16)}${'two processes'.padStart(16)}`);
  for (const [label, local, remote] of rows) console.log(`${label!.padEnd(26)}${local!.padStart(16)}${remote!.padStart(16)}`);
  console.log(`remote tells went out in ${tellBatches.toLocaleString('en')} NATS messages (${(TELLS / Math.max(1, tellBatches)).toFixed(0)} tells per batch)`);
  console.log(JSON.stringify({
    remoteTellPerSec: Math.round(remoteTellPerSec),
    remoteAskP50Ms: Number(remoteAsk.p50.toFixed(3)),
    remoteAskP99Ms: Number(remoteAsk.p99.toFixed(3)),
    localTellPerSec: Math.round(localTellPerSec),
    localAskP50Ms: Number(localAsk.p50.toFixed(3)),
    localAskP99Ms: Number(localAsk.p99.toFixed(3)),
  }));
}

if (process.argv[2] === '--receiver') await receiver(process.argv[3]!, process.argv[4]!);
else await main();
