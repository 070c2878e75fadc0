import { compileRoutes, matchRoute, type RouteTable } from '../router/index.js';
import { createLambdaContext } from '../runtime/context.js';
import { missingAuthenticationToken, mapProxyResult, withGatewayCors, type GatewayCors } from '../runtime/emulation/index.js';
import { apiGatewayEvent, type HeaderInput, type QueryInput } from '../runtime/events/index.js';
import { createHandler, type AppDefinition, type CreateHandlerOptions } from '../runtime/create-handler.js';
import type { ApiGatewayProxyEvent, LambdaContext } from '../runtime/types.js';
import { authorizerContextOf, createTestGuard, type AuthorizedAs, type TestGuard } from './guard.js';
import { runHandler } from './invoke.js';
import type { TestApp } from './load-app.js';

/** Async, or callback style as Lambda allows (item 78). */
type ProxyHandler = (event: ApiGatewayProxyEvent, context: LambdaContext, callback?: (error: unknown, result?: unknown) => void) => unknown;

export interface ClientOptions {
  /** Default: the stage loadApp loaded the config for, else `test`. */
  stage?: string;
  binaryMediaTypes?: readonly string[];
  /** Function name in the Lambda context (default `test-function`). */
  functionName?: string;
  /** Needed with a bare handler to fill `resource` and `pathParameters` as API Gateway would. */
  routes?: AppDefinition['routes'];
  /**
   * The app config's `cors` (`true` or `{ origins, credentials }`), for an app target: its
   * responses get the CORS headers the built function adds on AWS. A bare handler has its own.
   */
  cors?: CreateHandlerOptions['cors'];
  /**
   * Every request of this client skips the route's authorizer and reaches the function as this
   * caller (see TestRequest.authorizedAs). API keys are still checked.
   */
  authorizedAs?: AuthorizedAs;
  /** Milliseconds since the epoch, for authorizer result TTLs and usage-plan quotas: pass a fake clock. Default Date.now. */
  now?: () => number;
}

export interface TestResponse {
  status: number;
  /** Lowercased names; repeated headers joined with ", " (Set-Cookie: see `cookies`). */
  headers: Record<string, string>;
  /** Every Set-Cookie value. */
  cookies: string[];
  /** Parsed JSON for JSON responses, a Buffer for binary ones, text otherwise. */
  body: any;
  text: string;
  rawBody: Buffer;
  /** The proxy event the handler received, and exactly what it returned. */
  event: ApiGatewayProxyEvent;
  result: unknown;
}

interface RequestInit {
  headers?: HeaderInput;
  query?: QueryInput;
  body?: unknown;
  authorizedAs?: AuthorizedAs;
}

/** A request being built; `await` it (or call `.then`) to run it. supertest-style `.set` / `.query` / `.send`. */
export class TestRequest implements PromiseLike<TestResponse> {
  readonly #run: (init: RequestInit) => Promise<TestResponse>;
  readonly #init: RequestInit & { headers: Record<string, string | readonly string[]> };

  constructor(run: (init: RequestInit) => Promise<TestResponse>, init: RequestInit = {}) {
    this.#run = run;
    this.#init = { ...init, headers: { ...(init.headers as Record<string, string>) } };
  }

  set(name: string, value: string | readonly string[]): this {
    this.#init.headers[name] = value;
    return this;
  }

  query(values: QueryInput): this {
    this.#init.query = { ...this.#init.query, ...values };
    return this;
  }

  /** A string or Buffer is sent as is; anything else as JSON with `Content-Type: application/json`. */
  send(body: unknown): this {
    this.#init.body = body;
    return this;
  }

  /**
   * Skips the route's authorizer: the function gets `requestContext.authorizer` as API Gateway
   * fills it for this caller (`this.request.auth` in a controller), without any authorizer running
   * — for unit tests of controllers. `{ principalId, context }` as a Lambda authorizer answers
   * (context values become strings, as on the REST API), or `{ claims }` as a Cognito one. API
   * keys are still checked; test the authorizer itself by sending its token instead.
   */
  authorizedAs(caller: AuthorizedAs): this {
    this.#init.authorizedAs = caller;
    return this;
  }

  then<A = TestResponse, B = never>(onFulfilled?: ((value: TestResponse) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.#run(this.#init).then(onFulfilled, onRejected);
  }
}

export interface TestClient {
  get(path: string, init?: RequestInit): TestRequest;
  post(path: string, init?: RequestInit): TestRequest;
  put(path: string, init?: RequestInit): TestRequest;
  patch(path: string, init?: RequestInit): TestRequest;
  delete(path: string, init?: RequestInit): TestRequest;
  head(path: string, init?: RequestInit): TestRequest;
  options(path: string, init?: RequestInit): TestRequest;
  request(method: string, path: string, init?: RequestInit): TestRequest;
}

function hasHeader(headers: HeaderInput, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/**
 * Runs requests through the real handler path in-process: a REST v1 proxy event built as API
 * Gateway builds it, the handler, then API Gateway's response mapping — no server, no AWS.
 * `target` is an app (routes + controllers, e.g. from loadApp) or a Lambda handler. An app from
 * loadApp is guarded as `sls-ts server` guards it: each route's authorizer runs (the app's own
 * classes in-process), and API keys are checked, before the function; the client keeps its own
 * authorizer result cache and usage meter, as one deployed stage does.
 */
export function request(target: AppDefinition | TestApp | Promise<AppDefinition | TestApp> | ProxyHandler, options: ClientOptions = {}): TestClient {
  type Prepared = { handler: ProxyHandler; table?: RouteTable; guard?: TestGuard; stage: string; region?: string; gatewayCors: GatewayCors | false };
  let prepared: Promise<Prepared> | undefined;
  const prepare = () =>
    (prepared ??= Promise.resolve(target).then((resolved): Prepared => {
      if (typeof resolved === 'function') {
        const routes = options.routes;
        return { handler: resolved, table: routes && ('byResource' in routes ? routes : compileRoutes(routes)), stage: options.stage ?? 'test', gatewayCors: false };
      }
      const table = 'byResource' in resolved.routes ? resolved.routes : compileRoutes(resolved.routes);
      const { edge } = resolved as TestApp;
      // A loaded app's `cors`, unless the test says otherwise: what its built functions add, and
      // what the gateway responses sls-ts deploys put on API Gateway's own answers.
      const appCors = edge?.config.cors;
      const cors = options.cors ?? (appCors ? { origins: appCors.origins === '*' ? ('*' as const) : [...appCors.origins], credentials: appCors.credentials } : undefined);
      return {
        handler: createHandler({ ...resolved, routes: table }, { cors }) as ProxyHandler,
        gatewayCors: edge?.config.cors ?? false,
        table,
        stage: options.stage ?? edge?.config.stage ?? 'test',
        ...(edge && { guard: createTestGuard(edge, resolved.controllers ?? {}, options.now ?? Date.now), region: edge.config.region }),
      };
    }));

  const run = (method: string, path: string) => async (init: RequestInit): Promise<TestResponse> => {
    const { handler, table, guard, stage, region, gatewayCors } = await prepare();
    const headers: HeaderInput = { ...init.headers };
    let body: string | Buffer | undefined;
    if (init.body === undefined || init.body === null) body = undefined;
    else if (typeof init.body === 'string' || Buffer.isBuffer(init.body)) body = init.body;
    else {
      body = JSON.stringify(init.body);
      if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
    }
    const pathOnly = path.split('?')[0]!;
    const match = table ? matchRoute(table, method, pathOnly) : undefined;
    const event = apiGatewayEvent({
      method,
      path,
      headers,
      query: init.query,
      body,
      resource: match?.route.resource ?? pathOnly,
      pathParameters: match?.pathParameters ?? null,
      stage,
      ...(region && { region }),
      binaryMediaTypes: options.binaryMediaTypes,
    });
    if (table && !match) return toResponse(withGatewayCors(missingAuthenticationToken(), gatewayCors), event, undefined);
    const caller = init.authorizedAs ?? options.authorizedAs;
    if (guard && match) {
      const checked = await guard.check(event, match.route, caller);
      if ('response' in checked) return toResponse(withGatewayCors(checked.response, gatewayCors), event, undefined);
    } else if (caller) {
      event.requestContext.authorizer = authorizerContextOf(caller);
    }
    const context = createLambdaContext({ functionName: options.functionName ?? 'test-function', timeoutSeconds: 30 });
    const result = await runHandler(handler, event, context);
    // Tests want bytes back from binary responses whatever the Accept header says.
    const mapped = mapProxyResult(result, { accept: '*/*', binaryMediaTypes: ['*/*'] });
    if (mapped.malformed) throw new Error(`the handler returned a malformed proxy response (API Gateway answers 502): ${mapped.malformed}`);
    return toResponse(mapped, event, result);
  };

  const client: TestClient = {
    request: (method, path, init) => new TestRequest(run(method.toUpperCase(), path), init),
    get: (path, init) => client.request('GET', path, init),
    post: (path, init) => client.request('POST', path, init),
    put: (path, init) => client.request('PUT', path, init),
    patch: (path, init) => client.request('PATCH', path, init),
    delete: (path, init) => client.request('DELETE', path, init),
    head: (path, init) => client.request('HEAD', path, init),
    options: (path, init) => client.request('OPTIONS', path, init),
  };
  return client;
}

function toResponse(mapped: { status: number; headers: Array<[string, string]>; body: Buffer }, event: ApiGatewayProxyEvent, result: unknown): TestResponse {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of mapped.headers) {
    const key = name.toLowerCase();
    if (key === 'set-cookie') cookies.push(value);
    else headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  const type = headers['content-type'] ?? '';
  const text = mapped.body.toString('utf8');
  const binary = (result as { isBase64Encoded?: boolean } | undefined)?.isBase64Encoded === true;
  let body: unknown = text;
  if (binary) body = mapped.body;
  else if (/[/+]json\b/i.test(type) && text !== '') {
    // API Gateway labels any response without a Content-Type as JSON (item 48), so it may not be.
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: mapped.status, headers, cookies, body, text, rawBody: mapped.body, event, result };
}
