// What the login session services share: the store, the settings, the codec, the clock and the refs of the
// login server's children. The LoginServer builds it once, frozen, after spawning those children and before it
// listens, so no service ever sees it incomplete.
import type { ActorRef } from '../../runtime/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import type { Store } from '../../store/index.js';
import type { LoginSettings } from './login-settings.js';
import type { AdmissionMessage, OnlinePlayersMessage, ThrottleMessage } from './login-messages.js';
import type { PoolMessage } from './pool-messages.js';
import type { LoginOutcomes } from '../shared/part.js';

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

/** Told the outcome of each MSG_USER_AUTHEN_V3 and MSG_USER_VALIDATE (the process's metrics). */
export type LoginObserver = LoginOutcomes;
