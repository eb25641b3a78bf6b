// Text the server shows one player (command answers, refusals): EXTENDEDBASE MSG_SERVERMESSAGE.
import { EXTENDEDBASE } from '../../../protocol/index.js';
import type { ActorRef } from '../../../runtime/index.js';
import type { SessionCommand } from '../../../net/index.js';
import { AccessLevel } from '../../../store/index.js';

export function tellPlayer(session: ActorRef<SessionCommand>, text: string): void {
  session.tell({ type: 'net.send', kind: EXTENDEDBASE.MSG_SERVERMESSAGE, data: { Modal: 0, Message: text } });
}

/** Rank of an access level: player 0, moderator 1, administrator 2. */
export function rankOf(level: AccessLevel): number {
  return level === AccessLevel.Administrator ? 2 : level === AccessLevel.Moderator ? 1 : 0;
}
