// The player object blobs of LOGINCOMPLETE and NEWOBJECT (messages.md "Blobs inside messages"):
// built by the configured character codec (the IMCH stand-in by default). LOGINCOMPLETE's Data
// carries a 4-byte wrapper first: bit 31 set means raw bytes of that length follow.
import type { CharacterBlobCodec } from '../../objectproperty/index.js';
import { formatLocation, toWorld, type WirePosition } from './location.js';

export interface PlayerObject {
  readonly characterId: bigint;
  readonly name: string;
  readonly zone: string;
  readonly creationData: Buffer;
}

const RAW_FLAG = 0x8000_0000;

/**
 * Whether an uncompressed object blob (NEWOBJECT's Data) carries the 4-byte raw-length wrapper. Two working
 * servers disagree; the newer client is said to crash on a bare blob, so `prefixed` is the default
 * (docs/game-server.md, "Object blobs").
 */
export const OBJECT_BLOB_PREFIXES = ['prefixed', 'bare'] as const;
export type ObjectBlobPrefix = (typeof OBJECT_BLOB_PREFIXES)[number];

/** An uncompressed object blob as the setting wants it on the wire. */
export function objectBlobData(blob: Buffer, prefix: ObjectBlobPrefix): Buffer {
  return prefix === 'prefixed' ? wrapRawBlob(blob) : blob;
}

export function playerBlob(codec: CharacterBlobCodec, player: PlayerObject, position: WirePosition): Buffer {
  return codec.encodeInfo({ id: player.characterId, name: player.name, zone: player.zone, location: formatLocation(toWorld(position)), creationData: player.creationData });
}

/** The LOGINCOMPLETE Data: u32 little-endian (bit 31 | length), then the raw blob. */
export function wrapRawBlob(blob: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + blob.length);
  out.writeUInt32LE((RAW_FLAG | blob.length) >>> 0, 0);
  blob.copy(out, 4);
  return out;
}

/** The inverse of wrapRawBlob for raw blobs (tests and bots); undefined for a compressed or short one. */
export function unwrapRawBlob(data: Buffer): Buffer | undefined {
  if (data.length < 4) return undefined;
  const header = data.readUInt32LE(0);
  if ((header & RAW_FLAG) === 0) return undefined;
  const length = header & ~RAW_FLAG;
  return length === data.length - 4 ? data.subarray(4) : undefined;
}
