// The character stand-in of messages.md ("Blobs inside messages"): what a bot sends as CreationInfo
// and reads back from CHARACTERINFO. The bots speak only the wire format, so they carry their own
// small reader rather than depending on the server-side ObjectProperty codec.
import { CharacterBlobFormatError } from './errors.js';

const MAGIC = Buffer.from('IMCH', 'latin1');
const VERSION = 1;

export interface CharacterInfo {
  readonly id: bigint;
  readonly name: string;
  readonly zone: string;
  readonly location: string;
}

function str(value: string | Buffer): Buffer[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (bytes.length > 0xffff) throw new CharacterBlobFormatError(`a STR field of ${bytes.length} bytes exceeds 65535`);
  const length = Buffer.alloc(2);
  length.writeUInt16LE(bytes.length);
  return [length, bytes];
}

/** CreationInfo naming the character; the id, zone and location are the server's to choose. */
export function encodeCreationInfo(name: string, creationData: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(14);
  MAGIC.copy(head, 0);
  head.writeUInt16LE(VERSION, 4);
  head.writeBigUInt64LE(0n, 6);
  return Buffer.concat([head, ...str(name), ...str(''), ...str(''), ...str(creationData)]);
}

/** Reads a CHARACTERINFO blob; throws CharacterBlobFormatError on anything but the stand-in. */
export function decodeCharacterInfo(blob: Buffer): CharacterInfo {
  if (blob.length < 14 || !blob.subarray(0, 4).equals(MAGIC) || blob.readUInt16LE(4) !== VERSION) {
    throw new CharacterBlobFormatError(`CHARACTERINFO of ${blob.length} bytes is not an IMCH version ${VERSION} blob`);
  }
  const id = blob.readBigUInt64LE(6);
  let at = 14;
  const next = (what: string): string => {
    if (at + 2 > blob.length) throw new CharacterBlobFormatError(`CHARACTERINFO truncated before ${what}`);
    const length = blob.readUInt16LE(at);
    at += 2;
    if (at + length > blob.length) throw new CharacterBlobFormatError(`CHARACTERINFO truncated in ${what}`);
    const value = blob.toString('utf8', at, at + length);
    at += length;
    return value;
  };
  const name = next('name');
  const zone = next('zone');
  const location = next('location');
  return { id, name, zone, location };
}
