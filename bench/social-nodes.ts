// Actor-level pieces of bench/social.ts: cluster nodes joined over NATS (each an ActorSystem of this OS process,
// talking only through NATS and the cluster codec), bench inboxes standing in for players' SocialServices, and
// a bare relay for the baselines.
import { ClusterNode, MessageTypes, NatsTransport } from '../src/cluster/index.js';
import { Actor, ActorSystem, props, silentLogger, type ActorContext, type ActorRef } from '../src/runtime/index.js';
import { SOCIAL_MESSAGE_TYPES, type DirectoryMessage, type SocialEvent } from '../src/servers/social/index.js';

export const NATS_URL = process.env['IMLIGHT_NATS_URL'] ?? 'nats://127.0.0.1:4222';

export interface Node {
  readonly system: ActorSystem;
  readonly cluster: ClusterNode | undefined;
}

const BENCH_TYPES = ['echo', 'echoed', 'fan', 'hit'];

export async function joinNode(name: string, clusterName: string): Promise<Node> {
  const system = ActorSystem.create(name, { logger: silentLogger });
  const transport = await NatsTransport.connect({ servers: NATS_URL, connectTimeoutMs: 3000 });
  const cluster = await ClusterNode.start(system, {
    transport, cluster: clusterName, heartbeatIntervalMs: 200, messages: new MessageTypes().registerAll([...SOCIAL_MESSAGE_TYPES, ...BENCH_TYPES]),
  });
  return { system, cluster };
}

export async function waitForMembers(nodes: readonly Node[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = nodes.every((n) => n.cluster === undefined || n.cluster.members().filter((m) => m.status === 'up').length >= nodes.length - 1);
    if (ready) return;
    if (Date.now() > deadline) throw new Error('the bench nodes did not see each other');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How a bench inbox reports what it received (the bench runs in this OS process, so a callback is fine). */
export type Observer = (inbox: string, event: SocialEvent) => void;

/** A player's SocialService reduced to what the bench exercises: answer whispers, accept invitations. */
class BenchInbox extends Actor<SocialEvent> {
  constructor(context: ActorContext<SocialEvent>, private readonly characterId: bigint, private readonly directory: ActorRef<DirectoryMessage>, private readonly observe: Observer) {
    super(context);
  }

  readonly receive = {
    'social.whisper-in': (e: Extract<SocialEvent, { type: 'social.whisper-in' }>) =>
      e.fromInbox.tell({ type: 'social.whisper-out', kind: e.kind, targetId: this.characterId, targetName: '', text: e.text, phraseId: 0, byName: e.byName }),
    'social.group-invited': (e: Extract<SocialEvent, { type: 'social.group-invited' }>) =>
      this.directory.tell({ type: 'social.group-answer', characterId: this.characterId, partyId: e.partyId, accept: true, reason: 0 }),
    'social.whisper-out': (e: SocialEvent) => this.observe(this.context.name, e),
    'social.friend-status': (e: SocialEvent) => this.observe(this.context.name, e),
    'social.group-chat-in': (e: SocialEvent) => this.observe(this.context.name, e),
    'social.group-state': (e: SocialEvent) => this.observe(this.context.name, e),
    'social.group-invite-result': (e: SocialEvent) => this.observe(this.context.name, e),
    'social.whisper-failed': () => {},
    'social.group-left': () => {},
    'social.group-disbanded': () => {},
  } as never;
}

export function spawnInbox(node: Node, name: string, characterId: bigint, directory: ActorRef<DirectoryMessage>, observe: Observer): ActorRef<SocialEvent> {
  return node.system.spawn(props<SocialEvent>((c) => new BenchInbox(c, characterId, directory, observe)), name);
}

type RelayMessage = { type: 'echo'; replyTo: ActorRef } | { type: 'fan'; targets: readonly ActorRef[]; stamp: number };

/** The baselines' bare actor: answers an echo, or tells each target a hit (the same hops as a directory fan-out). */
class Relay extends Actor<RelayMessage> {
  readonly receive = {
    echo: (m: { replyTo: ActorRef }) => m.replyTo.tell({ type: 'echoed' }),
    fan: (m: { targets: readonly ActorRef[]; stamp: number }) => {
      for (const target of m.targets) target.tell({ type: 'hit', stamp: m.stamp });
    },
  };
}

export function spawnRelay(node: Node, name: string): ActorRef<RelayMessage> {
  return node.system.spawn(props<RelayMessage>((c) => new Relay(c)), name);
}

type SinkMessage = { type: 'hit'; stamp: number } | { type: 'echoed' };

class Sink extends Actor<SinkMessage> {
  constructor(context: ActorContext<SinkMessage>, private readonly onHit: () => void) {
    super(context);
  }
  readonly receive = { hit: () => this.onHit(), echoed: () => this.onHit() };
}

export function spawnSink(node: Node, name: string, onHit: () => void): ActorRef<SinkMessage> {
  return node.system.spawn(props<SinkMessage>((c) => new Sink(c, onHit)), name);
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
