// Deliberately not ../router/index.js: the DSL and the route checks must stay out of Lambda bundles.
import { matchRoute } from '../router/match.js';
import type { RouteTable } from '../router/table.js';
import type { CompiledRoute } from '../router/types.js';
import { Controller } from './controller.js';
import { renderError, runAction, type ControllerClass } from './dispatch.js';
import { isHttpApiEvent, Request, type ApiEvent } from './request.js';
import { ResponseState } from './response.js';
import type { ApiGatewayProxyEvent, ApiGatewayProxyResult, HttpApiEvent, HttpApiResult, LambdaContext, LambdaHandler } from './types.js';

type Loader<T> = () => Promise<T>;
export type ControllerEntry = ControllerClass | Loader<{ default: ControllerClass } | ControllerClass>;
/** A function module (`import * as hello from …`) or a loader of one. */
export type FunctionEntry = { handler: PlainHandler } | Loader<{ handler: PlainHandler }>;
/** A plain Lambda handler: async, or callback style (item 78), which invokeFunction supports. */
type PlainHandler = LambdaHandler<any, any> | ((event: any, context: LambdaContext, callback: (error?: unknown, result?: unknown) => void) => unknown);

/** Everything a handler needs: the checked routes and the code they point at, keyed as routes name them. */
export interface RoutedApp {
  routes: RouteTable;
  /** `{ posts: PostsController, 'admin/users': () => import('./admin/users-controller') }` */
  controllers?: Record<string, ControllerEntry>;
  /** `{ hello: helloModule }` (anything with a `handler` export) for `{ function: 'hello' }` routes. */
  functions?: Record<string, FunctionEntry>;
}

export interface HandlerOptions {
  /**
   * `resource` (controller and action layouts): API Gateway already chose the route, so it is
   * looked up by method + resource template. `path` (single layout): the function sits behind
   * `/{proxy+}` and routes by path itself, exactly as API Gateway would have.
   */
  routing?: 'resource' | 'path';
  /** Show error messages and stacks in 500 responses; defaults to NODE_ENV === 'development'. */
  showErrors?: boolean;
}

export type ApiResult = ApiGatewayProxyResult | HttpApiResult;
export type ApiHandler = (event: ApiEvent, context: LambdaContext) => Promise<ApiResult>;

function isControllerClass(entry: ControllerEntry): entry is ControllerClass {
  return entry.prototype instanceof Controller;
}

/**
 * The Lambda handler for a table of checked routes (what the build's generated entry calls with
 * `routeTable([...])`); createHandler is the same from the routes DSL.
 */
export function createRouteHandler(app: RoutedApp, options: HandlerOptions = {}): ApiHandler {
  const table = app.routes;
  const showErrors = options.showErrors ?? globalThis.process?.env?.NODE_ENV === 'development';
  const routing = options.routing ?? 'resource';
  const controllers = new Map<string, Promise<ControllerClass> | ControllerClass>();
  const functions = new Map<string, Promise<PlainHandler> | PlainHandler>();

  function controllerFor(key: string): Promise<ControllerClass> | ControllerClass {
    let found = controllers.get(key);
    if (found) return found;
    const entry = app.controllers?.[key];
    if (!entry) throw new Error(`no controller "${key}" in this function — expected app/controllers/${key}-controller.ts`);
    found = isControllerClass(entry)
      ? entry
      : entry().then((module) => {
          const type = (module && 'default' in module ? module.default : module) as ControllerClass;
          if (typeof type !== 'function' || !(type.prototype instanceof Controller)) {
            throw new Error(`the module loaded for controller "${key}" has no default export extending Controller — write \`export default class … extends Controller\``);
          }
          return type;
        });
    controllers.set(key, found);
    return found;
  }

  function functionFor(name: string): Promise<PlainHandler> | PlainHandler {
    let found = functions.get(name);
    if (found) return found;
    const entry = app.functions?.[name];
    if (!entry) throw new Error(`no function "${name}" in this function bundle — expected app/functions/${name}.ts exporting handler`);
    const missing = () => new Error(`function "${name}" does not export a handler — write \`export async function handler(event, context)\``);
    found = typeof entry === 'function'
      ? entry().then((module) => {
          if (typeof module?.handler !== 'function') throw missing();
          return module.handler;
        })
      : entry.handler;
    if (typeof found !== 'function' && !(found instanceof Promise)) throw missing();
    functions.set(name, found);
    return found;
  }

  return async function handler(event: ApiEvent, context: LambdaContext): Promise<ApiResult> {
    if (typeof event !== 'object' || event === null) {
      throw new TypeError(`sls-ts: this function expects an API Gateway proxy event (REST v1 or HTTP API 2.0), got ${event === null ? 'null' : typeof event}`);
    }
    const v2 = isHttpApiEvent(event);
    if (!v2 && typeof (event as Partial<ApiGatewayProxyEvent>)?.httpMethod !== 'string') {
      throw new TypeError('sls-ts: this function expects an API Gateway proxy event (REST v1 or HTTP API 2.0)');
    }
    const found = findRoute(table, event, v2, routing);
    const response = new ResponseState();
    if (!found) {
      response.status = 404;
      response.body = JSON.stringify({ error: 'Not Found' });
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      return v2 ? response.toHttpApiResult() : response.toProxyResult();
    }
    const { route, pathParameters, byPath } = found;
    try {
      if ('function' in route.target) {
        const fn = await functionFor(route.target.function);
        return await invokeFunction(fn, byPath ? retarget(event, route, pathParameters) : event, context);
      }
      const type = await controllerFor(route.target.controller);
      const request = new Request(event, pathParameters);
      const result = await runAction(type, { request, context, route, action: route.target.action }, { showErrors });
      return v2 ? result.toHttpApiResult() : result.toProxyResult();
    } catch (error) {
      const failed = renderError(response, error, route.targetName, { showErrors });
      return v2 ? failed.toHttpApiResult() : failed.toProxyResult();
    }
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

/** Behind `/{proxy+}`, give a plain function the event API Gateway would have built for its own route. */
function retarget(event: ApiEvent, route: CompiledRoute, pathParameters: Record<string, string> | null): ApiEvent {
  if (isHttpApiEvent(event)) {
    const routeKey = `${route.method === 'ANY' ? 'ANY' : event.requestContext.http.method} ${route.resource}`;
    const { pathParameters: _dropped, ...rest } = event;
    return { ...rest, routeKey, ...(pathParameters && { pathParameters }), requestContext: { ...event.requestContext, routeKey } };
  }
  return { ...event, resource: route.resource, pathParameters, requestContext: { ...event.requestContext, resourcePath: route.resource } };
}

/** Runs a plain Lambda handler, async or callback style, and returns what it produced. */
function invokeFunction(fn: PlainHandler, event: ApiEvent, context: LambdaContext): Promise<any> {
  if (fn.length < 3) return Promise.resolve((fn as LambdaHandler<any, any>)(event, context));
  return new Promise((resolve, reject) => {
    // As the Node.js runtime: any error value but null/undefined fails the invocation.
    const callback = (error: unknown, result: unknown) => (error !== null && error !== undefined ? reject(error) : resolve(result));
    const returned = (fn as (e: unknown, c: unknown, cb: typeof callback) => unknown)(event, context, callback);
    if (returned && typeof (returned as Promise<unknown>).then === 'function') (returned as Promise<unknown>).then(resolve, reject);
  });
}
