import { randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import {
  ClusterNode,
  InProcessBus,
  InProcessTransport,
  MessageTypes,
  NatsTransport,
  type ClusterNodeOptions,
  type MemberEvent,
  type Transport,
} from '../../src/cluster/index.js';
import { Actor, ActorSystem, createJsonLogger, props, type ActorContext, type ActorRef, type Logger } from '../../src/runtime/index.js';

export const NATS_URL = process.env['IMLIGHT_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

// How a contract run gets its connections: the in-process bus or a real NATS server.
export interface ClusterHarness {
  readonly name: string;
  // Set when the back end cannot run here; the reason is shown as the skip message.
  readonly skip: string | false;
  transport(): Promise<Transport>;
  // Cuts a connection without any goodbye, as a killed process or a network cut would.
  crash(transport: Transport): void;
  // Simulates a network cut of one connection (in-process only); undefined when the back end cannot.
  readonly cut?: (transport: Transport) => void;
  readonly restore?: (transport: Transport) => void;
}

export function inProcessHarness(): ClusterHarness {
  const bus = new InProcessBus();
  return {
    name: 'in-process bus',
    skip: false,
    transport: async () => bus.connect(),
    crash: (transport) => (transport as InProcessTransport).disconnect(),
    cut: (transport) => (transport as InProcessTransport).disconnect(),
    restore: (transport) => (transport as InProcessTransport).reconnect(),
  };
}

export async function natsHarness(): Promise<ClusterHarness> {
  const unreachable = await probeTcp(NATS_URL);
  // Under CI NATS must be tested: an unreachable server fails the run instead of skipping.
  const skip = unreachable !== undefined && process.env['CI'] !== 'true' ? `NATS not reachable at ${NATS_URL}: ${unreachable}` : false;
  return {
    name: 'NATS',
    skip,
    transport: () => NatsTransport.connect({ servers: NATS_URL, connectTimeoutMs: 3000 }),
    crash: (transport) => void transport.close(),
  };
}

export function probeTcp(url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = netConnect({ host: hostname, port: Number(port || 4222) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('connect timed out');
    });
    socket.once('error', (error) => resolve(error.message));
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export const TEST_TYPES = ['echo', 'echoed', 'seq', 'introduce', 'hello', 'ignore', 'data', 'stop-now'] as const;

export function testMessages(extra: Iterable<string> = []): MessageTypes {
  return new MessageTypes().registerAll(TEST_TYPES).registerAll(extra);
}

export type EchoMessage =
  | { type: 'echo'; payload: unknown; replyTo?: ActorRef }
  | { type: 'introduce'; ref: ActorRef }
  | { type: 'ignore' }
  | { type: 'seq'; n: number }
  | { type: 'data'; value: unknown }
  | { type: 'stop-now' };

// Answers echo to replyTo (or the sender), greets introduced refs, forwards seq and data to `out` when given.
export class Echo extends Actor<EchoMessage> {
  constructor(context: ActorContext<EchoMessage>, private readonly out: ActorRef | undefined) {
    super(context);
  }

  readonly receive = {
    echo: (m: { payload: unknown; replyTo?: ActorRef }) => (m.replyTo ?? this.context.sender)?.tell({ type: 'echoed', payload: m.payload }, this.context.self),
    introduce: (m: { ref: ActorRef }) => m.ref.tell({ type: 'hello', from: this.context.self }),
    ignore: () => {},
    seq: (m: { n: number }) => this.out?.tell(m),
    data: (m: { value: unknown }) => this.out?.tell(m),
    'stop-now': () => this.context.stop(),
  };
}

export function echoProps(out?: ActorRef) {
  return props<EchoMessage>((context) => new Echo(context, out), { kind: 'echo' });
}

export interface TestNode {
  readonly system: ActorSystem;
  readonly node: ClusterNode;
  readonly transport: Transport;
  readonly logs: Array<Record<string, unknown>>;
  readonly events: MemberEvent[];
}

export function captureLogger(logs: Array<Record<string, unknown>>): Logger {
  return createJsonLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
}

export async function startNode(
  harness: ClusterHarness,
  name: string,
  cluster: string,
  options: Partial<ClusterNodeOptions> = {},
): Promise<TestNode> {
  const logs: Array<Record<string, unknown>> = [];
  const system = ActorSystem.create(name, { logger: captureLogger(logs) });
  const transport = await harness.transport();
  const node = await ClusterNode.start(system, { transport, messages: testMessages(), cluster, heartbeatIntervalMs: 100, downAfterMs: 1500, ...options });
  const events: MemberEvent[] = [];
  node.onMembership((event) => events.push(event));
  return { system, node, transport, logs, events };
}

// Resolves when `node` reports `event` for `member` (or already has, for member-up).
export function waitForMember(node: ClusterNode, member: string, type: MemberEvent['type'], timeoutMs = 10_000): Promise<MemberEvent> {
  return new Promise((resolve, reject) => {
    if (type === 'member-up' && node.memberStatus(member) === 'up') {
      resolve({ type: 'member-up', node: member, incarnation: '' });
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`${node.name}: no ${type} for ${member} within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = node.onMembership((event) => {
      if (event.node !== member || event.type !== type) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

export async function stopNode(node: TestNode): Promise<void> {
  await node.system.terminate();
  await node.node.stop();
}

export function until(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}
