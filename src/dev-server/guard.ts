// API Gateway's checks before a guarded method's function runs: its authorizer (Lambda in its own
// worker pool, Cognito, AWS_IAM) and its API key — the emulation in runtime/emulation/authorizers,
// fed with the dev server's routes, pools and the app's local key sets.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ManifestRoute } from '../build/types.js';
import { matchRoute } from '../router/index.js';
import { authorizeConnect, authorizeHttpApiRequest, authorizeRequest, checkApiKey, createAuthorizerCache, type AuthorizeOutcome, type AuthorizerCache, type EmulatedApiKey, type InvokeAuthorizer, type Jwks } from '../runtime/emulation/index.js';
import type { GatewayResponse } from '../runtime/emulation/index.js';
import type { ApiGatewayProxyEvent, HttpApiEvent } from '../runtime/types.js';
import type { WebSocketEvent } from '../runtime/websocket-types.js';
import type { Diagnostic } from '../shared/errors.js';
import type { LocalApiKey, UsageMeter } from './api-keys.js';
import type { AppState } from './app-state.js';
import { localCognitoKeys } from '../local/local-edge.js';
import type { DevServerEvent } from './events.js';
import type { InvokeOutcome } from './pool.js';
import type { Target } from './targets.js';
import type { ConnectAuthorization } from './websocket/channel-server.js';

/** How API Gateway guards the method a request reached; undefined for a public one. */
export function edgeFor(state: AppState, target: Target, method: string, path: string): Pick<ManifestRoute, 'auth' | 'apiKey'> | undefined {
  // An app without guards (most) pays nothing more per request.
  if (state.edgeByRoute.size === 0 && !state.defaultAuth) return undefined;
  if (target.route) return state.edgeByRoute.get(`${target.route.method} ${target.route.resource}`);
  // The single layout: a route guarded unlike the app has a method of its own on AWS; every other
  // request reaches the catch-all methods, which carry the app-wide guard.
  const match = matchRoute(state.app.table, method, path);
  const own = match && state.edgeByRoute.get(`${match.route.method} ${match.route.resource}`);
  if (own) return own;
  return state.defaultAuth && method !== 'OPTIONS' ? { auth: state.defaultAuth } : undefined;
}

export interface GuardOptions {
  state: () => AppState;
  invoke: (key: string, event: unknown) => Promise<InvokeOutcome>;
  emit: (event: DevServerEvent) => void;
  now: () => number;
  /** The local API keys by value, and what meters their plans' throttle and quota (see api-keys.ts). */
  apiKeys: () => { keys: ReadonlyMap<string, LocalApiKey>; meter: UsageMeter };
}

export interface Guard {
  /** The gateway's answer when the request may not go on; otherwise the event, with authorizer and identity filled in. */
  check(event: ApiGatewayProxyEvent, edge: Pick<ManifestRoute, 'auth' | 'apiKey'>, requestId: string): Promise<{ response: GatewayResponse } | { event: ApiGatewayProxyEvent }>;
  /**
   * The same for an HTTP API (api: 'http'): its authorizer only, as API Gateway v2 runs it (HTTP APIs
   * have no API keys; the router refuses `apiKey` routes with api: 'http').
   */
  checkHttp(event: HttpApiEvent, edge: Pick<ManifestRoute, 'auth'>, requestId: string): Promise<{ response: GatewayResponse } | { event: HttpApiEvent }>;
  /**
   * A guarded channel's $connect (its `static auth`: an authorizer's name or 'iam'), decided on the
   * upgrade request as API Gateway decides it for a WebSocket API; reported as `WS /<channel>`.
   */
  checkConnect(event: WebSocketEvent, channel: { name: string; auth: string }): Promise<ConnectAuthorization>;
  /** Forget cached results (an authorizer changed, or the app reloaded). */
  reset(): void;
  /** What a start or reload should say about the app's Cognito authorizers locally. */
  notes(): Diagnostic[];
}

export function createGuard(options: GuardOptions): Guard {
  let cache: AuthorizerCache = createAuthorizerCache();
  const jwks = new Map<string, Jwks | 'unverified' | undefined>();
  const keysOf = (name: string) => {
    if (jwks.has(name)) return jwks.get(name);
    const { config } = options.state();
    const declared = config.authorizers.find((authorizer) => authorizer.name === name);
    const keys = declared && localCognitoKeys(config.root, declared);
    jwks.set(name, keys);
    return keys;
  };

  const invoke: InvokeAuthorizer = async (functionKey, authorizerEvent) => {
    const result = await options.invoke(functionKey, authorizerEvent);
    return result.kind === 'result' ? { ok: true, payload: result.payload } : { ok: false, errorMessage: result.error.errorMessage };
  };
  /** Every guarded request's decision, for the terminal (which authorizer, cached or invoked, why refused). */
  const report = (outcome: AuthorizeOutcome, auth: ManifestRoute['auth'], request: { method: string; path: string; requestId: string; started: number }) => {
    if (!auth) return;
    const state = options.state();
    const name = auth.type === 'iam' ? 'iam' : auth.authorizer;
    const spec = state.authorizers.find((candidate) => candidate.name === name);
    const functionKey = spec && 'functionKey' in spec ? spec.functionKey : undefined;
    const functionName = functionKey ? state.functionByKey.get(functionKey)?.functionName : undefined;
    const status = outcome.allowed ? 200 : outcome.response.status;
    options.emit({
      type: 'authorizer', name, method: request.method, path: request.path, requestId: request.requestId,
      outcome: outcome.allowed ? 'allow' : status === 401 ? 'unauthorized' : status === 403 ? 'deny' : 'error',
      cached: outcome.allowed ? outcome.cached : false, invoked: outcome.invoked, durationMs: performance.now() - request.started,
      ...(functionName && { functionName }), ...(!outcome.allowed && { detail: outcome.reason }),
    });
  };

  return {
    reset() {
      cache = createAuthorizerCache();
      jwks.clear();
    },
    notes() {
      const { config } = options.state();
      const notes: Diagnostic[] = [];
      for (const authorizer of config.authorizers) {
        const at = `authorizers.${authorizer.name}`;
        if (authorizer.local.unverified) {
          notes.push({ level: 'warning', text: `${at}: local.unverified is set — sls-ts server accepts any well-formed, unexpired token for it WITHOUT checking its signature`, hint: 'use local.jwks with keys that sign your test tokens to check them as Cognito would' });
        } else if (!authorizer.local.jwks) {
          notes.push({ level: 'warning', text: `${at}: no local.jwks, so sls-ts server cannot verify its tokens and answers 500 (AuthorizerConfigurationException) to every request it guards`, hint: 'set local: { jwks: "config/jwks.json" } (the keys that sign your local tokens), or local: { unverified: true }' });
        } else {
          const hint = 'write {"keys":[…]} as Cognito publishes at <issuer>/.well-known/jwks.json, with the keys that sign your local tokens';
          try {
            const parsed = JSON.parse(readFileSync(resolve(config.root, authorizer.local.jwks), 'utf8')) as Partial<Jwks>;
            if (!Array.isArray(parsed.keys)) throw new Error('it has no "keys" list');
            // Readable but empty: no token's key id is found, so each is refused as Cognito refuses a forged one.
            if (parsed.keys.length === 0) notes.push({ level: 'warning', text: `${at}.local.jwks: ${authorizer.local.jwks} holds no keys, so every request it guards gets 401`, hint });
          } catch (error) {
            notes.push({ level: 'warning', text: `${at}.local.jwks: ${authorizer.local.jwks} is not a readable JWKS (${(error as Error).message.split('\n')[0]}), so every request it guards gets 500 (AuthorizerConfigurationException)`, hint });
          }
        }
      }
      return notes;
    },
    async check(event, edge, requestId) {
      const state = options.state();
      const { auth } = edge;
      const started = performance.now();
      const outcome = await authorizeRequest({ auth, authorizers: state.authorizers, event, region: state.config.region, cache, now: options.now, cognitoKeys: keysOf, invoke });
      report(outcome, auth, { method: event.httpMethod, path: event.path, requestId, started });
      if (!outcome.allowed) return { response: outcome.response };
      if (edge.apiKey) {
        const { keys, meter } = options.apiKeys();
        const known: EmulatedApiKey[] = [...keys].map(([value, key]) => ({ id: key.key, value }));
        const checked = checkApiKey({ required: true, event, keys: known });
        if (!checked.ok) return { response: checked.response };
        const over = meter.admit(keys.get(checked.identity!.apiKey!)!);
        if (over) return { response: over };
        Object.assign(event.requestContext.identity, checked.identity);
      }
      if (outcome.authorizer) event.requestContext.authorizer = outcome.authorizer;
      if (outcome.identity) Object.assign(event.requestContext.identity, outcome.identity);
      return { event };
    },
    async checkConnect(event, channel) {
      const state = options.state();
      const started = performance.now();
      const outcome = await authorizeConnect({ auth: channel.auth, authorizers: state.authorizers, event, region: state.config.region, cache, now: options.now, invoke });
      const auth = channel.auth === 'iam' ? { type: 'iam' as const } : { type: 'lambda' as const, authorizer: channel.auth };
      report(outcome, auth, { method: 'WS', path: `/${channel.name}`, requestId: event.requestContext.requestId, started });
      if (!outcome.allowed) return { response: outcome.response };
      // IAM's accessKey and accountId: the identity fields a WebSocket event can carry (strings).
      const identity = outcome.identity && Object.fromEntries(Object.entries(outcome.identity).filter(([, value]) => typeof value === 'string' || value === null)) as Record<string, string | null>;
      return { ...(outcome.authorizer && { authorizer: outcome.authorizer }), ...(identity && { identity }) };
    },
    async checkHttp(event, edge, requestId) {
      const state = options.state();
      const { auth } = edge;
      const started = performance.now();
      const audienceOf = (name: string) => state.config.authorizers.find((authorizer) => authorizer.name === name)?.audience;
      const outcome = await authorizeHttpApiRequest({ auth, authorizers: state.authorizers, event, region: state.config.region, cache, now: options.now, cognitoKeys: keysOf, invoke, audienceOf });
      report(outcome, auth, { method: event.requestContext.http.method, path: event.rawPath, requestId, started });
      if (!outcome.allowed) return { response: outcome.response };
      if (outcome.authorizer) event.requestContext.authorizer = outcome.authorizer;
      return { event };
    },
  };
}
