// LoginKeys: the one-time keys the login server handed to this game server (pool.grant-login-key).
// The store is the authority (MSG_ATTACH consumes the key there, atomically, so a key granted in
// another process works too); this record counts the hand-overs still pending, for the operator.
import { Actor, props, type ActorContext, type ActorRef, type Handlers, type Props } from '../../runtime/index.js';
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
  readonly #clock: () => number;

  /** `clock`: wall clock, Unix ms, as the keys' expiries are. */
  constructor(context: ActorContext<LoginKeysMessage>, clock: () => number) {
    super(context);
    this.#clock = clock;
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
    const now = this.#clock();
    for (const [key, expiresAt] of this.#expiries) if (expiresAt <= now) this.#expiries.delete(key);
  }
}

export function loginKeysProps(clock: () => number): Props<LoginKeysMessage> {
  return props<LoginKeysMessage>((context) => new LoginKeys(context, clock), { kind: 'LoginKeys' });
}
