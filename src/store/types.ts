// The store's public contract. Both back ends (SQLite, PostgreSQL) implement it and the one
// contract suite in test/store runs against each. Ids are 64-bit (the protocol's GID) as bigint.
import type { FriendRepository, IgnoreRepository } from './social-types.js';


export const AccessLevel = {
  Player: 'player',
  Moderator: 'moderator',
  Administrator: 'administrator',
} as const;
export type AccessLevel = (typeof AccessLevel)[keyof typeof AccessLevel];
export const accessLevels: readonly AccessLevel[] = Object.values(AccessLevel);

export interface Account {
  readonly id: bigint;
  readonly username: string;
  readonly accessLevel: AccessLevel;
  readonly locked: boolean;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

export interface NewAccount {
  readonly username: string;
  /** The plain password; the store keeps only base64(SHA-512(password)). */
  readonly password?: string;
  /** Already base64(SHA-512(password)), e.g. when importing accounts. Exactly one of password/passwordHash. */
  readonly passwordHash?: string;
  readonly accessLevel?: AccessLevel;
  readonly now?: Date;
}

export interface AccountRepository {
  create(account: NewAccount): Promise<Account>;
  get(id: bigint): Promise<Account | undefined>;
  /** Case-insensitive. */
  findByUsername(username: string): Promise<Account | undefined>;
  list(options?: { limit?: number; offset?: number }): Promise<Account[]>;
  count(): Promise<number>;
  /**
   * The stored base64(SHA-512(password)) for the authenticator, decrypted. A password
   * equivalent: never log it, never send it anywhere but the CK1 comparison.
   */
  credentialFor(accountId: bigint): Promise<string | undefined>;
  setPassword(accountId: bigint, password: string): Promise<void>;
  setLocked(accountId: bigint, locked: boolean): Promise<void>;
  setAccessLevel(accountId: bigint, level: AccessLevel): Promise<void>;
  recordLogin(accountId: bigint, at: Date): Promise<void>;
}

export interface BanTarget {
  readonly accountId?: bigint;
  readonly machineId?: bigint;
  readonly address?: string;
}

export interface Ban {
  readonly id: bigint;
  readonly accountId: bigint | null;
  readonly machineId: bigint | null;
  readonly address: string | null;
  readonly reason: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly liftedAt: Date | null;
}

export interface BanRepository {
  /** Exactly one of accountId, machineId, address. */
  create(ban: BanTarget & { reason: string; expiresAt?: Date | null; now?: Date }): Promise<Ban>;
  /** Unlifted, unexpired bans matching any of the given targets. */
  activeBansFor(target: BanTarget, now: Date): Promise<Ban[]>;
  /** Lifts every active ban on exactly one target; returns how many. */
  lift(target: BanTarget, now: Date): Promise<number>;
  list(options?: { activeAt?: Date }): Promise<Ban[]>;
}

export interface Location {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly yaw: number;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type StateDocument = { [key: string]: JsonValue };

export interface Character {
  readonly id: bigint;
  readonly accountId: bigint;
  readonly name: string;
  readonly creationData: Buffer;
  readonly zoneName: string | null;
  readonly zoneId: bigint | null;
  readonly location: Location | null;
  readonly state: StateDocument;
  /** Starts at 1; every successful save increments it. */
  readonly stateVersion: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly deletedAt: Date | null;
}

export interface NewCharacter {
  readonly accountId: bigint;
  readonly name: string;
  readonly creationData?: Buffer;
  readonly zoneName?: string | null;
  readonly zoneId?: bigint | null;
  readonly location?: Location | null;
  readonly state?: StateDocument;
  readonly now?: Date;
}

export interface CharacterSave {
  /** The version the caller loaded; the save fails with ERR_STALE_STATE if it moved on. */
  readonly expectedVersion: number;
  readonly state?: StateDocument;
  readonly zoneName?: string | null;
  readonly zoneId?: bigint | null;
  readonly location?: Location | null;
  readonly now?: Date;
}

export interface CharacterRepository {
  /** Holds the per-account limit and (if configured) name uniqueness even under concurrent creates. */
  create(character: NewCharacter): Promise<Character>;
  get(id: bigint, options?: { includeDeleted?: boolean }): Promise<Character | undefined>;
  listByAccount(accountId: bigint): Promise<Character[]>;
  /** Returns the new state version, committed. */
  save(id: bigint, save: CharacterSave): Promise<number>;
  /** Soft delete; with `accountId`, only when that account owns it. False when nothing was deleted. */
  delete(id: bigint, options?: { accountId?: bigint; now?: Date }): Promise<boolean>;
}

export interface SessionKey {
  readonly accountId: bigint;
  readonly machineId: bigint;
  readonly key: string;
  readonly expiresAt: Date;
}

export interface SessionKeyRepository {
  /** One ClientKey2 per (account, machine): a new one replaces the old. */
  put(key: SessionKey): Promise<void>;
  find(accountId: bigint, machineId: bigint, now: Date): Promise<SessionKey | undefined>;
  /** Atomically removes and returns the unexpired key: it validates once. */
  consume(accountId: bigint, machineId: bigint, now: Date): Promise<SessionKey | undefined>;
  purgeExpired(now: Date): Promise<number>;
}

export interface LoginKey {
  readonly key: string;
  readonly accountId: bigint;
  readonly characterId: bigint;
  readonly server: string;
  readonly expiresAt: Date;
}

export interface LoginKeyRepository {
  /** The key is the caller's (random, unguessable); a duplicate key is refused. */
  create(key: LoginKey): Promise<void>;
  /** Atomic: among concurrent consumers of one key, at most one gets it. Wrong server or expired: undefined. */
  consumeLoginKey(key: string, server: string, now: Date): Promise<LoginKey | undefined>;
  purgeExpired(now: Date): Promise<number>;
}

export interface OnlinePlayer {
  readonly server: string;
  readonly sessionId: bigint;
  readonly accountId: bigint;
  readonly characterId: bigint | null;
  readonly since: Date;
}

export interface OnlinePlayerRepository {
  /** Insert or replace the entry of (server, sessionId). */
  put(entry: OnlinePlayer): Promise<void>;
  remove(server: string, sessionId: bigint): Promise<boolean>;
  findByAccount(accountId: bigint): Promise<OnlinePlayer[]>;
  list(options?: { server?: string }): Promise<OnlinePlayer[]>;
  count(options?: { server?: string }): Promise<number>;
  /** Removes every entry of a server (removed from the pool, or restarting); returns how many. */
  clearServer(name: string): Promise<number>;
}

export type StoreBackend = 'sqlite' | 'postgres';

export interface Store {
  readonly backend: StoreBackend;
  readonly accounts: AccountRepository;
  readonly bans: BanRepository;
  readonly characters: CharacterRepository;
  readonly sessionKeys: SessionKeyRepository;
  readonly loginKeys: LoginKeyRepository;
  readonly onlinePlayers: OnlinePlayerRepository;
  readonly friends: FriendRepository;
  readonly ignores: IgnoreRepository;
  /** Names of the migrations applied to this database, oldest first. */
  appliedMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

/** The pino-compatible subset the store logs through. */
export interface StoreLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}

/** Called after every store operation with its wall time; operation names are a fixed set ("characters.save"). */
export type QueryObserver = (durationMs: number, operation: string, failed: boolean) => void;
