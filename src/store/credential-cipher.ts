// Encryption at rest of the stored password hash (a password equivalent, wire-protocol.md
// section 5). AES-256-GCM under a key derived with scrypt from the operator's secret, so a
// copied database file or dump does not hand out logins. The username key is bound as
// associated data: a ciphertext moved to another account row fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { BadSecretError, SecretRequiredError } from './errors.js';

const prefix = 'enc1:';
const ivBytes = 12;
const tagBytes = 16;
// A fixed salt: the derived key must be the same on every process of a cluster sharing the
// secret, and the secret (not the salt) carries the entropy.
const salt = Buffer.from('imlight/store/credential-key/v1');

export class CredentialCipher {
  readonly #key: Buffer | undefined;

  constructor(secret: string | undefined) {
    this.#key = secret === undefined || secret === '' ? undefined : scryptSync(secret, salt, 32, { N: 16384, r: 8, p: 1 });
  }

  get enabled(): boolean {
    return this.#key !== undefined;
  }

  static isEncrypted(stored: string): boolean {
    return stored.startsWith(prefix);
  }

  seal(plain: string, context: string): string {
    if (this.#key === undefined) return plain;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(stored: string, context: string): string {
    if (!CredentialCipher.isEncrypted(stored)) return stored;
    if (this.#key === undefined) throw new SecretRequiredError();
    const raw = Buffer.from(stored.slice(prefix.length), 'base64');
    if (raw.length < ivBytes + tagBytes) throw new BadSecretError();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, ivBytes));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
      return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new BadSecretError({ cause: error });
    }
  }
}
