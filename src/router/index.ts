export { defineRoutes, RouteBuilder, type RouteSet, type ResourcesOptions, type ResourceAction, type TargetSpec } from './dsl.js';
export { compileRoutes, validateRoutes, type RouteTable } from './compile.js';
export { routeTable, type PrecompiledRoute } from './table.js';
export { matchRoute, type RouteMatch } from './match.js';
export { RouteError, formatRouteDiagnostic } from './errors.js';
export { kebabCase, pascalCase, singularize, controllerClassName, controllerFile } from './naming.js';
export type { CompiledRoute, HttpMethod, RouteDefinition, RouteDiagnostic, RouteMethod, RouteTarget, SourceLocation } from './types.js';
export { AUTHORIZER_DEFAULTS, AUTHORIZER_MAX_TTL, type AuthorizerSettings, type AuthorizerType } from './authorizer-settings.js';
export { IAM_AUTH, routeGuard, type GuardOrigin, type GuardSettings } from './route-guard.js';
