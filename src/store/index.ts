// Public entry of the store: import from here only.
export { openStore, defaultSqlitePath, defaultCharacterLimit, type OpenStoreOptions } from './open-store.js';
export { passwordHash } from './account-repository.js';
export { StoreLimits } from './limits.js';
export * from './errors.js';
export * from './types.js';
export { generateSecret, loadOrCreateKeyFile, readKeyFile, writeNewKeyFile, pendingKey, promotePendingKey, discardPendingKey, PENDING_KEY_SUFFIX } from './key-file.js';
export { nameSkeleton } from './name-skeleton.js';
export { nameKey } from './limits.js';
export { checkConsoleVerifier, createConsoleVerifier } from './console-verifier.js';
