export * from './pool-protocol.js';
export * from './session-settings.js';
export * from './resource-manager.js';
export * from './latest-file-list-codec.js';
export * from './load-registry.js';
export * from './file-crc.js';
export * from './part.js';
export * from './cluster-messages.js';
