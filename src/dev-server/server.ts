import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import {
  contentLengthExceeded, endpointTimedOut, HEADER_VALUES_LIMIT, HTTP_API_TIMEOUT_MS, httpApiInternalServerError, httpApiNotFound, httpApiServiceUnavailable,
  internalServerError, LAMBDA_PAYLOAD_LIMIT, mapHttpApiPayload, mapProxyPayload, missingAuthenticationToken, REQUEST_PAYLOAD_LIMIT,
  requestHeaderFieldsTooLarge, requestTooLong, type GatewayResponse,
} from '../runtime/emulation/index.js';
import { createShortRequestId, createTraceId } from '../runtime/events/api-gateway.js';
import { loadAppState, loadStartState, type AppState } from './app-state.js';
import { createDevBuilder, type DevBundle } from './dev-build.js';
import { createDeliver } from './deliveries.js';
import { createDevEngines, subscribersOf, subscribeStartsEngines, type EngineListing } from './dev-engines.js';
import { gatewayEvent, mayExceedPayloadLimit } from './gateway-event.js';
import { headerValuesSize, lastRawHeader, readBody, writeResponse } from './http-io.js';
import type { GatewayRequest, InvokeInput } from './protocol.js';
import { startJobs, type JobRunner } from './jobs.js';
import { FunctionPool, type DevFunction, type InvokeOutcome } from './pool.js';
import { corsPreflight, httpApiCorsHeaders, httpApiPreflight, withGatewayCors } from './cors.js';
import { createContentTracker } from './file-contents.js';
import { serveStatic } from './static-files.js';
import { findStagedTarget, findTarget, httpRouteKey } from './targets.js';
import { createGuard, edgeFor } from './guard.js';
import { createUsageMeter, localApiKeys, type LocalApiKey } from './api-keys.js';
import type { ResolvedConfig } from '../config/types.js';
import type { DevServerEvent } from './events.js';
import type { ApiGatewayProxyEvent, HttpApiEvent } from '../runtime/types.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { startChannelServer, type ChannelServer, type ChannelTarget } from './websocket/channel-server.js';

export interface DevServerOptions {
  /** The app folder (default: cwd). */
  root?: string;
  stage?: string;
  region?: string;
  /** 0 picks a free port (tests). Default 8888. */
  port?: number;
  host?: string;
  /** Run jobs on their schedules. */
  jobs?: boolean;
  /** Keep the local engines' data under `.sls-ts/local/` (default: in memory, gone on close). */
  persist?: boolean;
  /** Rebuild on file changes (default true). */
  watch?: boolean;
  /** Concurrent execution environments per function before requests queue (default 8). */
  maxWorkersPerFunction?: number;
  /** API Gateway's integration timeout (default 29 000 ms, item 62; 30 000 ms for an HTTP API, item 63). */
  integrationTimeoutMs?: number;
  /**
   * How long a request's body may take to arrive (default 30 000 ms): API Gateway cuts a request
   * at about 30 s and answers 504, where a client trickling its body would otherwise hold a
   * connection for as long as it likes.
   */
  bodyTimeoutMs?: number;
  /** Lambda's Init phase limit for on-demand functions (default 10 000 ms, item 92). */
  initTimeoutMs?: number;
  /** Every request, reload, build error and job run, as data; the CLI prints them. */
  onEvent?: (event: DevServerEvent) => void;
  /**
   * The port of the WebSocket channels' endpoint and their local @connections API (started when the
   * app has a channel). Default: the next port after `port`; 0 picks a free one (and is the default with port 0).
   */
  websocketPort?: number;
  /** API Gateway's WebSocket idle timeout (default 10 minutes) and longest connection (default 2 hours). */
  websocketIdleTimeoutMs?: number;
  websocketMaxDurationMs?: number;
  /** The clock of API Gateway's authorizer result cache and Cognito token expiry (ms since the epoch); tests pass a fake one. */
  now?: () => number;
}

export interface DevServer {
  url: string;
  /** The usage plans' API keys as this server accepts them, by value. */
  apiKeys(): ReadonlyMap<string, LocalApiKey>;
  state(): AppState;
  /** Where each local engine listens (or will, while they start) and what it serves; empty when the app declares no table or bucket. */
  engines(): EngineListing[];
  /**
   * Resolves once the local engines are up (at once without any); rejects with the one-line error
   * of an engine that cannot start — the server then answers 502 for every function until closed.
   */
  ready(): Promise<void>;
  /** `ws://127.0.0.1:8889`, where channel `<name>` listens at `/<name>`; undefined while the app has no channel. */
  websocketUrl(): string | undefined;
  /** Invoke a function (or job) by key, as `sls-ts invoke --local` does. */
  invoke(key: string, event: unknown): Promise<InvokeOutcome>;
  /** Re-read config and routes and rebuild everything (what a config change triggers). */
  reload(): Promise<void>;
  /** Resolves after the rebuild that the latest file change started. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const IGNORED = /(^|[/\\])(node_modules|\.sls-ts|\.git|coverage|dist)([/\\]|$)/;

/**
 * Serves the app the way API Gateway (REST, Lambda proxy) + Lambda would: the same router,
 * real proxy events, each function in its own warm worker pool, API Gateway's response mapping,
 * errors, limits and timeouts — and rebuilds only what a file change affects.
 */
export async function createDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const root = options.root ?? process.cwd();
  const stage = options.stage ?? 'dev';
  // Nothing is reported once close() has begun: the in-flight invocations it ends are not errors.
  let closing = false;
  const emit = (event: DevServerEvent) => {
    if (!closing) options.onEvent?.(event);
  };
  const integrationTimeoutMs = options.integrationTimeoutMs ?? 29_000;

  const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;

  // The engines start as soon as the config is known, beside the app's inspection and first build
  // (in a thread of their own). Their ports are chosen first, so pools are made as soon as the
  // workers' environment is known; a new worker's first invocation waits for the engines (gate).
  // Jobs subscribed to local events run in their worker pools, as requests' functions do.
  const deliver = createDeliver({ invoke: (key, event) => invoke(key, event), functionName: (key) => state.functionByKey.get(key)?.functionName ?? key, emit });
  // Engines load a second after the start (or at a function's first connection to one), so the
  // first requests that touch no table or bucket do not share the CPU with dynalite and s3rver.
  const engines = createDevEngines({ root, ttlSweepMs: 60_000, lazyMs: 1000, deliver, ...(options.persist && { persist: true }) });
  // A gap is said when it appears, not again on every reload that still has it (the engines' own,
  // and the routing of the jobs' events, each kept apart).
  const noteEmitter = () => {
    let said = new Set<string>();
    return (notes: readonly Diagnostic[]): void => {
      for (const note of notes) if (!said.has(note.text)) emit({ type: 'warning', diagnostic: note });
      said = new Set(notes.map((note) => note.text));
    };
  };
  const emitEngineNotes = noteEmitter();
  const emitRouteNotes = noteEmitter();
  let enginesUp: Promise<unknown> = Promise.resolve();
  let enginesPlanned: Promise<unknown> = Promise.resolve();
  // What a new worker's first invocation waits for: at start, only that the engines' ports take
  // connections (a request reaching one waits there until its tables and buckets exist, and one
  // that never does is not held up); after a config change, that the new tables and buckets exist.
  let enginesGate: Promise<unknown> = Promise.resolve();
  const start = await loadStartState(root, stage, options.region, (config) => {
    const { planned, listening, done } = engines.apply(config);
    enginesPlanned = planned;
    enginesGate = listening;
    enginesUp = done.then(emitEngineNotes);
    // Until the start awaits it: a failure here must not count as unhandled meanwhile.
    enginesUp.catch(() => {});
  }).catch(async (error: unknown) => {
    await engines.stop();
    throw error;
  });
  let state = start.state;
  for (const warning of state.warnings) emit({ type: 'warning', diagnostic: warning });
  const clock = options.now ?? Date.now;
  const guard = createGuard({ state: () => state, invoke: (key, event) => invoke(key, event), emit, now: clock, apiKeys: () => apiKeys });
  // The usage plans' keys as the dev server knows them (values from .env or made up, printed in the banner), metered per key.
  const keysFor = (config: ResolvedConfig) => ({ keys: localApiKeys(config, { ...process.env, ...config.env }), meter: createUsageMeter(config.usagePlans, clock) });
  let apiKeys = keysFor(state.config);
  const emitGuardNotes = noteEmitter();
  emitGuardNotes(guard.notes());
  void subscribeJobs();
  let builder = createDevBuilder(state.config);
  const bundles = new Map<string, DevBundle>();
  const pools = new Map<string, FunctionPool>();
  // Set while the app does not load (at start or after a change): every request answers 502 with it.
  let reloadError = start.error && describeLoadError(start.error);
  if (reloadError) emit({ type: 'reload-error', message: reloadError });
  let jobs: JobRunner | undefined;

  /**
   * Routes local events to the current jobs. A job's own queue puts its URL in every function's
   * environment, and a rule the bus's endpoint, so workers wait for them (the SQS service or the
   * bus may have to start for them).
   */
  function subscribeJobs(): Promise<void> {
    const subscribed = engines.subscribe(state.functions).then(emitRouteNotes);
    subscribed.catch(() => {});
    if (subscribeStartsEngines(subscribersOf(state.functions))) {
      enginesPlanned = Promise.all([enginesPlanned, subscribed.catch(() => {})]);
      enginesUp = Promise.all([enginesUp, subscribed]);
      enginesUp.catch(() => {});
    }
    return subscribed;
  }

  // --- WebSocket channels: their own port, known before any worker starts (workers get its @connections endpoint)
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8888;
  let channelServer: ChannelServer | undefined;
  const channelTargets = (): ChannelTarget[] => state.functions.flatMap((fn) => (fn.kind === 'channel' && fn.channel ? [{ key: fn.key, functionName: fn.functionName, routing: fn.channel }] : []));
  async function startChannels(): Promise<void> {
    if (channelServer || channelTargets().length === 0) return;
    channelServer = await startChannelServer({
      host, port: options.websocketPort ?? (port === 0 ? 0 : port + 1), stage, region: state.config.region, channels: channelTargets,
      invoke: (key, event) => invoke(key, event), emit,
      authorize: (channel, event) => guard.checkConnect(event, { name: channel.routing.name, auth: channel.routing.auth! }),
      ...(options.websocketIdleTimeoutMs !== undefined && { idleTimeoutMs: options.websocketIdleTimeoutMs }),
      ...(options.websocketMaxDurationMs !== undefined && { maxDurationMs: options.websocketMaxDurationMs }),
    });
  }
  /** The @connections endpoint for every function (a controller or job may post too), and credentials to sign with when there are none. */
  const channelEnv = (environment: Record<string, string>): Record<string, string> => {
    if (!channelServer) return {};
    const signed = environment.AWS_ACCESS_KEY_ID || process.env.AWS_ACCESS_KEY_ID;
    return { ...channelServer.env(), ...(!signed && { AWS_ACCESS_KEY_ID: 'LOCAL', AWS_SECRET_ACCESS_KEY: 'LOCAL' }) };
  };

  const devFunction = (key: string): DevFunction => {
    const fn = state.functionByKey.get(key)!;
    const { config } = state;
    const engineEnv = { ...fn.environment, ...engines.envFor(fn) };
    const environment = { ...engineEnv, ...channelEnv(engineEnv) };
    return { key, functionName: fn.functionName, bundle: bundles.get(key)!.file, memory: fn.memory, timeout: fn.timeout, region: config.region, runtime: config.runtime, environment, gate: enginesGate };
  };

  /** Builds the given functions and recycles their workers (others stay warm). */
  async function rebuild(keys: Iterable<string>): Promise<void> {
    await Promise.all([...keys].map(async (key) => {
      const fn = state.functionByKey.get(key);
      if (!fn) return;
      const started = performance.now();
      const bundle = await builder.bundle(fn);
      // A failed build keeps the files it was built from, so that saving one of them again is
      // still an edit of this function rather than a new file (which reloads the whole app).
      bundles.set(key, bundle.error ? { ...bundle, inputs: bundles.get(key)?.inputs ?? bundle.inputs } : bundle);
      if (bundle.error) emit({ type: 'build-error', functionName: fn.functionName, message: bundle.error });
      else emit({ type: 'built', functionName: fn.functionName, durationMs: performance.now() - started });
      await enginesPlanned;
      // A cached result of the authorizer's old code must not answer for its new code.
      if (fn.kind === 'authorizer') guard.reset();
      const pool = pools.get(key);
      if (pool) pool.recycle(devFunction(key));
      else pools.set(key, new FunctionPool(devFunction(key), options.maxWorkersPerFunction, options.initTimeoutMs));
    }));
  }

  // The server listens without waiting for the engines: the first request's worker loads the app
  // meanwhile, and its invocation waits for them (the gate). ready() says whether they started.
  const enginesStarted = enginesUp.then(() => {});
  enginesStarted.catch(() => {});
  await startChannels().catch(async (error: unknown) => {
    await builder.dispose();
    await engines.stop();
    throw error;
  });
  await rebuild(state.functions.map((fn) => fn.key));

  async function reload(): Promise<void> {
    try {
      const next = await loadAppState(root, stage, options.region);
      const configChanged = JSON.stringify(next.config) !== JSON.stringify(state.config);
      state = next;
      reloadError = undefined;
      guard.reset();
      apiKeys = keysFor(state.config);
      emitGuardNotes(guard.notes());
      if (configChanged) {
        await builder.dispose();
        builder = createDevBuilder(state.config);
        // Tables and buckets the new config declares exist before any function runs against them.
        const before = JSON.stringify(engines.listing());
        const { planned, done } = engines.apply(state.config);
        // A declaration the engines refuse fails this reload only: later rebuilds do not wait on it.
        enginesUp = done.catch(() => {});
        enginesGate = enginesUp;
        enginesPlanned = planned;
        emitEngineNotes(await done);
        if (JSON.stringify(engines.listing()) !== before) emit({ type: 'engines', engines: engines.listing() });
      }
      const listed = JSON.stringify(engines.listing());
      // A job's queue the service cannot create fails this reload, as a refused declaration does.
      await subscribeJobs();
      if (JSON.stringify(engines.listing()) !== listed) emit({ type: 'engines', engines: engines.listing() });
      const keys = new Set(state.functions.map((fn) => fn.key));
      for (const [key, pool] of pools) if (!keys.has(key)) { void pool.close(); pools.delete(key); bundles.delete(key); }
      // A first channel starts the endpoint before the rebuild, so every worker gets its @connections address.
      await startChannels();
      await rebuild(keys);
      jobs?.update(state);
      emit({ type: 'reloaded', routes: state.app.table.routes.length });
    } catch (error) {
      reloadError = describeLoadError(error);
      emit({ type: 'reload-error', message: reloadError });
    }
  }

  // --- file watching: rebuild only the functions whose inputs changed ------------------------
  let watcher: FSWatcher | undefined;
  let pending = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let settling: Promise<void> = Promise.resolve();
  const contents = createContentTracker();
  const flush = () => {
    timer = undefined;
    const notified = pending;
    pending = new Map();
    // An unexpected failure of one rebuild must not stop every later one from running.
    settling = settling.catch((error: unknown) => emit({ type: 'server-error', message: String((error as Error)?.stack ?? error) })).then(async () => {
      // One save can reach us as several notifications spread over more than the debounce (a
      // write and its close, an atomic rename): a file whose bytes are the ones already acted on
      // has not changed again.
      const changed = await contents.changed([...notified.keys()]);
      if (changed.length === 0) return;
      // A channel's class is its API's routing too (its actions are route keys): a save inspects the app again.
      const full = changed.some((file) => state.reloadFiles.has(file) || /(^|[/\\])\.env/.test(file) || file.startsWith(join(root, 'app', 'channels') + sep) || isNewOrRemovedSource(file, notified.get(file)!));
      if (full) return reload();
      const affected = state.functions.filter((fn) => [...changed].some((file) => bundles.get(fn.key)?.inputs.has(file) || bundles.get(fn.key)?.error)).map((fn) => fn.key);
      await rebuild(affected);
    });
  };
  // A source file under app/ or config/ that was added or removed, or that no bundle knows, may
  // change the set of controllers, jobs or functions (`destroy job` removes a bundle's own entry:
  // rebuilding that bundle would only fail). Editor temp files have other extensions.
  const isNewOrRemovedSource = (file: string, event: string) => {
    if (!/\.(ts|mts|js|mjs|json)$/.test(file)) return false;
    if (!file.startsWith(join(root, 'app') + sep) && !file.startsWith(join(root, 'config') + sep)) return false;
    return event === 'add' || event === 'unlink' || ![...bundles.values()].some((bundle) => bundle.inputs.has(file));
  };
  if (options.watch ?? true) {
    // chokidar, not fs.watch: editors and git replace files (a new inode), which Node's recursive
    // fs.watch on Linux stops following after the first time.
    watcher = watch(root, {
      ignoreInitial: true,
      ignored: (file) => IGNORED.test(file.slice(root.length)) || file.startsWith(join(root, 'public') + sep),
      awaitWriteFinish: false,
    });
    watcher.on('all', (event, file) => {
      // An add or unlink is kept over a later change of the same file in one burst.
      if (!pending.has(file) || event !== 'change') pending.set(file, event);
      clearTimeout(timer);
      timer = setTimeout(flush, 25);
    });
    await new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));
  }

  // --- requests --------------------------------------------------------------------------------
  async function invoke(key: string, event: unknown): Promise<InvokeOutcome> {
    return run(key, { event: JSON.stringify(event) ?? 'null' });
  }

  async function run(key: string, input: InvokeInput): Promise<InvokeOutcome> {
    const pool = pools.get(key);
    const bundle = bundles.get(key);
    if (!pool || !bundle) throw new Error(`no function "${key}" — functions: ${[...pools.keys()].join(', ')}`);
    if (bundle.error) return { kind: 'error', error: { errorType: 'BuildError', errorMessage: bundle.error, trace: [] }, cold: false, durationMs: 0 };
    // Lambda's awsRequestId is its own id, not API Gateway's requestId (they differ on AWS too).
    return pool.run(input);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const path = url.split('?')[0] || '/';
    const requestId = randomUUID();
    // The ids a proxied response carries are the event's own (x-amz-apigw-id is
    // $context.extendedRequestId; the trace id is the one the function saw); a response the
    // gateway makes up before any event exists gets fresh ones.
    let gatewayIds: Array<[string, string]> | undefined;
    // An HTTP API (api: 'http') speaks payload 2.0 and answers with v2's own bodies (sections C, E).
    const http = state.config.apiType === 'http';
    const httpCors = http ? httpApiCorsHeaders(state.config.cors, request.headers.origin) : undefined;
    const httpRequestId = http ? createShortRequestId() : undefined;
    const finish = (gateway: GatewayResponse, extra: Partial<Extract<DevServerEvent, { type: 'request' }>> = {}) => {
      // Item 14: an HTTP API's responses carry `apigw-requestid`, a REST API's these three.
      gatewayIds ??= httpRequestId ? [['apigw-requestid', httpRequestId]] : [['x-amzn-RequestId', requestId], ['x-amz-apigw-id', createShortRequestId()], ['X-Amzn-Trace-Id', createTraceId(new Date())]];
      writeResponse(response, method, gateway, gatewayIds);
      emit({ type: 'request', method, path: url, status: gateway.status, durationMs: performance.now() - started, requestId, ...extra });
    };
    /** An answer of the gateway's own (not the function's, not a preflight's): `cors` adds to it (item 76 on an HTTP API). */
    const fail = (gateway: GatewayResponse, extra?: Partial<Extract<DevServerEvent, { type: 'request' }>>) =>
      finish(http ? { ...gateway, headers: [...gateway.headers, ...(httpCors ?? [])] } : withGatewayCors(gateway, state.config.cors), extra);

    if (reloadError) return fail({ status: 502, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify({ message: 'Internal server error', error: reloadError })) });
    if (headerValuesSize(request.rawHeaders) > HEADER_VALUES_LIMIT) {
      request.resume();
      return fail(requestHeaderFieldsTooLarge());
    }
    const { body, tooLarge, timedOut: bodyTimedOut } = await readBody(request, REQUEST_PAYLOAD_LIMIT, bodyTimeoutMs);
    if (tooLarge) return finish(contentLengthExceeded());
    if (bodyTimedOut) {
      // The rest of the body is not waited for: the connection ends with the answer.
      response.shouldKeepAlive = false;
      return fail(endpointTimedOut());
    }

    // Item 76: with CORS configured, an HTTP API answers every preflight itself, before any route.
    const httpPreflight = http && method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined ? httpApiPreflight(state.config.cors, request.headers.origin) : undefined;
    if (httpPreflight) return finish(httpPreflight);
    // The `$default` stage has no prefix (item 12): an HTTP API's paths are matched as sent.
    const direct = http ? findTarget(state, method, path) : undefined;
    const found = http ? direct && { target: direct, eventUrl: url } : findStagedTarget(state, stage, method, path, url);
    if (!found) {
      const preflight = !http && method === 'OPTIONS' ? corsPreflight(state, path, request.headers.origin) : undefined;
      if (preflight) return finish(preflight);
      const file = await serveStatic(join(root, 'public'), method, path);
      return file ? finish(file) : fail(http ? httpApiNotFound() : missingAuthenticationToken());
    }
    const { target, eventUrl } = found;
    const fn = state.functionByKey.get(target.key)!;
    // The ids are chosen here, so that every answer carries the event's own: the gateway keeps a
    // trace id the client sent and adds one otherwise (item 26).
    const sentTraceId = lastRawHeader(request.rawHeaders, 'x-amzn-trace-id');
    const traceId = sentTraceId ?? createTraceId(new Date());
    const gatewayRequest: GatewayRequest = {
      method, path: eventUrl, rawHeaders: sentTraceId === undefined ? [...request.rawHeaders, 'X-Amzn-Trace-Id', traceId] : request.rawHeaders,
      // A copy with a buffer of its own: cloning a view into Node's shared pool would copy the pool.
      body: body.length > 0 ? new Uint8Array(body) : null,
      resource: target.resource, pathParameters: target.pathParameters, stage, requestId, extendedRequestId: createShortRequestId(),
      binaryMediaTypes: state.config.binaryMediaTypes, sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      region: state.config.region,
      // `$default` has no path variables: its event carries no pathParameters.
      ...(httpRequestId ? { routeKey: httpRouteKey(state, target), requestId: httpRequestId, ...(httpRouteKey(state, target) === '$default' ? { pathParameters: null } : {}) } : {}),
    };
    gatewayIds = httpRequestId ? [['apigw-requestid', httpRequestId]] : [['x-amzn-RequestId', requestId], ['x-amz-apigw-id', gatewayRequest.extendedRequestId], ['X-Amzn-Trace-Id', traceId]];
    let input: InvokeInput = { request: gatewayRequest };
    const edge = edgeFor(state, target, method, eventUrl.split('?')[0] || '/');
    if (edge?.auth || (!http && edge?.apiKey)) {
      // API Gateway decides before the function runs, on the event it would send (REST, or v2's 2.0
      // one): the event is made here, where the authorizer reads it, and the worker gets it whole,
      // with requestContext.authorizer filled in. An HTTP API's CORS preflights never get here: v2
      // answers them itself, above.
      const event = gatewayEvent(gatewayRequest);
      const checked = http ? await guard.checkHttp(event as HttpApiEvent, edge, requestId) : await guard.check(event as ApiGatewayProxyEvent, edge, requestId);
      if ('response' in checked) return fail(checked.response);
      const eventJson = JSON.stringify(checked.event);
      if (Buffer.byteLength(eventJson) > LAMBDA_PAYLOAD_LIMIT) return fail(requestTooLong(), { functionName: fn.functionName });
      input = { event: eventJson };
    } else if (mayExceedPayloadLimit(gatewayRequest)) {
      const eventJson = JSON.stringify(gatewayEvent(gatewayRequest));
      if (Buffer.byteLength(eventJson) > LAMBDA_PAYLOAD_LIMIT) return fail(requestTooLong(), { functionName: fn.functionName });
      input = { event: eventJson };
    }

    const bundle = bundles.get(fn.key);
    if (bundle?.error) {
      // The build error goes to the terminal (on build) and, in development, into the 502 body.
      return fail({ status: 502, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify({ message: 'Internal server error', buildError: bundle.error })) }, { functionName: fn.functionName });
    }
    let timedOut: NodeJS.Timeout | undefined;
    const timeoutMs = http ? options.integrationTimeoutMs ?? HTTP_API_TIMEOUT_MS : integrationTimeoutMs;
    const gatewayTimeout = new Promise<'timeout'>((resolve) => (timedOut = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([run(fn.key, input), gatewayTimeout]);
    clearTimeout(timedOut);
    if (outcome === 'timeout') return fail(http ? httpApiServiceUnavailable() : endpointTimedOut(), { functionName: fn.functionName });
    const meta = { functionName: fn.functionName, cold: outcome.cold, ...(outcome.kind === 'result' && outcome.initMs !== undefined && { initMs: outcome.initMs }) };
    const functionFailed = () => (http ? httpApiInternalServerError() : internalServerError());
    if (outcome.kind === 'error') {
      emit({ type: 'function-error', functionName: fn.functionName, requestId, error: outcome.error });
      return fail(functionFailed(), meta);
    }
    if (outcome.payload.length > LAMBDA_PAYLOAD_LIMIT) {
      emit({ type: 'malformed', functionName: fn.functionName, requestId, reason: `the response is ${outcome.payload.length} bytes, over Lambda's 6 MB limit` });
      return fail(functionFailed(), meta);
    }
    const mapped = http
      ? mapHttpApiPayload(outcome.payload, httpCors ? { corsHeaders: httpCors } : {})
      : mapProxyPayload(outcome.payload, { accept: request.headers.accept, binaryMediaTypes: state.config.binaryMediaTypes });
    if (!mapped.malformed) return finish(mapped, meta);
    emit({ type: 'malformed', functionName: fn.functionName, requestId, reason: mapped.malformed });
    return fail(mapped, meta);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      emit({ type: 'server-error', message: (error as Error).stack ?? String(error) });
      if (!response.headersSent) writeResponse(response, request.method ?? 'GET', withGatewayCors(internalServerError(), state.config.cors));
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      // Nothing keeps running: the workers and esbuild contexts started above are released.
      void Promise.all([...pools.values()].map((pool) => pool.close())).then(() => builder.dispose()).then(() => watcher?.close()).then(() => channelServer?.close()).then(() => engines.stop());
      if (error.code === 'EADDRINUSE') reject(new SlsError({ text: `port ${port} on ${host} is already in use`, hint: 'stop the other server, or pass --port <another port> (0 picks a free one)' }));
      else if (error.code === 'EACCES') reject(new SlsError({ text: `no permission to listen on ${host}:${port}`, hint: 'use a port above 1023, e.g. --port 8888' }));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (options.jobs) jobs = startJobs(state, (key, event) => invoke(key, event), emit);

  return {
    url: `http://${urlHost}:${address.port}`,
    state: () => state,
    apiKeys: () => apiKeys.keys,
    engines: () => engines.listing(),
    websocketUrl: () => channelServer?.url,
    ready: () => enginesStarted,
    invoke,
    reload,
    settled: async () => {
      // The watcher reports a write some milliseconds after it lands, and a removal 100 ms later
      // (chokidar waits that long to tell an editor's atomic save from a delete): give it that
      // time, then wait out the debounce and every rebuild started meanwhile.
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      await pause(160);
      for (let current = settling; ; current = settling) {
        while (timer) await pause(10);
        await current;
        if (current === settling && !timer) return;
      }
    },
    async close() {
      closing = true;
      await watcher?.close();
      clearTimeout(timer);
      jobs?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await channelServer?.close();
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      await builder.dispose();
      await engines.stop();
    },
  };
}

/** The text a 502 carries while the app does not load: each diagnostic's own text. */
function describeLoadError(error: unknown): string {
  return (error as { diagnostics?: Array<{ text: string }> }).diagnostics?.map((d) => d.text).join('\n') ?? (error as Error).message;
}
