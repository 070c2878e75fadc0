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
export type FunctionEntry = { handler: LambdaHandler<any, any> } | Loader<{ handler: LambdaHandler<any, any> }>;

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
  const functions = new Map<string, Promise<LambdaHandler<any, any>> | LambdaHandler<any, any>>();

  function controllerFor(key: string): Promise<ControllerClass> | ControllerClass {
    let found = controllers.get(key);
    if (found) return found;
    const entry = app.controllers?.[key];
    if (!entry) throw new Error(`no controller "${key}" in this function — expected app/controllers/${key}-controller.ts`);
    found = isControllerClass(entry)
      ? entry
      : entry().then((module) => ('default' in module ? module.default : module) as ControllerClass);
    controllers.set(key, found);
    return found;
  }

  function functionFor(name: string): Promise<LambdaHandler<any, any>> | LambdaHandler<any, any> {
    let found = functions.get(name);
    if (found) return found;
    const entry = app.functions?.[name];
    if (!entry) throw new Error(`no function "${name}" in this function bundle — expected app/functions/${name}.ts exporting handler`);
    found = typeof entry === 'function' ? entry().then((module) => module.handler) : entry.handler;
    if (typeof found !== 'function' && !(found instanceof Promise)) throw new Error(`function "${name}" does not export a handler`);
    functions.set(name, found);
    return found;
  }

  return async function handler(event: ApiEvent, context: LambdaContext): Promise<ApiResult> {
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
    const { route, pathParameters } = found;
    try {
      if ('function' in route.target) {
        const fn = await functionFor(route.target.function);
        return await invokeFunction(fn, routing === 'path' ? retarget(event, route, pathParameters) : event, context);
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

function findRoute(table: RouteTable, event: ApiEvent, v2: boolean, routing: 'resource' | 'path'): { route: CompiledRoute; pathParameters: Record<string, string> | null } | undefined {
  const method = v2 ? (event as HttpApiEvent).requestContext.http.method : (event as ApiGatewayProxyEvent).httpMethod;
  if (routing === 'resource') {
    const resource = v2 ? (event as HttpApiEvent).routeKey.slice((event as HttpApiEvent).routeKey.indexOf(' ') + 1) : (event as ApiGatewayProxyEvent).resource;
    const route = table.byResource.get(`${method} ${resource}`) ?? table.byResource.get(`ANY ${resource}`);
    if (route) return { route, pathParameters: event.pathParameters ?? null };
  }
  const path = v2 ? (event as HttpApiEvent).rawPath : (event as ApiGatewayProxyEvent).path;
  return matchRoute(table, method, path);
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
function invokeFunction(fn: LambdaHandler<any, any>, event: ApiEvent, context: LambdaContext): Promise<any> {
  if (fn.length < 3) return Promise.resolve(fn(event, context));
  return new Promise((resolve, reject) => {
    const callback = (error: unknown, result: unknown) => (error ? reject(error) : resolve(result));
    const returned = (fn as (e: unknown, c: unknown, cb: typeof callback) => unknown)(event, context, callback);
    if (returned && typeof (returned as Promise<unknown>).then === 'function') (returned as Promise<unknown>).then(resolve, reject);
  });
}
