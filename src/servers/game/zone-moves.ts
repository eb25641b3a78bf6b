// The frames of a zone's move tick: every mover's MSG_SERVERMOVE encoded once into one frame (all
// messages the same length), and copies of parts of it for recipients who must not get all of
// them (a mover does not get its own move; with interest management a player gets only the moves
// of those it sees).
import { GAME, dmlLength, encodeDmlInto, frameLength, writeFrameHeader, type MessageRegistry } from '../../protocol/index.js';
import type { WirePosition } from './location.js';

export interface MoveBatch {
  readonly frame: Buffer;
  readonly payloadStart: number;
  /** Bytes of one move message. */
  readonly moveLength: number;
  readonly count: number;
}

export interface Mover extends WirePosition {
  readonly mobileId: number;
}

/** Moves per frame: 13 bytes each keeps a frame near 52 KB. */
export const MAX_MOVES_PER_FRAME = 4000;

/** One frame holding the moves of `movers` in order (at most MAX_MOVES_PER_FRAME). */
export function encodeMoves(registry: MessageRegistry, movers: readonly Mover[]): MoveBatch {
  const kind = GAME.MSG_SERVERMOVE;
  const data = { LocationX: 0, LocationY: 0, LocationZ: 0, Direction: 0, MobileID: 0 };
  const moveLength = dmlLength(registry, kind, data);
  const payloadLength = moveLength * movers.length;
  const frame = Buffer.allocUnsafe(frameLength(payloadLength));
  const payloadStart = writeFrameHeader(frame, 0, false, 0, payloadLength);
  let o = payloadStart;
  for (const mover of movers) {
    data.LocationX = mover.x;
    data.LocationY = mover.y;
    data.LocationZ = mover.z;
    data.Direction = mover.direction;
    data.MobileID = mover.mobileId;
    o = encodeDmlInto(registry, kind, data, frame, o);
  }
  frame[o] = 0;
  return { frame, payloadStart, moveLength, count: movers.length };
}

const TRAILER = Buffer.alloc(1);

/**
 * The batch without the move at `slot`, what a mover receives of its own tick: one frame in
 * pieces (a header of its own, then views of the shared frame), so nothing is copied.
 */
export function movesWithout(batch: MoveBatch, slot: number): Buffer[] {
  const { frame, payloadStart, moveLength, count } = batch;
  const payloadLength = moveLength * (count - 1);
  const header = Buffer.allocUnsafe(frameLength(payloadLength) - payloadLength - 1);
  writeFrameHeader(header, 0, false, 0, payloadLength);
  const skipAt = payloadStart + slot * moveLength;
  const parts: Buffer[] = [header];
  if (slot > 0) parts.push(frame.subarray(payloadStart, skipAt));
  if (slot < count - 1) parts.push(frame.subarray(skipAt + moveLength, payloadStart + moveLength * count));
  parts.push(TRAILER);
  return parts;
}

/** The moves at `slots` (the first `length` entries) of the batch, in one frame of their own. */
export function movesAt(batch: MoveBatch, slots: readonly number[], length: number): Buffer {
  const { frame, payloadStart, moveLength } = batch;
  const payloadLength = moveLength * length;
  const out = Buffer.allocUnsafe(frameLength(payloadLength));
  let o = writeFrameHeader(out, 0, false, 0, payloadLength);
  for (let i = 0; i < length; i++) {
    const from = payloadStart + slots[i]! * moveLength;
    o += frame.copy(out, o, from, from + moveLength);
  }
  out[o] = 0;
  return out;
}
