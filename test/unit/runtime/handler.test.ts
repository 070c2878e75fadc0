import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { apiGatewayEvent, httpApiEvent, scheduledEvent, sqsEvent } from '../../../src/runtime/events/index.js';
import {
  Controller,
  RouteError,
  createHandler,
  createRouteHandler,
  defineRoutes,
  routeTable,
  type ApiEvent,
  type AppDefinition,
  type HandlerOptions,
  type Request,
} from '../../../src/runtime/index.js';
import type { ApiGatewayProxyEvent, ApiGatewayProxyResult, HttpApiEvent, HttpApiResult, LambdaContext } from '../../../src/runtime/types.js';
import { checkHttpApiResult, checkProxyResult } from './proxy-results.js';

const context = () => createLambdaContext({ functionName: 'handler-test' });
const bodyOf = (result: { body?: string }) => JSON.parse(result.body!);

/** Records which action ran and with what, so routing tests can assert on it. */
let hits: Array<{ action: string; params: Record<string, unknown>; request: Request }> = [];
class PostsController extends Controller {
  show() {
    return this.#record('posts#show');
  }
  index() {
    return this.#record('posts#index');
  }
  #record(action: string) {
    hits.push({ action, params: this.params, request: this.request });
    return this.json({ action, params: this.params, method: this.request.method });
  }
}
class MiscController extends Controller {
  get_() {
    return this.json({ action: 'misc#get_', method: this.request.method });
  }
  any() {
    return this.json({ action: 'misc#any', method: this.request.method });
  }
  home() {
    return this.json({ action: 'misc#home' });
  }
  health() {
    return this.json({ action: 'misc#health' });
  }
}

const routes = defineRoutes((r) => {
  r.root('misc#home');
  r.get('/health', 'misc#health');
  r.resources('posts', { only: ['index', 'show'] });
  r.get('/both', 'misc#get_');
  r.any('/both', 'misc#any');
  r.any('/anything', 'misc#any');
});
const controllers = { posts: PostsController, misc: MiscController };

let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  hits = [];
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  consoleError.mockRestore();
  vi.unstubAllEnvs();
});

describe("routing: 'resource' (controller and action layouts)", () => {
  const handler = createHandler({ routes, controllers });

  it("routes by the event's resource and pathParameters, not its path", async () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/not/what/routes/it', resource: '/posts/{id}', pathParameters: { id: 'a%20b' } });
    const result = checkProxyResult(await handler(event, context()));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ action: 'posts#show', params: { id: 'a b' }, method: 'GET' });
    expect(hits[0]!.request.pathParameters).toEqual({ id: 'a%20b' });
  });

  it('falls back to the ANY method of the resource', async () => {
    const patch = checkProxyResult(await handler(apiGatewayEvent({ method: 'PATCH', path: '/anything', resource: '/anything' }), context()));
    expect(bodyOf(patch)).toEqual({ action: 'misc#any', method: 'PATCH' });

    const get = checkProxyResult(await handler(apiGatewayEvent({ method: 'GET', path: '/both', resource: '/both' }), context()));
    expect(bodyOf(get)).toEqual({ action: 'misc#get_', method: 'GET' });
    const del = checkProxyResult(await handler(apiGatewayEvent({ method: 'DELETE', path: '/both', resource: '/both' }), context()));
    expect(bodyOf(del)).toEqual({ action: 'misc#any', method: 'DELETE' });
  });

  it("falls back to the path when the resource is not one of the app's", async () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/posts/7', resource: '/{proxy+}', pathParameters: { proxy: 'posts/7' } });
    const result = checkProxyResult(await handler(event, context()));
    expect(bodyOf(result)).toMatchObject({ action: 'posts#show', params: { id: '7' } });
    expect(hits[0]!.request.pathParameters).toEqual({ id: '7' });
  });

  it('a plain function found by that path fallback still gets the event of its own route', async () => {
    const fn = vi.fn(async (event: ApiGatewayProxyEvent) => ({ statusCode: 200, body: JSON.stringify([event.resource, event.pathParameters, event.requestContext.resourcePath]) }));
    const withFn = createHandler({ routes: defineRoutes((r) => r.get('/hello/:name', { function: 'hello' })), functions: { hello: { handler: fn } } });
    const viaResource = apiGatewayEvent({ method: 'GET', path: '/hello/Ada', resource: '/hello/{name}', pathParameters: { name: 'Ada' } });
    await withFn(viaResource, context());
    // Found by its resource: the event is passed on as it came.
    expect(fn.mock.calls[0]![0]).toBe(viaResource);
    const viaPath = checkProxyResult(await withFn(apiGatewayEvent({ method: 'GET', path: '/hello/Ada' }), context()));
    expect(bodyOf(viaPath)).toEqual(['/hello/{name}', { name: 'Ada' }, '/hello/{name}']);
  });

  it("routes HTTP API events by their routeKey and returns an HTTP API result", async () => {
    const event = httpApiEvent({ method: 'GET', path: '/elsewhere', routeKey: 'GET /posts/{id}', pathParameters: { id: '3' } });
    const result = checkHttpApiResult(await handler(event, context()));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ action: 'posts#show', params: { id: '3' }, method: 'GET' });
    expect(result).not.toHaveProperty('cookies');
    expect(result).not.toHaveProperty('multiValueHeaders');
  });

  it('routes a $default HTTP API event by its path, without the stage prefix of a named stage', async () => {
    const onDefault = checkHttpApiResult(await handler(httpApiEvent({ method: 'GET', path: '/posts/4' }), context()));
    expect(bodyOf(onDefault)).toMatchObject({ action: 'posts#show', params: { id: '4' } });

    const staged = httpApiEvent({ method: 'GET', path: '/posts/5', stage: 'dev' });
    expect(staged.rawPath).toBe('/dev/posts/5');
    const onStage = checkHttpApiResult(await handler(staged, context()));
    expect(bodyOf(onStage)).toMatchObject({ action: 'posts#show', params: { id: '5' } });

    const root = checkHttpApiResult(await handler(httpApiEvent({ method: 'GET', path: '/', stage: 'dev' }), context()));
    expect(bodyOf(root)).toEqual({ action: 'misc#home' });
  });

  it('answers an unknown path with a 404 JSON error', async () => {
    const result = checkProxyResult(await handler(apiGatewayEvent({ method: 'GET', path: '/nope' }), context()));
    expect(result.statusCode).toBe(404);
    expect(result.body).toBe('{"error":"Not Found"}');
    expect(result.headers).toEqual({ 'Content-Type': 'application/json; charset=utf-8' });

    const v2 = checkHttpApiResult(await handler(httpApiEvent({ method: 'GET', path: '/nope' }), context()));
    expect(v2.statusCode).toBe(404);
    expect(bodyOf(v2)).toEqual({ error: 'Not Found' });
  });
});

describe("routing: 'path' (single layout behind /{proxy+})", () => {
  const fn = vi.fn(async (event: ApiEvent, ctx: LambdaContext) => ({ statusCode: 200, body: JSON.stringify({ received: event, fn: ctx.functionName }) }));
  const app: AppDefinition = {
    routes: defineRoutes((r) => {
      r.root('misc#home');
      r.get('/health', 'misc#health');
      r.resources('posts', { only: ['show'] });
      r.get('/hello/:name', { function: 'hello' });
      r.any('/ping', { function: 'hello' });
    }),
    controllers,
    functions: { hello: { handler: fn } },
  };
  const handler = createHandler(app, { routing: 'path' });
  const proxied = (path: string, method = 'GET') =>
    apiGatewayEvent({ method, path, resource: '/{proxy+}', pathParameters: { proxy: path.slice(1) }, stage: 'dev' });

  it('matches event.path and gives the controller its own path parameters', async () => {
    const result = checkProxyResult(await handler(proxied('/posts/12'), context()));
    expect(bodyOf(result)).toMatchObject({ action: 'posts#show', params: { id: '12' } });
    expect(hits[0]!.request.pathParameters).toEqual({ id: '12' });

    const root = checkProxyResult(await handler(apiGatewayEvent({ method: 'GET', path: '/', resource: '/' }), context()));
    expect(bodyOf(root)).toEqual({ action: 'misc#home' });
  });

  it("ignores the event's resource", async () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/health', resource: '/posts/{id}', pathParameters: { id: '1' } });
    expect(bodyOf(checkProxyResult(await handler(event, context())))).toEqual({ action: 'misc#health' });
  });

  it('hands a plain function the event API Gateway would have built for its own route', async () => {
    const event = proxied('/hello/Ada%20L');
    const result = checkProxyResult(await handler(event, context()));
    const { received, fn: functionName } = bodyOf(result);
    expect(functionName).toBe('handler-test');
    expect(received.resource).toBe('/hello/{name}');
    expect(received.pathParameters).toEqual({ name: 'Ada%20L' });
    expect(received.requestContext.resourcePath).toBe('/hello/{name}');
    expect(received.path).toBe('/hello/Ada%20L');
    expect(received.requestContext.path).toBe('/dev/hello/Ada%20L');
    expect(received.httpMethod).toBe('GET');
    // The caller's event is left alone.
    expect(event.resource).toBe('/{proxy+}');
    expect(event.pathParameters).toEqual({ proxy: 'hello/Ada%20L' });

    const ping = checkProxyResult(await handler(proxied('/ping', 'POST'), context()));
    expect(bodyOf(ping).received).toMatchObject({ resource: '/ping', pathParameters: null, httpMethod: 'POST' });
  });

  it('retargets HTTP API events too: routeKey and pathParameters of the function route', async () => {
    const event = httpApiEvent({ method: 'GET', path: '/hello/Ada', routeKey: 'ANY /{proxy+}', pathParameters: { proxy: 'hello/Ada' } });
    const result = await handler(event, context());
    const received = bodyOf(result as HttpApiResult).received as HttpApiEvent;
    expect(received.routeKey).toBe('GET /hello/{name}');
    expect(received.requestContext.routeKey).toBe('GET /hello/{name}');
    expect(received.pathParameters).toEqual({ name: 'Ada' });

    const ping = await handler(httpApiEvent({ method: 'DELETE', path: '/ping', routeKey: 'ANY /{proxy+}', pathParameters: { proxy: 'ping' } }), context());
    const pinged = bodyOf(ping as HttpApiResult).received as HttpApiEvent;
    expect(pinged.routeKey).toBe('ANY /ping');
    expect(pinged).not.toHaveProperty('pathParameters');
  });

  it('answers an unknown path with a 404 JSON error', async () => {
    const result = checkProxyResult(await handler(proxied('/posts/1/extra'), context()));
    expect(result.statusCode).toBe(404);
    expect(bodyOf(result)).toEqual({ error: 'Not Found' });
  });
});

describe('controllers and functions', () => {
  const draw = defineRoutes((r) => {
    r.get('/posts', 'posts#index');
    r.get('/fn', { function: 'fn' });
  });
  const get = (path: string) => apiGatewayEvent({ method: 'GET', path, resource: path });

  it('loads a lazy controller once, from a default export or the class itself', async () => {
    const loader = vi.fn(async () => ({ default: PostsController }));
    const handler = createHandler({ routes: draw, controllers: { posts: loader } });
    expect(loader).not.toHaveBeenCalled();
    for (let i = 0; i < 2; i++) expect(bodyOf(checkProxyResult(await handler(get('/posts'), context())))).toMatchObject({ action: 'posts#index' });
    expect(loader).toHaveBeenCalledTimes(1);

    const direct = createHandler({ routes: draw, controllers: { posts: async () => PostsController } });
    expect(bodyOf(checkProxyResult(await direct(get('/posts'), context())))).toMatchObject({ action: 'posts#index' });
  });

  it('a loaded module without a default Controller export is a 500 that says so', async () => {
    const handler = createHandler({ routes: draw, controllers: { posts: async () => ({ PostsController }) as never } }, { showErrors: true });
    const result = checkProxyResult(await handler(get('/posts'), context()));
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).message).toMatch(/controller "posts" has no default export extending Controller \(app\/controllers\/posts-controller\.ts\)/);
  });

  it('a controller missing from the app is a 500 that names it', async () => {
    const handler = createHandler({ routes: draw, controllers: {} }, { showErrors: true });
    const result = checkProxyResult(await handler(get('/posts'), context()));
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).message).toBe('controller "posts" is not in this function (app/controllers/posts-controller.ts)');
  });

  it('calls a function module and returns its result untouched', async () => {
    const result = { statusCode: 201, headers: { 'X-Fn': 'yes' }, body: 'made' };
    const fn = vi.fn(async (_event: unknown, _ctx: LambdaContext) => result);
    const handler = createHandler({ routes: draw, functions: { fn: { handler: fn } } });
    const event = get('/fn');
    const ctx = context();
    expect(await handler(event, ctx)).toBe(result);
    // Like the Node.js runtime, a plain function gets (event, context, callback).
    expect(fn).toHaveBeenCalledWith(event, ctx, expect.any(Function));

    const loader = vi.fn(async () => ({ handler: fn }));
    const lazy = createHandler({ routes: draw, functions: { fn: loader } });
    await lazy(get('/fn'), context());
    await lazy(get('/fn'), context());
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('runs a callback-style function; the first completion wins and errors are 500s', async () => {
    const callbackFn = (_event: unknown, _ctx: unknown, callback: (error: unknown, result?: unknown) => void) => {
      setTimeout(() => {
        callback(null, { statusCode: 200, body: 'first' });
        callback(null, { statusCode: 200, body: 'second' });
      }, 1);
    };
    const ok = createHandler({ routes: draw, functions: { fn: { handler: callbackFn } } });
    expect(await ok(get('/fn'), context())).toEqual({ statusCode: 200, body: 'first' });

    const failing = (_event: unknown, _ctx: unknown, callback: (error: unknown) => void) => callback(new Error('callback failure'));
    const bad = createHandler({ routes: draw, functions: { fn: { handler: failing } } }, { showErrors: true });
    const result = checkProxyResult(await bad(get('/fn'), context()));
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).message).toBe('callback failure');

    // As in the Node.js runtime, any error value but null/undefined fails the invocation.
    const falsy = (_event: unknown, _ctx: unknown, callback: (error: unknown, result?: unknown) => void) => callback(0, { statusCode: 200, body: 'no' });
    const falsyHandler = createHandler({ routes: draw, functions: { fn: { handler: falsy } } });
    expect(checkProxyResult(await falsyHandler(get('/fn'), context())).statusCode).toBe(500);
  });

  it('a function that throws is a 500', async () => {
    const handler = createHandler({ routes: draw, functions: { fn: { handler: () => { throw new Error('thrown in fn'); } } } }, { showErrors: true });
    const result = checkProxyResult(await handler(get('/fn'), context()));
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toMatchObject({ error: 'Internal Server Error', message: 'thrown in fn' });
    expect(consoleError).toHaveBeenCalledWith('[sls-ts] function:fn failed:', expect.any(Error));
  });

  it('a missing function, or one without a handler export, is a 500 that says so', async () => {
    const missing = createHandler({ routes: draw }, { showErrors: true });
    expect(bodyOf(checkProxyResult(await missing(get('/fn'), context()))).message).toBe(
      'function "fn" is not in this function (app/functions/fn.ts)',
    );

    const noExport = createHandler({ routes: draw, functions: { fn: {} as never } }, { showErrors: true });
    expect(bodyOf(checkProxyResult(await noExport(get('/fn'), context()))).message).toMatch(/^function "fn" has no handler export \(app\/functions\/fn\.ts\)/);

    const lazyNoExport = createHandler({ routes: draw, functions: { fn: async () => ({ main: () => 1 }) as never } }, { showErrors: true });
    const result = checkProxyResult(await lazyNoExport(get('/fn'), context()));
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).message).toMatch(/^function "fn" has no handler export \(app\/functions\/fn\.ts\)/);
  });
});

describe('createHandler', () => {
  it('rejects events that are not API Gateway proxy events with a TypeError', async () => {
    const handler = createHandler({ routes, controllers });
    const message = /sls-ts: expected an API Gateway proxy event \(REST v1 or HTTP API 2\.0\)/;
    await expect(handler(scheduledEvent() as never, context())).rejects.toThrow(TypeError);
    await expect(handler(scheduledEvent() as never, context())).rejects.toThrow(message);
    await expect(handler(sqsEvent(['x']) as never, context())).rejects.toThrow(message);
    await expect(handler(null as never, context())).rejects.toThrow(message);
    await expect(handler(undefined as never, context())).rejects.toThrow(TypeError);
    await expect(handler('GET /' as never, context())).rejects.toThrow(message);
  });

  it('shows error details by default only when SLS_TS_SHOW_ERRORS is 1 (sls-ts server sets it), whatever NODE_ENV says', async () => {
    class BoomController extends Controller {
      index() {
        throw new Error('kaboom');
      }
    }
    const app = { routes: defineRoutes((r) => r.get('/boom', 'boom#index')), controllers: { boom: BoomController } };
    const event = () => apiGatewayEvent({ method: 'GET', path: '/boom', resource: '/boom' });

    vi.stubEnv('SLS_TS_SHOW_ERRORS', '1');
    const dev = bodyOf(checkProxyResult(await createHandler(app)(event(), context())));
    expect(dev.message).toBe('kaboom');

    // Lambda sets no NODE_ENV, and an app's own NODE_ENV=development must not leak its errors.
    vi.stubEnv('SLS_TS_SHOW_ERRORS', '');
    vi.stubEnv('NODE_ENV', 'development');
    const deployed = bodyOf(checkProxyResult(await createHandler(app)(event(), context())));
    expect(deployed).toEqual({ error: 'Internal Server Error' });

    const forced: HandlerOptions = { showErrors: false };
    vi.stubEnv('SLS_TS_SHOW_ERRORS', '1');
    expect(bodyOf(checkProxyResult(await createHandler(app, forced)(event(), context())))).toEqual({ error: 'Internal Server Error' });
  });

  it('accepts a route set or a compiled table; bad routes fail when the handler is created', () => {
    expect(() =>
      createHandler({
        routes: defineRoutes((r) => {
          r.get('/a/:id', 'a#show');
          r.get('/a/:name/b', 'a#b');
        }),
      }),
    ).toThrow(RouteError);
  });

  it('createRouteHandler serves a precompiled table', async () => {
    const table = routeTable([{ method: 'GET', path: '/posts/:id', resource: '/posts/{id}', target: { controller: 'posts', action: 'show' } }]);
    const handler = createRouteHandler({ routes: table, controllers: { posts: PostsController } });
    const event: ApiGatewayProxyEvent = apiGatewayEvent({ method: 'GET', path: '/posts/8', resource: '/posts/{id}', pathParameters: { id: '8' } });
    expect(bodyOf(checkProxyResult(await handler(event, context())))).toMatchObject({ action: 'posts#show', params: { id: '8' } });
  });
});
