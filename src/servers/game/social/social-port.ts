// What the parts of a player's SocialService share: who the player is, where social events come in
// (the service's own ref), the directory, the store, the settings, and how to answer the client.
import type { EncodableData, MessageKind } from '../../../protocol/index.js';
import type { ActorRef, Logger } from '../../../runtime/index.js';
import type { Store } from '../../../store/index.js';
import type { DirectoryMessage, SocialEvent, SocialSettings } from '../../social/index.js';
import type { ChatGate } from './chat-gate.js';

/** The social layer as one game server sees it: handed to its sessions' SocialServices. */
export interface SocialLink {
  readonly directory: ActorRef<DirectoryMessage>;
  readonly settings: SocialSettings;
}

export interface SocialPlayer {
  readonly characterId: bigint;
  readonly accountId: bigint;
  readonly name: string;
}

export interface SocialPort {
  readonly player: SocialPlayer;
  readonly inbox: ActorRef<SocialEvent>;
  readonly directory: ActorRef<DirectoryMessage>;
  readonly store: Store;
  readonly settings: SocialSettings;
  readonly gate: ChatGate;
  readonly log: Logger;
  send<T>(kind: MessageKind<T>, data: EncodableData<T>): void;
  /** Counts one social action (request, invite, whisper) against the per-player rate; false past it. */
  allowAction(): boolean;
  /** Whether this player ignores `characterId` (the list is held in memory while the player is online). */
  ignores(characterId: bigint): boolean;
}

/**
 * The chat SourceName / PlayerNameBlob of a player. Real clients build it from the character's name parts (a
 * byte blob whose layout is unverified, docs/social.md); until that is settled it is the name itself, built here
 * only, so one function changes when it is.
 */
export function nameBlob(name: string): Buffer {
  return Buffer.from(name, 'utf8');
}

/** Reads a name a client sent: UTF-8, trimmed, undefined when empty or longer than `max` characters. */
export function clientName(bytes: Buffer, max: number): string | undefined {
  const name = bytes.toString('utf8').trim();
  const length = [...name].length;
  return length === 0 || length > max ? undefined : name;
}
