// Gathers what the console page shows, from the actor system, the store and the servers' providers. A provider that
// fails or does not answer in time marks its section with the error instead of failing the whole state.
import type { AdminSources, GameServerView, PlayerDetail, ZoneView } from './admin-sources.js';
import type { ActionRecord, AdminAction, AdminActions } from './admin-actions.js';
import type { DeadLetterRecord, EventRecorder, FailureRecord } from './event-recorder.js';
import type { TreeSampler, TreeView } from './tree-sampler.js';

export interface PlayerView {
  readonly accountId: string;
  readonly username: string;
  readonly characterId: string | null;
  readonly character: string | null;
  readonly server: string;
  readonly sessionId: string;
  readonly since: number;
  readonly zone?: string;
  readonly mutedUntil?: number;
}

export interface Section<T> {
  /** False when nothing in this process provides it (e.g. no game server wired in). */
  readonly available: boolean;
  readonly items: readonly T[];
  /** Items there are; `items` may hold fewer (capped). */
  readonly total: number;
  readonly error?: string;
}

export interface ConsoleState {
  readonly at: number;
  readonly system: string;
  readonly tree: TreeView;
  readonly servers: Section<GameServerView>;
  readonly zones: Section<ZoneView>;
  readonly players: Section<PlayerView>;
  readonly errors: Section<FailureRecord>;
  readonly deadLetters: Section<DeadLetterRecord>;
  readonly actions: readonly ActionRecord[];
  readonly available: Record<AdminAction, boolean>;
}

export const MAX_PLAYERS_SHOWN = 1000;
const PROVIDER_TIMEOUT_MS = 2000;
const NAME_CACHE_LIMIT = 10_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PROVIDER_TIMEOUT_MS} ms`)), PROVIDER_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function section<T>(provider: (() => Promise<readonly T[]>) | undefined, what: string): Promise<Section<T>> {
  if (provider === undefined) return { available: false, items: [], total: 0 };
  try {
    const items = await withTimeout(provider(), what);
    return { available: true, items, total: items.length };
  } catch (error) {
    return { available: true, items: [], total: 0, error: (error as Error).message };
  }
}

/** A bounded id -> name cache: names change rarely, and a full page of players must not cost a query per row. */
class NameCache {
  readonly #names = new Map<bigint, string>();
  async get(id: bigint, load: (id: bigint) => Promise<string | undefined>): Promise<string | undefined> {
    const cached = this.#names.get(id);
    if (cached !== undefined) return cached;
    const name = await load(id);
    if (name !== undefined) {
      if (this.#names.size >= NAME_CACHE_LIMIT) this.#names.clear();
      this.#names.set(id, name);
    }
    return name;
  }
}

export class ConsoleStateBuilder {
  readonly #sources: AdminSources;
  readonly #tree: TreeSampler;
  readonly #events: EventRecorder;
  readonly #actions: AdminActions;
  readonly #usernames = new NameCache();
  readonly #characters = new NameCache();

  constructor(sources: AdminSources, tree: TreeSampler, events: EventRecorder, actions: AdminActions) {
    this.#sources = sources;
    this.#tree = tree;
    this.#events = events;
    this.#actions = actions;
  }

  tree(): TreeView {
    return this.#tree.sample();
  }

  servers(): Promise<Section<GameServerView>> {
    const s = this.#sources;
    return section(s.gameServers === undefined ? undefined : () => s.gameServers!(), 'the game servers');
  }

  zones(): Promise<Section<ZoneView>> {
    const s = this.#sources;
    return section(s.zones === undefined ? undefined : () => s.zones!(), 'the zones');
  }

  async players(): Promise<Section<PlayerView>> {
    const store = this.#sources.store;
    if (store === undefined) return { available: false, items: [], total: 0 };
    try {
      const [entries, details] = await Promise.all([withTimeout(store.onlinePlayers.list(), 'the online players'), this.#playerDetails()]);
      const byAccount = new Map(details.map((d) => [d.accountId, d]));
      const items = await Promise.all(entries.slice(0, MAX_PLAYERS_SHOWN).map(async (entry): Promise<PlayerView> => {
        const username = await this.#usernames.get(entry.accountId, async (id) => (await store.accounts.get(id))?.username);
        const character = entry.characterId === null ? undefined
          : await this.#characters.get(entry.characterId, async (id) => (await store.characters.get(id, { includeDeleted: true }))?.name);
        const detail = byAccount.get(entry.accountId);
        return {
          accountId: String(entry.accountId),
          username: username ?? '?',
          characterId: entry.characterId === null ? null : String(entry.characterId),
          character: character ?? null,
          server: entry.server,
          sessionId: String(entry.sessionId),
          since: entry.since.getTime(),
          ...(detail?.zone === undefined ? {} : { zone: detail.zone }),
          ...(detail?.mutedUntil === undefined ? {} : { mutedUntil: detail.mutedUntil }),
        };
      }));
      return { available: true, items, total: entries.length };
    } catch (error) {
      return { available: true, items: [], total: 0, error: (error as Error).message };
    }
  }

  errors(): Section<FailureRecord> {
    return { available: true, items: this.#events.failures.newestFirst(), total: this.#events.failures.total };
  }

  deadLetters(): Section<DeadLetterRecord> {
    return { available: true, items: this.#events.deadLetters.newestFirst(), total: this.#events.deadLetters.total };
  }

  actions(): ActionRecord[] {
    return this.#actions.recent.newestFirst();
  }

  async state(): Promise<ConsoleState> {
    const [servers, zones, players] = await Promise.all([this.servers(), this.zones(), this.players()]);
    return {
      at: Date.now(),
      system: this.#sources.system.name,
      tree: this.tree(),
      servers,
      zones,
      players,
      errors: this.errors(),
      deadLetters: this.deadLetters(),
      actions: this.actions(),
      available: this.#actions.available,
    };
  }

  async #playerDetails(): Promise<readonly PlayerDetail[]> {
    const provider = this.#sources.playerDetails;
    if (provider === undefined) return [];
    try {
      return await withTimeout(provider(), 'the player details');
    } catch {
      return [];
    }
  }
}
