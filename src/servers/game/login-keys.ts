// LoginKeys: the one-time keys the login server handed to this game server (pool.grant-login-key), and the
// keys of the zone changes this server started (docs/game-server.md, "Zone change"). The store is the
// authority (MSG_ATTACH consumes the key there, atomically, so a key granted in another process works
// too); this record counts the hand-overs still pending, for the operator, and remembers where a transfer
// key lands: its fallback key lands where the player was, and a player arriving with the main key whose
// destination fails to load lands there too. A transfer nobody came back for is undone when its key
// expires: the player is saved where it was.
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
import type { Store } from '../../store/index.js';
import type { GrantLoginKey } from '../shared/pool-protocol.js';
import { parseLocation } from './location.js';
import { zoneIdOf } from './zone-path.js';

/** A place to land: a zone path and a location text ("x,y,z,yaw"). */
export interface Landing {
  readonly zone: string;
  readonly location: string;
}

export interface TransferRecord {
  /** Where an attach with this key lands instead of the character's saved place. */
  readonly landing?: Landing;
  /** Where it lands when its zone fails to load. */
  readonly fallback?: Landing;
}

export type LoginKeysMessage =
  | GrantLoginKey
  | { readonly type: 'keys.used'; readonly key: string }
  | { readonly type: 'keys.pending'; readonly replyTo: ActorRef<number> }
  | { readonly type: 'keys.purge' }
  /** A zone change's keys: `key` goes to `server`; unused at `expiresAt`, the character is saved back at `from`. */
  | {
      readonly type: 'keys.transfer';
      readonly key: string;
      readonly server: string;
      readonly fallbackKey: string;
      readonly characterId: bigint;
      readonly from: Landing;
      readonly expiresAt: number;
    }
  | { readonly type: 'keys.transfer-of'; readonly key: string; readonly replyTo: ActorRef<TransferRecord | undefined> }
  | { readonly type: 'keys.transfer-expired'; readonly key: string };

const PURGE: LoginKeysMessage = Object.freeze({ type: 'keys.purge' });
const PURGE_INTERVAL_MS = 60_000;
/** Keys remembered at most: a flood of grants must not grow memory without bound. */
const MAX_KEYS = 100_000;

interface Transfer extends TransferRecord {
  readonly expiresAt: number;
}

interface Undo {
  readonly server: string;
  readonly characterId: bigint;
  readonly from: Landing;
  readonly expiresAt: number;
}

export class LoginKeys extends Actor<LoginKeysMessage> {
  readonly #store: Store | undefined;
  readonly #clock: () => number;
  readonly #expiries = new Map<string, number>();
  readonly #transfers = new Map<string, Transfer>();
  readonly #undo = new Map<string, Undo>();

  /** `clock`: wall clock, Unix ms, as the keys' expiries are. */
  constructor(context: ActorContext<LoginKeysMessage>, clock: () => number, store: Store | undefined) {
    super(context);
    this.#clock = clock;
    this.#store = store;
  }

  readonly receive: Handlers<LoginKeysMessage> = {
    'pool.grant-login-key': ({ key, accountId, characterId, expiresAt }) => {
      if (typeof key !== 'string' || key.length === 0 || key.length > 256) return;
      if (this.#expiries.size >= MAX_KEYS) this.#purge();
      if (this.#expiries.size >= MAX_KEYS) {
        const oldest = this.#expiries.keys().next().value;
        if (oldest !== undefined) this.#expiries.delete(oldest);
      }
      this.#expiries.set(key, expiresAt);
      this.context.log.debug({ account: accountId, character: characterId }, 'login key granted');
    },
    'keys.used': ({ key }) => {
      this.#expiries.delete(key);
      this.#undo.delete(key);
    },
    'keys.pending': ({ replyTo }) => {
      this.#purge();
      replyTo.tell(this.#expiries.size);
    },
    'keys.purge': () => this.#purge(),
    'keys.transfer': ({ key, server, fallbackKey, characterId, from, expiresAt }) => {
      if (this.#transfers.size >= MAX_KEYS) this.#purge();
      this.#transfers.set(key, { fallback: from, expiresAt });
      this.#transfers.set(fallbackKey, { landing: from, expiresAt });
      this.#undo.set(key, { server, characterId, from, expiresAt });
      this.context.timers.startSingle(`undo-${key}`, { type: 'keys.transfer-expired', key }, Math.max(0, expiresAt - this.#clock()));
    },
    'keys.transfer-of': ({ key, replyTo }) => {
      const record = this.#transfers.get(key);
      replyTo.tell(record === undefined || record.expiresAt <= this.#clock() ? undefined : record);
    },
    'keys.transfer-expired': ({ key }) => this.#undoTransfer(key),
  };

  override preStart(): void {
    this.context.timers.startPeriodic('purge', PURGE, PURGE_INTERVAL_MS);
  }

  /** The player never attached with the key: it is spent here, and the character saved where it was. */
  async #undoTransfer(key: string): Promise<void> {
    const undo = this.#undo.get(key);
    this.#undo.delete(key);
    const store = this.#store;
    if (undo === undefined || store === undefined) return;
    try {
      // Consumed just before its expiry: succeeds only if nobody used it, and nobody can after.
      const unused = await store.loginKeys.consumeLoginKey(key, undo.server, new Date(undo.expiresAt - 1));
      if (unused === undefined) return;
      const character = await store.characters.get(undo.characterId);
      if (character === undefined) return;
      const location = parseLocation(undo.from.location);
      await store.characters.save(undo.characterId, {
        expectedVersion: character.stateVersion, zoneName: undo.from.zone, zoneId: zoneIdOf(undo.from.zone), ...(location === undefined ? {} : { location }),
      });
      this.context.log.info({ character: undo.characterId, zone: undo.from.zone }, 'a zone change nobody came back for was undone: the character is saved where it was');
    } catch (error) {
      this.context.log.error({ err: error, character: undo.characterId }, 'cannot undo a zone change nobody came back for');
    }
  }

  #purge(): void {
    const now = this.#clock();
    for (const [key, expiresAt] of this.#expiries) if (expiresAt <= now) this.#expiries.delete(key);
    for (const [key, transfer] of this.#transfers) if (transfer.expiresAt <= now) this.#transfers.delete(key);
  }
}

export function loginKeysProps(clock: () => number, store?: Store): Props<LoginKeysMessage> {
  return props<LoginKeysMessage>((context) => new LoginKeys(context, clock, store), { kind: 'LoginKeys' });
}
