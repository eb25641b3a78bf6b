// A reusable login-server harness for end-to-end tests (login, game server, bots): a temp SQLite
// store, a login server on 127.0.0.1 port 0, accounts, and KiClients logged in through the real
// protocol. Also a TestGameServer actor that answers the pool protocol, for tests without a real
// game server.
import type { SocialSettings } from '../../../src/servers/social/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor, ActorSystem, createJsonLogger, props, type ActorContext, type ActorRef, type Handlers, type Logger, type Scheduler } from '../../../src/runtime/index.js';
import { LOGIN } from '../../../src/protocol/index.js';
import { KiClient, type KiClientOptions, type SessionOptions } from '../../../src/net/index.js';
import { ImchCharacterCodec, type CharacterBlobCodec } from '../../../src/objectproperty/index.js';
import { openStore, type Account, type AccessLevel, type Store } from '../../../src/store/index.js';
import {
  authenticate,
  startLoginServer,
  type AuthenticateResult,
  type GameServerView,
  type LocalGameServer,
  type LoginServerHandle,
  type LoginSettingsInput,
} from '../../../src/servers/login/index.js';
import {
  GameServerStatus,
  type GameServerCommand,
  type GameServerInfo,
  type GrantLoginKey,
  type RegisterReply,
} from '../../../src/servers/shared/pool-protocol.js';

export interface LoginHarnessOptions {
  readonly settings?: LoginSettingsInput;
  readonly scheduler?: Scheduler;
  readonly session?: Partial<SessionOptions>;
  readonly localGameServers?: readonly LocalGameServer[];
  readonly characterLimit?: number;
  readonly uniqueCharacterNames?: boolean;
  /** The character blob codec of the login server (default: the IMCH stand-in). */
  readonly codec?: CharacterBlobCodec;
  /** Print the server's log lines (debugging a test). */
  readonly printLogs?: boolean;
  /** The social layer's settings (its directory runs under the login server). */
  readonly social?: Partial<SocialSettings>;
}

export interface LoggedIn {
  readonly client: KiClient;
  readonly auth: AuthenticateResult;
  /** The first MSG_USER_ADMIT_IND after the authentication. */
  readonly admit: { Status: number; PositionInQueue: number };
}

export interface CharacterSummary {
  readonly id: bigint;
  readonly name: string;
  readonly zone: string;
  readonly location: string;
}

export interface LoginHarness {
  readonly system: ActorSystem;
  readonly store: Store;
  readonly login: LoginServerHandle;
  readonly port: number;
  /** Every log line (parsed JSON). */
  readonly logs: Record<string, unknown>[];
  readonly logger: Logger;
  createAccount(username: string, password?: string, options?: { accessLevel?: AccessLevel }): Promise<Account>;
  connect(options?: Partial<KiClientOptions>): Promise<KiClient>;
  /** Connects, authenticates; waits for the first admission indication unless the authentication failed. */
  logIn(username: string, password?: string, options?: { machineId?: bigint }): Promise<LoggedIn>;
  /** Logs in and waits until admitted (status 1); fails when queued. */
  logInAdmitted(username: string, password?: string, options?: { machineId?: bigint }): Promise<LoggedIn>;
  servers(): Promise<readonly GameServerView[]>;
  /** Log lines whose msg contains `text`. */
  logsMatching(text: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export const DEFAULT_PASSWORD = 'correct horse battery';
const codec = new ImchCharacterCodec();

export async function startLoginHarness(options: LoginHarnessOptions = {}): Promise<LoginHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-login-'));
  const logs: Record<string, unknown>[] = [];
  const logger = createJsonLogger({
    level: 'debug',
    write: (line) => {
      logs.push(JSON.parse(line) as Record<string, unknown>);
      if (options.printLogs === true) process.stderr.write(`${line}\n`);
    },
  });
  const store = await openStore({
    databaseUrl: null,
    sqlitePath: join(dir, 'imlight.db'),
    sqliteSynchronous: 'normal',
    ...(options.characterLimit === undefined ? {} : { characterLimit: options.characterLimit }),
    ...(options.uniqueCharacterNames === undefined ? {} : { uniqueCharacterNames: options.uniqueCharacterNames }),
  });
  const system = ActorSystem.create('test', { logger, ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }) });
  let login: LoginServerHandle;
  try {
    login = await startLoginServer(system, {
      store,
      host: '127.0.0.1',
      port: 0,
      settings: { ...(options.characterLimit === undefined ? {} : { characterLimit: options.characterLimit }), ...options.settings },
      ...(options.session === undefined ? {} : { session: options.session }),
      ...(options.localGameServers === undefined ? {} : { localGameServers: options.localGameServers }),
      ...(options.codec === undefined ? {} : { codec: options.codec }),
      ...(options.social === undefined ? {} : { social: options.social }),
    });
  } catch (error) {
    await system.terminate();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = login.address.port;
  const clients: KiClient[] = [];
  const connect = async (clientOptions: Partial<KiClientOptions> = {}): Promise<KiClient> => {
    const client = await KiClient.connect({ port, keepAliveMs: 0, ...clientOptions });
    clients.push(client);
    return client;
  };
  const logIn = async (username: string, password = DEFAULT_PASSWORD, o: { machineId?: bigint } = {}): Promise<LoggedIn> => {
    const client = await connect();
    const auth = await authenticate(client, username, password, o.machineId === undefined ? {} : { machineId: o.machineId });
    if (auth.error !== 0) return { client, auth, admit: { Status: -1, PositionInQueue: 0 } };
    const admit = await client.next(LOGIN.MSG_USER_ADMIT_IND, 5000);
    return { client, auth, admit };
  };
  return {
    system,
    store,
    login,
    port,
    logs,
    logger,
    createAccount: (username, password = DEFAULT_PASSWORD, o = {}) => store.accounts.create({ username, password, ...(o.accessLevel === undefined ? {} : { accessLevel: o.accessLevel }) }),
    connect,
    logIn,
    async logInAdmitted(username, password = DEFAULT_PASSWORD, o = {}) {
      const result = await logIn(username, password, o);
      if (result.auth.error !== 0) throw new Error(`login of ${username} failed: ${result.auth.error} ${result.auth.reason}`);
      if (result.admit.Status !== 1) throw new Error(`login of ${username} was queued at ${result.admit.PositionInQueue}`);
      return result;
    },
    servers: () => login.pool.ask<readonly GameServerView[]>((replyTo) => ({ type: 'pool.list', replyTo }), 2000),
    logsMatching: (text) => logs.filter((line) => typeof line['msg'] === 'string' && (line['msg'] as string).includes(text)),
    async close() {
      for (const client of clients) client.destroy();
      await system.terminate();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- client-side helpers ------------------------------------------------------------------------

/** A CreationInfo blob in the IMCH stand-in format, naming the character. */
export function creationInfo(name: string): Buffer {
  return codec.encodeInfo({ id: 0n, name, zone: '', location: '', creationData: Buffer.alloc(0) });
}

/**
 * Requests the character list and reads it to its terminator. Messages of one connection arrive in
 * order, so once the terminator is in, every CHARACTERINFO before it is already queued.
 */
export async function listCharacters(client: KiClient, timeoutMs = 5000): Promise<{ error: number; slots: number; characters: CharacterSummary[] }> {
  client.send(LOGIN.MSG_REQUESTCHARACTERLIST, {});
  const end = await client.next(LOGIN.MSG_CHARACTERLIST, timeoutMs);
  if (end.Error !== 0 && client.queued(LOGIN.MSG_STARTCHARACTERLIST) === 0) return { error: end.Error, slots: 0, characters: [] };
  const start = await client.next(LOGIN.MSG_STARTCHARACTERLIST, timeoutMs);
  const characters: CharacterSummary[] = [];
  for (let n = client.queued(LOGIN.MSG_CHARACTERINFO); n > 0; n--) {
    characters.push(decodeCharacterInfo((await client.next(LOGIN.MSG_CHARACTERINFO, timeoutMs)).CharacterInfo));
  }
  return { error: end.Error, slots: start.PurchasedCharacterSlots, characters };
}

export function decodeCharacterInfo(blob: Buffer): CharacterSummary {
  const decoded = codec.decodeCreation(blob) as { name?: string; fields?: { id: bigint; zone: string; location: string } };
  if (decoded.name === undefined || decoded.fields === undefined) throw new Error('CHARACTERINFO is not an IMCH stand-in');
  return { id: decoded.fields.id, name: decoded.name, zone: decoded.fields.zone, location: decoded.fields.location };
}

export async function createCharacter(client: KiClient, name: string | Buffer, timeoutMs = 5000): Promise<number> {
  client.send(LOGIN.MSG_CREATECHARACTER, { CreationInfo: typeof name === 'string' ? creationInfo(name) : name });
  return (await client.next(LOGIN.MSG_CREATECHARACTERRESPONSE, timeoutMs)).ErrorCode;
}

export async function deleteCharacter(client: KiClient, id: bigint, timeoutMs = 5000): Promise<number> {
  client.send(LOGIN.MSG_DELETECHARACTER, { CharID: id });
  return (await client.next(LOGIN.MSG_DELETECHARACTERRESPONSE, timeoutMs)).ErrorCode;
}

export interface Selected {
  readonly error: number;
  readonly ip: string;
  readonly port: number;
  readonly key: string;
  readonly userId: bigint;
  readonly characterId: bigint;
  readonly zoneId: bigint;
  readonly zoneName: string;
  readonly location: string;
  readonly loginServer: string;
}

export async function selectCharacter(client: KiClient, id: bigint, serverName = '', timeoutMs = 5000): Promise<Selected> {
  client.send(LOGIN.MSG_SELECTCHARACTER, { CharID: id, ServerName: serverName });
  const m = await client.next(LOGIN.MSG_CHARACTERSELECTED, timeoutMs);
  return {
    error: m.Error, ip: m.IP.toString('utf8'), port: m.TCPPort, key: m.Key.toString('utf8'), userId: m.UserID, characterId: m.CharID,
    zoneId: m.ZoneID, zoneName: m.ZoneName.toString('utf8'), location: m.Location.toString('utf8'), loginServer: m.LoginServer.toString('utf8'),
  };
}

// ---- a game server stand-in -------------------------------------------------------------------

/** What a TestGameServer does; the test changes it while the server runs. */
export interface TestGameServerState {
  players: number;
  status: GameServerStatus;
  /** False: health queries go unanswered (a server that stopped answering). */
  answering: boolean;
  readonly grants: GrantLoginKey[];
  readonly kicks: bigint[];
  drained: boolean;
  healthQueries: number;
}

class TestGameServer extends Actor<GameServerCommand> {
  constructor(context: ActorContext<GameServerCommand>, readonly state: TestGameServerState, readonly capacity: number, readonly name: string) {
    super(context);
  }

  readonly receive: Handlers<GameServerCommand> = {
    'pool.health': ({ replyTo }) => {
      this.state.healthQueries++;
      if (this.state.answering) replyTo.tell({ name: this.name, players: this.state.players, capacity: this.capacity, status: this.state.status });
    },
    'pool.grant-login-key': (grant) => {
      this.state.grants.push(grant);
    },
    'pool.drain': () => {
      this.state.drained = true;
      this.state.status = GameServerStatus.Draining;
    },
    'pool.kick': ({ accountId, replyTo }) => {
      this.state.kicks.push(accountId);
      replyTo?.tell({ type: 'pool.kicked', found: true });
    },
  };
}

export interface TestGameServerHandle {
  readonly ref: ActorRef<GameServerCommand>;
  readonly state: TestGameServerState;
  readonly reply: RegisterReply;
}

let testServers = 0;

/** Spawns a game-server stand-in under /user and registers it with the pool. */
export async function registerTestGameServer(harness: LoginHarness, info: Partial<GameServerInfo> = {}): Promise<TestGameServerHandle> {
  const full: GameServerInfo = { name: `game-${++testServers}`, realm: 'Imlight', address: '127.0.0.1', port: 20_000 + testServers, capacity: 100, ...info };
  const state: TestGameServerState = { players: 0, status: GameServerStatus.Open, answering: true, grants: [], kicks: [], drained: false, healthQueries: 0 };
  const ref = harness.system.spawn(props<GameServerCommand>((c) => new TestGameServer(c, state, full.capacity, full.name)), `test-game-${testServers}`);
  const reply = await harness.login.pool.ask<RegisterReply>((replyTo) => ({ type: 'pool.register', info: full, server: ref, replyTo }), 2000);
  return { ref, state, reply };
}
