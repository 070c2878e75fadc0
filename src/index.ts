// sls-ts/tooling: the programmatic API. The CLI is a thin layer over these functions.
export { compileRoutes, validateRoutes, matchRoute, formatRouteDiagnostic, RouteError } from './router/index.js';
export type { RouteTable, CompiledRoute, RouteDiagnostic } from './router/index.js';
export { mapProxyResult } from './runtime/emulation/index.js';
