// Several parts of one process may each provide a piece of the console (the login server its online sessions, each
// game server its zones): lists are concatenated, and an action goes to every provider of it, done if any did it.
import type { AdminProviders } from './admin-sources.js';

type ListKey = 'gameServers' | 'zones' | 'playerDetails';

export function mergeProviders(parts: readonly AdminProviders[]): AdminProviders {
  const merged: { -readonly [K in keyof AdminProviders]: AdminProviders[K] } = {};
  const list = <K extends ListKey>(key: K): void => {
    const fns = parts.map((p) => p[key]?.bind(p)).filter((fn) => fn !== undefined);
    if (fns.length === 0) return;
    merged[key] = (async () => (await Promise.all(fns.map((fn) => fn()))).flat()) as AdminProviders[K];
  };
  list('gameServers');
  list('zones');
  list('playerDetails');

  const kicks = parts.map((p) => p.kick?.bind(p)).filter((fn) => fn !== undefined);
  if (kicks.length > 0) merged.kick = async (accountId, by, reason) => (await Promise.all(kicks.map((fn) => fn(accountId, by, reason)))).some(Boolean);
  const mutes = parts.map((p) => p.mute?.bind(p)).filter((fn) => fn !== undefined);
  if (mutes.length > 0) merged.mute = async (accountId, minutes, by) => (await Promise.all(mutes.map((fn) => fn(accountId, minutes, by)))).some(Boolean);
  const drains = parts.map((p) => p.drain?.bind(p)).filter((fn) => fn !== undefined);
  if (drains.length > 0) merged.drain = async (server, by) => (await Promise.all(drains.map((fn) => fn(server, by)))).some(Boolean);
  return merged;
}
