// The store secret of a running process (docs/store.md, "Credentials"): `secret` from the configuration, or else the
// key file (security.keyFile, generated at first start). The data folder is made private (0700) before anything is
// written in it. A rotation that stopped between its commit and the renaming of its key file is finished here.
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ImlightConfig } from '../config/index.js';
import {
  discardPendingKey, loadOrCreateKeyFile, openStore, pendingKey, promotePendingKey, StoreError, StoreErrorCode, type OpenStoreOptions, type Store,
  type StoreLogger,
} from '../store/index.js';

/** Creates a folder 0700, or tightens an existing one that others could read. */
export async function makePrivateFolder(path: string, logger?: StoreLogger): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const { mode } = await stat(path);
  if ((mode & 0o077) === 0) return;
  try {
    await chmod(path, 0o700);
    logger?.warn({ dir: path, mode: (mode & 0o777).toString(8) }, 'the data folder was readable by other users; it is now 0700');
  } catch (error) {
    logger?.warn({ dir: path, err: error }, 'the data folder is readable by other users and could not be made private');
  }
}

/** The data folder, private, and the key file's folder. */
export async function prepareDataDir(config: Pick<ImlightConfig, 'dataDir' | 'security'>, logger?: StoreLogger): Promise<void> {
  await makePrivateFolder(config.dataDir, logger);
  await mkdir(dirname(config.security.keyFile), { recursive: true, mode: 0o700 });
}

/**
 * Opens the store with the configured secret or the key file's. If a rotation left a pending key (`<keyFile>.new`),
 * the database tells which one is current: the pending key becomes the key file, or is discarded.
 */
export async function openWithStoreSecret(config: ImlightConfig, options: Omit<OpenStoreOptions, 'secret'>): Promise<Store> {
  const logger = options.logger;
  await prepareDataDir(config, logger);
  if (config.secret !== undefined) return openStore({ ...options, secret: config.secret });
  const keyFile = config.security.keyFile;
  const { secret } = await loadOrCreateKeyFile(keyFile, logger);
  const pending = await pendingKey(keyFile, logger);
  try {
    const store = await openStore({ ...options, secret });
    if (pending !== undefined) {
      await discardPendingKey(keyFile);
      logger?.warn({ keyFile }, 'discarded the key of a secret rotation that did not complete (the database still uses the old key)');
    }
    return store;
  } catch (error) {
    if (pending === undefined || !(error instanceof StoreError) || error.code !== StoreErrorCode.BadSecret) throw error;
    const store = await openStore({ ...options, secret: pending });
    await promotePendingKey(keyFile);
    logger?.warn({ keyFile }, 'finished an interrupted secret rotation: the new key is now the key file');
    return store;
  }
}
