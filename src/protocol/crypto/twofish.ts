// The Twofish block cipher, from the twofish-ts package (checked against
// Schneier's known-answer tables in test/protocol/crypto/twofish.test.ts).
// This adapter is the only place that knows the package: it adds the checks
// the package leaves out (it silently pads or truncates odd keys and reads
// zeros past the end of a short input).
import { decrypt, encrypt, makeSession, type Session } from 'twofish-ts';
import { TwofishBlockRangeError, TwofishKeyLengthError } from './errors.js';

export const TWOFISH_BLOCK_SIZE = 16;

export class Twofish {
  readonly #session: Session;

  /** Computes the key schedule and the key-dependent S-boxes once. */
  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new TwofishKeyLengthError(key.length);
    this.#session = makeSession(key);
  }

  /** Encrypts the block at input[inputOffset..+16] into output[outputOffset..+16]; the two may alias. */
  encryptBlock(input: Uint8Array, inputOffset: number, output: Uint8Array, outputOffset: number): void {
    checkBlock('input', input, inputOffset);
    checkBlock('output', output, outputOffset);
    encrypt(input, inputOffset, output, outputOffset, this.#session);
  }

  /** Decrypts the block at input[inputOffset..+16] into output[outputOffset..+16]; the two may alias. */
  decryptBlock(input: Uint8Array, inputOffset: number, output: Uint8Array, outputOffset: number): void {
    checkBlock('input', input, inputOffset);
    checkBlock('output', output, outputOffset);
    decrypt(input, inputOffset, output, outputOffset, this.#session);
  }
}

function checkBlock(what: string, buffer: Uint8Array, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + TWOFISH_BLOCK_SIZE > buffer.length) {
    throw new TwofishBlockRangeError(what, offset, buffer.length);
  }
}
