import type { CompiledRoute } from '../router/types.js';
import { resolver, type FunctionRoutes, type Loader } from './handler.js';
import { isHttpApiEvent, type ApiEvent } from './request.js';
import type { LambdaContext, LambdaHandler } from './types.js';

/** A plain Lambda handler: async, or callback style (item 78). */
export type PlainHandler = LambdaHandler<any, any> | ((event: any, context: LambdaContext, callback: (error?: unknown, result?: unknown) => void) => unknown);
/** A function module (`import * as hello from …`) or a loader of one. */
export type FunctionEntry = { handler: PlainHandler } | Loader<{ handler: PlainHandler }>;

const handlerOf = (value: any): PlainHandler | undefined => (typeof value?.handler === 'function' ? value.handler : undefined);

/** Serves `{ function: 'name' }` routes from a web function: `functionRoutes({ hello: helloModule })`. */
export function functionRoutes(entries: Record<string, FunctionEntry>): FunctionRoutes {
  const functionFor = resolver(entries, 'function', handlerOf, 'handler export');
  return {
    async run(name, event, context, retargetTo) {
      const fn = await functionFor(name);
      return invokeFunction(fn, retargetTo ? retarget(event, retargetTo.route, retargetTo.pathParameters) : event, context);
    },
  };
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

/** Runs a plain Lambda handler, async or callback style; the first completion wins. */
function invokeFunction(fn: PlainHandler, event: ApiEvent, context: LambdaContext): Promise<any> {
  return new Promise((resolve, reject) => {
    // As the Node.js runtime: any error value but null/undefined fails the invocation.
    const returned = (fn as Function)(event, context, (error: unknown, result: unknown) => (error != null ? reject(error) : resolve(result)));
    if (fn.length < 3 || typeof returned?.then === 'function') Promise.resolve(returned).then(resolve, reject);
  });
}
