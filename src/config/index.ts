// The config room's public surface: what the CLI, build, dev server and apps use.
export { defineConfig } from './define-config.js';
export { cognito } from './authorizers.js';
export { loadConfig, findConfigFile, findAppRoot, CONFIG_FILES, type LoadConfigOptions, type LoadedConfig } from './load.js';
export { resolveConfig, applyStage, type ResolveOptions } from './resolve.js';
export { validateUserConfig, checkStageName, type ConfigDiagnostic } from './validate.js';
export { loadDotenv, dotenvFiles, type DotenvResult } from './dotenv.js';
export { mergeSettings } from './merge.js';
export { isReservedEnvName, LAYOUTS } from './limits.js';
export * from './defaults.js';
export type * from './types.js';
export { linkEnvName, type LinkEnvField } from './resources.js';
export * from './event-filters/index.js';
