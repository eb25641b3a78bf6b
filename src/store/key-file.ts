// The store secret kept in a key file beside (not inside) the database (docs/store.md, "Credentials"):
// generated on first start, readable by the owner only. Whoever has both the database and this file
// can read the credentials, so the two are backed up together but should not travel together.
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { StoreConfigError } from './errors.js';
import type { StoreLogger } from './types.js';

/** Characters of a generated secret: 32 random bytes in base64url. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The suffix of a key written by a rotation that has not been confirmed yet. */
export const PENDING_KEY_SUFFIX = '.new';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Writes `secret` to a new file readable by the owner only; fails if the file exists. */
export async function writeNewKeyFile(path: string, secret: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(`${secret}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readKeyFile(path: string, logger?: StoreLogger): Promise<string> {
  if (process.platform !== 'win32') {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) {
      // Readable by others: tighten it now, and say so (the secret may have been seen).
      await chmod(path, 0o600);
      logger?.warn({ keyFile: path, mode: (mode & 0o777).toString(8) }, 'the store key file was readable by other users; it is now 0600');
    }
  }
  const secret = (await readFile(path, 'utf8')).trim();
  if (secret.length < 16 || /\s/.test(secret)) throw new StoreConfigError(`the store key file ${path} does not hold a secret (16 or more characters on one line)`);
  return secret;
}

/** The key file's secret, generating the file first if there is none. */
export async function loadOrCreateKeyFile(path: string, logger?: StoreLogger): Promise<{ secret: string; created: boolean }> {
  if (await exists(path)) return { secret: await readKeyFile(path, logger), created: false };
  const secret = generateSecret();
  try {
    await writeNewKeyFile(path, secret);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { secret: await readKeyFile(path, logger), created: false };
    throw new StoreConfigError(`cannot create the store key file ${path}`, { cause: error });
  }
  logger?.warn({ keyFile: path }, 'generated the store secret into a new key file: back it up together with the database');
  return { secret, created: true };
}

/** The key a rotation wrote, if one is pending (the rotation stopped between commit and rename). */
export async function pendingKey(path: string, logger?: StoreLogger): Promise<string | undefined> {
  const pending = path + PENDING_KEY_SUFFIX;
  return (await exists(pending)) ? readKeyFile(pending, logger) : undefined;
}

/** Makes the pending key the key file (an atomic rename). */
export async function promotePendingKey(path: string): Promise<void> {
  await rename(path + PENDING_KEY_SUFFIX, path);
}

export async function discardPendingKey(path: string): Promise<void> {
  await rm(path + PENDING_KEY_SUFFIX, { force: true });
}
