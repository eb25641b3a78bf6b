// Output feedback mode: the keystream is E(IV), E(E(IV)), ...; data is XORed
// with it, so encryption and decryption are the same operation, and there is
// no padding (a partial last block uses part of a keystream block).
import { OfbIvLengthError } from './errors.js';
import { TWOFISH_BLOCK_SIZE } from './twofish.js';

export interface BlockEncryptor {
  encryptBlock(input: Uint8Array, inputOffset: number, output: Uint8Array, outputOffset: number): void;
}

/** Returns a new buffer holding `data` XORed with the OFB keystream of `cipher` from `iv`. */
export function ofb(cipher: BlockEncryptor, iv: Uint8Array, data: Uint8Array): Buffer {
  if (iv.length !== TWOFISH_BLOCK_SIZE) throw new OfbIvLengthError(iv.length);
  const out = Buffer.allocUnsafe(data.length);
  const stream = Uint8Array.from(iv);
  for (let pos = 0; pos < data.length; pos += TWOFISH_BLOCK_SIZE) {
    cipher.encryptBlock(stream, 0, stream, 0);
    const end = Math.min(pos + TWOFISH_BLOCK_SIZE, data.length);
    for (let i = pos; i < end; i++) out[i] = data[i]! ^ stream[i - pos]!;
  }
  return out;
}
