// Who is online where, cluster-wide (docs/social.md): by character id and by name (case-insensitive),
// with each online player's friend set for the presence fan-out. Plain data, owned by the SocialDirectory.
import type { PlayerPresence } from './social-messages.js';

/** The key of a name for look-ups: the store's rule (NFC, lower case). */
export function nameKeyOf(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export class PresenceIndex {
  readonly #byId = new Map<bigint, PlayerPresence>();
  readonly #byName = new Map<string, bigint>();
  readonly #friends = new Map<bigint, Set<bigint>>();

  get size(): number {
    return this.#byId.size;
  }

  /** Records a player online (replacing an older entry of the same character); returns the one it replaced. */
  put(presence: PlayerPresence, friendIds: Iterable<bigint>): PlayerPresence | undefined {
    const older = this.#byId.get(presence.characterId);
    if (older !== undefined && older.name !== presence.name) this.#dropName(older);
    this.#byId.set(presence.characterId, presence);
    this.#byName.set(nameKeyOf(presence.name), presence.characterId);
    this.#friends.set(presence.characterId, new Set(friendIds));
    return older;
  }

  update(characterId: bigint, change: Partial<Pick<PlayerPresence, 'zone' | 'level'>>): PlayerPresence | undefined {
    const current = this.#byId.get(characterId);
    if (current === undefined) return undefined;
    const next = { ...current, ...change };
    this.#byId.set(characterId, next);
    return next;
  }

  remove(characterId: bigint): PlayerPresence | undefined {
    const current = this.#byId.get(characterId);
    if (current === undefined) return undefined;
    this.#byId.delete(characterId);
    this.#dropName(current);
    this.#friends.delete(characterId);
    return current;
  }

  byId(characterId: bigint): PlayerPresence | undefined {
    return this.#byId.get(characterId);
  }

  byName(name: string): PlayerPresence | undefined {
    const id = this.#byName.get(nameKeyOf(name));
    return id === undefined ? undefined : this.#byId.get(id);
  }

  /** The online friends of an online player. */
  onlineFriendsOf(characterId: bigint): PlayerPresence[] {
    const friends = this.#friends.get(characterId);
    const online: PlayerPresence[] = [];
    if (friends === undefined) return online;
    for (const id of friends) {
      const presence = this.#byId.get(id);
      if (presence !== undefined) online.push(presence);
    }
    return online;
  }

  /** Keeps the friend sets of online players in step with a friendship made or ended. */
  setFriends(a: bigint, b: bigint, friends: boolean): void {
    for (const [owner, other] of [[a, b], [b, a]] as const) {
      const set = this.#friends.get(owner);
      if (set === undefined) continue;
      if (friends) set.add(other);
      else set.delete(other);
    }
  }

  all(): IterableIterator<PlayerPresence> {
    return this.#byId.values();
  }

  #dropName(presence: PlayerPresence): void {
    const key = nameKeyOf(presence.name);
    if (this.#byName.get(key) === presence.characterId) this.#byName.delete(key);
  }
}
