// The login crypto of KiNP (wire-protocol.md section 5). The formulas are the
// client's, so they stay as they are even where a fresh design would differ
// (unsalted SHA-512 password hashes, a key built from the session offer).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CryptoOfferError } from './errors.js';
import { ofb } from './ofb.js';
import { Twofish } from './twofish.js';

/** The (sid, secs, millis) of the server's SessionOffer: the session's salt. */
export interface SessionOfferSalt {
  readonly sid: number;
  readonly secs: number;
  readonly millis: number;
}

const U32_MAX = 0xffffffff;

function sha512Base64(text: string): string {
  return createHash('sha512').update(text, 'utf8').digest('base64');
}

function checkOffer(sid: number, secs: number, millis: number): void {
  if (!Number.isInteger(sid) || sid < 0 || sid > 0xffff) throw new CryptoOfferError('sid', sid);
  if (!Number.isInteger(secs) || secs < 0 || secs > U32_MAX) throw new CryptoOfferError('secs', secs);
  if (!Number.isInteger(millis) || millis < 0 || millis > U32_MAX) throw new CryptoOfferError('millis', millis);
}

/**
 * base64(SHA-512(password)) of the UTF-8 password: what the server stores per
 * account. It is a password equivalent (ClientKey1 needs only it): protect it
 * at rest and never log it.
 */
export function passwordHash(password: string): string {
  return sha512Base64(password);
}

/** decimal(sid) + decimal(secs) + decimal(millis), from the session offer. */
export function sessionSalt(sid: number, secs: number, millis: number): string {
  checkOffer(sid, secs, millis);
  return `${sid}${secs}${millis}`;
}

/** ClientKey1 = base64(SHA-512(passwordHash + salt)): the client's proof that it knows the password. */
export function clientKey1(passwordHashB64: string, salt: string): string {
  return sha512Base64(passwordHashB64 + salt);
}

/** PassKey3 = base64(SHA-512(ClientKey2 + salt)): what a launcher-started client sends in MSG_USER_VALIDATE. */
export function passKey3(clientKey2: string, salt: string): string {
  return sha512Base64(clientKey2 + salt);
}

/** A fresh ClientKey2: 32 random bytes in base64, to be used once. */
export function createClientKey2(): string {
  return randomBytes(32).toString('base64');
}

/**
 * The 32-byte Twofish key of Rec1: byte i = 0x17 + i, then the offer's bytes
 * scattered over positions 4..15 as the client does it.
 */
export function deriveRec1Key(offer: SessionOfferSalt): Buffer {
  const { sid, secs, millis } = offer;
  checkOffer(sid, secs, millis);
  const key = Buffer.alloc(32);
  for (let i = 0; i < key.length; i++) key[i] = 0x17 + i;
  key[4] = sid & 0xff;
  key[5] = 0;
  key[6] = (sid >>> 8) & 0xff;
  key[8] = secs & 0xff;
  key[9] = (secs >>> 16) & 0xff;
  key[12] = (secs >>> 8) & 0xff;
  key[13] = (secs >>> 24) & 0xff;
  key[14] = millis & 0xff;
  key[15] = (millis >>> 8) & 0xff;
  return key;
}

function makeIv(): Buffer {
  const iv = Buffer.alloc(16);
  for (let i = 0; i < iv.length; i++) iv[i] = 0xb6 - i;
  return iv;
}

/** The fixed IV of Rec1: byte i = 0xB6 - i. A copy: changing it changes nothing. */
export const REC1_IV: Buffer = makeIv();
const iv = makeIv();

/**
 * Twofish-256 in OFB mode with the key of the offer and REC1_IV, no padding:
 * the Rec1 field of MSG_USER_AUTHEN_V3 ("<sid> <username> <CK1>") and the
 * ClientKey2 of MSG_USER_AUTHEN_RSP. Output length = input length.
 */
export function encryptRec1(plain: Uint8Array, offer: SessionOfferSalt): Buffer {
  return ofb(rec1Cipher(offer), iv, plain);
}

/** The inverse of encryptRec1 (OFB is its own inverse). */
export function decryptRec1(cipher: Uint8Array, offer: SessionOfferSalt): Buffer {
  return ofb(rec1Cipher(offer), iv, cipher);
}

/**
 * The key schedule of a Twofish-256 key costs as much as encrypting a few hundred blocks, and a
 * login uses one key twice (Rec1 in, ClientKey2 out): it is kept per offer object for as long as
 * the offer lives.
 */
const ciphers = new WeakMap<SessionOfferSalt, { readonly sid: number; readonly secs: number; readonly millis: number; readonly cipher: Twofish }>();

function rec1Cipher(offer: SessionOfferSalt): Twofish {
  const known = ciphers.get(offer);
  // An offer object whose fields changed since is keyed afresh.
  if (known !== undefined && known.sid === offer.sid && known.secs === offer.secs && known.millis === offer.millis) return known.cipher;
  const cipher = new Twofish(deriveRec1Key(offer));
  ciphers.set(offer, { sid: offer.sid, secs: offer.secs, millis: offer.millis, cipher });
  return cipher;
}

/**
 * Equality without an early exit, for secrets (ClientKey1, PassKey3). Both
 * sides are hashed first, so inputs of different lengths take the same time
 * too; strings compare by their UTF-8 bytes.
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
