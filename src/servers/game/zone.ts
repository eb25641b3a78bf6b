// One zone: who is in it, what they see of each other. It loads its data through a ZoneLoader child
// before admitting anyone (arrivals wait, and a failed load answers them with an error and ends the
// zone so the next demand starts afresh). Movement is batched: each tick, every player's last move
// is encoded once into one frame shared by all recipients; a mover gets the same frame without its
// own move.
import { Actor, props, type ActorContext, type ActorRef, type Handlers } from '../../runtime/index.js';
import {
  GAME,
  dmlLength,
  encodeDmlFrame,
  encodeDmlFrameOf,
  encodeDmlInto,
  frameLength,
  writeFrameHeader,
  type MessageKind,
  type MessageRegistry,
} from '../../protocol/index.js';
import type { SessionCommand } from '../../net/index.js';
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import { playerBlob } from './player-blob.js';
import { zoneLoaderProps, type ZoneDataSource } from './zone-loader.js';
import type { EnterResult, LeaveResult, ZoneEntrant, ZoneInfo, ZoneMessage, ZoneParentMessage } from './messages.js';
import { zoneIdOf } from './zone-path.js';
import type { WirePosition } from './location.js';

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
  readonly loadTimeoutMs: number;
  /** Told how long each tick's work took (metrics). */
  readonly tickTimed?: (seconds: number) => void;
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
}

type HeldEnter = Extract<ZoneMessage, { type: 'zone.enter' }>;

const TICK: ZoneMessage = Object.freeze({ type: 'zone.tick' });
const LOAD_TIMEOUT: ZoneMessage = Object.freeze({ type: 'zone.load-failed', detail: 'loading timed out' });
const MAX_MOBILE_ID = 0xffff;
/** Moves per frame: 13 bytes each keeps a frame near 52 KB. */
const MAX_MOVES_PER_FRAME = 4000;
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
  #moveLength = -1;

  constructor(context: ActorContext<ZoneMessage>, init: ZoneInit) {
    super(context);
    this.#init = init;
    this.#parent = context.parent as ActorRef<ZoneParentMessage>;
    this.#zoneId = zoneIdOf(init.path);
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
      if (player.slot < 0) {
        player.slot = this.#dirty.length;
        this.#dirty.push(player);
      }
    },
    'zone.chat': ({ characterId, message, filter }) => {
      const speaker = this.#players.get(characterId);
      if (speaker === undefined) return;
      const frame = encodeDmlFrame(this.#init.registry, GAME.MSG_RADIALCHAT, { SourceName: speaker.name, SourceID: speaker.characterId, Message: message, Filter: filter });
      this.#broadcast(frame);
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
    'zone.tick': () => {
      const timed = this.#init.tickTimed;
      if (timed === undefined) return this.#flushMoves();
      const started = performance.now();
      this.#flushMoves();
      timed((performance.now() - started) / 1000);
    },
    'zone.session-gone': ({ characterId, session }) => {
      const player = this.#players.get(characterId);
      if (player === undefined || player.session.path !== session) return;
      this.context.log.info({ zone: this.#init.path, characterId: String(characterId) }, 'a player\'s session ended without leaving the zone; removed');
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
    const player: ZonePlayer = { ...entrantFields(entrant), mobileId, slot: -1 };
    let announce: Buffer;
    try {
      announce = this.#newObjectFrame(player);
    } catch (error) {
      // A character whose object cannot be encoded (a blob past a STR's 65,535 bytes) cannot be shown: refused, not a failed zone.
      this.context.log.error({ err: error, zone: this.#init.path, characterId: String(entrant.characterId), character: entrant.name }, 'cannot encode the object of an arriving player');
      replyTo.tell({ ok: false, code: 'ERR_GAME_OBJECT', detail: `the player object cannot be encoded: ${(error as Error).message}` });
      return;
    }
    const session = entrant.session;
    for (const frame of preamble) session.tell({ type: 'net.send-frame', frame });
    this.#showPresentTo(session);
    this.#broadcast(announce);
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
    this.context.unwatch(player.session);
    if (player.slot >= 0) {
      this.#dirty.splice(player.slot, 1);
      for (let i = player.slot; i < this.#dirty.length; i++) this.#dirty[i]!.slot = i;
      player.slot = -1;
    }
    if (this.#players.size > 0) {
      const frame = encodeDmlFrame(this.#init.registry, GAME.MSG_REMOVEOBJECT, { GameObjectID: characterId });
      this.#broadcast(frame);
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

  /** The newcomer sees everyone present: their NEWOBJECTs, several per frame. */
  #showPresentTo(session: ActorRef<SessionCommand>): void {
    let batch: { kind: MessageKind<any>; data: object }[] = [];
    let bytes = 0;
    const flush = (): void => {
      if (batch.length === 0) return;
      session.tell({ type: 'net.send-frame', frame: encodeDmlFrameOf(this.#init.registry, batch) });
      batch = [];
      bytes = 0;
    };
    for (const present of this.#players.values()) {
      let data: Buffer;
      try {
        data = this.#blob(present);
      } catch {
        continue;
      }
      if (bytes + data.length > MAX_OBJECTS_PAYLOAD) flush();
      batch.push({ kind: GAME.MSG_NEWOBJECT, data: { Data: data } });
      bytes += data.length + 6;
    }
    flush();
  }

  /** Sends one encoded frame to every player present: one Buffer and one message object for them all. */
  #broadcast(frame: Buffer): void {
    const message = { type: 'net.send-frame' as const, frame };
    for (const player of this.#players.values()) player.session.tell(message);
  }

  #flushMoves(): void {
    const dirty = this.#dirty;
    if (dirty.length === 0) return;
    this.#dirty = [];
    for (const mover of dirty) mover.slot = -1;
    const registry = this.#init.registry;
    const kind = GAME.MSG_SERVERMOVE;
    for (let start = 0; start < dirty.length; start += MAX_MOVES_PER_FRAME) {
      const chunk = dirty.length <= MAX_MOVES_PER_FRAME ? dirty : dirty.slice(start, start + MAX_MOVES_PER_FRAME);
      const data = chunk.map((p) => ({ LocationX: p.x, LocationY: p.y, LocationZ: p.z, Direction: p.direction, MobileID: p.mobileId }));
      if (this.#moveLength < 0) this.#moveLength = dmlLength(registry, kind, data[0]!);
      const length = this.#moveLength;
      const payloadLength = length * chunk.length;
      const frame = Buffer.allocUnsafe(frameLength(payloadLength));
      const payloadStart = writeFrameHeader(frame, 0, false, 0, payloadLength);
      let o = payloadStart;
      for (let i = 0; i < chunk.length; i++) {
        chunk[i]!.slot = i;
        o = encodeDmlInto(registry, kind, data[i]!, frame, o);
      }
      frame[o] = 0;
      // One message object for every recipient of the shared frame: messages are immutable once sent.
      const shared = { type: 'net.send-frame' as const, frame };
      for (const player of this.#players.values()) {
        if (player.slot < 0) {
          player.session.tell(shared);
        } else if (chunk.length > 1) {
          player.session.tell({ type: 'net.send-frame', frame: withoutSlot(frame, payloadStart, payloadLength, player.slot * length, length) });
        }
      }
      for (const mover of chunk) mover.slot = -1;
    }
  }
}

function entrantFields(entrant: ZoneEntrant): Omit<ZonePlayer, 'mobileId' | 'slot'> {
  const { accountId, characterId, name, creationData, session, position } = entrant;
  return { accountId, characterId, name, creationData, session, x: position.x, y: position.y, z: position.z, direction: position.direction };
}

function positionOf(player: ZonePlayer): WirePosition {
  return { x: player.x, y: player.y, z: player.z, direction: player.direction };
}

/** The frame's payload without one message: what a mover receives of its own tick. */
function withoutSlot(frame: Buffer, payloadStart: number, payloadLength: number, skipAt: number, skipLength: number): Buffer {
  const length = payloadLength - skipLength;
  const out = Buffer.allocUnsafe(frameLength(length));
  const o = writeFrameHeader(out, 0, false, 0, length);
  frame.copy(out, o, payloadStart, payloadStart + skipAt);
  frame.copy(out, o + skipAt, payloadStart + skipAt + skipLength, payloadStart + payloadLength);
  out[o + length] = 0;
  return out;
}

export function zoneProps(init: ZoneInit) {
  return props<ZoneMessage>((context) => new Zone(context, init), { kind: 'Zone' });
}
