// The Chat service: MSG_REQUESTRADIALCHAT to the player's zone as MSG_RADIALCHAT. Messages are length
// limited and rate limited; muted accounts are refused (the mute lives in the game server's state,
// pushed here as it changes). A message starting with the command prefix goes to the
// CommandDispatcher when the account has rights, and is refused (never broadcast) otherwise.
import { GAME } from '../../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../../net/index.js';
import type { ActorRef } from '../../../runtime/index.js';
import { AccessLevel } from '../../../store/index.js';
import type { GameContext } from '../game-context.js';
import type { MuteChanged, PlayerReady, ZoneChanged, ZoneMessage } from '../messages.js';
import { tellPlayer } from './feedback.js';

type ChatServiceMessage = PlayerReady | ZoneChanged | MuteChanged;

/** Messages a player may say per window; more are dropped (one zone broadcast each is costly). */
const RATE_LIMIT = 10;
const RATE_WINDOW_MS = 10_000;

export class ChatService extends MessageService<ChatServiceMessage> {
  readonly #game: GameContext;
  #player: PlayerReady | undefined = undefined;
  #zone: ActorRef<ZoneMessage> | undefined = undefined;
  #mutedUntil = 0;
  #windowStart = 0;
  #inWindow = 0;

  constructor(context: ServiceContext<ChatServiceMessage>, env: ServiceEnv, game: GameContext) {
    super(context, env);
    this.#game = game;
    this.onClient(GAME.MSG_REQUESTRADIALCHAT, ({ Message }) => this.#chat(Message));
    this.onServer('game.player-ready', (ready) => {
      this.#player = ready;
      this.#zone = ready.zone.zone;
      this.#mutedUntil = ready.mutedUntil;
    });
    this.onServer('game.zone-changed', ({ zone }) => {
      this.#zone = zone;
    });
    this.onServer('game.mute-changed', ({ mutedUntil }) => {
      this.#mutedUntil = mutedUntil;
    });
  }

  #chat(bytes: Buffer): void {
    const player = this.#player;
    const zone = this.#zone;
    if (player === undefined || zone === undefined) return;
    const text = bytes.toString('utf8');
    const length = [...text].length;
    if (length === 0) return;
    const game = this.#game;
    if (length > game.chatMaxLength) {
      tellPlayer(this.env.session, `Message too long (${length} characters, at most ${game.chatMaxLength}).`);
      return;
    }
    if (text.startsWith(game.commandPrefix)) {
      if (player.accessLevel === AccessLevel.Player) {
        this.log.info({ accountId: String(player.accountId), character: player.name, command: text.slice(0, 64) }, 'command refused: the account has no rights');
        tellPlayer(this.env.session, 'You are not allowed to use server commands.');
        return;
      }
      game.commands.tell({ type: 'commands.run', text: text.slice(game.commandPrefix.length), issuer: { accountId: player.accountId, characterId: player.characterId, name: player.name, accessLevel: player.accessLevel, session: this.env.session } });
      return;
    }
    if (this.#mutedUntil > Date.now()) {
      tellPlayer(this.env.session, 'You are muted.');
      return;
    }
    const now = this.context.system.scheduler.now();
    if (now - this.#windowStart >= RATE_WINDOW_MS) {
      this.#windowStart = now;
      this.#inWindow = 0;
    }
    if (++this.#inWindow > RATE_LIMIT) {
      if (this.#inWindow === RATE_LIMIT + 1) tellPlayer(this.env.session, 'You are talking too fast.');
      return;
    }
    zone.tell({ type: 'zone.chat', characterId: player.characterId, message: Buffer.from(bytes), filter: 0 });
  }
}
