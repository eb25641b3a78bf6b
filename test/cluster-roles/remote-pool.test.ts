// A game server in one node registering with the GameServerPool of another, over the in-process bus: the pool's
// proxy child, health across nodes, commands relayed, removal when the game node dies, and registration again
// after the login node restarts. The same actors run over NATS in three-processes.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attachClusterRoles, clusterNodeName, type ClusterRoles } from '../../src/cli/cluster-wiring.js';
import { silentLogger } from '../../src/runtime/index.js';
import { ClusterNode, InProcessBus, type InProcessTransport } from '../../src/cluster/index.js';
import { Actor, ActorSystem, props, type ActorContext, type ActorRef } from '../../src/runtime/index.js';
import { GameServerPool, type GameServerView, type PoolMessage } from '../../src/servers/login/index.js';
import { clusterMessageTypes } from '../../src/servers/shared/cluster-messages.js';
import type { GameServerCommand, GameServerHealth, RegisterReply } from '../../src/servers/shared/pool-protocol.js';
import { openStore, type Store } from '../../src/store/index.js';
import { until } from '../cluster/support.js';

const HEARTBEAT_MS = 50;
const DOWN_AFTER_MS = 400;

type StandInMessage =
  | GameServerCommand
  | { type: 'stand-in.register' }
  | { type: 'stand-in.registered'; reply: RegisterReply | undefined }
  | { type: 'stand-in.players'; players: number }
  | { type: 'stand-in.answering'; answering: boolean }
  | { type: 'stand-in.leave' };

// A game server reduced to its pool protocol: registers with its pool (retrying), answers health, records commands.
class StandInGameServer extends Actor<StandInMessage> {
  players = 0;
  answering = true;
  constructor(context: ActorContext<StandInMessage>, readonly name: string, readonly port: number, readonly pool: ActorRef, readonly seen: unknown[]) {
    super(context);
  }

  override preStart(): void {
    this.context.self.tell({ type: 'stand-in.register' });
  }

  readonly receive = {
    'stand-in.register': () => {
      const self = this.context.self;
      this.context.pipeToSelf(
        this.pool.ask<RegisterReply>((replyTo) => ({ type: 'pool.register', info: { name: this.name, realm: 'R', address: '127.0.0.1', port: this.port, capacity: 10 }, server: self, replyTo }), 300),
        (result) => ({ type: 'stand-in.registered', reply: result.ok ? result.value : undefined }) as const,
      );
    },
    'stand-in.registered': ({ reply }: { reply: RegisterReply | undefined }) => {
      this.seen.push(reply ?? { type: 'no-reply' });
      if (reply === undefined) this.context.timers.startSingle('retry', { type: 'stand-in.register' }, 100);
    },
    'stand-in.players': ({ players }: { players: number }) => {
      this.players = players;
    },
    'stand-in.leave': () => this.pool.tell({ type: 'pool.unregister', name: this.name }),
    'stand-in.answering': ({ answering }: { answering: boolean }) => {
      this.answering = answering;
    },
    'pool.health': ({ replyTo }: { replyTo: ActorRef<GameServerHealth> }) => {
      if (this.answering) replyTo.tell({ name: this.name, players: this.players, capacity: 10, status: 'open' });
    },
    'pool.grant-login-key': (m: unknown) => void this.seen.push(m),
    'pool.drain': (m: unknown) => void this.seen.push(m),
    'pool.kick': (m: { replyTo?: ActorRef }) => {
      this.seen.push(m);
      m.replyTo?.tell({ type: 'pool.kicked', found: false });
    },
  };
}

interface Node {
  readonly system: ActorSystem;
  readonly node: ClusterNode;
  readonly transport: InProcessTransport;
  readonly roles: ClusterRoles;
}

async function startNode(bus: InProcessBus, name: string, role: 'login' | 'game'): Promise<Node> {
  const system = ActorSystem.create(name, { logger: silentLogger });
  const transport = bus.connect();
  const node = await ClusterNode.start(system, { transport, messages: clusterMessageTypes(), heartbeatIntervalMs: HEARTBEAT_MS, downAfterMs: DOWN_AFTER_MS });
  const roles = attachClusterRoles(system, node, { role, databaseSchema: null, retryMs: 100, log: silentLogger });
  return { system, node, transport, roles };
}

async function stop(node: Node): Promise<void> {
  node.roles.detach();
  await node.system.terminate();
  await node.node.stop();
}

// healthIntervalMs: long where a removal must come from death watch, not from missed health replies.
function startPool(login: Node, store: Store, healthIntervalMs = 100): ActorRef<PoolMessage> {
  const pool = login.system.spawn(
    props<PoolMessage>((c) => new GameServerPool(c, { store, settings: { healthIntervalMs, healthTimeoutMs: 500, maxMissedHealth: 3, maxServers: 8, selection: 'round-robin' } }), { kind: 'GameServerPool' }),
    'pool',
  );
  // As the composition root does once the login part has started.
  login.roles.directory.tell({ type: 'directory.host-pool', pool });
  return pool;
}

function list(pool: ActorRef<PoolMessage>): Promise<readonly GameServerView[]> {
  return pool.ask<readonly GameServerView[]>((replyTo) => ({ type: 'pool.list', replyTo }), 2000);
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function spawnGameServer(game: Node, name: string, port: number, seen: unknown[]): Promise<ActorRef<StandInMessage>> {
  const link = game.roles.poolLink!;
  // The game part creates its servers through the pool of its process: here, the PoolLink.
  const reply = await link.ask<{ type: string; ref?: ActorRef }>(
    (replyTo) => ({ type: 'pool.spawn-local', name, props: props<StandInMessage>((c) => new StandInGameServer(c, name, port, c.parent, seen), { kind: 'StandIn' }), replyTo }),
    2000,
  );
  assert.equal(reply.type, 'pool.spawned');
  return reply.ref as ActorRef<StandInMessage>;
}

describe('a game server registering with a pool on another node', () => {
  let dir: string;
  let store: Store;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'imlight-cluster-roles-'));
    store = await openStore({ databaseUrl: null, sqlitePath: join(dir, 'imlight.db') });
  });

  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appears as a proxy child of the pool, is health-checked, receives the pool\'s commands and leaves when it unregisters', async () => {
    const bus = new InProcessBus();
    const login = await startNode(bus, 'login-a', 'login');
    const game = await startNode(bus, 'game-a', 'game');
    try {
      const pool = startPool(login, store);
      const seen: unknown[] = [];
      const server = await spawnGameServer(game, 'G1', 5001, seen);
      assert.equal(server.path, 'imlight://game-a/user/pool-link/game-G1');

      const views = await eventually(() => list(pool), (v) => v.length === 1, 'the registration');
      assert.equal(views[0]!.name, 'G1');
      assert.equal(views[0]!.path, 'imlight://login-a/user/pool/game-G1');
      await until(() => seen.some((m) => (m as { type?: string }).type === 'pool.registered'), 5000, 'the game server told it is registered');

      // Health crosses the nodes: the pool learns the player count from the remote server.
      server.tell({ type: 'stand-in.players', players: 7 });
      await eventually(() => list(pool), (v) => v[0]?.players === 7, 'the players count from a health reply');

      pool.tell({ type: 'pool.forward-login-key', server: 'G1', grant: { type: 'pool.grant-login-key', key: 'k-1', accountId: 12n, characterId: 34n, expiresAt: 1_000 } });
      await until(() => seen.some((m) => (m as { type?: string }).type === 'pool.grant-login-key'), 5000, 'the login key grant');
      const grant = seen.find((m) => (m as { type?: string }).type === 'pool.grant-login-key') as { key: string; accountId: bigint; characterId: bigint };
      assert.deepEqual([grant.key, grant.accountId, grant.characterId], ['k-1', 12n, 34n]);

      const drained = await pool.ask<{ found: boolean }>((replyTo) => ({ type: 'pool.drain-server', name: 'G1', replyTo }), 2000);
      assert.equal(drained.found, true);
      await until(() => seen.some((m) => (m as { type?: string }).type === 'pool.drain'), 5000, 'the drain command');

      // A graceful shutdown unregisters: the proxy takes the server out of the pool and ends.
      server.tell({ type: 'stand-in.leave' });
      await eventually(() => list(pool), (v) => v.length === 0, 'the unregistration');
      await until(() => login.system.lookup('/user/pool/game-G1') === undefined, 5000, 'the proxy gone');
    } finally {
      await stop(game);
      await stop(login);
    }
  });

  it('is removed and its online players cleared when its node dies, and registers again after the login node restarts', async () => {
    const bus = new InProcessBus();
    let login = await startNode(bus, 'login-b', 'login');
    const game = await startNode(bus, 'game-b', 'game');
    const doomed = await startNode(bus, 'game-c', 'game');
    try {
      let pool = startPool(login, store, 600_000);
      const seen: unknown[] = [];
      await spawnGameServer(game, 'Survivor', 5002, seen);
      await spawnGameServer(doomed, 'Doomed', 5003, []);
      await eventually(() => list(pool), (v) => v.length === 2, 'both registrations');

      await store.onlinePlayers.put({ server: 'Doomed', sessionId: 1n, accountId: 1n, characterId: null, since: new Date() });
      await store.onlinePlayers.put({ server: 'Survivor', sessionId: 2n, accountId: 2n, characterId: null, since: new Date() });
      // A process killed: its connection ends with no goodbye; the heartbeats stop.
      doomed.transport.disconnect();
      const left = await eventually(() => list(pool), (v) => v.length === 1, 'the removal of the dead node\'s server');
      assert.equal(left[0]!.name, 'Survivor');
      await eventually(() => store.onlinePlayers.count({ server: 'Doomed' }), (n) => n === 0, 'the online players of the dead server cleared');
      assert.equal(await store.onlinePlayers.count({ server: 'Survivor' }), 1);

      // The login process restarts under the same node name: the survivor registers again on its own.
      await stop(login);
      login = await startNode(bus, 'login-b', 'login');
      pool = startPool(login, store, 600_000);
      const again = await eventually(() => list(pool), (v) => v.length === 1, 'the registration with the restarted login node');
      assert.equal(again[0]!.name, 'Survivor');
    } finally {
      await stop(doomed).catch(() => {});
      await stop(game);
      await stop(login);
      await store.onlinePlayers.clearServer('Survivor');
    }
  });

  it('registers again on its own after the pool removed it for missed health replies', async () => {
    const bus = new InProcessBus();
    const login = await startNode(bus, 'login-e', 'login');
    const game = await startNode(bus, 'game-e', 'game');
    try {
      const pool = startPool(login, store);
      const proxyPath = 'imlight://login-e/user/pool/game-Mute';
      let proxiesStarted = 0;
      const unsubscribe = login.system.eventStream.subscribe('lifecycle', (event) => {
        if (event.path === proxyPath && event.event === 'started') proxiesStarted++;
      });
      const server = await spawnGameServer(game, 'Mute', 5006, []);
      await eventually(() => list(pool), (v) => v.length === 1, 'the registration');
      assert.equal(proxiesStarted, 1);
      // The process lives but its server stops answering: the pool removes it (stopping the proxy), and the
      // game node's link, seeing its proxy end, registers it again with a new proxy.
      server.tell({ type: 'stand-in.answering', answering: false });
      await until(() => proxiesStarted >= 2, 10_000, 'a second proxy for the server');
      server.tell({ type: 'stand-in.answering', answering: true });
      await eventually(() => list(pool), (v) => v.length === 1 && v[0]!.missed === 0 && v[0]!.path === proxyPath, 'the server registered and healthy again');
      unsubscribe();
    } finally {
      await stop(game);
      await stop(login);
    }
  });

  it('refuses a second live game server with a name already registered from another node', async () => {
    const bus = new InProcessBus();
    const login = await startNode(bus, 'login-d', 'login');
    const first = await startNode(bus, 'game-d1', 'game');
    const second = await startNode(bus, 'game-d2', 'game');
    try {
      const pool = startPool(login, store);
      await spawnGameServer(first, 'Same', 5004, []);
      await eventually(() => list(pool), (v) => v.length === 1, 'the first registration');
      const seen: unknown[] = [];
      await spawnGameServer(second, 'Same', 5005, seen);
      await until(() => seen.some((m) => (m as { type?: string }).type === 'pool.register-refused'), 5000, 'the refusal');
      const refusal = seen.find((m) => (m as { type?: string }).type === 'pool.register-refused') as { reason: string };
      assert.equal(refusal.reason, 'duplicate-name');
      assert.equal((await list(pool)).length, 1);
    } finally {
      await stop(second);
      await stop(first);
      await stop(login);
    }
  });
});

describe('cluster node names', () => {
  it('turns a default <hostname>-<pid> into a NATS-safe node name', () => {
    assert.equal(clusterNodeName('game1.example.org-4242'), 'game1-example-org-4242');
    assert.equal(clusterNodeName('..odd host__name'), 'odd-host__name');
    assert.equal(clusterNodeName('...'), 'node');
    assert.equal(clusterNodeName('x'.repeat(100)).length, 64);
  });
});
