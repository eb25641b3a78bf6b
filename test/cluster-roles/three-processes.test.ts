// Issue 10's cluster test with real OS processes: `imlight login` and two `imlight game` joined by the local NATS,
// sharing one PostgreSQL schema (fresh per run, so parallel runs never meet: a game node only joins a login node
// on its own schema). Players log in through the login process and play on the game processes; a game process is
// SIGKILLed and restarted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { KiClient } from '../../src/net/index.js';
import { GAME, LOGIN } from '../../src/protocol/index.js';
import { authenticate } from '../../src/servers/login/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { NATS_URL } from '../cluster/support.js';
import { move, sendAttach } from '../servers/game/game-kit.js';
import { createCharacter, listCharacters, selectCharacter, type Selected } from '../servers/login/harness.js';
import { postgresTestUrl } from '../store/store-harness.js';
import { DEATH_TIMEOUT, PASSWORD, RoleProcess, skipReason, waitUntil } from './role-process.js';

interface LoggedInPlayer {
  readonly username: string;
  readonly accountId: bigint;
  readonly characterId: bigint;
  readonly selected: Selected;
}

describe('a cluster of three processes: one login, two game servers', async () => {
  const skip = await skipReason();
  const run = randomBytes(4).toString('hex');
  const schema = `cluster_roles_${run}`;
  const processes: RoleProcess[] = [];
  const clients: KiClient[] = [];
  let store: Store;
  let loginPort = 0;
  let players = 0;

  const common = [
    '--nats-url', NATS_URL,
    '--database-url', postgresTestUrl,
    '--set', `database.schema=${schema}`,
    '--set', 'admin.enabled=false',
    '--set', 'cluster.heartbeatInterval=300ms',
    '--set', `cluster.deathTimeout=${DEATH_TIMEOUT}`,
    '--set', 'game.registerRetry=500ms',
    '--log-level', 'info',
  ];

  const startGame = (index: number): RoleProcess => {
    const game = new RoleProcess(`game ${index}`, 'game', [
      ...common,
      '--set', `cluster.nodeName=game${index}-${run}`,
      '--set', `game.name=G${index}`,
      '--set', 'game.host=127.0.0.1',
      '--set', 'game.port=0',
      '--set', 'game.moveTick=20ms',
    ]);
    processes.push(game);
    return game;
  };

  // A new account and character, logged in and selected through the login process.
  const loginAndSelect = async (): Promise<LoggedInPlayer> => {
    const username = `player${++players}${run}`;
    const account = await store.accounts.create({ username, password: PASSWORD });
    const client = await KiClient.connect({ port: loginPort, host: '127.0.0.1', keepAliveMs: 0 });
    clients.push(client);
    const auth = await authenticate(client, username, PASSWORD);
    assert.equal(auth.error, 0, `authentication of ${username}`);
    assert.equal((await client.next(LOGIN.MSG_USER_ADMIT_IND, 10_000)).Status, 1);
    assert.equal(await createCharacter(client, `Hero${players}`), 0);
    const character = (await listCharacters(client)).characters.find((c) => c.name === `Hero${players}`)!;
    const selected = await selectCharacter(client, character.id, '', 10_000);
    assert.equal(selected.error, 0, `select for ${username}`);
    client.destroy();
    return { username, accountId: account.id, characterId: character.id, selected };
  };

  const authenticateAgain = async (username: string): Promise<void> => {
    const client = await KiClient.connect({ port: loginPort, host: '127.0.0.1', keepAliveMs: 0 });
    clients.push(client);
    assert.equal((await authenticate(client, username, PASSWORD)).error, 0);
    client.destroy();
  };

  const attach = async (player: LoggedInPlayer): Promise<KiClient> => {
    const client = await KiClient.connect({ port: player.selected.port, host: '127.0.0.1', keepAliveMs: 0 });
    clients.push(client);
    sendAttach(client, player.selected.key, player.accountId, player.characterId);
    await client.next(GAME.MSG_LOGINCOMPLETE, 10_000);
    return client;
  };

  before(async () => {
    if (skip !== false) return;
    // The schema is created and migrated here, before the three processes open it.
    store = await openStore({ databaseUrl: postgresTestUrl, postgresSchema: schema });
  });

  after(async () => {
    for (const client of clients) client.destroy();
    await Promise.all(processes.map((p) => p.stop()));
    if (skip !== false) return;
    await store.close();
    const admin = new pg.Client({ connectionString: postgresTestUrl });
    await admin.connect();
    try {
      await admin.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await admin.end();
    }
  });

  it('runs the whole journey across processes and survives a killed game server', { skip, timeout: 240_000 }, async () => {
    const login = new RoleProcess('login', 'login', [
      ...common,
      '--set', `cluster.nodeName=login-${run}`,
      '--set', 'login.host=127.0.0.1',
      '--set', 'login.port=0',
      '--set', 'login.pool.selection=round-robin',
      '--set', 'login.pool.healthInterval=1s',
    ]);
    processes.push(login);
    loginPort = (await login.waitFor('login server listening'))['port'] as number;

    // Both game servers register with the login process's pool across NATS.
    const games = [startGame(1), startGame(2)];
    const gamePorts = new Map<string, number>();
    for (const [i, game] of games.entries()) {
      const started = await game.waitFor('game server started', { server: `G${i + 1}`, registered: true });
      gamePorts.set(`G${i + 1}`, started['port'] as number);
      await login.waitFor('game server registered', { server: `G${i + 1}` });
    }
    const serverOfPort = (port: number): string => [...gamePorts].find(([, p]) => p === port)?.[0] ?? `unknown port ${port}`;

    // Logins are spread over both by the selection policy (round-robin here).
    const a = await loginAndSelect();
    const b = await loginAndSelect();
    const c = await loginAndSelect();
    assert.deepEqual(new Set([a, b].map((p) => serverOfPort(p.selected.port))), new Set(['G1', 'G2']));
    assert.equal(serverOfPort(c.selected.port), serverOfPort(a.selected.port));

    // Selected on the login process, attached on a game process: the one-time key crosses through PostgreSQL.
    const clientA = await attach(a);
    const clientC = await attach(c);
    await attach(b);
    await clientC.next(GAME.MSG_NEWOBJECT, 10_000);
    move(clientA, 11, 22, 33, 0);
    assert.equal((await clientC.next(GAME.MSG_SERVERMOVE, 10_000)).LocationX, 11);

    const doomedName = serverOfPort(a.selected.port);
    const survivorName = doomedName === 'G1' ? 'G2' : 'G1';
    const doomedIndex = doomedName === 'G1' ? 0 : 1;
    const online = async (server: string): Promise<number> => store.onlinePlayers.count({ server });
    await waitUntil(async () => (await online(doomedName)) === 2, 'the online entries of the two players on the doomed server');
    assert.equal(await online(survivorName), 1);

    // A duplicate login on the login process disconnects the older session on its game process.
    await authenticateAgain(c.username);
    assert.equal((await clientC.closed).reason, 'remote');
    await waitUntil(async () => (await online(doomedName)) === 1, 'the online entry of the kicked player removed');

    // SIGKILL: no goodbye. The login process declares the node down within the bound and the pool removes it.
    games[doomedIndex]!.kill('SIGKILL');
    await games[doomedIndex]!.exited;
    await login.waitFor('game server removed from the pool', { server: doomedName });
    await waitUntil(async () => (await online(doomedName)) === 0, 'the online entries of the killed server cleared');
    assert.equal(await online(survivorName), 1);

    // New logins go to the survivor.
    for (let i = 0; i < 2; i++) assert.equal(serverOfPort((await loginAndSelect()).selected.port), survivorName);

    // The killed game server, started again, registers again.
    const restarted = startGame(doomedIndex + 1);
    const again = await restarted.waitFor('game server started', { server: doomedName, registered: true });
    gamePorts.set(doomedName, again['port'] as number);
    await login.waitFor('game server registered', { server: doomedName }, 2);
    const next = [await loginAndSelect(), await loginAndSelect()].map((p) => serverOfPort(p.selected.port));
    assert.ok(next.includes(doomedName), `a login after the restart goes to ${doomedName} again: ${next.join(', ')}`);
  });
});
