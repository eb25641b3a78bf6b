// Whispers and directed quick chat (docs/social.md, "Whispers"): by character id or by name, to a
// player on any game server. The sender's line passes the chat rules here; the target's SocialService
// applies its ignore list and answers the sender (a copy, and the by-name response) or refuses.
import { GAME } from '../../../protocol/index.js';
import type { SocialEvent, WhisperKind } from '../../social/index.js';
import { clientName, nameBlob, type SocialPort } from './social-port.js';

const NAME_MAX = 32;
const WHISPER_FILTER = 2;

type Event<T extends SocialEvent['type']> = Extract<SocialEvent, { type: T }>;

export interface WhisperRequest {
  readonly kind: WhisperKind;
  readonly targetId?: bigint;
  readonly targetName?: Buffer;
  readonly text: Buffer;
  readonly phraseId: number;
}

export class Whispers {
  readonly #port: SocialPort;

  constructor(port: SocialPort) {
    this.#port = port;
  }

  #fail(why: string): void {
    this.#port.log.info({ character: this.#port.player.characterId, why }, 'whisper refused');
    this.#port.send(GAME.MSG_DIRECTEDCHATFAIL, {});
  }

  send(request: WhisperRequest): void {
    const { player, gate } = this.#port;
    let text = Buffer.alloc(0);
    if (request.kind !== 'quick') {
      const verdict = gate.check(request.text);
      if (!verdict.ok) return this.#fail(verdict.reason);
      text = Buffer.from(request.text);
    } else {
      const admitted = gate.admit();
      if (admitted !== undefined) return this.#fail(admitted.ok ? 'refused' : admitted.reason);
    }
    let targetName: string | undefined;
    if (request.targetName !== undefined) {
      targetName = clientName(request.targetName, NAME_MAX);
      if (targetName === undefined) return this.#fail('bad target name');
    } else if (request.targetId === undefined || request.targetId === 0n) {
      return this.#fail('no target');
    }
    if (request.targetId === player.characterId) return this.#fail('whisper to oneself');
    const event: SocialEvent = {
      type: 'social.whisper-in', kind: request.kind, fromId: player.characterId, fromName: player.name, fromInbox: this.#port.inbox,
      text, phraseId: request.phraseId >>> 0, byName: targetName !== undefined,
    };
    this.#port.directory.tell({
      type: 'social.route', ...(targetName === undefined ? { targetId: request.targetId! } : { targetName }),
      event, failTo: this.#port.inbox, failEvent: { type: 'social.whisper-failed' },
    });
  }

  /** A whisper for this player: delivered unless the sender is ignored; the sender hears either way. */
  received(e: Event<'social.whisper-in'>): void {
    const { player } = this.#port;
    if (e.fromId === player.characterId || this.#port.ignores(e.fromId)) {
      e.fromInbox.tell({ type: 'social.whisper-failed' });
      return;
    }
    this.#deliver(e.kind, nameBlob(e.fromName), e.fromId, e.text, e.phraseId, player.characterId);
    e.fromInbox.tell({ type: 'social.whisper-out', kind: e.kind, targetId: player.characterId, targetName: player.name, text: e.text, phraseId: e.phraseId, byName: e.byName });
    this.#port.log.info({ from: e.fromId, to: player.characterId, kind: e.kind, text: e.text.toString('utf8') }, 'whisper');
  }

  /** The target got it: the by-name answer, and this player's own copy when configured. */
  delivered(e: Event<'social.whisper-out'>): void {
    const { player, settings } = this.#port;
    if (e.byName) this.#port.send(GAME.MSG_DIRECTEDCHATBYNAMERESPONSE, { TargetID: e.targetId, TargetName: e.targetName });
    if (settings.whisperEcho) this.#deliver(e.kind, nameBlob(player.name), player.characterId, e.text, e.phraseId, e.targetId);
  }

  failed(): void {
    this.#port.send(GAME.MSG_DIRECTEDCHATFAIL, {});
  }

  #deliver(kind: WhisperKind, sourceName: Buffer, sourceId: bigint, text: Buffer, phraseId: number, targetId: bigint): void {
    if (kind === 'text') this.#port.send(GAME.MSG_DIRECTEDCHAT, { SourceName: sourceName, SourceID: sourceId, Message: text, TargetID: targetId, Filter: WHISPER_FILTER });
    else if (kind === 'quick') this.#port.send(GAME.MSG_DIRECTEDQUICKCHAT, { SourceName: sourceName, SourceID: sourceId, MessageID: phraseId, Filter: 0, Flags: 0 });
    else this.#port.send(GAME.MSG_DIRECTEDQUICKCHATEXT, { SourceName: sourceName, SourceID: sourceId, Message: text, Filter: 0, Flags: 0 });
  }
}
