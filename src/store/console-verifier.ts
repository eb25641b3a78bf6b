// The admin console's password check for administrator accounts: a salted scrypt verifier, so the
// console password is not stored as the fast SHA-512 that the login protocol needs
// (docs/store.md, "Credentials"). Format: "scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>", so the
// cost can be raised later and old verifiers still check.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
// 128 * r * N bytes, with headroom: Node's default maxmem (32 MiB) is exactly N=2^15, r=8.
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...options, maxmem: MAX_MEMORY }, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

export async function createConsoleVerifier(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, { N: 2 ** LOG2_N, r: R, p: P });
  return ['scrypt', LOG2_N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches; false for a wrong password or a verifier this version cannot read. */
export async function checkConsoleVerifier(verifier: string, password: string): Promise<boolean> {
  const parts = verifier.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (!Number.isInteger(logN) || logN < 10 || logN > 20 || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_BYTES) return false;
  const key = await derive(password, Buffer.from(parts[4]!, 'base64'), { N: 2 ** logN, r, p });
  return timingSafeEqual(key, expected);
}
