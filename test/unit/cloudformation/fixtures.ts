// Hand-built inputs for template tests and the bench: a ResolvedConfig from a user config, and a
// BuildManifest grouped the way the build plans functions per layout (fake zips, no bundling).
import { createHash } from 'node:crypto';
import { functionName, keyOf } from '../../../src/build/names.js';
import type { AuthorizerSpec, BuildManifest, BuiltFunction, FunctionKind, ManifestRoute, MethodAuth } from '../../../src/build/types.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import { resolveLinks } from '../../../src/config/resolve-resources.js';
import type { Layout, ResolvedConfig, UserConfig } from '../../../src/config/types.js';
import type { JobQueueOptions, JobSubscription } from '../../../src/config/subscriptions.js';
import type { PrecompiledRoute, RouteMethod } from '../../../src/router/index.js';
import { controllerClassName, pascalCase } from '../../../src/router/index.js';
import { assertValidTemplate } from '../../support/cfn-validator.js';
import type { GeneratedTemplates } from '../../../src/cloudformation/index.js';

/** How the build resolved a route's guard (route, controller and app settings): absent auth is public. */
export interface RouteGuard {
  auth?: MethodAuth;
  apiKey?: boolean;
}

/** `[verb, rails path, 'controller#action' | 'fn:name', guard?]` */
export type RouteSpec = [RouteMethod, string, string, RouteGuard?];

/** An authorizer as the build lists it; Lambda ones also get their function (`<name>-authorizer`). */
export type AuthorizerFixture =
  | { type: 'token'; name: string; identitySource?: string; ttl?: number; validation?: string }
  | { type: 'request'; name: string; identitySources: string[]; ttl?: number }
  | { type: 'cognito'; name: string; userPoolArns: string[]; identitySource?: string; ttl?: number };

export interface AppSpec {
  routes: RouteSpec[];
  jobs?: Array<{ name: string; schedules: string[] }>;
  /** Plain functions in app/functions (routed ones appear in `routes` as `fn:name`). */
  functions?: string[];
  authorizers?: AuthorizerFixture[];
  /** The app-wide guard (config `auth`), resolved; what the single layout's catch-all methods get. */
  defaultAuth?: MethodAuth;
}

export function makeConfig(user: Partial<UserConfig> = {}, stage = 'dev'): ResolvedConfig {
  return resolveConfig({ name: 'blog', ...user }, { stage, root: '/app', processEnv: {} });
}

/** `/posts/:id/*rest` → `/posts/{id}/{rest+}`, as the router compiles it. */
export function resourceOf(path: string): string {
  if (path === '/') return '/';
  return path.split('/').map((part) => (part.startsWith(':') ? `{${part.slice(1)}}` : part.startsWith('*') ? `{${part.slice(1)}+}` : part)).join('/');
}

export function route(method: RouteMethod, path: string, target: string, guard: RouteGuard = {}): ManifestRoute {
  const parsed = target.startsWith('fn:') ? { function: target.slice(3) } : { controller: target.split('#')[0]!, action: target.split('#')[1]! };
  return { method, path, resource: resourceOf(path), target: parsed, ...guard };
}

function artifact(key: string, salt = ''): BuiltFunction['artifact'] {
  const sha256 = createHash('sha256').update(`${key}${salt}`).digest('hex');
  return { file: `${key}.zip`, sha256, key: `artifacts/${sha256}.zip`, zippedBytes: 1000, unzippedBytes: 3000, codeSha256: sha256 };
}

interface FunctionSpec {
  key: string;
  kind: FunctionKind;
  source: string;
  routes?: PrecompiledRoute[];
  controller?: string;
  action?: string;
  job?: string;
  function?: string;
  schedules?: string[];
  events?: JobSubscription[];
  jobQueue?: JobQueueOptions;
  authorizer?: string;
}

export function builtFunction(config: ResolvedConfig, spec: FunctionSpec): BuiltFunction {
  const { schedules = [], routes = [], events = [], ...rest } = spec;
  const controllerIam = spec.controller ? config.controllers[spec.controller]?.iam ?? [] : [];
  const actionIam = spec.controller && spec.action ? config.controllers[spec.controller]?.actions?.[spec.action]?.iam ?? [] : [];
  // Links add up as the build adds them: app, controller, action, or the job's or function's own
  // (simplified: a controller function here takes its controller's only, not its actions').
  const own = spec.controller ? config.controllers[spec.controller] : spec.job ? config.jobs[spec.job] : spec.function ? config.functions[spec.function] : undefined;
  const actionLinks = spec.controller && spec.action ? config.controllers[spec.controller]?.actions?.[spec.action]?.link ?? [] : [];
  // Concurrency layers app < controller < action, or the job's or function's own (not the widest over a controller's actions).
  const action = spec.controller && spec.action ? config.controllers[spec.controller]?.actions?.[spec.action] : undefined;
  const reserved = action?.reservedConcurrency ?? own?.reservedConcurrency ?? config.reservedConcurrency;
  const provisioned = action?.provisionedConcurrency ?? own?.provisionedConcurrency ?? config.provisionedConcurrency;
  return {
    ...rest,
    functionName: functionName(config.name, config.stage, spec.key),
    handler: 'index.handler',
    routes,
    schedules: schedules.map((expression) => ({ kind: expression.startsWith('rate') ? 'rate' : 'cron', expression })),
    events,
    memory: config.memory,
    timeout: config.timeout,
    ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
    ...(provisioned ? { provisionedConcurrency: provisioned } : {}),
    environment: { ...config.env, SLS_TS_STAGE: config.stage },
    iam: [...config.iam, ...controllerIam, ...actionIam],
    links: resolveLinks([...config.link, ...(own?.link ?? []), ...actionLinks]).sort((a, b) => (a.name < b.name ? -1 : 1)),
    description: `${config.name} ${config.stage}: ${spec.source}`,
    artifact: artifact(spec.key),
  };
}

/** Groups routes into functions the way the build does for `layout`. */
export function makeManifest(config: ResolvedConfig, app: AppSpec, layout: Layout = config.layout): BuildManifest {
  const all = app.routes.map(([method, path, target, guard]) => route(method, path, target, guard));
  const functions: BuiltFunction[] = [];
  const groups = new Map<string, ManifestRoute[]>();
  const add = (key: string, item: ManifestRoute) => groups.set(key, [...(groups.get(key) ?? []), item]);
  const routedFunctions = new Map<string, ManifestRoute[]>();
  for (const item of all) {
    if ('function' in item.target) routedFunctions.set(item.target.function, [...(routedFunctions.get(item.target.function) ?? []), item]);
    else if (layout === 'controller') add(item.target.controller, item);
    else if (layout === 'action') add(`${item.target.controller}#${item.target.action}`, item);
  }
  if (layout === 'single') functions.push(builtFunction(config, { key: 'controller', kind: 'single', source: 'all controllers', routes: all }));
  for (const [group, routes] of groups) {
    const [controller, action] = group.split('#') as [string, string | undefined];
    const className = controllerClassName(controller);
    functions.push(builtFunction(config, action
      ? { key: keyOf(`${controller}-controller`, action), kind: 'action', source: `${className}#${action}`, controller, action, routes }
      : { key: keyOf(`${controller}-controller`), kind: 'controller', source: className, controller, routes }));
  }
  const plain = new Set([...(app.functions ?? []), ...routedFunctions.keys()]);
  for (const name of plain) {
    if (layout === 'single' && routedFunctions.has(name)) continue;
    functions.push(builtFunction(config, { key: keyOf(name), kind: 'function', source: `app/functions/${name}`, function: name, routes: routedFunctions.get(name) ?? [] }));
  }
  for (const job of app.jobs ?? []) {
    functions.push(builtFunction(config, { key: `${job.name}-job`, kind: 'job', source: `${pascalCase(job.name)}Job`, job: job.name, schedules: job.schedules }));
  }
  const authorizers = (app.authorizers ?? []).map((fixture) => authorizerSpec(fixture));
  for (const spec of authorizers) {
    if (spec.type === 'cognito') continue;
    functions.push(builtFunction(config, { key: spec.functionKey, kind: 'authorizer', source: spec.source, authorizer: spec.name }));
  }
  return {
    app: config.name, stage: config.stage, region: config.region, layout, runtime: config.runtime, architecture: config.architecture, functions,
    ...(authorizers.length > 0 ? { authorizers: authorizers.sort((a, b) => (a.name < b.name ? -1 : 1)) } : {}),
    ...(app.defaultAuth ? { defaultAuth: app.defaultAuth } : {}),
  };
}

/** The build's spec of an authorizer fixture, defaults filled in as the lead's inspection does. */
export function authorizerSpec(fixture: AuthorizerFixture): AuthorizerSpec {
  const ttl = fixture.ttl ?? 300;
  if (fixture.type === 'cognito') {
    return { type: 'cognito', name: fixture.name, userPoolArns: fixture.userPoolArns, identitySource: fixture.identitySource ?? 'method.request.header.Authorization', ttl, source: `authorizers.${fixture.name}` };
  }
  const common = { name: fixture.name, functionKey: `${fixture.name}-authorizer`, ttl, source: `app/authorizers/${fixture.name}-authorizer.ts` };
  if (fixture.type === 'request') return { type: 'request', ...common, identitySources: fixture.identitySources };
  return { type: 'token', ...common, identitySource: fixture.identitySource ?? 'method.request.header.Authorization', ...(fixture.validation !== undefined ? { validation: fixture.validation } : {}) };
}

export const USER_POOL_ARN = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123';

/** One authorizer of each kind: TOKEN with a validation regex, REQUEST uncached, Cognito. */
export const AUTHORIZERS: AuthorizerFixture[] = [
  { type: 'token', name: 'admin', ttl: 60, validation: '^Bearer [-0-9a-zA-Z._]+$' },
  { type: 'request', name: 'partner', identitySources: ['method.request.header.X-Partner', 'method.request.querystring.tenant'], ttl: 0 },
  { type: 'cognito', name: 'users', userPoolArns: [USER_POOL_ARN] },
];

/** Every kind of guard once, plus public routes beside them. */
export const GUARDED_APP: AppSpec = {
  routes: [
    ['GET', '/', 'home#index'],
    ['GET', '/posts', 'posts#index'],
    ['POST', '/posts', 'posts#create', { auth: { type: 'cognito', authorizer: 'users', scopes: ['posts/write'] } }],
    ['GET', '/posts/:id', 'posts#show', { auth: { type: 'cognito', authorizer: 'users' } }],
    ['GET', '/admin/stats', 'admin/stats#index', { auth: { type: 'lambda', authorizer: 'admin' } }],
    ['DELETE', '/admin/posts', 'admin/stats#purge', { auth: { type: 'lambda', authorizer: 'admin' }, apiKey: true }],
    ['GET', '/partners', 'partners#index', { auth: { type: 'lambda', authorizer: 'partner' } }],
    ['GET', '/internal', 'internal#index', { auth: { type: 'iam' } }],
    ['GET', '/feed', 'feed#index', { apiKey: true }],
  ],
  authorizers: AUTHORIZERS,
};

/** The example app's shape: a root, a resource, a binary route, a routed function, a namespace, a job. */
export const SMALL_APP: AppSpec = {
  routes: [
    ['GET', '/', 'home#index'],
    ['GET', '/health', 'health#show'],
    ['GET', '/posts', 'posts#index'],
    ['POST', '/posts', 'posts#create'],
    ['GET', '/posts/:id', 'posts#show'],
    ['PATCH', '/posts/:id', 'posts#update'],
    ['PUT', '/posts/:id', 'posts#update'],
    ['DELETE', '/posts/:id', 'posts#destroy'],
    ['GET', '/logo.png', 'images#logo'],
    ['GET', '/hello/:name', 'fn:hello'],
    ['GET', '/admin/stats', 'admin/stats#index'],
    ['DELETE', '/admin/posts', 'admin/stats#purge'],
  ],
  jobs: [{ name: 'cleanup', schedules: ['rate(1 day)'] }],
  functions: ['callback'],
};

/**
 * `controllers` controllers of `routesPerController` routes (up to 10) each, every one under its
 * own top-level path: the Rails resource routes plus collection and member extras.
 */
export function largeApp(controllers: number, routesPerController = 10): AppSpec {
  const routes: RouteSpec[] = [];
  for (let i = 0; i < controllers; i++) {
    const name = `widgets${String(i).padStart(3, '0')}`;
    const all: RouteSpec[] = [
      ['GET', `/${name}`, `${name}#index`],
      ['POST', `/${name}`, `${name}#create`],
      ['GET', `/${name}/:id`, `${name}#show`],
      ['PATCH', `/${name}/:id`, `${name}#update`],
      ['PUT', `/${name}/:id`, `${name}#update`],
      ['DELETE', `/${name}/:id`, `${name}#destroy`],
      ['GET', `/${name}/search`, `${name}#search`],
      ['POST', `/${name}/:id/publish`, `${name}#publish`],
      ['GET', `/${name}/:id/comments`, `${name}#comments`],
      ['GET', `/${name}/:id/history`, `${name}#history`],
    ];
    routes.push(...all.slice(0, routesPerController));
  }
  return { routes, jobs: [{ name: 'cleanup', schedules: ['rate(1 day)', 'cron(0 12 * * ? *)'] }] };
}

/** Validates the root and every child, each child with the parameter values its stack resource passes. */
export function assertAllValid(result: GeneratedTemplates): void {
  assertValidTemplate(result.root, { name: 'root' });
  for (const child of result.children) {
    const stack = result.root.Resources[child.logicalId];
    if (!stack) throw new Error(`root has no stack resource ${child.logicalId}`);
    const parameters = (stack.Properties['Parameters'] ?? {}) as Record<string, unknown>;
    assertValidTemplate(child.template, { name: child.logicalId, parameters });
  }
}

/** Every resource of the root and the children, by logical id, with the template that holds it. */
export function allResources(result: GeneratedTemplates): Map<string, { template: string; resource: Record<string, any> }> {
  const map = new Map<string, { template: string; resource: Record<string, any> }>();
  for (const [id, resource] of Object.entries(result.root.Resources)) map.set(id, { template: 'root', resource });
  for (const child of result.children) for (const [id, resource] of Object.entries(child.template.Resources)) map.set(id, { template: child.logicalId, resource });
  return map;
}

export function ofType(result: GeneratedTemplates, type: string): Array<[string, Record<string, any>]> {
  return [...allResources(result)].filter(([, { resource }]) => resource.Type === type).map(([id, { resource }]) => [id, resource]);
}
