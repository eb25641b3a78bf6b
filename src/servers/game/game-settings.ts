// The game server's limits and timings, with the defaults of flows.md. The CLI fills them from the
// configuration (game.*); tests pass only what they change.
import { GameConfigError } from './errors.js';
import type { GameTimings } from './game-context.js';
import { checkZonePath } from './zone-path.js';

export interface GameSettings extends GameTimings {
  /** Zone of a character that has never played (or whose saved zone is not a valid path). */
  readonly startZone: string;
  /** Longest chat message accepted, in characters. */
  readonly chatMaxLength: number;
  readonly commandPrefix: string;
  /** Zone path prefixes instanced per owner (e.g. "Housing/"). */
  readonly privateZones: readonly string[];
  /** Time the graceful shutdown waits for every player's save. */
  readonly shutdownTimeoutMs: number;
  /** Public zones loaded at most (any valid path is a zone when no data is configured). */
  readonly maxZones: number;
  /** Zones one private instance holds at most. */
  readonly maxInstanceZones: number;
  /** Zone changes one player may ask for per 10 s; more are refused. */
  readonly maxZoneChangesPer10s: number;
  /** Interest range of a zone in world units (the client's default render distance); 0: everyone in a zone sees everyone. */
  readonly renderDistance: number;
}

export const DEFAULT_GAME_SETTINGS: GameSettings = Object.freeze({
  attachTimeoutMs: 15_000,
  moveTickMs: 50,
  saveIntervalMs: 60_000,
  instanceGraceMs: 60_000,
  registerRetryMs: 2_000,
  loginKeyExpiryMs: 300_000,
  zoneLoadTimeoutMs: 30_000,
  askTimeoutMs: 10_000,
  startZone: 'Start',
  chatMaxLength: 256,
  commandPrefix: '.',
  privateZones: Object.freeze(['Housing/']),
  shutdownTimeoutMs: 10_000,
  maxZones: 10_000,
  maxInstanceZones: 64,
  maxZoneChangesPer10s: 10,
  renderDistance: 5000,
});

const POSITIVE = [
  'attachTimeoutMs', 'moveTickMs', 'saveIntervalMs', 'registerRetryMs', 'loginKeyExpiryMs', 'zoneLoadTimeoutMs', 'askTimeoutMs', 'chatMaxLength',
  'shutdownTimeoutMs', 'maxZones', 'maxInstanceZones', 'maxZoneChangesPer10s',
] as const;

/** Fills in defaults and checks every value once, when the server is created. */
export function resolveGameSettings(partial: Partial<GameSettings> = {}): GameSettings {
  const settings = { ...DEFAULT_GAME_SETTINGS, ...partial };
  for (const key of POSITIVE) {
    const value = settings[key];
    if (!Number.isFinite(value) || value <= 0) throw new GameConfigError(`game setting ${key} must be a number above 0, got ${value}`);
  }
  if (!Number.isFinite(settings.instanceGraceMs) || settings.instanceGraceMs < 0) throw new GameConfigError(`game setting instanceGraceMs must be >= 0, got ${settings.instanceGraceMs}`);
  if (!Number.isFinite(settings.renderDistance) || settings.renderDistance < 0) throw new GameConfigError(`game setting renderDistance must be >= 0, got ${settings.renderDistance}`);
  if (settings.commandPrefix.length === 0) throw new GameConfigError('game setting commandPrefix must not be empty');
  try {
    checkZonePath(settings.startZone);
    for (const prefix of settings.privateZones) checkZonePath(prefix.replace(/\/+$/, ''));
  } catch (error) {
    throw new GameConfigError(`game setting startZone or privateZones: ${(error as Error).message}`, { cause: error });
  }
  return Object.freeze(settings);
}
