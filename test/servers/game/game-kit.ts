// End-to-end kit for the game server: the login harness (temp SQLite store, login server on port 0)
// plus game servers spawned by the login server's pool, and players that go through the whole
// journey with KiClient: log in, create and select a character, attach at the game server.
import { ActorSystem, type ActorRef } from '../../../src/runtime/index.js';
import { GAME, type DataOf } from '../../../src/protocol/index.js';
import { KiClient } from '../../../src/net/index.js';
import type { AccessLevel } from '../../../src/store/index.js';
import type { SpawnReply } from '../../../src/servers/login/index.js';
import { resolveSocialSettings } from '../../../src/servers/social/index.js';
import {
  awaitGameServer,
  gameServerProps,
  unwrapRawBlob,
  type GameServerDirectory,
  type GameServerHandle,
  type GameServerOptions,
  type WorldInfo,
} from '../../../src/servers/game/index.js';
import {
  createCharacter,
  decodeCharacterInfo,
  listCharacters,
  selectCharacter,
  startLoginHarness,
  type CharacterSummary,
  type LoginHarness,
  type LoginHarnessOptions,
  type Selected,
} from '../login/harness.js';

export type LoginComplete = DataOf<typeof GAME.MSG_LOGINCOMPLETE>;

export interface GameKit {
  readonly harness: LoginHarness;
  readonly system: ActorSystem;
  readonly games: Map<string, GameServerHandle>;
  /** The first game server. */
  readonly game: GameServerHandle;
  /** Spawns another game server through the pool. */
  addGameServer(name: string, options?: Partial<GameServerOptions>): Promise<GameServerHandle>;
  /** A new account (and character) all the way into the game. */
  newPlayer(username: string, options?: { accessLevel?: AccessLevel; characterName?: string }): Promise<Player>;
  /** Logs an existing account in again and attaches its character. */
  relog(player: Player): Promise<Player>;
  /** Logs an existing account in and selects its character: the login server's answer, not attached yet. */
  select(player: Player): Promise<Selected>;
  world(game?: GameServerHandle): Promise<WorldInfo>;
  close(): Promise<void>;
}

export interface Player {
  readonly username: string;
  readonly accountId: bigint;
  readonly characterId: bigint;
  readonly name: string;
  readonly selected: Selected;
  readonly client: KiClient;
  readonly complete: LoginComplete;
  /** The IMCH stand-in inside LOGINCOMPLETE.Data. */
  readonly object: CharacterSummary;
}

export interface GameKitOptions {
  readonly game?: Partial<GameServerOptions>;
  readonly login?: LoginHarnessOptions;
}

/** Every client of the kit, destroyed at close. */
const clients = new Set<KiClient>();

export async function startGameKit(options: GameKitOptions = {}): Promise<GameKit> {
  const harness = await startLoginHarness(options.login ?? {});
  const games = new Map<string, GameServerHandle>();
  const directory: GameServerDirectory = {
    resolve: (name) => {
      const handle = games.get(name);
      return Promise.resolve(handle === undefined ? undefined : { name, address: '127.0.0.1', port: handle.port });
    },
  };
  const addGameServer = async (name: string, extra: Partial<GameServerOptions> = {}): Promise<GameServerHandle> => {
    const social = { directory: harness.login.social, settings: resolveSocialSettings(options.login?.social) };
    const gameProps = gameServerProps({ name, store: harness.store, host: '127.0.0.1', port: 0, publicAddress: '127.0.0.1', directory, social, ...options.game, ...extra });
    const reply = await harness.login.pool.ask<SpawnReply>((replyTo) => ({ type: 'pool.spawn-local', name, props: gameProps, replyTo }), 5000);
    if (reply.type !== 'pool.spawned') throw new Error(`cannot spawn game server ${name}: ${reply.error}`);
    const handle = await awaitGameServer(harness.system, reply.ref as ActorRef, name, 10_000);
    games.set(name, handle);
    return handle;
  };
  let game: GameServerHandle;
  try {
    game = await addGameServer('Game');
  } catch (error) {
    await harness.close();
    throw error;
  }

  const select = async (username: string, characterId: bigint): Promise<Selected> => {
    const { client: loginClient } = await harness.logInAdmitted(username);
    const selected = await selectCharacter(loginClient, characterId);
    loginClient.destroy();
    if (selected.error !== 0) throw new Error(`select failed with ${selected.error}`);
    return selected;
  };
  const attachAs = async (username: string, accountId: bigint, characterId: bigint, name: string): Promise<Player> => {
    const selected = await select(username, characterId);
    const client = await KiClient.connect({ port: selected.port, keepAliveMs: 0 });
    clients.add(client);
    sendAttach(client, selected.key, accountId, characterId);
    const complete = await client.next(GAME.MSG_LOGINCOMPLETE, 5000);
    const blob = unwrapRawBlob(complete.Data);
    if (blob === undefined) throw new Error('LOGINCOMPLETE.Data is not a raw wrapped blob');
    return { username, accountId, characterId, name, selected, client, complete, object: decodeCharacterInfo(blob) };
  };

  return {
    harness,
    system: harness.system,
    games,
    game,
    addGameServer,
    async newPlayer(username, o = {}) {
      const account = await harness.createAccount(username, undefined, o.accessLevel === undefined ? {} : { accessLevel: o.accessLevel });
      const { client } = await harness.logInAdmitted(username);
      const name = o.characterName ?? `${username}Char`;
      const created = await createCharacter(client, name);
      if (created !== 0) throw new Error(`character creation failed with ${created}`);
      const { characters } = await listCharacters(client);
      client.destroy();
      const character = characters.find((c) => c.name === name)!;
      return attachAs(username, account.id, character.id, name);
    },
    relog: (player) => attachAs(player.username, player.accountId, player.characterId, player.name),
    select: (player) => select(player.username, player.characterId),
    world: (handle = game) => {
      const world = harness.system.lookup(`${handle.ref.path}/world`)!;
      return world.ask<WorldInfo>((replyTo) => ({ type: 'world.info', replyTo }), 5000);
    },
    async close() {
      for (const client of clients) client.destroy();
      clients.clear();
      await harness.close();
    },
  };
}

export function sendAttach(client: KiClient, key: string | Buffer, accountId: bigint, characterId: bigint): void {
  client.send(GAME.MSG_ATTACH, {
    GameObjectID: 0n, LoginKey: key, UserID: accountId, CharID: characterId, ZoneName: '', Location: '', TargetPlayerID: 0n, ZoneID: 0n,
    Slot: 0, SessionID: 0n, SessionSlot: 0, PassKey: '', Reattach: 0, Retry: 0, Locale: 'English', MachineID: 0n,
  });
}

/** Connects a bare client to a game server (no login), e.g. to send a bad key. */
export async function connectGame(port: number): Promise<KiClient> {
  const client = await KiClient.connect({ port, keepAliveMs: 0 });
  clients.add(client);
  return client;
}

export function move(client: KiClient, x: number, y: number, z: number, direction: number, zoneCounter = 0): void {
  client.send(GAME.MSG_CLIENTMOVE, { LocationX: x, LocationY: y, LocationZ: z, Direction: direction, ZoneCounter: zoneCounter });
}

export function say(client: KiClient, text: string): void {
  client.send(GAME.MSG_REQUESTRADIALCHAT, { Message: text });
}

/** The IMCH character inside a NEWOBJECT. */
export function newObjectOf(data: { Data: Buffer }): CharacterSummary {
  return decodeCharacterInfo(data.Data);
}

/** Reads messages of `kind` until one matches (others are dropped). */
export async function nextMatching<T>(client: KiClient, kind: Parameters<KiClient['next']>[0] & { _type?: T }, match: (data: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no matching ${kind.name} within ${timeoutMs} ms`);
    const data = (await client.next(kind, left)) as T;
    if (match(data)) return data;
  }
}

/** Polls until the condition holds (real time). */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
