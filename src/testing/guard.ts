// API Gateway's checks before a guarded route's function runs, in the test process: the route's
// authorizer (the app's Lambda authorizer class run in-process through its real handler, a Cognito
// user pool with the config's local keys, AWS_IAM) and its API key. The same emulation as the dev
// server (runtime/emulation), the same precedence as the build (router/route-guard.ts).
import { IAM_AUTH, routeGuard, type CompiledRoute } from '../router/index.js';
import type { LocalEdge } from '../local/local-edge.js';
import { AUTHORIZER_DEFAULTS, createAuthorizerHandler, type AuthorizerClass } from '../runtime/authorizer.js';
import { createLambdaContext } from '../runtime/context.js';
import { Controller } from '../runtime/controller.js';
import {
  authorizeRequest,
  checkApiKey,
  createAuthorizerCache,
  createUsageMeter,
  stringifyClaims,
  type EmulatedAuthorizer,
  type EmulatedMethodAuth,
  type GatewayResponse,
} from '../runtime/emulation/index.js';
import type { ControllerEntry } from '../runtime/handler.js';
import type { ApiGatewayProxyEvent } from '../runtime/types.js';
import { runHandler } from './invoke.js';

/** An app's Lambda authorizer class, loaded when a request first needs it. */
export type AuthorizerEntry = () => Promise<unknown>;

/** What loadApp finds of an app's edge: its config's (see local/local-edge.ts) and app/authorizers/. */
export interface AppEdge {
  config: LocalEdge;
  /** `admin` → app/authorizers/admin-authorizer.ts. */
  authorizers: Record<string, AuthorizerEntry>;
}

/**
 * What a bypassed request's function sees as `requestContext.authorizer` (and the controller as
 * `this.request.auth`): a Lambda authorizer's `principalId` and `context`, or a Cognito
 * authorizer's token `claims`. Values become strings, as API Gateway's REST API passes them.
 */
export interface AuthorizedAs {
  principalId?: string;
  context?: Record<string, string | number | boolean>;
  claims?: Record<string, unknown>;
}

/** requestContext.authorizer as API Gateway fills it for this caller (reference item 30). */
export function authorizerContextOf(as: AuthorizedAs): Record<string, unknown> {
  if (as.claims) return { claims: stringifyClaims(as.claims) };
  const context = Object.fromEntries(Object.entries(as.context ?? {}).map(([key, value]) => [key, String(value)]));
  return { ...context, principalId: as.principalId ?? 'test-user', integrationLatency: 0 };
}

export interface TestGuard {
  /** The gateway's answer when the request may not go on; otherwise the event, with authorizer and identity filled in. */
  check(event: ApiGatewayProxyEvent, route: CompiledRoute, bypass?: AuthorizedAs): Promise<{ response: GatewayResponse } | { event: ApiGatewayProxyEvent }>;
}

/**
 * A guard with its own authorizer result cache and usage meter, as a freshly deployed stage has:
 * one per test client. `now` (ms since the epoch) drives the cache's TTL and the plans' quotas.
 */
export function createTestGuard(edge: AppEdge, controllers: Readonly<Record<string, ControllerEntry>>, now: () => number): TestGuard {
  const cache = createAuthorizerCache();
  const meter = createUsageMeter(edge.config.usagePlans, now);
  const keys = [...edge.config.apiKeys].map(([value, key]) => ({ id: key.key, value }));
  const lambdas = new Map<string, Promise<{ spec: EmulatedAuthorizer; Class: AuthorizerClass }>>();
  const lambda = (name: string) => {
    let loaded = lambdas.get(name);
    if (!loaded) lambdas.set(name, (loaded = loadAuthorizer(name, edge.authorizers[name]!)));
    return loaded;
  };

  const methodAuth = async (route: CompiledRoute): Promise<EmulatedMethodAuth | undefined> => {
    const controller = 'controller' in route.target && route.auth === undefined ? await staticAuthOf(controllers[route.target.controller]) : undefined;
    const { name, from } = routeGuard({ method: route.method, own: route.auth, controller, config: edge.config.auth });
    if (name === undefined || name === false) return undefined;
    const whose = from === 'route' ? `route ${route.method} ${route.path}` : from === 'controller' ? `${route.method} ${route.path}'s controller (static auth)` : "the config's auth";
    if (typeof name !== 'string') throw new Error(`${whose}: auth must be an authorizer's name, '${IAM_AUTH}' or false, got ${JSON.stringify(name)} (sls-ts build reports it too)`);
    if (name === IAM_AUTH) return { type: 'iam' };
    if (edge.config.authorizers.some((authorizer) => authorizer.name === name)) return { type: 'cognito', authorizer: name, ...(route.scopes?.length && { scopes: [...route.scopes] }) };
    if (edge.authorizers[name]) return { type: 'lambda', authorizer: name };
    throw new Error(`${whose} names authorizer "${name}", which the app does not have — create app/authorizers/${name}-authorizer.ts, or declare a Cognito authorizer in the config's authorizers (sls-ts build reports it too)`);
  };

  return {
    async check(event, route, bypass) {
      const auth = bypass ? undefined : await methodAuth(route);
      const authorizers: EmulatedAuthorizer[] = auth?.type === 'lambda' ? [(await lambda(auth.authorizer)).spec] : [...edge.config.authorizers];
      const outcome = await authorizeRequest({
        auth, authorizers, event, region: edge.config.region, cache, now,
        cognitoKeys: (name) => edge.config.authorizers.find((authorizer) => authorizer.name === name)?.keys,
        invoke: async (name, authorizerEvent) => {
          const { Class } = await lambda(name);
          const context = createLambdaContext({ functionName: `${name}-authorizer`, timeoutSeconds: 30 });
          try {
            return { ok: true, payload: JSON.stringify(await runHandler(createAuthorizerHandler(Class, name), authorizerEvent, context)) };
          } catch (error) {
            return { ok: false, errorMessage: error instanceof Error ? error.message : String(error) };
          }
        },
      });
      if (!outcome.allowed) return { response: outcome.response };
      if (route.apiKey) {
        const checked = checkApiKey({ required: true, event, keys });
        if (!checked.ok) return { response: checked.response };
        const key = edge.config.apiKeys.get(checked.identity!.apiKey!)!;
        const over = meter.admit(key);
        if (over) return { response: over };
        Object.assign(event.requestContext.identity, checked.identity);
      }
      if (bypass) event.requestContext.authorizer = authorizerContextOf(bypass);
      else if (outcome.authorizer) event.requestContext.authorizer = outcome.authorizer;
      if (outcome.identity) Object.assign(event.requestContext.identity, outcome.identity);
      return { event };
    },
  };
}

/** A controller's `static auth`; its module is loaded here, as the request would load it anyway. */
async function staticAuthOf(entry: ControllerEntry | undefined): Promise<unknown> {
  if (!entry) return undefined;
  const isClass = typeof entry === 'function' && entry.prototype instanceof Controller;
  const loaded = isClass ? entry : await (entry as () => Promise<unknown>)();
  const type = (loaded as { default?: unknown }).default ?? loaded;
  return (type as { auth?: unknown }).auth;
}

/** The class and its statics as the build reads them, with API Gateway's defaults (AUTHORIZER_DEFAULTS). */
async function loadAuthorizer(name: string, entry: AuthorizerEntry): Promise<{ spec: EmulatedAuthorizer; Class: AuthorizerClass }> {
  const module = (await entry()) as { default?: unknown };
  const Class = module.default as (AuthorizerClass & { type?: unknown; identitySource?: unknown; ttl?: unknown; validation?: unknown }) | undefined;
  const file = `app/authorizers/${name}-authorizer.ts`;
  if (typeof Class !== 'function' || typeof (Class.prototype as { authorize?: unknown }).authorize !== 'function') {
    throw new Error(`${file}: the default export is not an Authorizer class with an authorize method — export default class extends Authorizer { authorize(request) { … } }`);
  }
  const type = Class.type ?? AUTHORIZER_DEFAULTS.type;
  const ttl = Class.ttl ?? AUTHORIZER_DEFAULTS.ttl;
  if (type !== 'token' && type !== 'request') throw new Error(`${file}: static type must be 'token' or 'request', got ${JSON.stringify(type)}`);
  if (typeof ttl !== 'number') throw new Error(`${file}: static ttl must be a number of seconds, got ${JSON.stringify(ttl)}`);
  const validation = Class.validation instanceof RegExp ? Class.validation.source : (Class.validation as string | undefined);
  const base = { name, functionKey: name, ttl };
  if (type === 'token') {
    const identitySource = (Class.identitySource as string | undefined) ?? AUTHORIZER_DEFAULTS.identitySource;
    return { Class, spec: { type: 'token', ...base, identitySource, ...(validation !== undefined && { validation }) } };
  }
  const given = (Class.identitySource as string | string[] | undefined) ?? (ttl > 0 ? [AUTHORIZER_DEFAULTS.identitySource] : []);
  return { Class, spec: { type: 'request', ...base, identitySources: Array.isArray(given) ? [...given] : [given] } };
}
