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
    'throttle.check': ({ account, address, machineKnown, replyTo }) => {
      replyTo.tell(this.#throttle.check(account, address, machineKnown, this.#now()));
    },
    'throttle.report': ({ account, address, success, accountExists }) => {
      if (success) {
        this.#throttle.succeed(account, address);
        return;
      }
      for (const key of this.#throttle.fail(account, address, accountExists === true, this.#now())) {
        this.context.log.warn({ key, firstSpacingMs: this.#settings.delayStepMs, longestSpacingMs: this.#settings.lockoutMs }, 'too many failed logins: attempts are slowed');
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
