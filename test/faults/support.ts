// Shared pieces of the fault suite: the size of a run, an in-process network on a temporary SQLite
// file, healthy players built from the bot library, and the figures each case reports.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorSystem, createJsonLogger } from '../../src/runtime/index.js';
import { KiClient, type ServerInfo, type ServerQuery, type SessionOptions } from '../../src/net/index.js';
import type { ActorRef } from '../../src/runtime/index.js';
import { LOGIN } from '../../src/protocol/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import {
  startLoginServer, type GameServerView, type LoginServerHandle, type LoginSettingsInput, type LocalGameServer,
} from '../../src/servers/login/index.js';
import { gameServerProps, type GameServerOptions } from '../../src/servers/game/index.js';
import {
  attach, authenticate, awaitAdmission, createCharacter, listCharacters, selectCharacter, type BotAccount, type CharacterInfo, type Selected,
} from '../../src/bots/index.js';

/** `IMLIGHT_FAULTS=full` runs every case at full size; the default is the reduced, quick run. */
export const FULL = process.env['IMLIGHT_FAULTS'] === 'full';

/** Picks the reduced or the full size of a case. */
export function size(reduced: number, full: number): number {
  return FULL ? full : reduced;
}

export interface TestContextLike {
  after(fn: () => void | Promise<void>): void;
  diagnostic(message: string): void;
}

/** Prints a case's figures as one JSON line (RELIABILITY.md quotes them). */
export function figures(t: TestContextLike, name: string, values: Record<string, unknown>): void {
  t.diagnostic(`figures ${name} ${JSON.stringify({ size: FULL ? 'full' : 'reduced', ...values })}`);
}

export interface LoginNetwork {
  readonly dir: string;
  readonly store: Store;
  readonly system: ActorSystem;
  readonly login: LoginServerHandle;
  readonly port: number;
  /** Log lines of the servers, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Actor failures seen on the event stream (a session stopped by a bug, not by a limit). */
  readonly failures: unknown[];
}

export interface LoginNetworkOptions {
  readonly session?: Partial<SessionOptions>;
  readonly settings?: LoginSettingsInput;
  readonly maxConnections?: number;
  readonly localGameServers?: (store: Store) => readonly LocalGameServer[];
  readonly printLogs?: boolean;
  /** The store; default SQLite in the temporary folder. */
  readonly openStore?: (dir: string) => Promise<Store>;
}

/** A login server (and optionally local game servers) on a fresh SQLite file; stopped after the test. */
export async function startLoginNetwork(t: TestContextLike, options: LoginNetworkOptions = {}): Promise<LoginNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'imlight-faults-'));
  const store = options.openStore === undefined ? await openStore({ sqlitePath: join(dir, 'imlight.db'), databaseUrl: null }) : await options.openStore(dir);
  const logs: Record<string, unknown>[] = [];
  const logger = createJsonLogger({
    level: 'info',
    write: (line) => {
      if (logs.length < 20_000) logs.push(JSON.parse(line) as Record<string, unknown>);
      if (options.printLogs === true || process.env['IMLIGHT_TEST_LOGS'] === '1') process.stderr.write(`${line}\n`);
    },
  });
  const system = ActorSystem.create('faults', { logger });
  const failures: unknown[] = [];
  system.eventStream.subscribe('failure', (event) => failures.push(event));
  const login = await startLoginServer(system, {
    store,
    host: '127.0.0.1',
    port: 0,
    // Hostile cases fail many logins from 127.0.0.1, which is also where the healthy players come from.
    settings: { throttle: { maxFailures: 1000, delayStepMs: 0 }, ...options.settings },
    ...(options.session === undefined ? {} : { session: options.session }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.localGameServers === undefined ? {} : { localGameServers: options.localGameServers(store) }),
  });
  t.after(async () => {
    await system.terminate();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, store, system, login, port: login.address.port, logs, failures };
}

export interface PlayNetworkOptions extends Omit<LoginNetworkOptions, 'localGameServers'> {
  readonly game?: Partial<Omit<GameServerOptions, 'name' | 'store' | 'port'>>;
  /** Game servers in the pool. Default 1 (named Game1). */
  readonly gameServers?: number;
}

/** A login server with local game servers in its pool: the whole journey in one process. */
export function startPlayNetwork(t: TestContextLike, options: PlayNetworkOptions = {}): Promise<LoginNetwork> {
  const { game, gameServers, ...rest } = options;
  return startLoginNetwork(t, {
    ...rest,
    localGameServers: (store) => Array.from({ length: gameServers ?? 1 }, (_, i) => ({
      name: `Game${i + 1}`,
      props: gameServerProps({ name: `Game${i + 1}`, store, host: '127.0.0.1', port: 0, ...game }),
    })),
  });
}

/** Waits until `n` game servers are registered with the login server's pool. */
export async function gameServersReady(net: LoginNetwork, n = 1, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const servers = await net.login.pool.ask<readonly GameServerView[]>((replyTo) => ({ type: 'pool.list', replyTo }), 2000);
    if (servers.length >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${servers.length} of ${n} game servers registered`);
    await sleep(20);
  }
}

/** Creates accounts `<prefix>1..n` with the password "pw-<name>". */
export async function makeAccounts(store: Store, prefix: string, n: number): Promise<BotAccount[]> {
  const accounts: BotAccount[] = [];
  for (let i = 1; i <= n; i++) {
    const account = { username: `${prefix}${i}`, password: `pw-${prefix}${i}` };
    await store.accounts.create(account);
    accounts.push(account);
  }
  return accounts;
}

/** A player who is logged in at the login server, admitted, holding its session open. */
export class HealthyPlayer {
  private constructor(readonly client: KiClient, readonly account: BotAccount) {}

  static async login(port: number, account: BotAccount, timeoutMs = 5000): Promise<HealthyPlayer> {
    const client = await KiClient.connect({ port, keepAliveMs: 0, connectTimeoutMs: timeoutMs });
    await authenticate(client, account, 77n, timeoutMs);
    await awaitAdmission(client, timeoutMs);
    return new HealthyPlayer(client, account);
  }

  /** The server still answers this player: a character list round trip. */
  async characters(timeoutMs = 5000): Promise<CharacterInfo[]> {
    return listCharacters(this.client, timeoutMs);
  }

  async create(name: string, timeoutMs = 5000): Promise<void> {
    await createCharacter(this.client, name, timeoutMs);
  }

  /** Sends MSG_LOGIN_NOT_AFK periodically: a present player the AFK limit must not close. */
  keepActive(intervalMs: number): void {
    const timer = setInterval(() => {
      if (this.client.isClosed) return clearInterval(timer);
      this.client.send(LOGIN.MSG_LOGIN_NOT_AFK, { BadgeNameID: 0 });
    }, intervalMs);
    timer.unref();
    void this.client.closed.then(() => clearInterval(timer));
  }

  close(): void {
    this.client.destroy();
  }
}

/** A fresh player logs in and lists its characters: the server still admits newcomers. */
export async function freshLoginWorks(port: number, account: BotAccount): Promise<CharacterInfo[]> {
  const player = await HealthyPlayer.login(port, account);
  try {
    return await player.characters();
  } finally {
    player.close();
  }
}

export interface InGame {
  readonly client: KiClient;
  readonly selected: Selected;
  readonly zone: string;
}

/**
 * Logs in, creates a character if the account has none, selects it and attaches at the game server:
 * a player standing in its zone. `keep` leaves the login session open (for key replays).
 */
export async function enterGame(port: number, account: BotAccount, options: { machineId?: bigint; timeoutMs?: number; characterName?: string; queueCap?: number } = {}): Promise<InGame> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const machineId = options.machineId ?? 42n;
  const login = await KiClient.connect({ port, keepAliveMs: 0, connectTimeoutMs: timeoutMs });
  try {
    await authenticate(login, account, machineId, timeoutMs);
    await awaitAdmission(login, timeoutMs);
    let characters = await listCharacters(login, timeoutMs);
    if (characters.length === 0) {
      await createCharacter(login, options.characterName ?? `${account.username}C`.slice(0, 32), timeoutMs);
      characters = await listCharacters(login, timeoutMs);
    }
    const selected = await selectCharacter(login, characters[0]!.id, timeoutMs);
    const client = await KiClient.connect({ host: '127.0.0.1', port: selected.port, keepAliveMs: 0, connectTimeoutMs: timeoutMs, ...(options.queueCap === undefined ? {} : { queueCap: options.queueCap }) });
    const attached = await attach(client, selected, machineId, timeoutMs);
    return { client, selected, zone: attached.zoneName };
  } finally {
    login.destroy();
  }
}

/** The game server actor of the pool, by its registered name. */
export async function gameServerRef(net: LoginNetwork, name = 'Game1'): Promise<ActorRef<ServerQuery>> {
  const servers = await net.login.pool.ask<readonly GameServerView[]>((replyTo) => ({ type: 'pool.list', replyTo }), 2000);
  const view = servers.find((s) => s.name === name);
  const ref = view === undefined ? undefined : net.system.lookup(view.path);
  if (ref === undefined) throw new Error(`game server ${name} is not in the pool`);
  return ref as ActorRef<ServerQuery>;
}

export async function sessionsOf(ref: ActorRef<ServerQuery>): Promise<number> {
  return (await ref.ask<ServerInfo>((replyTo) => ({ type: 'net.server-info', replyTo }), 2000)).sessions;
}

/** A raw TCP connection for bytes no client would send. */
export function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves with the time until the peer closed the socket, or undefined if it is still open at `limitMs`. */
export function closedWithin(socket: Socket, limitMs: number): Promise<number | undefined> {
  const started = Date.now();
  if (socket.destroyed || socket.readableEnded) return Promise.resolve(0);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('close', onClose);
      resolve(undefined);
    }, limitMs);
    function onClose(): void {
      clearTimeout(timer);
      resolve(Date.now() - started);
    }
    socket.once('close', onClose);
    socket.resume();
  });
}

/** Deterministic pseudo-random bytes (a case must fail the same way twice). */
export function seededBytes(seed: number): (length: number) => Buffer {
  let x = seed >>> 0 || 1;
  return (length) => {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
