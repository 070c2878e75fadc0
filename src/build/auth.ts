// Who guards each route: the authorizers the app has (classes in app/authorizers/, Cognito ones in
// the config, AWS_IAM) and, per route, the one its own options, its controller's `static auth` or
// the config's `auth` names — checked here once, read by the manifest, the templates and the dev server.
import { relative } from 'node:path';
import { AUTHORIZER_DEFAULTS, AUTHORIZER_MAX_TTL, IAM_AUTH, routeGuard, type CompiledRoute } from '../router/index.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import { channelAuthDiagnostics } from './channel-auth.js';
import type { AppModel, AuthorizerInfo } from './inspect.js';
import type { AuthorizerSpec, MethodAuth } from './types.js';

// The name a route gives for AWS_IAM; it lives in router/ with the precedence rule (routeGuard).
export { IAM_AUTH };

const DEFAULT_IDENTITY_SOURCE = AUTHORIZER_DEFAULTS.identitySource;
const DEFAULT_TTL = AUTHORIZER_DEFAULTS.ttl;
const MAX_TTL = AUTHORIZER_MAX_TTL;

// API Gateway's identity source expressions (CreateAuthorizer's identitySource): a request header
// or query parameter, a stage variable, or a $context variable.
const HEADER_SOURCE = /^method\.request\.header\.[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const IDENTITY_SOURCE = /^(method\.request\.(header|querystring)\.[^\s,]+|stageVariables\.[A-Za-z0-9_.:-]+|context\.[A-Za-z0-9_.]+)$/;
const IDENTITY_HINT = 'write method.request.header.<Name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>';

/** Whether `text` is one of API Gateway's identity source expressions. */
export function isIdentitySource(text: unknown): text is string {
  return typeof text === 'string' && IDENTITY_SOURCE.test(text);
}

/** The app's authorizers as the manifest lists them, with the problems that keep one from being built. */
export function authorizerSpecs(config: ResolvedConfig, app: AppModel): { specs: AuthorizerSpec[]; diagnostics: Diagnostic[] } {
  const specs: AuthorizerSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const info of app.authorizers) {
    const spec = lambdaSpec(config, info, diagnostics);
    if (spec) specs.push(spec);
  }
  const classNames = new Set(app.authorizers.map((info) => info.name));
  for (const cognito of config.authorizers) {
    if (classNames.has(cognito.name)) {
      diagnostics.push({ text: `authorizers.${cognito.name}: app/authorizers/${cognito.name}-authorizer.ts has the same name`, hint: 'rename one of them: routes name an authorizer by it', ...(config.configFile && { file: config.configFile }) });
      continue;
    }
    specs.push({ type: 'cognito', name: cognito.name, userPoolArns: [...cognito.userPoolArns], identitySource: cognito.identitySource, ttl: cognito.ttl, source: `authorizers.${cognito.name}` });
  }
  for (const spec of specs) {
    if (spec.name === IAM_AUTH) diagnostics.push({ text: `${spec.source}: "${IAM_AUTH}" is the name routes use for AWS_IAM`, hint: 'give the authorizer another name' });
  }
  return { specs: specs.sort((a, b) => (a.name < b.name ? -1 : 1)), diagnostics };
}

function lambdaSpec(config: ResolvedConfig, info: AuthorizerInfo, diagnostics: Diagnostic[]): AuthorizerSpec | undefined {
  const where = relative(config.root, info.file);
  const fail = (text: string, hint: string) => {
    diagnostics.push({ file: info.file, text: `${where}: ${text}`, hint });
    return undefined;
  };
  const { statics } = info;
  const type = statics.type ?? AUTHORIZER_DEFAULTS.type;
  if (type !== 'token' && type !== 'request') return fail(`static type must be 'token' or 'request', got ${JSON.stringify(type)}`, "'token' reads one header; 'request' sees the whole request");
  const ttl = statics.ttl ?? DEFAULT_TTL;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL) return fail(`static ttl must be a whole number of seconds from 0 to ${MAX_TTL}, got ${JSON.stringify(ttl)}`, 'API Gateway caches a result at most an hour; 0 turns the cache off');
  const base = { name: info.name, functionKey: info.key, ttl, source: `${info.className} (${where})` };
  if (type === 'token') {
    const source = statics.identitySource ?? DEFAULT_IDENTITY_SOURCE;
    if (typeof source !== 'string' || !HEADER_SOURCE.test(source)) return fail(`static identitySource of a token authorizer must be a header, method.request.header.<Name>, got ${JSON.stringify(source)}`, "use type = 'request' to read query parameters, stage variables or context values");
    const validation = statics.validation;
    if (validation !== undefined) {
      if (typeof validation !== 'string') return fail(`static validation must be a regular expression, got ${JSON.stringify(validation)}`, "write it as a string or a RegExp, e.g. '^Bearer [-0-9a-zA-Z._]+$'");
      try {
        new RegExp(validation);
      } catch (error) {
        return fail(`static validation is not a valid regular expression: ${(error as Error).message}`, 'API Gateway matches the whole token against it');
      }
    }
    return { type: 'token', ...base, identitySource: source, ...(validation !== undefined && { validation }) };
  }
  if (statics.validation !== undefined) return fail('static validation applies to token authorizers only', "drop it, or use type = 'token'");
  const given = statics.identitySource ?? (ttl > 0 ? [DEFAULT_IDENTITY_SOURCE] : []);
  const sources = Array.isArray(given) ? given : [given];
  const bad = sources.find((source) => !isIdentitySource(source));
  if (bad !== undefined) return fail(`static identitySource ${JSON.stringify(bad)} is not an identity source expression`, IDENTITY_HINT);
  // API Gateway keys its cache by the identity sources: caching without one is refused.
  if (sources.length === 0 && ttl > 0) return fail('a request authorizer with a cache (ttl > 0) needs at least one identity source', 'add static identitySource, or set static ttl = 0');
  return { type: 'request', ...base, identitySources: sources as string[] };
}

/** How API Gateway guards one route, or why the route's settings do not say it. */
type Edge = { auth?: MethodAuth; apiKey?: boolean };

/**
 * The guard of a route: its own option (or its namespace's), else its controller's `static auth`,
 * else the config's `auth`. An OPTIONS route takes only its own: a preflight behind an authorizer
 * fails every browser's CORS check (Jets #465), so app- and controller-wide guards skip it.
 */
export function routeEdge(config: ResolvedConfig, app: AppModel, specs: readonly AuthorizerSpec[], route: CompiledRoute): Edge | { problem: Diagnostic } {
  const at = { file: route.source?.file ?? app.routesFile, ...(route.source?.line && { line: route.source.line }) };
  const label = route.label.split(`${app.root}/`).join('');
  const problem = (text: string, hint: string) => ({ problem: { ...at, text: `${label}: ${text}`, hint } });
  const controller = 'controller' in route.target ? app.controllers.get(route.target.controller) : undefined;
  const own = route.auth as unknown;
  if (Array.isArray(own)) return problem(`is attached to ${own.length} authorizers (${own.map((name) => JSON.stringify(name)).join(', ')})`, 'API Gateway runs one authorizer per method: keep one, or write one REQUEST authorizer that checks both');
  if (own !== undefined && own !== false && typeof own !== 'string') return problem(`auth must be an authorizer's name, '${IAM_AUTH}' or false, got ${JSON.stringify(own)}`, 'e.g. { auth: "admin" } for app/authorizers/admin-authorizer.ts');
  if (typeof own === 'string' && typeof controller?.auth === 'string' && controller.auth !== own && route.method !== 'OPTIONS') {
    return problem(`is attached to two authorizers: "${own}" (the route) and "${controller.auth}" (${controller.className}.auth)`, 'API Gateway runs one authorizer per method: remove one of them, or set auth: false on the route to make it public');
  }
  if (route.apiKey !== undefined && typeof route.apiKey !== 'boolean') return problem(`apiKey must be true or false, got ${JSON.stringify(route.apiKey)}`, 'apiKey: true asks callers for an x-api-key header');
  if (route.apiKey && config.usagePlans.length === 0 && config.apiType !== 'http') return problem('requires an API key, but the config declares no usagePlans to give one out', "add usagePlans: { default: { keys: ['my-client'] } } to sls-ts.config.ts");
  const { name, from } = routeGuard({ method: route.method, own, controller: controller?.auth, config: config.auth });
  const edge: Edge = route.apiKey ? { apiKey: true } : {};
  const scopes = route.scopes;
  if (name === undefined || name === false) {
    if (scopes?.length) return problem('sets scopes but no Cognito authorizer guards it', "scopes go with a Cognito authorizer: { auth: 'users', scopes: ['orders/read'] }");
    return edge;
  }
  if (typeof name !== 'string') {
    const whose = from === 'controller' ? `${controller!.className}.auth` : 'the config\'s auth';
    return problem(`${whose} must be an authorizer's name, '${IAM_AUTH}' or false, got ${JSON.stringify(name)}`, 'e.g. static auth = "admin" for app/authorizers/admin-authorizer.ts');
  }
  if (name === IAM_AUTH) {
    if (scopes?.length) return problem('sets scopes, which only a Cognito authorizer checks', 'drop scopes, or guard the route with a Cognito authorizer');
    return { ...edge, auth: { type: 'iam' } };
  }
  const spec = specs.find((candidate) => candidate.name === name);
  if (!spec) {
    // The config's own is one problem, however many routes inherit it (authDiagnostics says it once).
    if (from === 'config') return { problem: missingConfigAuth(config, specs, name) };
    const whose = from === 'route' ? 'the route names' : `${controller!.className}.auth names`;
    const near = closestMatch(name, [...specs.map((candidate) => candidate.name), IAM_AUTH]);
    return problem(`${whose} authorizer "${name}", which the app does not have`, near ? `did you mean "${near}"?` : `create app/authorizers/${name}-authorizer.ts, or declare a Cognito authorizer in the config's authorizers`);
  }
  if (spec.type === 'cognito') {
    if (scopes !== undefined && (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string' || scope.length === 0))) return problem('scopes must be a list of OAuth scope names', "e.g. scopes: ['orders/read']");
    return { ...edge, auth: { type: 'cognito', authorizer: name, ...(scopes?.length && { scopes: [...scopes] }) } };
  }
  if (scopes?.length) return problem(`sets scopes, but "${name}" is a Lambda authorizer, which API Gateway gives no scopes to check`, 'check scopes inside the authorizer, or use a Cognito authorizer');
  return { ...edge, auth: { type: 'lambda', authorizer: name } };
}

/** The config's `auth` as the single layout's catch-all methods carry it (undefined: public). */
export function defaultEdge(config: ResolvedConfig, specs: readonly AuthorizerSpec[]): MethodAuth | undefined {
  const name = config.auth;
  if (typeof name !== 'string') return undefined;
  if (name === IAM_AUTH) return { type: 'iam' };
  const spec = specs.find((candidate) => candidate.name === name);
  if (!spec) return undefined;
  return spec.type === 'cognito' ? { type: 'cognito', authorizer: name } : { type: 'lambda', authorizer: name };
}

/** What the manifest says of the app's edge: its authorizers and app-wide guard (nothing for an app without either). */
export function edgeOfApp(config: ResolvedConfig, app: AppModel): { authorizers?: AuthorizerSpec[]; defaultAuth?: MethodAuth } {
  const { specs } = authorizerSpecs(config, app);
  const defaultAuth = defaultEdge(config, specs);
  return { ...(specs.length > 0 && { authorizers: specs }), ...(defaultAuth && { defaultAuth }) };
}

/** Every problem of the app's authorizers and of its routes' and channels' guards. */
export function authDiagnostics(config: ResolvedConfig, app: AppModel): Diagnostic[] {
  const { specs, diagnostics } = authorizerSpecs(config, app);
  for (const route of app.table.routes) {
    const edge = routeEdge(config, app, specs, route);
    if ('problem' in edge) diagnostics.push(edge.problem);
  }
  diagnostics.push(...channelAuthDiagnostics(config.root, app.channels, specs));
  // The config's own `auth` naming nothing is reported even when every route overrides it.
  const name = config.auth;
  if (typeof name === 'string' && name !== IAM_AUTH && !specs.some((spec) => spec.name === name)) diagnostics.push(missingConfigAuth(config, specs, name));
  const seen = new Set<string>();
  return diagnostics.filter((d) => !seen.has(d.text) && seen.add(d.text));
}

function missingConfigAuth(config: ResolvedConfig, specs: readonly AuthorizerSpec[], name: string): Diagnostic {
  const near = closestMatch(name, [...specs.map((spec) => spec.name), IAM_AUTH]);
  return {
    text: `the config's auth names authorizer "${name}", which the app does not have`,
    hint: near ? `did you mean "${near}"?` : `create app/authorizers/${name}-authorizer.ts, or declare it in authorizers`,
    ...(config.configFile && { file: config.configFile }),
  };
}
