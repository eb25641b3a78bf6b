// LoginKeys: the one-time keys the login server handed to this game server (pool.grant-login-key).
// The store is the authority (MSG_ATTACH consumes the key there, atomically, so a key granted in
// another process works too); this record counts the hand-overs still pending, for the operator.
import { Actor, props, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import type { GrantLoginKey } from '../shared/pool-protocol.js';

export type LoginKeysMessage =
  | GrantLoginKey
  | { readonly type: 'keys.used'; readonly key: string }
  | { readonly type: 'keys.pending'; readonly replyTo: ActorRef<number> }
  | { readonly type: 'keys.purge' };

const PURGE: LoginKeysMessage = Object.freeze({ type: 'keys.purge' });
const PURGE_INTERVAL_MS = 60_000;
/** Keys remembered at most: a flood of grants must not grow memory without bound. */
const MAX_KEYS = 100_000;

export class LoginKeys extends Actor<LoginKeysMessage> {
  readonly #expiries = new Map<string, number>();

  constructor(context: ActorContext<LoginKeysMessage>) {
    super(context);
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
      this.context.log.debug({ accountId: String(accountId), characterId: String(characterId) }, 'login key granted');
    },
    'keys.used': ({ key }) => {
      this.#expiries.delete(key);
    },
    'keys.pending': ({ replyTo }) => {
      this.#purge();
      replyTo.tell(this.#expiries.size);
    },
    'keys.purge': () => this.#purge(),
  };

  override preStart(): void {
    this.context.timers.startPeriodic('purge', PURGE, PURGE_INTERVAL_MS);
  }

  #purge(): void {
    const now = Date.now();
    for (const [key, expiresAt] of this.#expiries) if (expiresAt <= now) this.#expiries.delete(key);
  }
}

export function loginKeysProps() {
  return props<LoginKeysMessage>((context) => new LoginKeys(context), { kind: 'LoginKeys' });
}
