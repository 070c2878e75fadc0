import { compileRoutes } from '../router/compile.js';
import type { RouteSet } from '../router/dsl.js';
import type { RouteTable } from '../router/table.js';
import { corsPolicy, type CorsOptions, type CorsPolicy } from './cors.js';
import { functionRoutes, type FunctionEntry } from './function-routes.js';
import { createRouteHandler, type ApiHandler, type HandlerOptions, type RoutedApp } from './handler.js';

/** An app as written: routes from defineRoutes (or a compiled table) plus its controllers and functions. */
export interface AppDefinition extends Omit<RoutedApp, 'routes' | 'functions'> {
  routes: RouteSet | RouteTable;
  /** `{ hello: helloModule }` (anything with a `handler` export) for `{ function: 'hello' }` routes. */
  functions?: Record<string, FunctionEntry>;
}

export interface CreateHandlerOptions extends Omit<HandlerOptions, 'cors'> {
  /** As the app config's `cors`: `true` (any origin), `{ origins, credentials }` (origins default to '*'), or a corsPolicy. */
  cors?: boolean | Partial<CorsOptions> | CorsPolicy;
}

/** Turns an app (routes + controllers + functions) into one Lambda handler for API Gateway events. */
export function createHandler(app: AppDefinition, options: CreateHandlerOptions = {}): ApiHandler {
  const routes = 'byResource' in app.routes ? app.routes : compileRoutes(app.routes);
  const { functions, ...rest } = app;
  const { cors, ...handlerOptions } = options;
  return createRouteHandler({ ...rest, routes, ...(functions && { functions: functionRoutes(functions) }) }, { ...handlerOptions, ...(cors && { cors: toCorsPolicy(cors) }) });
}

function toCorsPolicy(cors: true | Partial<CorsOptions> | CorsPolicy): CorsPolicy {
  if (typeof cors === 'function') return cors;
  return corsPolicy(cors === true ? { origins: '*' } : { ...cors, origins: cors.origins ?? '*' });
}
