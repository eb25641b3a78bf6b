// Failures of the login crypto, each with a stable code (listed in docs/crypto.md).

export const CryptoErrorCode = {
  KeyLength: 'ERR_CRYPTO_KEY_LENGTH',
  BlockRange: 'ERR_CRYPTO_BLOCK_RANGE',
  IvLength: 'ERR_CRYPTO_IV_LENGTH',
  BadOffer: 'ERR_CRYPTO_OFFER',
} as const;
export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

export class CryptoError extends Error {
  override readonly name: string = 'CryptoError';
  constructor(readonly code: CryptoErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/** A Twofish key that is not 16, 24 or 32 bytes long. */
export class TwofishKeyLengthError extends CryptoError {
  override readonly name = 'TwofishKeyLengthError';
  constructor(readonly length: number) {
    super(CryptoErrorCode.KeyLength, `Twofish keys are 16, 24 or 32 bytes, not ${length}`);
  }
}

/** A block read or write that does not fit in its buffer. */
export class TwofishBlockRangeError extends CryptoError {
  override readonly name = 'TwofishBlockRangeError';
  constructor(what: string, offset: number, length: number) {
    super(CryptoErrorCode.BlockRange, `${what}: no 16-byte block at offset ${offset} of a ${length}-byte buffer`);
  }
}

export class OfbIvLengthError extends CryptoError {
  override readonly name = 'OfbIvLengthError';
  constructor(readonly length: number) {
    super(CryptoErrorCode.IvLength, `the OFB IV must be one 16-byte block, not ${length} bytes`);
  }
}

/** Session-offer values outside their wire ranges (sid u16, secs and millis u32). */
export class CryptoOfferError extends CryptoError {
  override readonly name = 'CryptoOfferError';
  constructor(field: string, value: unknown) {
    super(CryptoErrorCode.BadOffer, `session offer ${field} out of range: ${String(value)}`);
  }
}
