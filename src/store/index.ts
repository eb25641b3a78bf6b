// Public entry of the store: import from here only.
export { openStore, defaultSqlitePath, defaultCharacterLimit, type OpenStoreOptions } from './open-store.js';
export { passwordHash } from './account-repository.js';
export { StoreLimits } from './limits.js';
export * from './errors.js';
export * from './types.js';
export * from './social-types.js';
