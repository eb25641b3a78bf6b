// A player's friend and ignore lists while they play (docs/social.md, "Friends" and "Ignore"): loaded
// at entry, kept in memory (the ignore list is checked on every incoming whisper, request and invite),
// changed in the store first and then here. Requests travel through the directory to the target's own
// SocialService, which applies its own ignore list and list limit and answers the requester itself.
import { GAME } from '../../../protocol/index.js';
import { FriendError, ChatError, type PlayerPresence, type PresenceReply, type SocialEvent } from '../../social/index.js';
import { clientName, type SocialPort } from './social-port.js';

const STATUS_OFFLINE = 1;
const STATUS_ONLINE = 4;
const NAME_MAX = 32;

type Event<T extends SocialEvent['type']> = Extract<SocialEvent, { type: T }>;

interface FriendEntry {
  name: string;
  symbol: number;
  addedAt: Date;
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000) >>> 0;

export class FriendLists {
  readonly #port: SocialPort;
  readonly friends = new Map<bigint, FriendEntry>();
  readonly ignored = new Map<bigint, string>();
  /** The zone this player is in, for the entry an accepted requester gets. */
  zone = '';

  constructor(port: SocialPort) {
    this.#port = port;
  }

  async load(): Promise<void> {
    const { store, player } = this.#port;
    const [friends, ignored] = await Promise.all([store.friends.list(player.characterId), store.ignores.list(player.characterId)]);
    for (const f of friends) this.friends.set(f.friendId, { name: f.name, symbol: f.symbol, addedAt: f.addedAt });
    for (const i of ignored) this.ignored.set(i.ignoredId, i.name);
  }

  /** MSG_IGNORELIST at entry. Its ListData layout is unverified: empty, the client relies on the echoes. */
  sendIgnoreList(): void {
    this.#port.send(GAME.MSG_IGNORELIST, { ListOwnerGID: this.#port.player.characterId, ListData: '', Add: 1 });
  }

  /** MSG_BUDDYENTRY per friend, with presence from the directory, then MSG_BUDDYLISTCOMPLETE. */
  async sendList(lookup: (ids: readonly bigint[]) => Promise<PresenceReply>): Promise<void> {
    const { player } = this.#port;
    const ids = [...this.friends.keys()];
    let online = new Map<bigint, PlayerPresence>();
    if (ids.length > 0) {
      try {
        online = new Map((await lookup(ids)).online.map((p) => [p.characterId, p]));
      } catch (error) {
        this.#port.log.warn({ err: error }, 'the social directory did not answer a presence look-up; friends shown offline');
      }
    }
    for (const [id, entry] of this.friends) this.#sendEntry(id, entry, online.get(id));
    this.#port.send(GAME.MSG_BUDDYLISTCOMPLETE, { ListOwnerGID: player.characterId });
  }

  #sendEntry(id: bigint, entry: FriendEntry, presence: { zone: string; realm: string } | undefined): void {
    this.#port.send(GAME.MSG_BUDDYENTRY, {
      ListOwnerGID: this.#port.player.characterId, EntryGID: id, GameObjectID: presence === undefined ? 0n : id, Name: entry.name,
      Status: presence === undefined ? STATUS_OFFLINE : STATUS_ONLINE, FriendInfo: 0, PasswordChat: 0, Permissions: 0,
      ZoneName: presence?.zone ?? '', RealmName: presence?.realm ?? '', Locale: 0, FriendDate: seconds(entry.addedAt), FriendStatusDate: 0, PreviousName: '',
    });
  }

  statusChanged(e: Event<'social.friend-status'>): void {
    const entry = this.friends.get(e.friendId);
    if (entry === undefined) return;
    entry.name = e.name;
    this.#port.send(GAME.MSG_BUDDYSTATUSUPDATE, {
      ListOwnerGID: this.#port.player.characterId, EntryGID: e.friendId, Status: e.online ? STATUS_ONLINE : STATUS_OFFLINE, Permissions: 0,
      ZoneName: e.zone, Locale: 0, RealmName: e.realm, FriendInfo: 0, FriendDate: seconds(entry.addedAt), FriendStatusDate: 0, PreviousName: '',
    });
  }

  #error(entryId: bigint, error: number): void {
    this.#port.send(GAME.MSG_BUDDYREQUESTERROR, { ListOwnerGID: this.#port.player.characterId, EntryGID: entryId, Error: error });
  }

  // ---- requests, requester side --------------------------------------------------------------------------------

  request(targetId: bigint, level: number, school: Buffer): void {
    const { player, settings } = this.#port;
    if (targetId === player.characterId) return this.#error(targetId, FriendError.Self);
    if (!this.#port.allowAction()) return this.#error(targetId, FriendError.TooFast);
    if (this.friends.has(targetId)) return this.#error(targetId, FriendError.AlreadyFriends);
    if (this.friends.size >= settings.maxFriends) return this.#error(targetId, FriendError.ListFull);
    this.#port.directory.tell({
      type: 'social.route', targetId,
      event: { type: 'social.friend-request-in', fromId: player.characterId, fromName: player.name, level, school: Buffer.from(school.subarray(0, 64)), fromInbox: this.#port.inbox },
      failTo: this.#port.inbox, failEvent: { type: 'social.friend-error', entryId: targetId, error: FriendError.Offline },
    });
  }

  async withdraw(targetId: bigint): Promise<void> {
    await this.#port.store.friends.dropRequest(this.#port.player.characterId, targetId);
  }

  failed(e: Event<'social.friend-error'>): void {
    this.#error(e.entryId, e.error);
  }

  accepted(e: Event<'social.friend-accepted'>): void {
    const { player } = this.#port;
    const entry = { name: e.byName, symbol: 0, addedAt: new Date() };
    this.friends.set(e.byId, entry);
    this.#port.send(GAME.MSG_BUDDYREQUESTACCEPTFWD, {
      ListOwnerGID: player.characterId, EntryGID: e.byId, OwnerName: player.name, EntryName: e.byName, SourceObjectID: player.characterId, DestObjectID: e.byId,
      Permissions: 0, EntryLocale: 0, FriendInfo: 0, FriendDate: seconds(entry.addedAt), FriendStatusDate: 0, PreviousName: '',
    });
    this.#sendEntry(e.byId, entry, { zone: e.zone, realm: e.realm });
  }

  denied(e: Event<'social.friend-denied'>): void {
    this.#port.send(GAME.MSG_BUDDYREQUESTDENYFWD, { ListOwnerGID: this.#port.player.characterId, EntryGID: e.byId });
  }

  // ---- requests, target side -----------------------------------------------------------------------------------

  async requested(e: Event<'social.friend-request-in'>): Promise<void> {
    const { player, settings, store } = this.#port;
    const refuse = (error: number): void => e.fromInbox.tell({ type: 'social.friend-error', entryId: player.characterId, error });
    if (this.ignored.has(e.fromId)) return refuse(FriendError.Ignored);
    if (this.friends.has(e.fromId)) return refuse(FriendError.AlreadyFriends);
    if (this.friends.size >= settings.maxFriends) return refuse(FriendError.TheirListFull);
    const now = new Date();
    await store.friends.addRequest(e.fromId, player.characterId, { now, expiresAt: new Date(now.getTime() + settings.friendRequestExpiryMs) });
    this.#port.send(GAME.MSG_BUDDYREQUESTADDFWD, {
      ListOwnerGID: e.fromId, EntryGID: player.characterId, OwnerName: e.fromName, OwnerLevel: Math.max(0, Math.min(255, e.level)), OwnerSchool: e.school, Remove: 0,
    });
  }

  async accept(requesterId: bigint, presenceOf: (id: bigint) => Promise<PlayerPresence | undefined>): Promise<void> {
    const { player, settings, store } = this.#port;
    let done: boolean;
    try {
      done = await store.friends.acceptRequest(requesterId, player.characterId, { now: new Date(), max: settings.maxFriends });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_LIST_FULL') return this.#error(requesterId, FriendError.ListFull);
      throw error;
    }
    if (!done) return this.#error(requesterId, FriendError.Unknown);
    const requester = await store.characters.get(requesterId);
    const entry = { name: requester?.name ?? '', symbol: 0, addedAt: new Date() };
    this.friends.set(requesterId, entry);
    this.#port.directory.tell({ type: 'social.friends-changed', a: requesterId, b: player.characterId, friends: true });
    const presence = await presenceOf(requesterId);
    this.#sendEntry(requesterId, entry, presence);
    presence?.inbox.tell({ type: 'social.friend-accepted', byId: player.characterId, byName: player.name, zone: this.zone, realm: presence.realm });
    this.#port.log.info({ character: player.characterId, friend: requesterId }, 'friend request accepted');
  }

  async deny(requesterId: bigint): Promise<void> {
    const { player } = this.#port;
    if (!(await this.#port.store.friends.dropRequest(requesterId, player.characterId))) return;
    this.#port.directory.tell({
      type: 'social.route', targetId: requesterId, event: { type: 'social.friend-denied', byId: player.characterId },
      failTo: this.#port.inbox, failEvent: { type: 'social.friend-denied', byId: 0n },
    });
  }

  // ---- the list itself -----------------------------------------------------------------------------------------

  async drop(friendId: bigint): Promise<void> {
    const { player, store } = this.#port;
    if (!this.friends.has(friendId)) return this.#error(friendId, FriendError.Unknown);
    await store.friends.unfriend(player.characterId, friendId);
    this.friends.delete(friendId);
    this.#port.directory.tell({ type: 'social.friends-changed', a: player.characterId, b: friendId, friends: false });
    this.#port.send(GAME.MSG_BUDDYDROP, { ListOwnerGID: player.characterId, EntryGID: friendId });
    this.#port.directory.tell({
      type: 'social.route', targetId: friendId, event: { type: 'social.friend-dropped', byId: player.characterId },
      failTo: this.#port.inbox, failEvent: { type: 'social.friend-dropped', byId: 0n },
    });
  }

  dropped(e: Event<'social.friend-dropped'>): void {
    if (!this.friends.delete(e.byId)) return;
    this.#port.send(GAME.MSG_BUDDYDROP, { ListOwnerGID: this.#port.player.characterId, EntryGID: e.byId });
  }

  async bestFriend(buddyId: bigint, symbol: number): Promise<void> {
    const { player, store } = this.#port;
    const entry = this.friends.get(buddyId);
    if (entry === undefined) return this.#error(buddyId, FriendError.Unknown);
    await store.friends.setSymbol(player.characterId, buddyId, symbol);
    entry.symbol = symbol;
    this.#port.send(GAME.MSG_BESTFRIEND, { ListOwnerGID: player.characterId, BuddyID: buddyId, Forwarded: 0, FriendSymbol: symbol });
  }

  // ---- ignore --------------------------------------------------------------------------------------------------

  #chatError(characterId: bigint, error: number): void {
    this.#port.send(GAME.MSG_CHATERROR, { ListOwnerGID: this.#port.player.characterId, CharacterID: characterId, Error: error });
  }

  /** Adds by character id, or by the name of an online player when the id is 0. True when the list changed. */
  async ignore(characterId: bigint, nameBytes: Buffer, objectId: bigint, find: (name: string) => Promise<PlayerPresence | undefined>): Promise<boolean> {
    const { player, settings, store } = this.#port;
    let id = characterId === 0n ? objectId : characterId;
    let name: string | undefined;
    if (id === 0n) {
      const wanted = clientName(nameBytes, NAME_MAX);
      const found = wanted === undefined ? undefined : await find(wanted);
      if (found === undefined) {
        this.#chatError(0n, ChatError.Unknown);
        return false;
      }
      id = found.characterId;
      name = found.name;
    }
    if (id === player.characterId) {
      this.#chatError(id, ChatError.Self);
      return false;
    }
    if (this.ignored.has(id)) {
      this.#port.send(GAME.MSG_IGNOREADD, { ListOwnerGID: player.characterId, CharacterGID: id, GameObjectGID: id, CharacterName: this.ignored.get(id)!, Forwarded: 0 });
      return false;
    }
    name ??= (await store.characters.get(id))?.name;
    if (name === undefined) {
      this.#chatError(id, ChatError.Unknown);
      return false;
    }
    try {
      await store.ignores.add(player.characterId, id, name, { now: new Date(), max: settings.maxIgnores });
    } catch (error) {
      const code = (error as { code?: string }).code;
      this.#chatError(id, code === 'ERR_LIST_FULL' ? ChatError.ListFull : code === 'ERR_UNKNOWN_CHARACTER' ? ChatError.Unknown : ChatError.Internal);
      if (code !== 'ERR_LIST_FULL' && code !== 'ERR_UNKNOWN_CHARACTER') this.#port.log.error({ err: error }, 'cannot add to an ignore list');
      return false;
    }
    this.ignored.set(id, name);
    this.#port.send(GAME.MSG_IGNOREADD, { ListOwnerGID: player.characterId, CharacterGID: id, GameObjectGID: id, CharacterName: name, Forwarded: 0 });
    return true;
  }

  async unignore(characterId: bigint): Promise<boolean> {
    const { player, store } = this.#port;
    if (!this.ignored.has(characterId)) {
      this.#chatError(characterId, ChatError.Unknown);
      return false;
    }
    await store.ignores.remove(player.characterId, characterId);
    this.ignored.delete(characterId);
    this.#port.send(GAME.MSG_IGNOREDROP, { ListOwnerGID: player.characterId, CharacterGID: characterId, GameObjectGID: characterId, Forwarded: 0 });
    return true;
  }
}
