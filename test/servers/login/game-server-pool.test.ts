import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor, ActorSystem, props, silentLogger, type ActorContext, type ActorRef, type Handlers } from '../../../src/runtime/index.js';
import { VirtualScheduler } from '../../../src/runtime/testkit/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import {
  DEFAULT_LOGIN_SETTINGS, GameServerPool, type GameServerView, type PoolMessage, type PoolSettings, type SelectReply, type SpawnReply,
} from '../../../src/servers/login/index.js';
import {
  GameServerStatus, type GameServerCommand, type GameServerInfo, type RegisterReply,
} from '../../../src/servers/shared/pool-protocol.js';

interface Fake {
  players: number;
  capacity: number;
  status: GameServerStatus;
  answering: boolean;
  drained: boolean;
}

class FakeGameServer extends Actor<GameServerCommand> {
  constructor(context: ActorContext<GameServerCommand>, readonly name: string, readonly fake: Fake) {
    super(context);
  }
  readonly receive: Handlers<GameServerCommand> = {
    'pool.health': ({ replyTo }) => {
      if (this.fake.answering) replyTo.tell({ name: this.name, players: this.fake.players, capacity: this.fake.capacity, status: this.fake.status });
    },
    'pool.grant-login-key': () => {},
    'pool.drain': () => {
      this.fake.drained = true;
    },
    'pool.kick': () => {},
  };
}

/** A game server that registers itself with its parent, as a local one spawned by the pool does. */
class SelfRegisteringServer extends FakeGameServer {
  override preStart(): void {
    const info: GameServerInfo = { name: this.name, realm: 'Imlight', address: '127.0.0.1', port: 12333, capacity: 10 };
    this.context.parent.tell({ type: 'pool.register', info, server: this.context.self, replyTo: this.context.system.deadLetters });
  }
}

interface PoolFixture {
  system: ActorSystem;
  scheduler: VirtualScheduler;
  store: Store;
  pool: ActorRef<PoolMessage>;
  register(name: string, info?: Partial<GameServerInfo>, fake?: Partial<Fake>): Promise<{ reply: RegisterReply; fake: Fake; ref: ActorRef<GameServerCommand> }>;
  list(): Promise<readonly GameServerView[]>;
  select(preferred?: string): Promise<SelectReply>;
  close(): Promise<void>;
}

async function startPool(settings: Partial<PoolSettings> = {}): Promise<PoolFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-pool-'));
  const store = await openStore({ databaseUrl: null, sqlitePath: join(dir, 'db.sqlite'), sqliteSynchronous: 'normal' });
  const scheduler = new VirtualScheduler(Date.now());
  const system = ActorSystem.create('pool-test', { scheduler, logger: silentLogger });
  const pool = system.spawn(props<PoolMessage>((c) => new GameServerPool(c, { settings: { ...DEFAULT_LOGIN_SETTINGS.pool, ...settings }, store })), 'pool');
  let port = 13000;
  const ask = <R>(build: (replyTo: ActorRef<R>) => PoolMessage): Promise<R> => {
    const answer = pool.ask<R>(build, 1000);
    void scheduler.advance(0);
    return answer;
  };
  return {
    system,
    scheduler,
    store,
    pool,
    async register(name, info = {}, fakeInit = {}) {
      const fake: Fake = { players: 0, capacity: info.capacity ?? 10, status: GameServerStatus.Open, answering: true, drained: false, ...fakeInit };
      const ref = system.spawn(props<GameServerCommand>((c) => new FakeGameServer(c, name, fake)), `fake-${name}-${port}`);
      const full: GameServerInfo = { name, realm: 'Imlight', address: '127.0.0.1', port: port++, capacity: fake.capacity, ...info };
      const reply = await ask<RegisterReply>((replyTo) => ({ type: 'pool.register', info: full, server: ref, replyTo }));
      return { reply, fake, ref };
    },
    list: () => ask<readonly GameServerView[]>((replyTo) => ({ type: 'pool.list', replyTo })),
    select: (preferred) => ask<SelectReply>((replyTo) => ({ type: 'pool.select', ...(preferred === undefined ? {} : { preferred }), replyTo })),
    async close() {
      await system.terminate();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('the pool refuses a duplicate name, a duplicate address and port, an invalid server and one past its maximum', async () => {
  const p = await startPool({ maxServers: 2 });
  try {
    assert.equal((await p.register('alpha', { port: 12333 })).reply.type, 'pool.registered');
    const sameName = (await p.register('alpha', { port: 12334 })).reply;
    assert.deepEqual(sameName.type === 'pool.register-refused' && sameName.reason, 'duplicate-name');
    const samePort = (await p.register('beta', { port: 12333 })).reply;
    assert.deepEqual(samePort.type === 'pool.register-refused' && samePort.reason, 'duplicate-port');
    const invalid = (await p.register('gamma', { port: 0 })).reply;
    assert.deepEqual(invalid.type === 'pool.register-refused' && invalid.reason, 'invalid');
    const badName = (await p.register('', { port: 12340 })).reply;
    assert.deepEqual(badName.type === 'pool.register-refused' && badName.reason, 'invalid');
    assert.equal((await p.register('beta', { port: 12334 })).reply.type, 'pool.registered');
    const full = (await p.register('delta', { port: 12335 })).reply;
    assert.deepEqual(full.type === 'pool.register-refused' && full.reason, 'pool-full');
    assert.deepEqual((await p.list()).map((s) => [s.name, s.port]), [['alpha', 12333], ['beta', 12334]]);
  } finally {
    await p.close();
  }
});

test('the same server registering again is refreshed, not refused', async () => {
  const p = await startPool();
  try {
    const { ref } = await p.register('alpha', { port: 12333 });
    const again = await p.pool.ask<RegisterReply>((replyTo) => ({ type: 'pool.register', info: { name: 'alpha', realm: 'Imlight', address: '127.0.0.1', port: 12333, capacity: 20 }, server: ref, replyTo }), 1000);
    assert.equal(again.type, 'pool.registered');
    const [view] = await p.list();
    assert.equal(view!.capacity, 20);
  } finally {
    await p.close();
  }
});

test('a server that stops answering health queries is removed after the configured misses, and its players are cleared', async () => {
  const p = await startPool({ healthIntervalMs: 10_000, healthTimeoutMs: 5_000, maxMissedHealth: 3 });
  try {
    const { fake } = await p.register('alpha');
    await p.register('beta');
    const account = await p.store.accounts.create({ username: 'player', password: 'password1' });
    await p.store.onlinePlayers.put({ server: 'alpha', sessionId: 9n, accountId: account.id, characterId: null, since: new Date() });
    await p.scheduler.advance(10_000);
    assert.equal((await p.list()).find((s) => s.name === 'alpha')?.missed, 0);
    fake.answering = false;
    await p.scheduler.advance(10_000 + 5_000);
    assert.equal((await p.list()).find((s) => s.name === 'alpha')?.missed, 1);
    // Missed once: no longer selected, still registered.
    assert.deepEqual(await p.select(), { type: 'pool.selected', name: 'beta', address: '127.0.0.1', port: (await p.list())[1]!.port });
    await p.scheduler.advance(10_000);
    assert.equal((await p.list()).find((s) => s.name === 'alpha')?.missed, 2);
    await p.scheduler.advance(10_000);
    assert.deepEqual((await p.list()).map((s) => s.name), ['beta']);
    await waitFor(async () => (await p.store.onlinePlayers.count({ server: 'alpha' })) === 0, 'alpha\'s players cleared');
  } finally {
    await p.close();
  }
});

test('a server that answers again before the limit is kept', async () => {
  const p = await startPool({ healthIntervalMs: 1_000, healthTimeoutMs: 500, maxMissedHealth: 2 });
  try {
    const { fake } = await p.register('alpha');
    fake.answering = false;
    await p.scheduler.advance(1_500);
    assert.equal((await p.list())[0]?.missed, 1);
    fake.answering = true;
    await p.scheduler.advance(1_000);
    assert.equal((await p.list())[0]?.missed, 0);
  } finally {
    await p.close();
  }
});

test('a server whose actor ends is removed at once', async () => {
  const p = await startPool();
  try {
    const { ref } = await p.register('alpha');
    ref.sendSystem({ type: 'stop' });
    await waitFor(async () => (await p.list()).length === 0, 'alpha removed');
  } finally {
    await p.close();
  }
});

test('selection: least loaded with room by default, full and draining servers skipped, a preferred name honoured', async () => {
  const p = await startPool({ healthIntervalMs: 1_000 });
  try {
    const a = await p.register('alpha', { capacity: 10 }, { players: 5 });
    const b = await p.register('beta', { capacity: 10 }, { players: 2 });
    await p.register('gamma', { capacity: 4 }, { players: 4 });
    await p.scheduler.advance(1_000);
    assert.equal(name(await p.select()), 'beta');
    // Reservations count until the next health reply: beta 3, 4, 5, then alpha (5) ties by name.
    assert.equal(name(await p.select()), 'beta');
    assert.equal(name(await p.select()), 'beta');
    assert.equal(name(await p.select()), 'alpha');
    assert.equal(name(await p.select('gamma')), 'beta', 'a full preferred server is not honoured');
    assert.equal(name(await p.select('alpha')), 'alpha');
    const drained = await p.pool.ask<{ found: boolean }>((replyTo) => ({ type: 'pool.drain-server', name: 'beta', replyTo }), 1000);
    assert.equal(drained.found, true);
    await waitFor(() => b.fake.drained, 'beta told to drain');
    a.fake.players = 9;
    await p.scheduler.advance(1_000);
    assert.equal(name(await p.select()), 'alpha');
    const none = await p.select();
    assert.equal(none.type, 'pool.no-server');
    assert.equal((await p.list()).find((s) => s.name === 'beta')?.status, 'draining');
  } finally {
    await p.close();
  }
});

test('a selection counts against a server for a few seconds, not until the next health reply', async () => {
  // Health replies every minute: reservations alone decide whether the server looks full in between.
  const p = await startPool({ healthIntervalMs: 60_000 });
  try {
    await p.register('solo', { capacity: 3 }, { players: 0 });
    await p.scheduler.advance(60_000);
    for (let i = 0; i < 3; i++) assert.equal(name(await p.select()), 'solo');
    assert.equal((await p.select()).type, 'pool.no-server', 'three players on their way fill a server of three');
    await p.scheduler.advance(5_001);
    assert.equal(name(await p.select()), 'solo', 'the reservations lapsed: the server has room again');
  } finally {
    await p.close();
  }
});

test('selection policies fill-first and round-robin', async () => {
  const fill = await startPool({ selection: 'fill-first', healthIntervalMs: 1_000 });
  try {
    await fill.register('alpha', { capacity: 10 }, { players: 5 });
    await fill.register('beta', { capacity: 10 }, { players: 2 });
    await fill.scheduler.advance(1_000);
    assert.equal(name(await fill.select()), 'alpha');
  } finally {
    await fill.close();
  }
  const rr = await startPool({ selection: 'round-robin' });
  try {
    await rr.register('alpha');
    await rr.register('beta');
    const picks = [name(await rr.select()), name(await rr.select()), name(await rr.select())];
    assert.deepEqual(picks, ['alpha', 'beta', 'alpha']);
  } finally {
    await rr.close();
  }
});

test('a local game server is spawned by the pool as its child and registers as local', async () => {
  const p = await startPool();
  try {
    const fake: Fake = { players: 0, capacity: 10, status: GameServerStatus.Open, answering: true, drained: false };
    const spawned = await p.pool.ask<SpawnReply>((replyTo) => ({ type: 'pool.spawn-local', name: 'local-1', props: props<GameServerCommand>((c) => new SelfRegisteringServer(c, 'local-1', fake)), replyTo }), 1000);
    assert.equal(spawned.type, 'pool.spawned');
    assert.equal(spawned.type === 'pool.spawned' && spawned.ref.path, `${p.pool.path}/game-local-1`);
    await waitFor(async () => (await p.list()).length === 1, 'the local server registered');
    const [view] = await p.list();
    assert.equal(view!.local, true);
    assert.equal(view!.path, `${p.pool.path}/game-local-1`);
    const again = await p.pool.ask<SpawnReply>((replyTo) => ({ type: 'pool.spawn-local', name: 'local-1', props: props<GameServerCommand>((c) => new SelfRegisteringServer(c, 'local-1', fake)), replyTo }), 1000);
    assert.equal(again.type, 'pool.spawn-failed');
  } finally {
    await p.close();
  }
});

function name(reply: SelectReply): string {
  return reply.type === 'pool.selected' ? reply.name : `(none: ${reply.reason})`;
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
