// The AFK service (docs/game-server.md, "AFK"): a player who shows no activity (a move, chat, MSG_NOTAFK)
// for the configured time is told (GAME MSG_DISCONNECT_AFK, Warning 1) a minute before, then disconnected
// (Warning 0) and saved like any leave. Keep-alives are not activity: an idle client still sends them.
import { GAME } from '../../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../../net/index.js';

type AfkMessage = { readonly type: 'game.afk-check' };

const CHECK: AfkMessage = Object.freeze({ type: 'game.afk-check' });
const WARNING_BEFORE_MS = 60_000;
const CHECK_EVERY_MS = 10_000;

export class AfkService extends MessageService<AfkMessage> {
  readonly #limitMs: number;
  #lastActiveAt = 0;
  #warned = false;

  constructor(context: ServiceContext<AfkMessage>, env: ServiceEnv, limitMs: number) {
    super(context, env);
    this.#limitMs = limitMs;
    const active = (): void => {
      this.#lastActiveAt = this.context.system.scheduler.now();
      this.#warned = false;
    };
    this.onClient(GAME.MSG_NOTAFK, active);
    this.onClient(GAME.MSG_CLIENTMOVE, active);
    this.onClient(GAME.MSG_REQUESTRADIALCHAT, active);
    this.onServer('game.afk-check', () => this.#check());
  }

  protected override onSessionStart(): void {
    if (this.#limitMs <= 0) return;
    this.#lastActiveAt = this.context.system.scheduler.now();
    this.context.timers.startPeriodic('afk', CHECK, Math.min(CHECK_EVERY_MS, this.#limitMs));
  }

  #check(): void {
    const idle = this.context.system.scheduler.now() - this.#lastActiveAt;
    if (idle >= this.#limitMs) {
      this.context.timers.cancel('afk');
      this.log.info({ idleMs: Math.round(idle), limitMs: this.#limitMs }, 'player away from keyboard past the limit; disconnecting');
      this.send(GAME.MSG_DISCONNECT_AFK, { Warning: 0 });
      this.closeSession('away from keyboard');
      return;
    }
    if (!this.#warned && this.#limitMs > WARNING_BEFORE_MS && idle >= this.#limitMs - WARNING_BEFORE_MS) {
      this.#warned = true;
      this.send(GAME.MSG_DISCONNECT_AFK, { Warning: 1 });
    }
  }
}
