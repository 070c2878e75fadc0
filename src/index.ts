// sls-ts/tooling: the programmatic API. The CLI is a thin layer over these functions, and tests
// call them directly.
export { loadConfig, defineConfig, resolveConfig, validateUserConfig, loadDotenv, cognito } from './config/index.js';
export type { LoadConfigOptions, LoadedConfig, ResolvedConfig, UserConfig, Layout, StacksSetting, IamRolesSetting } from './config/index.js';
export { build, buildDirectory, listRoutes, inspectApp, planFunctions, createBundler, typecheckApp } from './build/index.js';
export type { BuildOptions, BuildResult, BuildManifest, BuiltFunction, RouteRow, AppModel } from './build/index.js';
export { SlsError, formatDiagnostic, hasErrors, type Diagnostic } from './shared/errors.js';
export { compileRoutes, validateRoutes, checkHttpApiRoutes, matchRoute, formatRouteDiagnostic, RouteError } from './router/index.js';
export type { RouteTable, CompiledRoute, RouteDiagnostic } from './router/index.js';
export { AUTHORIZER_DEFAULTS, AUTHORIZER_MAX_TTL, type AuthorizerSettings, type AuthorizerType } from './router/index.js';
export { generateTemplates, bootstrapTemplate, templateFiles } from './cloudformation/index.js';
export type { GeneratedTemplates, Template } from './cloudformation/index.js';
export { createDevServer, invokeLocal, type DevServer, type DevServerOptions, type DevServerEvent } from './dev-server/index.js';
export { createApp } from './generators/index.js';
export { generate, destroy } from './checked-generators.js';
export { createDeployContext, deploy, deployCode, remove, status, url, invokeRemote, tailLogs, listResources } from './deploy/index.js';
export type { DeployEvent, DeployResult, DataChange, ResourceListing, ListedResource } from './deploy/index.js';
export { mapProxyResult } from './runtime/emulation/index.js';
export { startLocalEngines, startLocalEnginesInWorker, failedItems, type LocalEngines, type LocalEnginesOptions, type Deliver, type Delivery, type DeliveryOutcome, type LocalSubscriber } from './local/index.js';
export { linkEnvName } from './config/index.js';
