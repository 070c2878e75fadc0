import { compileRoutes } from '../router/compile.js';
import type { RouteSet } from '../router/dsl.js';
import type { RouteTable } from '../router/table.js';
import { createRouteHandler, type ApiHandler, type HandlerOptions, type RoutedApp } from './handler.js';

/** An app as written: routes from defineRoutes (or a compiled table) plus its controllers and functions. */
export interface AppDefinition extends Omit<RoutedApp, 'routes'> {
  routes: RouteSet | RouteTable;
}

/** Turns an app (routes + controllers + functions) into one Lambda handler for API Gateway events. */
export function createHandler(app: AppDefinition, options: HandlerOptions = {}): ApiHandler {
  const routes = 'byResource' in app.routes ? app.routes : compileRoutes(app.routes);
  return createRouteHandler({ ...app, routes }, options);
}
