// What the login session services share: the store, the settings, the codec and the refs of the
// login server's actors. Built once by the LoginServer when it starts.
import type { ActorRef } from '../../runtime/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import type { LoginSettings } from './login-settings.js';
import type { AdmissionMessage, OnlinePlayersMessage, ThrottleMessage } from './login-messages.js';
import type { PoolMessage } from './pool-messages.js';

export interface LoginDeps {
  readonly store: Store;
  readonly settings: LoginSettings;
  readonly codec: CharacterBlobCodec;
  readonly pool: ActorRef<PoolMessage>;
  readonly online: ActorRef<OnlinePlayersMessage>;
  readonly admission: ActorRef<AdmissionMessage>;
  readonly throttle: ActorRef<ThrottleMessage>;
  /** Wall clock (Unix ms) for stored expiries; the scheduler's clock drives timers. */
  readonly clock: () => number;
  readonly logins: LoginObserver | undefined;
}

/**
 * Told the outcome of each MSG_USER_AUTHEN_V3 and MSG_USER_VALIDATE. `reason` is a word from a fixed set
 * (`authen-AuthenFailed`, `validate-MachineBanned`, ...), never client input, so it can label a metric.
 */
export interface LoginObserver {
  succeeded(): void;
  failed(reason: string): void;
}

/**
 * Filled by the LoginServer in preStart, before its listener exists: the service list is fixed when
 * the server is constructed, but the refs it needs only exist once the server has spawned them.
 */
export interface LoginDepsHolder {
  deps: LoginDeps | undefined;
}
