// One zone: who is in it, what they see of each other. It loads its data through a ZoneLoader child
// before admitting anyone (arrivals wait, and a failed load answers them with an error and ends the
// zone so the next demand starts afresh). Movement is batched: each tick, every player's last move
// is encoded once into one frame shared by all recipients; a mover gets the same frame without its
// own move. With an interest range (zone-interest.ts) a player sees only those within it: their
// NEWOBJECT when they come into range, REMOVEOBJECT when they leave it, and only their moves.
import { Actor, props, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import { GAME, encodeDmlFrame, encodeDmlFrameOf, type MessageKind, type MessageRegistry } from '../../protocol/index.js';
import type { SessionCommand } from '../../net/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import { playerBlob } from './player-blob.js';
import { zoneLoaderProps, type ZoneDataSource } from './zone-loader.js';
import type { EnterResult, LeaveResult, ZoneEntrant, ZoneInfo, ZoneMessage, ZoneParentMessage } from './messages.js';
import { zoneIdOf } from './zone-path.js';
import type { WirePosition } from './location.js';
import { MAX_MOVES_PER_FRAME, encodeMoves, movesAt, movesWithout, type MoveBatch } from './zone-moves.js';
import { ZoneInterest, interestState, type InterestState } from './zone-interest.js';

export interface ZoneInit {
  readonly path: string;
  /** The instance key when the zone is private, else undefined. */
  readonly instance: string | undefined;
  /** Tells this zone from an earlier one of the same path that failed. */
  readonly generation: number;
  readonly registry: MessageRegistry;
  readonly codec: CharacterBlobCodec;
  readonly source: ZoneDataSource;
  readonly moveTickMs: number;
  /** Interest range in world units (the zone's render distance); 0: everyone in the zone sees everyone. */
  readonly renderDistance: number;
  readonly loadTimeoutMs: number;
  /** Arrivals held while loading, at most. */
  readonly maxHeld?: number;
}

interface ZonePlayer {
  readonly characterId: bigint;
  readonly accountId: bigint;
  readonly name: string;
  readonly creationData: Buffer;
  readonly session: ActorRef<SessionCommand>;
  readonly mobileId: number;
  x: number;
  y: number;
  z: number;
  direction: number;
  /** In the current tick's batch: its index there, else -1. */
  slot: number;
  readonly interest: InterestState<ZonePlayer>;
  /** Slots of this tick's batch this player gets (the first `inboxLength`), with interest management. */
  readonly inbox: number[];
  inboxLength: number;
}

type HeldEnter = Extract<ZoneMessage, { type: 'zone.enter' }>;

const TICK: ZoneMessage = Object.freeze({ type: 'zone.tick' });
const LOAD_TIMEOUT: ZoneMessage = Object.freeze({ type: 'zone.load-failed', detail: 'loading timed out' });
const MAX_MOBILE_ID = 0xffff;
/** World units per wire step of a position (docs/game-server.md, movement units). */
const UNITS_PER_STEP = 4;
/** Least time between a NEWOBJECT and a REMOVEOBJECT of one object to one player (docs/game-server.md, "Interest"). */
const SHOW_HIDE_GAP_MS = 250;
/** NEWOBJECT payload bytes per frame when showing a newcomer who is present. */
const MAX_OBJECTS_PAYLOAD = 48 * 1024;
const DEFAULT_MAX_HELD = 10_000;

export class Zone extends Actor<ZoneMessage> {
  readonly #init: ZoneInit;
  readonly #parent: ActorRef<ZoneParentMessage>;
  readonly #zoneId: bigint;
  #state: 'loading' | 'ready' | 'failed' = 'loading';
  #held: HeldEnter[] = [];
  readonly #players = new Map<bigint, ZonePlayer>();
  readonly #byMobile = new Map<number, ZonePlayer>();
  #nextMobile = 1;
  #dirty: ZonePlayer[] = [];
  readonly #interest: ZoneInterest<ZonePlayer> | undefined;

  constructor(context: ActorContext<ZoneMessage>, init: ZoneInit) {
    super(context);
    this.#init = init;
    this.#parent = context.parent as ActorRef<ZoneParentMessage>;
    this.#zoneId = zoneIdOf(init.path);
    const range = init.renderDistance / UNITS_PER_STEP;
    this.#interest = range >= 1 ? new ZoneInterest(range, SHOW_HIDE_GAP_MS, () => context.system.scheduler.now()) : undefined;
  }

  readonly receive: Handlers<ZoneMessage> = {
    'zone.enter': (message) => this.#enter(message),
    'zone.leave': ({ characterId, replyTo }) => replyTo.tell(this.#leave(characterId)),
    'zone.move': (move) => {
      const player = this.#byMobile.get(move.mobileId);
      // A move still in flight from before a leave must not move whoever got the id since.
      if (player === undefined || player.characterId !== move.characterId) return;
      player.x = move.x;
      player.y = move.y;
      player.z = move.z;
      player.direction = move.direction;
      this.#interest?.moved(player, toInt16(move.x), toInt16(move.y));
      if (player.slot < 0) {
        player.slot = this.#dirty.length;
        this.#dirty.push(player);
      }
    },
    'zone.chat': ({ characterId, message, filter }) => {
      const speaker = this.#players.get(characterId);
      if (speaker === undefined) return;
      const frame = encodeDmlFrame(this.#init.registry, GAME.MSG_RADIALCHAT, { SourceName: speaker.name, SourceID: speaker.characterId, Message: message, Filter: filter });
      // Radial chat reaches those who see the speaker.
      if (this.#interest === undefined) this.#broadcast(frame);
      else this.#sendTo([speaker, ...speaker.interest.visible.keys()], frame);
    },
    'zone.position': ({ characterId, replyTo }) => {
      const player = this.#players.get(characterId);
      replyTo.tell(player === undefined ? { found: false, position: { x: 0, y: 0, z: 0, direction: 0 } } : { found: true, position: positionOf(player) });
    },
    'zone.info': ({ replyTo }) =>
      replyTo.tell({
        path: this.#init.path,
        instance: this.#init.instance,
        state: this.#state,
        players: [...this.#players.values()].map((p) => ({ characterId: p.characterId, name: p.name, mobileId: p.mobileId })),
      } satisfies ZoneInfo),
    'zone.tick': () => this.#flushMoves(),
    'zone.session-gone': ({ characterId, session }) => {
      const player = this.#players.get(characterId);
      if (player === undefined || player.session.path !== session) return;
      this.context.log.info({ zone: this.#init.path, character: characterId }, 'a player\'s session ended without leaving the zone; removed');
      this.#leave(characterId);
    },
    'zone.loaded': ({ objects }) => {
      if (this.#state !== 'loading') return;
      this.context.timers.cancel('load-timeout');
      this.#state = 'ready';
      this.context.log.debug({ zone: this.#init.path, instance: this.#init.instance, objects }, 'zone loaded');
      const held = this.#held;
      this.#held = [];
      for (const enter of held) this.#enter(enter);
    },
    'zone.load-failed': ({ detail }) => {
      if (this.#state !== 'loading') return;
      this.#state = 'failed';
      this.context.log.error({ zone: this.#init.path, instance: this.#init.instance, detail }, 'zone failed to load; its arrivals are refused');
      const held = this.#held;
      this.#held = [];
      for (const enter of held) enter.replyTo.tell(this.#loadFailure(detail));
      this.#parent.tell({ type: 'zone.failed', path: this.#init.path, generation: this.#init.generation });
      this.context.stop();
    },
  };

  override preStart(): void {
    const { path, source } = this.#init;
    this.context.spawn(zoneLoaderProps(path, source), 'loader');
    this.context.timers.startSingle('load-timeout', LOAD_TIMEOUT, this.#init.loadTimeoutMs);
  }

  #loadFailure(detail: string): EnterResult {
    return { ok: false, code: 'ERR_GAME_ZONE_LOAD', detail: `zone ${this.#init.path}: ${detail}` };
  }

  #enter(message: HeldEnter): void {
    if (this.#state === 'loading') {
      if (this.#held.length >= (this.#init.maxHeld ?? DEFAULT_MAX_HELD)) {
        message.replyTo.tell({ ok: false, code: 'ERR_GAME_ZONE_BUSY', detail: `zone ${this.#init.path} holds too many arrivals while loading` });
        return;
      }
      this.#held.push(message);
      return;
    }
    if (this.#state === 'failed') {
      message.replyTo.tell(this.#loadFailure('failed to load'));
      return;
    }
    const { entrant, preamble, replyTo } = message;
    if (this.#players.has(entrant.characterId)) this.#leave(entrant.characterId);
    const mobileId = this.#allocateMobileId();
    if (mobileId === undefined) {
      replyTo.tell({ ok: false, code: 'ERR_GAME_ZONE_FULL', detail: `zone ${this.#init.path} has no free mobile id` });
      return;
    }
    const fields = entrantFields(entrant);
    const player: ZonePlayer = { ...fields, mobileId, slot: -1, interest: interestState(toInt16(fields.x), toInt16(fields.y)), inbox: [], inboxLength: 0 };
    let announce: Buffer;
    try {
      announce = this.#newObjectFrame(player);
    } catch (error) {
      // A character whose object cannot be encoded (a blob past a STR's 65,535 bytes) cannot be shown: refused, not a failed zone.
      this.context.log.error({ err: error, zone: this.#init.path, character: entrant.characterId }, 'cannot encode the object of an arriving player');
      replyTo.tell({ ok: false, code: 'ERR_GAME_OBJECT', detail: `the player object cannot be encoded: ${(error as Error).message}` });
      return;
    }
    const session = entrant.session;
    for (const frame of preamble) session.tell({ type: 'net.send-frame', frame });
    const seen = this.#interest === undefined ? [...this.#players.values()] : this.#interest.add(player);
    this.#showTo(session, seen);
    this.#sendTo(seen, announce);
    this.#players.set(player.characterId, player);
    this.#byMobile.set(mobileId, player);
    this.context.watch(session, { type: 'zone.session-gone', characterId: player.characterId, session: session.path });
    if (!this.context.timers.isActive('tick')) this.context.timers.startPeriodic('tick', TICK, this.#init.moveTickMs);
    replyTo.tell({ ok: true, zone: this.context.self, path: this.#init.path, zoneId: this.#zoneId, mobileId, instance: this.#init.instance });
    this.#parent.tell({ type: 'zone.population', path: this.#init.path, players: this.#players.size });
  }

  #leave(characterId: bigint): LeaveResult {
    const player = this.#players.get(characterId);
    if (player === undefined) return { found: false, position: { x: 0, y: 0, z: 0, direction: 0 } };
    this.#players.delete(characterId);
    this.#byMobile.delete(player.mobileId);
    const viewers = this.#interest === undefined ? this.#players.values() : this.#interest.remove(player);
    this.context.unwatch(player.session);
    if (player.slot >= 0) {
      this.#dirty.splice(player.slot, 1);
      for (let i = player.slot; i < this.#dirty.length; i++) this.#dirty[i]!.slot = i;
      player.slot = -1;
    }
    if (this.#players.size > 0) {
      this.#sendTo(viewers, encodeDmlFrame(this.#init.registry, GAME.MSG_REMOVEOBJECT, { GameObjectID: characterId }));
    } else {
      this.context.timers.cancel('tick');
    }
    this.#parent.tell({ type: 'zone.population', path: this.#init.path, players: this.#players.size });
    return { found: true, position: positionOf(player) };
  }

  #allocateMobileId(): number | undefined {
    if (this.#byMobile.size >= MAX_MOBILE_ID) return undefined;
    while (this.#byMobile.has(this.#nextMobile)) this.#nextMobile = this.#nextMobile >= MAX_MOBILE_ID ? 1 : this.#nextMobile + 1;
    const id = this.#nextMobile;
    this.#nextMobile = id >= MAX_MOBILE_ID ? 1 : id + 1;
    return id;
  }

  #newObjectFrame(player: ZonePlayer): Buffer {
    return encodeDmlFrame(this.#init.registry, GAME.MSG_NEWOBJECT, { Data: this.#blob(player) });
  }

  #blob(player: ZonePlayer): Buffer {
    return playerBlob(this.#init.codec, { characterId: player.characterId, name: player.name, zone: this.#init.path, creationData: player.creationData }, positionOf(player));
  }

  /** A player sees others: their NEWOBJECTs, several per frame. */
  #showTo(session: ActorRef<SessionCommand>, subjects: Iterable<ZonePlayer>, blobs?: Map<ZonePlayer, Buffer>): void {
    let batch: { kind: MessageKind<any>; data: object }[] = [];
    let bytes = 0;
    const flush = (): void => {
      if (batch.length === 0) return;
      session.tell({ type: 'net.send-frame', frame: encodeDmlFrameOf(this.#init.registry, batch) });
      batch = [];
      bytes = 0;
    };
    for (const present of subjects) {
      let data = blobs?.get(present);
      if (data === undefined) {
        try {
          data = this.#blob(present);
        } catch {
          continue;
        }
        blobs?.set(present, data);
      }
      if (bytes + data.length > MAX_OBJECTS_PAYLOAD) flush();
      batch.push({ kind: GAME.MSG_NEWOBJECT, data: { Data: data } });
      bytes += data.length + 6;
    }
    flush();
  }

  /** Sends one encoded frame to each of `players`: one Buffer and one message object for them all. */
  #sendTo(players: Iterable<ZonePlayer>, frame: Buffer): void {
    const message = { type: 'net.send-frame' as const, frame };
    for (const player of players) player.session.tell(message);
  }

  /** Shows and hides the pairs that came into or left range since the last tick, one frame of each kind per viewer. */
  #updateInterest(interest: ZoneInterest<ZonePlayer>): void {
    const shows = new Map<ZonePlayer, ZonePlayer[]>();
    const hides = new Map<ZonePlayer, { kind: MessageKind<any>; data: object }[]>();
    interest.update(
      (viewer, subject) => {
        const list = shows.get(viewer);
        if (list === undefined) shows.set(viewer, [subject]);
        else list.push(subject);
      },
      (viewer, subject) => {
        const entry = { kind: GAME.MSG_REMOVEOBJECT, data: { GameObjectID: subject.characterId } };
        const list = hides.get(viewer);
        if (list === undefined) hides.set(viewer, [entry]);
        else list.push(entry);
      },
    );
    for (const [viewer, entries] of hides) viewer.session.tell({ type: 'net.send-frame', frame: encodeDmlFrameOf(this.#init.registry, entries) });
    // A subject shown to several viewers in one tick is encoded once.
    const blobs = new Map<ZonePlayer, Buffer>();
    for (const [viewer, subjects] of shows) this.#showTo(viewer.session, subjects, blobs);
  }

  #broadcast(frame: Buffer): void {
    this.#sendTo(this.#players.values(), frame);
  }

  #flushMoves(): void {
    const interest = this.#interest;
    if (interest !== undefined) this.#updateInterest(interest);
    const dirty = this.#dirty;
    if (dirty.length === 0) return;
    this.#dirty = [];
    for (const mover of dirty) mover.slot = -1;
    for (let start = 0; start < dirty.length; start += MAX_MOVES_PER_FRAME) {
      const chunk = dirty.length <= MAX_MOVES_PER_FRAME ? dirty : dirty.slice(start, start + MAX_MOVES_PER_FRAME);
      for (let i = 0; i < chunk.length; i++) chunk[i]!.slot = i;
      const batch = encodeMoves(this.#init.registry, chunk);
      // A crowd where every mover sees everyone (one hub, all in range) takes the all-see-all path.
      const everyone = this.#players.size - 1;
      if (interest === undefined || chunk.every((mover) => mover.interest.visible.size === everyone)) this.#deliverToAll(batch);
      else this.#deliverInRange(batch, chunk);
      for (const mover of chunk) mover.slot = -1;
    }
  }

  #deliverToAll(batch: MoveBatch): void {
    // One message object for every recipient of the shared frame: messages are immutable once sent.
    const shared = { type: 'net.send-frame' as const, frame: batch.frame };
    for (const player of this.#players.values()) {
      if (player.slot < 0) player.session.tell(shared);
      else if (batch.count > 1) player.session.tell({ type: 'net.send-frame-parts', parts: movesWithout(batch, player.slot) });
    }
  }

  /** Each player gets the moves of those it sees: the shared frame when that is all of them, else its own. */
  #deliverInRange(batch: MoveBatch, chunk: readonly ZonePlayer[]): void {
    const recipients: ZonePlayer[] = [];
    for (let slot = 0; slot < chunk.length; slot++) {
      for (const viewer of chunk[slot]!.interest.visible.keys()) {
        if (viewer.inboxLength === 0) recipients.push(viewer);
        viewer.inbox[viewer.inboxLength++] = slot;
      }
    }
    let shared: { readonly type: 'net.send-frame'; readonly frame: Buffer } | undefined;
    for (const viewer of recipients) {
      const count = viewer.inboxLength;
      viewer.inboxLength = 0;
      if (count === batch.count) {
        shared ??= { type: 'net.send-frame', frame: batch.frame };
        viewer.session.tell(shared);
      } else if (viewer.slot >= 0 && count === batch.count - 1) {
        viewer.session.tell({ type: 'net.send-frame-parts', parts: movesWithout(batch, viewer.slot) });
      } else {
        viewer.session.tell({ type: 'net.send-frame', frame: movesAt(batch, viewer.inbox, count) });
      }
      // A crowd that has thinned out must not keep its largest inbox forever.
      if (viewer.inbox.length > 4 * count + 64) viewer.inbox.length = count;
    }
  }
}

function entrantFields(entrant: ZoneEntrant): Omit<ZonePlayer, 'mobileId' | 'slot' | 'interest' | 'inbox' | 'inboxLength'> {
  const { accountId, characterId, name, creationData, session, position } = entrant;
  return { accountId, characterId, name, creationData, session, x: position.x, y: position.y, z: position.z, direction: position.direction };
}

function positionOf(player: ZonePlayer): WirePosition {
  return { x: player.x, y: player.y, z: player.z, direction: player.direction };
}

function toInt16(value: number): number {
  return (value << 16) >> 16;
}

export function zoneProps(init: ZoneInit) {
  return props<ZoneMessage>((context) => new Zone(context, init), { kind: 'Zone' });
}
