// The game servers as a part of a running Imlight process (the `Part` of src/cli/start.ts, matched by
// shape since servers do not import the CLI). With a login server in the process, each game server
// is spawned by its GameServerPool (so it appears as the pool's child) and registers there; without
// one (role `game` alone, no cluster yet) a game server runs standalone, unregistered.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImlightConfig, Role } from '../../config/index.js';
import type { ActorRef, ActorSnapshot, ActorSystem, Logger } from '../../runtime/index.js';
import type { Store } from '../../store/index.js';
import { GameConfigError } from './errors.js';
import type { GameServerDirectory } from './game-context.js';
import { awaitGameServer, gameServerProps, type GameServerHandle, type GameServerOptions } from './game-server.js';
import type { PlayerSummary, WorldInfo } from './messages.js';
import { FolderZoneSource, emptyZoneSource, type ZoneDataSource } from './zone-loader.js';
import type { NetMetrics } from '../../net/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import { loadConfiguredRegistry, sessionOptionsFrom } from '../shared/index.js';

/** What the game part reads of the process context (a subset of the CLI's PartContext). */
export interface GamePartContext {
  readonly config: Pick<ImlightConfig, 'game' | 'login' | 'session' | 'protocol' | 'realm'>;
  readonly system: ActorSystem;
  readonly store: Store | undefined;
  readonly logs: { component(name: string, bindings?: Record<string, unknown>): Logger };
  /** The character blob codec (default: the IMCH stand-in). */
  readonly characterCodec?: CharacterBlobCodec;
  /** Where each server's networking counters go. */
  readonly netMetrics?: (server: string) => NetMetrics;
}

/**
 * What the game servers show and do in the admin console: the shape of src/admin's AdminProviders (matched by
 * shape, as servers do not import the admin console).
 */
export interface GameAdminProviders {
  zones(): Promise<readonly { server: string; zone: string; kind: 'zone' | 'instance'; owner?: string; players: number }[]>;
  playerDetails(): Promise<readonly { accountId: bigint; zone?: string; mutedUntil?: number }[]>;
  kick(accountId: bigint, by: string, reason: string): Promise<boolean>;
  mute(accountId: bigint, minutes: number, by: string): Promise<boolean>;
}

export interface RunningGamePart {
  readonly servers: readonly GameServerHandle[];
  readonly admin: GameAdminProviders;
  stop(): Promise<void>;
}

/** Registration wait at start: a pool of this process answers at once; one across the cluster may take longer. */
const REGISTER_WAIT_MS = 10_000;

/** The actor kind of the login server's pool (src/servers/login), found in the tree by kind. */
const POOL_KIND = 'GameServerPool';

export async function startGamePart(context: GamePartContext): Promise<RunningGamePart> {
  const { config, system, store } = context;
  const log = context.logs.component('game');
  if (store === undefined) throw new GameConfigError('the game servers need the store');
  const game = config.game;
  if (game.count === 0) {
    log.info('game.count is 0: no game server in this process');
    return { servers: [], admin: adminProviders(system, []), stop: () => Promise.resolve() };
  }
  const registry = await loadConfiguredRegistry(config.protocol.definitions, log);
  const zoneSource = await zoneSourceOf(game.zoneData);
  const pool = findPool(system);
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
        zoneSource,
        directory,
        registry,
        maxConnections: config.session.maxConnections,
        session: sessionOptionsFrom(config.session),
        ...(context.characterCodec === undefined ? {} : { codec: context.characterCodec }),
        ...(context.netMetrics === undefined ? {} : { metrics: context.netMetrics(name) }),
        settings: {
          attachTimeoutMs: game.attachTimeout,
          moveTickMs: game.moveTick,
          renderDistance: game.renderDistance,
          chatMaxLength: game.chatMaxLength,
          commandPrefix: game.commandPrefix,
          saveIntervalMs: game.saveInterval,
          instanceGraceMs: game.instanceGrace,
          registerRetryMs: game.registerRetry,
          loginKeyExpiryMs: config.login.loginKeyExpiry,
          startZone: config.login.startZone,
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
  return { servers: [...handles], admin: adminProviders(system, handles), stop };
}

const ADMIN_ASK_MS = 5_000;

function adminProviders(system: ActorSystem, handles: readonly GameServerHandle[]): GameAdminProviders {
  const each = <T>(fn: (handle: GameServerHandle) => Promise<T>): Promise<T[]> => Promise.all(handles.map(fn));
  return {
    zones: async () =>
      (await each(async (handle) => {
        const world = system.lookup(`${handle.ref.path}/world`);
        if (world === undefined) return [];
        const info = await world.ask<WorldInfo>((replyTo) => ({ type: 'world.info', replyTo }), ADMIN_ASK_MS);
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
      const until = minutes > 0 ? Date.now() + minutes * 60_000 : 0;
      const found = await each((handle) => handle.ref.ask<boolean>((replyTo) => ({ type: 'game.set-muted', accountId, until, replyTo }), ADMIN_ASK_MS));
      if (found.some(Boolean)) system.log.info({ account: accountId, minutes, by }, 'player muted from the admin console');
      return found.some(Boolean);
    },
  };
}

/** The part for the composition root: runs with the roles `all` and `game`, after the login part. */
export const gamePart = {
  name: 'game',
  roles: ['all', 'game'] as readonly Role[],
  start: startGamePart,
} as const;

function findPool(system: ActorSystem): ActorRef | undefined {
  const search = (node: ActorSnapshot): string | undefined => {
    if (node.kind === POOL_KIND) return node.path;
    for (const child of node.children) {
      const found = search(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const path = search(system.snapshot());
  return path === undefined ? undefined : system.lookup(path);
}

async function spawnInPool(pool: ActorRef, name: string, options: GameServerOptions): Promise<ActorRef> {
  const reply = await pool.ask<{ type: string; ref?: ActorRef; error?: string }>(
    (replyTo) => ({ type: 'pool.spawn-local', name, props: gameServerProps(options), replyTo }),
    10_000,
  );
  if (reply.type !== 'pool.spawned' || reply.ref === undefined) throw new GameConfigError(`the pool could not create game server ${name}: ${reply.error ?? reply.type}`);
  return reply.ref;
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

