export {
  clientKey1, constantTimeEqual, createClientKey2, decryptRec1, deriveRec1Key, encryptRec1, passKey3, passwordHash,
  REC1_IV, sessionSalt, type SessionOfferSalt,
} from './login-crypto.js';
export { Twofish, TWOFISH_BLOCK_SIZE } from './twofish.js';
export { ofb, type BlockEncryptor } from './ofb.js';
export {
  TwofishBlockRangeError, CryptoError, CryptoErrorCode, OfbIvLengthError, TwofishKeyLengthError, CryptoOfferError,
} from './errors.js';
