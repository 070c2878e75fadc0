// Deliberately not ../router/index.js: the DSL and the route checks must stay out of Lambda bundles.
import { matchRoute } from '../router/match.js';
import type { RouteTable } from '../router/table.js';
import type { CompiledRoute } from '../router/types.js';
import { Controller } from './controller.js';
import { renderError, runAction, type ControllerClass } from './dispatch.js';
import type { CorsPolicy } from './cors.js';
import { isHttpApiEvent, Request, type ApiEvent } from './request.js';
import { JSON_TYPE, ResponseState } from './response.js';
import type { ApiGatewayProxyEvent, ApiGatewayProxyResult, HttpApiEvent, HttpApiResult, LambdaContext } from './types.js';

export type Loader<T> = () => Promise<T>;
export type ControllerEntry = ControllerClass | Loader<{ default: ControllerClass } | ControllerClass>;

/**
 * Runs `{ function }` routes. Only the single layout (and createHandler) serve plain functions
 * from a web bundle, so this lives in function-routes.ts and stays out of controller bundles.
 */
export interface FunctionRoutes {
  run(name: string, event: ApiEvent, context: LambdaContext, retargetTo?: { route: CompiledRoute; pathParameters: Record<string, string> | null }): Promise<unknown>;
}

/** Everything a handler needs: the checked routes and the code they point at, keyed as routes name them. */
export interface RoutedApp {
  routes: RouteTable;
  /** `{ posts: PostsController, 'admin/users': () => import('./admin/users-controller') }` */
  controllers?: Record<string, ControllerEntry>;
  /** `functionRoutes({ hello: helloModule })` when `{ function }` routes are served here. */
  functions?: FunctionRoutes;
}

export interface HandlerOptions {
  /**
   * `resource` (controller and action layouts): API Gateway already chose the route, so it is
   * looked up by method + resource template. `path` (single layout): the function sits behind
   * `/{proxy+}` and routes by path itself, exactly as API Gateway would have.
   */
  routing?: 'resource' | 'path';
  /** Show error messages and stacks in 500 responses; defaults to SLS_TS_SHOW_ERRORS === '1' (set by `sls-ts server`). */
  showErrors?: boolean;
  /**
   * CORS headers for every response this handler renders, errors and 404s included:
   * `corsPolicy({ origins: '*' })`, which the build passes when the app's config sets `cors`.
   * Plain `{ function }` routes return their own headers, as their own functions do.
   */
  cors?: CorsPolicy;
}

export type ApiResult = ApiGatewayProxyResult | HttpApiResult;
export type ApiHandler = (event: ApiEvent, context: LambdaContext) => Promise<ApiResult>;

/**
 * Resolves a controller class or function module once per key: entries are the thing itself or
 * a loader (`() => import(…)`), and a loader's promise is cached like a module import would be.
 * `wanted` names the export an entry must have; the caller passes it, so a controller bundle
 * carries no wording about functions.
 */
export function resolver<T>(entries: Record<string, unknown> | undefined, kind: string, pick: (value: any) => T | undefined, wanted: string): (key: string) => T | Promise<T> {
  const cache = new Map<string, T | Promise<T>>();
  const check = (key: string, value: unknown): T => {
    const found = pick(value);
    if (found === undefined) throw missing(kind, key, value === undefined ? 'is not in this function' : `has no ${wanted}`);
    return found;
  };
  return (key) => {
    let found = cache.get(key);
    if (found) return found;
    const entry = entries?.[key];
    // A function that is not a Controller class is a loader; classes and function modules (objects) are used as they are.
    found = typeof entry === 'function' && !(entry.prototype instanceof Controller) ? (entry as Loader<unknown>)().then((module) => check(key, module)) : check(key, entry);
    cache.set(key, found);
    return found;
  };
}

/** `controller "posts" is not in this function (app/controllers/posts-controller.ts)` */
function missing(kind: string, key: string, why: string): Error {
  return new Error(`${kind} "${key}" ${why} (app/${kind}s/${key}${kind === 'controller' ? '-controller' : ''}.ts)`);
}

const controllerOf = (value: any): ControllerClass | undefined => {
  const type = value?.prototype instanceof Controller ? value : value?.default;
  return type?.prototype instanceof Controller ? type : undefined;
};

/**
 * The Lambda handler for a table of checked routes (what the build's generated entry calls with
 * `routeTable([...])`); createHandler is the same from the routes DSL.
 */
export function createRouteHandler(app: RoutedApp, options: HandlerOptions = {}): ApiHandler {
  const table = app.routes;
  const showErrors = options.showErrors ?? process.env.SLS_TS_SHOW_ERRORS === '1';
  const routing = options.routing ?? 'resource';
  const controllerFor = resolver(app.controllers, 'controller', controllerOf, 'default export extending Controller');

  return async function handler(event: ApiEvent, context: LambdaContext): Promise<ApiResult> {
    const v2 = isHttpApiEvent(event ?? {});
    if (!v2 && typeof (event as Partial<ApiGatewayProxyEvent> | null)?.httpMethod !== 'string') {
      throw new TypeError(`sls-ts: expected an API Gateway proxy event (REST v1 or HTTP API 2.0), got ${event === null ? 'null' : typeof event === 'object' ? 'another event' : typeof event}`);
    }
    const found = findRoute(table, event, v2, routing);
    let response = new ResponseState();
    if (found) {
      const { route, pathParameters, byPath } = found;
      try {
        if ('function' in route.target) {
          if (!app.functions) throw missing('function', route.target.function, 'is not in this function');
          return (await app.functions.run(route.target.function, event, context, byPath ? { route, pathParameters } : undefined)) as ApiResult;
        }
        // Found by path, the event's parameters are another resource's (`proxy` behind /{proxy+}):
        // a route without variables has none, not those.
        const request = new Request(event, byPath ? pathParameters ?? {} : pathParameters);
        response = await runAction(await controllerFor(route.target.controller), { request, context, route, action: route.target.action }, { showErrors });
      } catch (error) {
        renderError(response, error, route.targetName, { showErrors });
      }
    } else {
      // Only reachable behind /{proxy+} (single layout): elsewhere API Gateway answers 403 itself.
      response.status = 404;
      response.body = '{"error":"Not Found"}';
      response.setHeader('Content-Type', JSON_TYPE);
    }
    options.cors?.(response, event);
    return v2 ? response.toHttpApiResult() : response.toProxyResult();
  };
}

/** `byPath`: found by the request path rather than the resource API Gateway chose (so the event names another resource). */
function findRoute(table: RouteTable, event: ApiEvent, v2: boolean, routing: 'resource' | 'path'): { route: CompiledRoute; pathParameters: Record<string, string> | null; byPath: boolean } | undefined {
  const method = v2 ? (event as HttpApiEvent).requestContext.http.method : (event as ApiGatewayProxyEvent).httpMethod;
  if (routing === 'resource') {
    const resource = v2 ? (event as HttpApiEvent).routeKey.slice((event as HttpApiEvent).routeKey.indexOf(' ') + 1) : (event as ApiGatewayProxyEvent).resource;
    const route = table.byResource.get(`${method} ${resource}`) ?? table.byResource.get(`ANY ${resource}`);
    if (route) return { route, pathParameters: event.pathParameters ?? null, byPath: false };
  }
  const path = v2 ? routePathOf(event as HttpApiEvent) : (event as ApiGatewayProxyEvent).path;
  const match = matchRoute(table, method, path);
  return match && { ...match, byPath: true };
}

/** An HTTP API `rawPath` starts with `/{stage}` on a named stage (item 12); routes never include it. */
function routePathOf(event: HttpApiEvent): string {
  const { rawPath, requestContext: { stage } } = event;
  if (!stage || stage === '$default') return rawPath;
  const prefix = `/${stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
}
