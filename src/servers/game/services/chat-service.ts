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
import { ChatGate, type ChatVerdict } from '../social/chat-gate.js';
import { tellPlayer } from './feedback.js';

type ChatServiceMessage = PlayerReady | ZoneChanged | MuteChanged;

export class ChatService extends MessageService<ChatServiceMessage> {
  readonly #game: GameContext;
  #player: PlayerReady | undefined = undefined;
  #zone: ActorRef<ZoneMessage> | undefined = undefined;
  readonly #gate: ChatGate;

  constructor(context: ServiceContext<ChatServiceMessage>, env: ServiceEnv, game: GameContext) {
    super(context, env);
    this.#game = game;
    this.#gate = new ChatGate(game.chatMaxLength, game.timings.chatRatePer10s, context.system.scheduler);
    this.onClient(GAME.MSG_REQUESTRADIALCHAT, ({ Message }) => this.#chat(Message));
    this.onServer('game.player-ready', (ready) => {
      this.#player = ready;
      this.#zone = ready.zone.zone;
      this.#gate.mutedUntil = ready.mutedUntil;
    });
    this.onServer('game.zone-changed', ({ zone }) => {
      this.#zone = zone;
    });
    this.onServer('game.mute-changed', ({ mutedUntil }) => {
      this.#gate.mutedUntil = mutedUntil;
    });
  }

  #chat(bytes: Buffer): void {
    const player = this.#player;
    const zone = this.#zone;
    if (player === undefined || zone === undefined) return;
    const checked = this.#gate.text(bytes);
    if (!checked.ok) return this.#refused(checked);
    const text = checked.text;
    const game = this.#game;
    if (text.startsWith(game.commandPrefix)) {
      if (player.accessLevel === AccessLevel.Player) {
        this.log.info({ account: player.accountId, command: text.slice(0, 64) }, 'command refused: the account has no rights');
        tellPlayer(this.env.session, 'You are not allowed to use server commands.');
        return;
      }
      game.commands.tell({ type: 'commands.run', text: text.slice(game.commandPrefix.length), issuer: { accountId: player.accountId, characterId: player.characterId, name: player.name, accessLevel: player.accessLevel, session: this.env.session } });
      return;
    }
    const admitted = this.#gate.admit(checked.text.length);
    if (admitted !== undefined) return this.#refused(admitted);
    zone.tell({ type: 'zone.chat', characterId: player.characterId, message: Buffer.from(bytes), filter: 0 });
  }

  #refused(verdict: ChatVerdict): void {
    if (verdict.ok) return;
    if (verdict.reason === 'too-long') tellPlayer(this.env.session, `Message too long (${verdict.length} characters, at most ${this.#gate.maxLength}).`);
    else if (verdict.reason === 'muted') tellPlayer(this.env.session, 'You are muted.');
    else if (verdict.reason === 'too-fast' && verdict.firstRefusal) tellPlayer(this.env.session, 'You are talking too fast.');
  }
}
