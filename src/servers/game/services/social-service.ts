// The Social service (docs/social.md): a player's friends, ignore list, whispers, group and emotes.
// It is the player's inbox in the social layer: the SocialDirectory (under the login server, possibly
// in another process) and the groups send their events to this actor. Its handlers never throw: a
// bad request gets the spec's error reply and a log line, and ends nothing else.
import { GAME, encodeDmlFrame } from '../../../protocol/index.js';
import { MessageService, type ServiceContext, type ServiceEnv } from '../../../net/index.js';
import type { ActorRef } from '../../../runtime/index.js';
import type { GroupOfReply, PlayerPresence, PresenceReply, SocialEvent } from '../../social/index.js';
import type { GameContext } from '../game-context.js';
import type { MuteChanged, PlayerReady, ZoneChanged, ZoneMessage } from '../messages.js';
import { ChatGate } from '../social/chat-gate.js';
import { FriendLists } from '../social/friend-lists.js';
import { Party } from '../social/party.js';
import { nameBlob, type SocialLink, type SocialPort } from '../social/social-port.js';
import { Whispers } from '../social/whispers.js';

type SocialServiceMessage = PlayerReady | ZoneChanged | MuteChanged | SocialEvent;

const ACTION_WINDOW_MS = 10_000;
const CHAT_EMOTE = 'Chat';

interface Playing {
  readonly port: SocialPort;
  readonly link: SocialLink;
  readonly lists: FriendLists;
  readonly whispers: Whispers;
  readonly party: Party;
  zone: ActorRef<ZoneMessage>;
  zonePath: string;
}

export class SocialService extends MessageService<SocialServiceMessage> {
  readonly #game: GameContext;
  readonly #gate: ChatGate;
  #playing: Playing | undefined = undefined;
  #actionsWindowStart = 0;
  #actionsInWindow = 0;

  constructor(context: ServiceContext<SocialServiceMessage>, env: ServiceEnv, game: GameContext) {
    super(context, env);
    this.#game = game;
    this.#gate = new ChatGate(game.chatMaxLength, game.timings.chatRatePer10s, context.system.scheduler);
    this.onServer('game.player-ready', (ready) => this.#guard('enter', () => this.#ready(ready)));
    this.onServer('game.zone-changed', ({ zone, path }) => this.#zoneChanged(zone, path));
    this.onServer('game.mute-changed', ({ mutedUntil }) => {
      this.#gate.mutedUntil = mutedUntil;
    });
    this.#clientHandlers();
    this.#eventHandlers();
  }

  /** Runs a handler with the player in the game; a failure is logged, never thrown. */
  async #guard(what: string, run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.log.error({ err: error, what }, 'a social request failed');
    }
  }

  #with(what: string, run: (p: Playing) => void | Promise<void>): () => Promise<void> {
    return () => {
      const playing = this.#playing;
      if (playing === undefined) return Promise.resolve();
      return this.#guard(what, () => run(playing));
    };
  }

  #clientHandlers(): void {
    const on = <T>(kind: Parameters<typeof this.onClient<T>>[0], what: string, run: (p: Playing, data: T) => void | Promise<void>): void =>
      this.onClient(kind, (data: T) => this.#with(what, (p) => run(p, data))());
    // Friends.
    on(GAME.MSG_BUDDYREQUESTLIST, 'friend list', (p) => p.lists.sendList((ids) => this.#lookup(p, ids)));
    on(GAME.MSG_BUDDYREQUESTADD, 'friend request', async (p, m) => {
      if (m.Remove !== 0) await p.lists.withdraw(m.EntryGID);
      else p.lists.request(m.EntryGID, m.OwnerLevel, m.OwnerSchool);
    });
    on(GAME.MSG_BUDDYREQUESTACCEPT, 'friend accept', (p, m) => p.lists.accept(this.#other(p, m.ListOwnerGID, m.EntryGID), (id) => this.#presenceOf(p, id)));
    on(GAME.MSG_BUDDYREQUESTDENY, 'friend deny', (p, m) => p.lists.deny(this.#other(p, m.ListOwnerGID, m.EntryGID)));
    on(GAME.MSG_BUDDYREQUESTDROP, 'friend request withdrawal', (p, m) => p.lists.withdraw(m.EntryGID));
    on(GAME.MSG_BUDDYDROP, 'friend drop', (p, m) => p.lists.drop(m.EntryGID));
    on(GAME.MSG_BESTFRIEND, 'best friend', (p, m) => p.lists.bestFriend(m.BuddyID, m.FriendSymbol));
    on(GAME.MSG_REQUESTMAXFRIENDS, 'maximum friends', (p) =>
      this.send(GAME.MSG_REQUESTMAXFRIENDS, { RequestingPlayerGID: p.port.player.characterId, MaximumFriends: p.link.settings.maxFriends, MaximumSubscriberFriends: p.link.settings.maxSubscriberFriends }));
    // Ignore.
    on(GAME.MSG_IGNOREADD, 'ignore', async (p, m) => {
      if (await p.lists.ignore(m.CharacterGID, m.CharacterName, m.GameObjectGID, (name) => this.#presenceByName(p, name))) this.#tellZoneIgnores(p);
    });
    on(GAME.MSG_IGNOREDROP, 'unignore', async (p, m) => {
      if (await p.lists.unignore(m.CharacterGID === 0n ? m.GameObjectGID : m.CharacterGID)) this.#tellZoneIgnores(p);
    });
    // Whispers.
    on(GAME.MSG_REQUESTDIRECTEDCHAT, 'whisper', (p, m) => p.whispers.send({ kind: 'text', targetId: m.TargetID, text: m.Message, phraseId: 0 }));
    on(GAME.MSG_REQUESTDIRECTEDCHATBYNAME, 'whisper by name', (p, m) => p.whispers.send({ kind: 'text', targetName: m.TargetName, text: m.Message, phraseId: 0 }));
    on(GAME.MSG_REQUESTDIRECTEDQUICKCHAT, 'quick whisper', (p, m) => p.whispers.send({ kind: 'quick', targetId: m.TargetID, text: Buffer.alloc(0), phraseId: m.MessageID }));
    on(GAME.MSG_REQUESTDIRECTEDQUICKCHATEXT, 'quick whisper text', (p, m) => p.whispers.send({ kind: 'quick-text', targetId: m.TargetID, text: m.Message, phraseId: 0 }));
    on(GAME.MSG_REQUESTRADIALFRIENDCHAT, 'friends-only say', (p, m) =>
      this.log.info({ character: p.port.player.characterId, bytes: m.Message.length }, 'MSG_REQUESTRADIALFRIENDCHAT is not supported (its layout is unverified); dropped'));
    // Groups.
    on(GAME.MSG_PARTYREQUESTINVITE, 'group invite', (p, m) => p.party.invite(m.TargetCharacterID === 0n ? m.TargetGlobalID : m.TargetCharacterID));
    on(GAME.MSG_PARTYREQUESTACCEPT, 'group accept', (p, m) => p.party.answer(m.PartyID, true));
    on(GAME.MSG_PARTYREQUESTDECLINE, 'group decline', (p, m) => p.party.answer(m.PartyID, false));
    on(GAME.MSG_PARTYLEAVE, 'group leave', (p, m) => p.party.leave(m.SourceCharacterID));
    on(GAME.MSG_PARTYREQUESTMEMBERZONES, 'group member zones', (p) => p.party.memberZones());
    on(GAME.MSG_CHANNELCHAT, 'group chat', (p, m) => p.party.chat(m.TargetID, m.Message));
    // Emotes and radial quick chat, relayed to the zone.
    on(GAME.MSG_COREEMOTE, 'emote', (p, m) => {
      // The client sends a "Chat" emote with every typed line: not a player's emote (docs/social.md).
      if (m.Name.toString('utf8') === CHAT_EMOTE && !p.link.settings.relayChatEmote) return;
      if (m.Name.length > 64 || this.#gate.admit() !== undefined) return;
      this.#relay(p, encodeDmlFrame(this.env.registry, GAME.MSG_COREEMOTE, { Name: m.Name, ExcludeOriginator: m.ExcludeOriginator, PhraseID: m.PhraseID }), m.ExcludeOriginator === 0);
    });
    on(GAME.MSG_JUMP, 'jump', (p, m) => {
      if (this.#gate.admit() !== undefined) return;
      this.#relay(p, encodeDmlFrame(this.env.registry, GAME.MSG_JUMP, { ExcludeOriginator: m.ExcludeOriginator }), m.ExcludeOriginator === 0);
    });
    on(GAME.MSG_REQUESTRADIALQUICKCHAT, 'quick chat', (p, m) => {
      if (this.#gate.admit() !== undefined) return;
      const { characterId, name } = p.port.player;
      this.#relay(p, encodeDmlFrame(this.env.registry, GAME.MSG_RADIALQUICKCHAT, { SourceName: nameBlob(name), SourceID: characterId, MessageID: m.MessageID, Filter: 0 }), true);
    });
    on(GAME.MSG_REQUESTRADIALQUICKCHATEXT, 'quick chat text', (p, m) => {
      if (!this.#gate.check(m.Message).ok) return;
      const { characterId, name } = p.port.player;
      this.#relay(p, encodeDmlFrame(this.env.registry, GAME.MSG_RADIALQUICKCHATEXT, { SourceName: nameBlob(name), SourceID: characterId, Message: m.Message, Filter: 0 }), true);
    });
  }

  #eventHandlers(): void {
    const on = <K extends SocialEvent['type']>(type: K, run: (p: Playing, e: Extract<SocialEvent, { type: K }>) => void | Promise<void>): void =>
      this.onServer(type, (e) => this.#with(type, (p) => run(p, e as Extract<SocialEvent, { type: K }>))());
    on('social.friend-status', (p, e) => p.lists.statusChanged(e));
    on('social.friend-request-in', (p, e) => p.lists.requested(e));
    on('social.friend-error', (p, e) => p.lists.failed(e));
    on('social.friend-accepted', (p, e) => p.lists.accepted(e));
    on('social.friend-denied', (p, e) => {
      if (e.byId !== 0n) p.lists.denied(e);
    });
    on('social.friend-dropped', (p, e) => p.lists.dropped(e));
    on('social.chat-error', (_p, e) => this.send(GAME.MSG_CHATERROR, { ListOwnerGID: e.characterId, CharacterID: e.characterId, Error: e.error }));
    on('social.whisper-in', (p, e) => p.whispers.received(e));
    on('social.whisper-out', (p, e) => p.whispers.delivered(e));
    on('social.whisper-failed', (p) => p.whispers.failed());
    on('social.group-invited', (p, e) => p.party.invited(e));
    on('social.group-invite-result', (p, e) => p.party.result(e));
    on('social.group-timeout', (p) => p.party.timedOut());
    on('social.group-join-failed', (p, e) => p.party.joinFailed(e));
    on('social.group-state', (p, e) => p.party.state(e));
    on('social.group-left', (p, e) => p.party.left(e));
    on('social.group-disbanded', (p) => p.party.disbanded());
    on('social.group-chat-in', (p, e) => p.party.chatIn(e));
  }

  async #ready(ready: PlayerReady): Promise<void> {
    this.#gate.mutedUntil = ready.mutedUntil;
    const link = this.#game.social;
    if (link === undefined) return;
    const player = { characterId: ready.characterId, accountId: ready.accountId, name: ready.name };
    const port: SocialPort = {
      player, inbox: this.context.self as ActorRef<SocialEvent>, directory: link.directory, store: this.#game.store, settings: link.settings, gate: this.#gate,
      log: this.log, send: (kind, data) => this.send(kind, data), allowAction: () => this.#allowAction(link.settings.maxSocialActionsPer10s),
      ignores: (id) => lists.ignored.has(id),
    };
    const lists = new FriendLists(port);
    await lists.load();
    lists.zone = ready.zone.path;
    const playing: Playing = { port, link, lists, whispers: new Whispers(port), party: new Party(port), zone: ready.zone.zone, zonePath: ready.zone.path };
    this.#playing = playing;
    lists.sendIgnoreList();
    link.directory.tell({ type: 'social.online', presence: this.#presence(playing), friendIds: [...lists.friends.keys()] });
    this.#tellZoneIgnores(playing);
  }

  #presence(p: Playing): PlayerPresence {
    return {
      characterId: p.port.player.characterId, name: p.port.player.name, server: this.#game.name, zone: p.zonePath, realm: this.#game.realm, level: 1, school: 0,
      inbox: p.port.inbox,
    };
  }

  #zoneChanged(zone: ActorRef<ZoneMessage>, path: string): void {
    const p = this.#playing;
    if (p === undefined) return;
    p.zone = zone;
    p.zonePath = path;
    p.lists.zone = path;
    p.link.directory.tell({ type: 'social.moved', characterId: p.port.player.characterId, inbox: p.port.inbox, zone: path });
    this.#tellZoneIgnores(p);
  }

  #tellZoneIgnores(p: Playing): void {
    p.zone.tell({ type: 'zone.ignores', characterId: p.port.player.characterId, ignored: [...p.lists.ignored.keys()] });
  }

  #relay(p: Playing, frame: Buffer, includeSender: boolean): void {
    p.zone.tell({ type: 'zone.relay', characterId: p.port.player.characterId, frame, includeSender });
  }

  /** Of the two ids of a request answer, the one that is not this player (the field order is unverified). */
  #other(p: Playing, a: bigint, b: bigint): bigint {
    return a === p.port.player.characterId ? b : a;
  }

  #lookup(p: Playing, ids: readonly bigint[]): Promise<PresenceReply> {
    return p.link.directory.ask<PresenceReply>((replyTo) => ({ type: 'social.lookup', ids, replyTo }), this.#game.timings.askTimeoutMs);
  }

  async #presenceOf(p: Playing, id: bigint): Promise<PlayerPresence | undefined> {
    try {
      return (await this.#lookup(p, [id])).online[0];
    } catch {
      return undefined;
    }
  }

  async #presenceByName(p: Playing, name: string): Promise<PlayerPresence | undefined> {
    try {
      return (await p.link.directory.ask<GroupOfReply>((replyTo) => ({ type: 'social.group-of', name, replyTo }), this.#game.timings.askTimeoutMs)).player;
    } catch {
      return undefined;
    }
  }

  #allowAction(max: number): boolean {
    const now = this.context.system.scheduler.now();
    if (now - this.#actionsWindowStart >= ACTION_WINDOW_MS) {
      this.#actionsWindowStart = now;
      this.#actionsInWindow = 0;
    }
    return ++this.#actionsInWindow <= max;
  }

  protected override onSessionEnd(): void {
    const p = this.#playing;
    this.#playing = undefined;
    if (p !== undefined) p.link.directory.tell({ type: 'social.offline', characterId: p.port.player.characterId, inbox: p.port.inbox });
  }
}
