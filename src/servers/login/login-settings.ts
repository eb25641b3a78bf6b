// The login server's limits and timings, with the defaults of flows.md. The CLI fills them from the
// configuration (login.*); tests pass only what they change.
import { LoginConfigError } from './errors.js';

export const SelectionPolicy = {
  LeastLoaded: 'least-loaded',
  RoundRobin: 'round-robin',
  FillFirst: 'fill-first',
} as const;
export type SelectionPolicy = (typeof SelectionPolicy)[keyof typeof SelectionPolicy];

export const DuplicateLoginPolicy = {
  /** The older session (here or on a game server) is disconnected, then the new one is admitted. */
  DisconnectOlder: 'disconnect-older',
  /** The new login is refused while the account is online. */
  RefuseNew: 'refuse-new',
} as const;
export type DuplicateLoginPolicy = (typeof DuplicateLoginPolicy)[keyof typeof DuplicateLoginPolicy];

export interface ThrottleSettings {
  /** Failures of one account from one address within the window before attempts there are spaced out. */
  readonly maxFailures: number;
  /** Failures from one address (any account) before its attempts are spaced out. */
  readonly addressMaxFailures: number;
  /** Failures of one account (any address) before attempts from machines new to it are spaced out. */
  readonly accountMaxFailures: number;
  readonly windowMs: number;
  /** The first spacing past a limit; it doubles with each further failure. */
  readonly delayStepMs: number;
  /** The longest spacing: nothing is refused for longer. */
  readonly lockoutMs: number;
  /** An attempt waits for its slot at most this long; past it, it is refused (try again later). */
  readonly maxWaitMs: number;
  /** Keys (account on an address, addresses, accounts) tracked at most; the least recent are forgotten past it. */
  readonly maxTracked: number;
}

export interface PoolSettings {
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
  readonly maxMissedHealth: number;
  readonly maxServers: number;
  readonly selection: SelectionPolicy;
}

export interface LoginSettings {
  /** This login server's name: MSG_CHARACTERSELECTED.LoginServer and its OnlinePlayers server column. */
  readonly name: string;
  /** Players admitted to the realm at once (login sessions plus players on game servers). */
  readonly capacity: number;
  readonly queueLimit: number;
  /** How often the admission queue recounts the players on other servers (from the store). */
  readonly queueRecountMs: number;
  readonly afkTimeoutMs: number;
  readonly afkCheckIntervalMs: number;
  /** A session that has not authenticated within this is closed (its slot held without credentials). */
  readonly unauthenticatedTimeoutMs: number;
  readonly clientKeyExpiryMs: number;
  readonly loginKeyExpiryMs: number;
  /** Mirrors the store's limit; sent as PurchasedCharacterSlots. */
  readonly characterLimit: number;
  /** Zone of a character that has never played. */
  readonly startZone: string;
  readonly duplicateLogin: DuplicateLoginPolicy;
  /** Time limit of the asks between the login server's actors. */
  readonly requestTimeoutMs: number;
  readonly throttle: ThrottleSettings;
  readonly pool: PoolSettings;
}

export type LoginSettingsInput = Partial<Omit<LoginSettings, 'throttle' | 'pool'>> & {
  readonly throttle?: Partial<ThrottleSettings>;
  readonly pool?: Partial<PoolSettings>;
};

export const DEFAULT_LOGIN_SETTINGS: LoginSettings = Object.freeze({
  name: 'Login',
  capacity: 1000,
  queueLimit: 10_000,
  queueRecountMs: 5_000,
  afkTimeoutMs: 360_000,
  afkCheckIntervalMs: 60_000,
  unauthenticatedTimeoutMs: 30_000,
  clientKeyExpiryMs: 3_600_000,
  loginKeyExpiryMs: 300_000,
  characterLimit: 6,
  startZone: 'Start',
  duplicateLogin: DuplicateLoginPolicy.DisconnectOlder,
  requestTimeoutMs: 5_000,
  throttle: Object.freeze({
    maxFailures: 5, addressMaxFailures: 20, accountMaxFailures: 10, windowMs: 300_000, delayStepMs: 500, lockoutMs: 900_000, maxWaitMs: 5_000, maxTracked: 100_000,
  }),
  pool: Object.freeze({ healthIntervalMs: 10_000, healthTimeoutMs: 5_000, maxMissedHealth: 3, maxServers: 64, selection: SelectionPolicy.LeastLoaded }),
});

/** Fills in the defaults and checks every value once. */
export function resolveLoginSettings(input: LoginSettingsInput = {}): LoginSettings {
  const settings: LoginSettings = {
    ...DEFAULT_LOGIN_SETTINGS,
    ...input,
    throttle: { ...DEFAULT_LOGIN_SETTINGS.throttle, ...input.throttle },
    pool: { ...DEFAULT_LOGIN_SETTINGS.pool, ...input.pool },
  };
  const positive: Array<[string, number]> = [
    ['capacity', settings.capacity], ['queueRecountMs', settings.queueRecountMs], ['afkTimeoutMs', settings.afkTimeoutMs],
    ['afkCheckIntervalMs', settings.afkCheckIntervalMs], ['clientKeyExpiryMs', settings.clientKeyExpiryMs],
    ['loginKeyExpiryMs', settings.loginKeyExpiryMs], ['requestTimeoutMs', settings.requestTimeoutMs],
    ['unauthenticatedTimeoutMs', settings.unauthenticatedTimeoutMs],
    ['throttle.maxFailures', settings.throttle.maxFailures], ['throttle.windowMs', settings.throttle.windowMs],
    ['throttle.addressMaxFailures', settings.throttle.addressMaxFailures], ['throttle.accountMaxFailures', settings.throttle.accountMaxFailures],
    ['throttle.lockoutMs', settings.throttle.lockoutMs], ['throttle.maxTracked', settings.throttle.maxTracked],
    ['pool.healthIntervalMs', settings.pool.healthIntervalMs], ['pool.healthTimeoutMs', settings.pool.healthTimeoutMs],
    ['pool.maxMissedHealth', settings.pool.maxMissedHealth], ['pool.maxServers', settings.pool.maxServers],
  ];
  for (const [key, value] of positive) {
    if (!Number.isFinite(value) || value <= 0) throw new LoginConfigError(`login setting ${key} must be a number above 0, got ${value}`);
  }
  const nonNegative: Array<[string, number]> = [
    ['queueLimit', settings.queueLimit], ['characterLimit', settings.characterLimit], ['throttle.delayStepMs', settings.throttle.delayStepMs],
    ['throttle.maxWaitMs', settings.throttle.maxWaitMs],
  ];
  for (const [key, value] of nonNegative) {
    if (!Number.isFinite(value) || value < 0) throw new LoginConfigError(`login setting ${key} must be a number >= 0, got ${value}`);
  }
  if (!Object.values(SelectionPolicy).includes(settings.pool.selection)) throw new LoginConfigError(`unknown pool selection policy ${String(settings.pool.selection)}`);
  if (!Object.values(DuplicateLoginPolicy).includes(settings.duplicateLogin)) throw new LoginConfigError(`unknown duplicate-login policy ${String(settings.duplicateLogin)}`);
  if (settings.name.length === 0 || settings.name.length > 64) throw new LoginConfigError('login server name must have 1..64 characters');
  if (settings.startZone.length === 0) throw new LoginConfigError('startZone must not be empty');
  return Object.freeze(settings);
}
