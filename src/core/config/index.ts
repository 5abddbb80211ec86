/** `.github/shepherd.yml`: its schema, the defaulted config type, and the parser. */
export { shepherdConfigSchema } from './schema.js'
export type { ShepherdConfig, TriageConfig, MergeQueueConfig, TestReportConfig, ReleaseConfig } from './schema.js'
export { CONFIG_FILE, ConfigInvalidError, parseConfig } from './load.js'
export type { ConfigError } from './load.js'
