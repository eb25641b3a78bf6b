// Hashes used by the game's data and protocol (wire-protocol.md section 6,
// objectproperty.md "Hashes", archives.md "CRC"). Pure functions, no state.
import { crc32 as zlibCrc32 } from 'node:zlib';

const utf8 = new TextEncoder();

// The game hashes C strings byte by byte; for the ASCII names it uses this is
// the same as hashing characters. Non-ASCII input is hashed as its UTF-8 bytes.
function bytesOf(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? utf8.encode(s) : s;
}

/**
 * The game's string-ID hash (class hashes, the type half of property hashes).
 * Computed in signed 32-bit arithmetic; the result is its absolute value, so
 * it lies in 0..2^31 (2^31 itself when the signed state is -2^31).
 */
export function stringId(s: string | Uint8Array): number {
  const bytes = bytesOf(s);
  let state = 0;
  let shift1 = 0;
  let shift2 = 32;
  for (let i = 0; i < bytes.length; i++) {
    // May be negative for control bytes; the arithmetic `>>` below then
    // sign-extends exactly as the game's signed int does.
    const c = bytes[i]! - 32;
    state ^= c << shift1;
    if (shift1 > 24) {
      state ^= c >> shift2;
      if (shift1 >= 27) {
        shift1 -= 32;
        shift2 += 32;
      }
    }
    shift1 += 5;
    shift2 -= 5;
  }
  return Math.abs(state | 0);
}

/** DJB2 (seed 5381, h = h * 33 + c) as an unsigned 32-bit value. */
export function djb2(s: string | Uint8Array): number {
  const bytes = bytesOf(s);
  let h = 5381;
  for (let i = 0; i < bytes.length; i++) {
    h = (Math.imul(h, 33) + bytes[i]!) >>> 0;
  }
  return h;
}

/**
 * Hash of an ObjectProperty property: stringId of the type string exactly as
 * dumped, plus the low 31 bits of djb2(name), modulo 2^32.
 */
export function propertyHash(type: string, name: string): number {
  return (stringId(type) + (djb2(name) & 0x7fffffff)) >>> 0;
}

/**
 * The usual CRC-32/IEEE (zip, PNG). `seed` is a previous result, to continue a
 * CRC over several chunks: crc32(b, crc32(a)) === crc32(a + b).
 */
export function crc32(data: Uint8Array, seed = 0): number {
  return zlibCrc32(data, seed) >>> 0;
}

// The KIWAD entry CRC lives with the archive code (which may import nothing of ours).
export { kiwadCrc } from '../archive/index.js';
