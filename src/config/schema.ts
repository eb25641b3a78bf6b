// Every configuration key of Imlight, with its default. Defaults for timings and limits follow
// shared/spec/flows.md. docs/configuration.md documents the same keys; a test checks that none is missing there.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { derivedField, field, optionalField, type ConfigOf, type Field, type FieldTree } from './field.js';
import {
  booleanSchema, choiceSchema, durationSchema, formatDuration, formatSize, hostSchema, integerSchema, levelMapSchema, LOG_LEVELS, portSchema,
  sizeSchema, textSchema, urlSchema,
} from './values.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function duration(minMs: number, maxMs: number, defaultMs: number, doc: string): Field<number> {
  return field(durationSchema(minMs, maxMs), defaultMs, formatDuration(defaultMs), doc, { unit: 'duration' });
}

function size(minBytes: number, maxBytes: number, defaultBytes: number, doc: string): Field<number> {
  return field(sizeSchema(minBytes, maxBytes), defaultBytes, formatSize(defaultBytes), doc, { unit: 'size' });
}

const pathSchema = textSchema(1, 4096);
const secretSchema = textSchema(16, 1024);
/** A NATS subject token: letters, digits, `_` and `-`. */
const clusterNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'a cluster name uses 1..64 letters, digits, _ and -' });

export const ROLES = ['all', 'login', 'game', 'patch'] as const;
export type Role = (typeof ROLES)[number];

export const configSchema = {
  dataDir: field(pathSchema, './data', './data', 'Folder for the SQLite database, patch files and caches.', { isPath: true }),
  cacheDir: derivedField(pathSchema, (c) => join(c.dataDir, 'cache'), '<dataDir>/cache',
    'Cache of game archives fetched from the patch server.', { isPath: true }),
  realm: field(textSchema(1, 64), 'Imlight', 'Imlight', 'Realm name shown to clients.'),
  secret: optionalField(secretSchema, 'unset: password hashes stored without encryption',
    'Server secret (at least 16 characters): encrypts stored password hashes at rest.', { secret: 'whole' }),

  database: {
    url: optionalField(urlSchema(['postgres:', 'postgresql:']), 'unset: SQLite at database.sqliteFile',
      'PostgreSQL URL; when set, the PostgreSQL back end replaces SQLite.', { secret: 'url-password' }),
    sqliteFile: derivedField(pathSchema, (c) => join(c.dataDir, 'imlight.db'), '<dataDir>/imlight.db',
      'SQLite database file (WAL mode), used when database.url is unset.', { isPath: true }),
    poolSize: field(integerSchema(1, 1000), 10, '10', 'PostgreSQL connection pool size.'),
    schema: optionalField(textSchema(1, 63), 'unset: the default schema', 'PostgreSQL schema to use (created if missing).'),
    sqliteSynchronous: field(choiceSchema(['full', 'normal'] as const), 'full', 'full',
      'SQLite durability: full survives power loss, normal survives a process kill only.'),
  },

  log: {
    level: field(choiceSchema(LOG_LEVELS), 'info', 'info', 'Log level of every component without its own.'),
    levels: field(levelMapSchema, {}, '{}', 'Per-component levels, e.g. { net = "debug" }; env/flag form "net=debug,store=warn".'),
    format: field(choiceSchema(['auto', 'json', 'pretty'] as const), 'auto', 'auto',
      'auto: pretty on a terminal (when pino-pretty is installed), JSON otherwise.'),
    file: optionalField(pathSchema, 'unset: standard output', 'Write logs (JSON) to this file instead of standard output.', { isPath: true }),
  },

  session: {
    acceptTimeout: duration(100, 10 * MINUTE, 15 * SECOND, 'Time a client has to answer the SessionOffer.'),
    keepAliveInterval: duration(1 * SECOND, HOUR, 60 * SECOND, 'Interval of the server KeepAlive.'),
    idleTimeout: duration(1 * SECOND, DAY, 120 * SECOND, 'A session silent this long is closed.'),
    maxFrameBytes: size(1024, 16 * 1024 * 1024, 64 * 1024, 'Largest frame body a client may send; larger closes the session.'),
    maxOutboundBytes: size(16 * 1024, 256 * 1024 * 1024, 1024 * 1024, 'Bytes queued for a client that does not read before its session is dropped.'),
    maxConnections: field(integerSchema(1, 65535), 10_000, '10000', 'Sessions per server (session ids are 16 bits).'),
    maxConnectionsPerAddress: field(integerSchema(1, 65535), 32, '32', 'Sessions per remote address per server.'),
  },

  login: {
    host: field(hostSchema, '0.0.0.0', '0.0.0.0', 'Address the login server listens on.'),
    port: field(portSchema, 12000, '12000', 'Login server TCP port.'),
    name: field(textSchema(1, 64), 'Login', 'Login', 'Login server name sent in MSG_CHARACTERSELECTED.'),
    capacity: field(integerSchema(1, 1_000_000), 1000, '1000', 'Players admitted to the realm at once; more wait in the queue.'),
    queueLimit: field(integerSchema(0, 1_000_000), 10_000, '10000', 'Players waiting in the admission queue at most.'),
    afkTimeout: duration(1 * SECOND, DAY, 360 * SECOND, 'Idle or unadmitted sessions are disconnected after this.'),
    afkCheckInterval: duration(100, HOUR, 60 * SECOND, 'How often AFK sessions are looked for.'),
    clientKeyExpiry: duration(1 * SECOND, 30 * DAY, HOUR, 'Lifetime of a ClientKey2 (for MSG_USER_VALIDATE).'),
    loginKeyExpiry: duration(1 * SECOND, DAY, 5 * MINUTE, 'Lifetime of the one-time key for the game server.'),
    characterLimit: field(integerSchema(1, 100), 6, '6', 'Characters per account.'),
    uniqueCharacterNames: field(booleanSchema, false, 'false', 'Refuse a character name already used by a live character (case-insensitive).'),
    startZone: field(textSchema(1, 256), 'Start', 'Start', 'Zone of a character that has never played.'),
    duplicateLogin: field(choiceSchema(['disconnect-older', 'refuse-new'] as const), 'disconnect-older', 'disconnect-older',
      'An account logging in while online: disconnect the older session, or refuse the new one.'),
    queueRecount: duration(100, HOUR, 5 * SECOND, 'How often the admission queue recounts the players on other servers of the realm.'),
    requestTimeout: duration(100, MINUTE, 5 * SECOND, 'Time limit of the requests between the login server\'s actors.'),
    throttle: {
      maxFailures: field(integerSchema(1, 1000), 5, '5', 'Failed logins (per account or address) before lock-out.'),
      window: duration(1 * SECOND, DAY, 5 * MINUTE, 'Window in which failures are counted.'),
      delayStep: duration(0, MINUTE, 500, 'Added delay per failure before the reply, up to the lock-out.'),
      lockout: duration(1 * SECOND, 30 * DAY, 15 * MINUTE, 'Lock-out time after maxFailures.'),
    },
    pool: {
      healthInterval: duration(100, HOUR, 10 * SECOND, 'How often each game server is queried.'),
      healthTimeout: duration(100, 10 * MINUTE, 5 * SECOND, 'Reply timeout of a health query.'),
      maxMissedHealth: field(integerSchema(1, 100), 3, '3', 'Missed health replies in a row before a server is removed.'),
      maxServers: field(integerSchema(1, 10_000), 64, '64', 'Game servers the pool accepts.'),
      selection: field(choiceSchema(['least-loaded', 'round-robin', 'fill-first'] as const), 'least-loaded', 'least-loaded',
        'How a game server is picked among healthy ones with room.'),
    },
  },

  game: {
    host: field(hostSchema, '0.0.0.0', '0.0.0.0', 'Address the game servers listen on.'),
    port: field(portSchema, 12333, '12333', 'TCP port of the first game server; further ones take the next ports.'),
    count: field(integerSchema(0, 64), 1, '1', 'Game servers started by this process (role all or game).'),
    name: field(textSchema(1, 64), 'Game', 'Game', 'Name of the game server; with count > 1, numbered Game1, Game2, ...'),
    publicAddress: field(hostSchema, '127.0.0.1', '127.0.0.1', 'Address clients are sent to for this game server.'),
    capacity: field(integerSchema(1, 100_000), 500, '500', 'Players per game server.'),
    attachTimeout: duration(100, 10 * MINUTE, 15 * SECOND, 'Time a client has to send MSG_ATTACH.'),
    moveTick: duration(10, 10 * SECOND, 50, 'Movement broadcasts are batched per tick (50 ms keeps a 500-player zone under 100 ms at p99).'),
    renderDistance: field(integerSchema(0, 1_000_000), 5000, '5000',
      'Interest range in world units: a player sees (and gets the moves of) only those this near; 0: everyone in a zone sees everyone.'),
    chatMaxLength: field(integerSchema(1, 4096), 256, '256', 'Longest chat message accepted (characters).'),
    commandPrefix: field(textSchema(1, 4), '.', '.', 'Chat prefix of server commands (accounts with rights).'),
    saveInterval: duration(1 * SECOND, DAY, 60 * SECOND, 'Periodic save of each character.'),
    instanceGrace: duration(0, DAY, 60 * SECOND, 'An empty private instance is removed after this.'),
    registerRetry: duration(100, 10 * MINUTE, 2 * SECOND, 'Retry interval of the registration with the login server.'),
    zoneData: optionalField(pathSchema, 'unset: zones load empty', 'Folder or Root.wad holding zone data.', { isPath: true }),
  },

  patch: {
    host: field(hostSchema, '0.0.0.0', '0.0.0.0', 'Address the patch server listens on (KiNP and HTTP).'),
    port: field(portSchema, 12500, '12500', 'Patch server KiNP TCP port.'),
    httpPort: field(portSchema, 12501, '12501', 'Patch server HTTP port (file list and files).'),
    dir: derivedField(pathSchema, (c) => join(c.dataDir, 'patch'), '<dataDir>/patch', 'Folder served by the patch server (created empty if missing).', { isPath: true }),
    publicUrl: optionalField(urlSchema(['http:', 'https:']), 'unset: http://127.0.0.1:<httpPort>/', 'Base URL clients download files from.'),
    maxHttpConnections: field(integerSchema(1, 100_000), 256, '256', 'Concurrent HTTP connections.'),
  },

  protocol: {
    definitions: optionalField(pathSchema, 'unset: the shipped definitions', 'Folder of protocol XML or a Root.wad replacing the shipped definitions per service.', { isPath: true }),
  },

  objectProperty: {
    typeDump: optionalField(pathSchema, 'unset: the stand-in character blob', 'Type dump (JSON) of the client; enables the ObjectProperty codec.', { isPath: true }),
    characterClass: optionalField(textSchema(1, 256), 'unset: the dump\'s default', 'Class used to build MSG_CHARACTERINFO from a stored character.'),
  },

  cluster: {
    natsUrl: optionalField(urlSchema(['nats:', 'tls:', 'ws:', 'wss:']), 'unset: single process',
      'NATS server joining the processes of a cluster.', { secret: 'url-password', envAliases: ['IMLIGHT_NATS_URL'] }),
    name: field(clusterNameSchema, 'imlight', 'imlight',
      'Name of the cluster: its processes talk on NATS subjects under it, so several clusters can share one NATS server.'),
    nodeName: derivedField(textSchema(1, 128), () => `${hostname()}-${process.pid}`, '<hostname>-<pid>', 'Name of this process in the cluster.'),
    heartbeatInterval: duration(100, MINUTE, 2 * SECOND, 'Heartbeat interval between processes.'),
    deathTimeout: duration(500, 10 * MINUTE, 10 * SECOND, 'A process silent this long is declared dead (Terminated to watchers).'),
  },

  admin: {
    enabled: field(booleanSchema, true, 'true', 'Serve the admin console and /metrics.'),
    host: field(hostSchema, '127.0.0.1', '127.0.0.1', 'Address of the admin console (localhost by default).'),
    port: field(portSchema, 12600, '12600', 'Admin console HTTP port.'),
    token: optionalField(secretSchema, 'unset: a token is generated and logged at start', 'Bearer token of the admin API (at least 16 characters).', { secret: 'whole' }),
  },

  metrics: {
    enabled: field(booleanSchema, true, 'true', 'Expose Prometheus metrics at /metrics on the admin listener.'),
    defaultMetrics: field(booleanSchema, true, 'true', 'Include Node process metrics (event-loop lag, memory, GC).'),
  },

  shutdown: {
    timeout: duration(100, 10 * MINUTE, 15 * SECOND, 'Graceful shutdown time limit; past it the process exits with code 1.'),
  },
} as const satisfies FieldTree;

export type ImlightConfig = ConfigOf<typeof configSchema>;
