// The actor that holds the Throttle of one login server: every session asks it before checking a
// password and reports the outcome after.
import { Actor, type ActorContext, type Handlers } from '../../runtime/index.js';
import type { ThrottleSettings } from './login-settings.js';
import type { ThrottleMessage } from './login-messages.js';
import { Throttle } from './throttle.js';

const SWEEP = Object.freeze({ type: 'throttle.sweep' as const });

export class LoginThrottle extends Actor<ThrottleMessage> {
  readonly #throttle: Throttle;
  readonly #settings: ThrottleSettings;

  constructor(context: ActorContext<ThrottleMessage>, settings: ThrottleSettings) {
    super(context);
    this.#settings = settings;
    this.#throttle = new Throttle(settings);
  }

  readonly receive: Handlers<ThrottleMessage> = {
    'throttle.check': ({ account, address, replyTo }) => {
      replyTo.tell(this.#throttle.check([`account:${account}`, `address:${address}`], this.#now()));
    },
    'throttle.report': ({ account, address, success }) => {
      const keys = [`account:${account}`, `address:${address}`];
      if (success) {
        // Only the account: a valid login of one account must not wipe an address's failures on others.
        this.#throttle.succeed([keys[0]!]);
        return;
      }
      for (const key of this.#throttle.fail(keys, this.#now())) {
        this.context.log.warn({ key, lockoutMs: this.#settings.lockoutMs, maxFailures: this.#settings.maxFailures }, 'too many failed logins: locked out');
      }
    },
    'throttle.sweep': () => this.#throttle.sweep(this.#now()),
  };

  override preStart(): void {
    this.context.timers.startPeriodic('sweep', SWEEP, this.#settings.windowMs);
  }

  #now(): number {
    return this.context.system.scheduler.now();
  }
}
