// The game servers as a part of a running Imlight process (roles `all` and `game`). It is handed the pool its
// servers register with (PartContext.pool: the login part's pool, or on a game node of a cluster the link that
// stands for it) and creates each game server as that pool's child, so the pool sees it like any of its own;
// without a pool a game server runs standalone, unregistered.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { refOfProps, type ActorRef, type ActorSystem, type Logger } from '../../runtime/index.js';
import { readTypeDump } from '../../objectproperty/index.js';
import { playerObjectsFrom } from './player-object-source.js';
import type { PlayerObjectBuilder } from './player-object.js';
import { loadConfiguredRegistry, sessionOptionsFrom, type LocalPoolMessage, type Part, type PartAdmin, type PartContext, type SpawnReply } from '../shared/index.js';
import { GameConfigError } from './errors.js';
import type { GameServerDirectory } from './game-deps.js';
import { awaitGameServer, type GameServerHandle } from './game-server-handle.js';
import { gameServerProps, type GameServerMessage, type GameServerOptions } from './game-server.js';
import type { PlayerSummary, WorldInfo } from './messages.js';
import { FolderZoneSource, emptyZoneSource, type ZoneDataSource } from './zone-loader.js';
import type { ServerMessage } from '../../net/index.js';

/** What the game part reads of the process context. */
export type GamePartContext = Pick<PartContext, 'config' | 'system' | 'store' | 'logs' | 'pool'> & Partial<Pick<PartContext, 'characterCodec' | 'netMetrics' | 'clock'>>;

export interface RunningGamePart {
  readonly servers: readonly GameServerHandle[];
  readonly admin: PartAdmin;
  stop(): Promise<void>;
}

/** Registration wait at start: a pool of this process answers at once; one across the cluster may take longer. */
const REGISTER_WAIT_MS = 10_000;

export async function startGamePart(context: GamePartContext): Promise<RunningGamePart> {
  const { config, system, store, pool } = context;
  const clock = context.clock ?? Date.now;
  const log = context.logs.component('game');
  if (store === undefined) throw new GameConfigError('the game servers need the store');
  const game = config.game;
  if (game.count === 0) {
    log.info('game.count is 0: no game server in this process');
    return { servers: [], admin: gameAdmin(system, [], clock), stop: () => Promise.resolve() };
  }
  const registry = await loadConfiguredRegistry(config.protocol.definitions, log);
  const zoneSource = await zoneSourceOf(game.zoneData);
  const playerObjects = await playerObjectsOf(config.objectProperty.typeDump, [game.clientDir, game.zoneData], log);
  if (pool === undefined) log.warn('no login server in this process: the game servers run standalone, unregistered');
  const handles: GameServerHandle[] = [];
  const directory: GameServerDirectory = {
    resolve: (name) => {
      const handle = handles.find((h) => h.name === name);
      return Promise.resolve(handle === undefined ? undefined : { name, address: game.publicAddress, port: handle.port });
    },
  };
  const stop = async (): Promise<void> => {
    for (const handle of handles.splice(0).reverse()) {
      try {
        const report = await handle.shutdown();
        log.info({ server: handle.name, ...report }, 'game server stopped');
      } catch (error) {
        log.error({ err: error, server: handle.name }, 'game server did not shut down cleanly');
      }
    }
  };
  try {
    for (let i = 0; i < game.count; i++) {
      const name = game.count === 1 ? game.name : `${game.name}${i + 1}`;
      const options: GameServerOptions = {
        name,
        store,
        realm: config.realm,
        host: game.host,
        port: game.port === 0 ? 0 : game.port + i,
        publicAddress: game.publicAddress,
        capacity: game.capacity,
        pool: pool ?? null,
        clock,
        zoneSource,
        directory,
        ...(playerObjects === undefined ? {} : { playerObjects }),
        registry,
        maxConnections: config.session.maxConnections,
        session: sessionOptionsFrom(config.session),
        ...(context.characterCodec === undefined ? {} : { codec: context.characterCodec }),
        ...(context.netMetrics === undefined ? {} : { metrics: context.netMetrics(name) }),
        settings: {
          attachTimeoutMs: game.attachTimeout,
          moveTickMs: game.moveTick,
          chatMaxLength: game.chatMaxLength,
          commandPrefix: game.commandPrefix,
          saveIntervalMs: game.saveInterval,
          instanceGraceMs: game.instanceGrace,
          registerRetryMs: game.registerRetry,
          loginKeyExpiryMs: config.login.loginKeyExpiry,
          startZone: config.login.startZone,
          objectBlobPrefix: game.objectBlobPrefix,
          afkTimeoutMs: game.afkTimeout,
        },
      };
      const ref = pool === undefined ? system.spawn(gameServerProps(options), `game-${name}`) : await spawnInPool(pool, name, options);
      // A refusal fails the start; no answer yet (a login server of the cluster not up) does not: it keeps retrying.
      const handle = await awaitGameServer(system, ref, name, REGISTER_WAIT_MS, { allowUnregistered: true });
      handles.push(handle);
      if (pool !== undefined && !handle.registered) log.warn({ server: name }, 'game server not registered yet: it keeps retrying');
      log.info({ server: name, port: handle.port, registered: pool !== undefined && handle.registered }, 'game server started');
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { servers: [...handles], admin: gameAdmin(system, handles, clock), stop };
}

const ADMIN_ASK_MS = 5_000;

function gameAdmin(system: ActorSystem, handles: readonly GameServerHandle[], clock: () => number): PartAdmin {
  const each = <T>(fn: (handle: GameServerHandle) => Promise<T>): Promise<T[]> => Promise.all(handles.map(fn));
  return {
    zones: async () =>
      (await each(async (handle) => {
        const info = await handle.ref.ask<WorldInfo>((replyTo) => ({ type: 'game.world-info', replyTo }), ADMIN_ASK_MS);
        const zones = info.zones.map((zone, i) => ({ server: handle.name, zone, kind: 'zone' as const, players: info.zonePlayers[i] ?? 0 }));
        const instances = info.instances.flatMap((instance) =>
          instance.zones.map((zone, i) => ({ server: handle.name, zone, kind: 'instance' as const, owner: instance.key, players: instance.zonePlayers[i] ?? 0 })));
        return [...zones, ...instances];
      })).flat(),
    playerDetails: async () =>
      (await each((handle) => handle.ref.ask<readonly PlayerSummary[]>((replyTo) => ({ type: 'game.list-players', replyTo }), ADMIN_ASK_MS)))
        .flat()
        .map((p) => ({ accountId: p.accountId, zone: p.zone, ...(p.mutedUntil > 0 ? { mutedUntil: p.mutedUntil } : {}) })),
    kick: async (accountId, by, reason) =>
      (await each((handle) => handle.ref.ask<{ found: boolean }>((replyTo) => ({ type: 'pool.kick', accountId, reason: `${reason} (by ${by})`, replyTo }), ADMIN_ASK_MS)))
        .some((reply) => reply.found),
    mute: async (accountId, minutes, by) => {
      const until = minutes > 0 ? clock() + minutes * 60_000 : 0;
      const found = await each((handle) => handle.ref.ask<boolean>((replyTo) => ({ type: 'game.set-muted', accountId, until, replyTo }), ADMIN_ASK_MS));
      if (found.some(Boolean)) system.log.info({ account: accountId, minutes, by }, 'player muted from the admin console');
      return found.some(Boolean);
    },
  };
}

/** The game part of the `imlight start` command: runs with the roles `all` and `game`, after the login part. */
export const gamePart: Part = {
  name: 'game',
  roles: ['all', 'game'],
  start: startGamePart,
};

async function spawnInPool(pool: ActorRef<LocalPoolMessage>, name: string, options: GameServerOptions): Promise<ActorRef<ServerMessage | GameServerMessage>> {
  const serverProps = gameServerProps(options);
  const reply = await pool.ask<SpawnReply>((replyTo) => ({ type: 'pool.spawn-local', name, props: serverProps, replyTo }), 10_000);
  if (reply.type !== 'pool.spawned') throw new GameConfigError(`the pool could not create game server ${name}: ${reply.error}`);
  return refOfProps(reply.ref, serverProps);
}

/** The player's client object from the type dump and template 1 of `<game.clientDir or game.zoneData>/[Data/GameData/]Root.wad`; one start line says which. */
async function playerObjectsOf(typeDump: string | undefined, folders: readonly (string | undefined)[], log: Logger): Promise<PlayerObjectBuilder | undefined> {
  let rootWad: string | undefined;
  for (const candidate of folders.flatMap((dir) => (dir === undefined ? [] : [join(dir, 'Data', 'GameData', 'Root.wad'), join(dir, 'Root.wad')]))) {
    if (rootWad === undefined && (await stat(candidate).then((s) => s.isFile(), () => false))) rootWad = candidate;
  }
  const built = await playerObjectsFrom(typeDump === undefined ? undefined : await readTypeDump(typeDump), rootWad);
  if (typeof built === 'string') {
    log.info({ reason: built }, 'player objects: the IMCH stand-in (LOGINCOMPLETE and NEWOBJECT)');
    return undefined;
  }
  log.info({ rootWad, unmappedBehaviors: built.unmappedBehaviors }, 'player objects: template 1 in CoreObject form');
  return built;
}

async function zoneSourceOf(zoneData: string | undefined): Promise<ZoneDataSource> {
  if (zoneData === undefined) return emptyZoneSource;
  const dir = resolve(zoneData);
  let isFolder: boolean;
  try {
    isFolder = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new GameConfigError(`game.zoneData ${dir} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (!isFolder) throw new GameConfigError(`game.zoneData ${dir} is not a folder (zone data inside a Root.wad is not read yet: extract it to a folder)`);
  return new FolderZoneSource(dir);
}

