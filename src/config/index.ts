export { ConfigError, ConfigFileError, formatIssue, type ConfigIssue } from './errors.js';
export { envName, type Field, type Leaf } from './field.js';
export {
  CONFIG_FILE_ENV, CONFIG_LEAVES, DEFAULT_CONFIG_FILES, configLeaf, describeSource, loadConfig,
  type ConfigOverride, type LoadConfigOptions, type LoadedConfig, type ValueSource,
} from './load.js';
export { ROLES, configSchema, type ImlightConfig, type Role } from './schema.js';
export {
  MASK, configRows, formatConfigTable, formatKeyList, formatKeyReferenceMarkdown, maskValue, maskedConfig, type ConfigRow,
} from './summary.js';
export { LOG_LEVELS, formatDuration, parseDuration, parseSize, type LogLevel } from './values.js';
