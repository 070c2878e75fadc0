// The HTTP API (`api: 'http'`, API Gateway v2): the Api with CORS configured on it, a `$default`
// stage that deploys itself, one Lambda proxy integration (payload 2.0) per routed function, a
// Route per route key and an invoke permission per function. Sources: doc CloudFormation
// AWS::ApiGatewayV2::Api / Stage / Integration / Route; reference items 12–13 (route keys, `$default`).
//
// The stage is `$default`, not one named after the sls-ts stage: each sls-ts stage deploys its own
// stack and API already, and `$default` serves the API at the root of its URL (no `/dev` prefix,
// item 12), as a custom domain mapping does too — the same paths everywhere.
import type { BuiltFunction, ManifestRoute, MethodAuth } from '../build/types.js';
import type { ResolvedCors } from '../config/types.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { httpRouteAuth } from './http-api-auth.js';
import { FIXED_IDS, OUTPUT_NAMES, pathHome } from './ids.js';
import { getAtt, ref, sub, type Tag } from './intrinsics.js';
import { invokedArn, invokedPermission } from './live-alias.js';
import { isPlainKey, isPlainPath, pascalWords, pathWords, type IdRequest } from './logical-ids.js';
import { functionGroup } from './model.js';
import { singleLayoutExtras } from './single-auth.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import { accessLogParts } from './stage-settings.js';
import type { TemplateOutput } from './types.js';

/** One route of the HTTP API: `GET /posts/{id}`, or `$default` (the single layout's catch-all). */
export interface HttpRouteModel {
  routeKey: string;
  /** The route's API path (`/` for `$default`, which stays in the root). */
  path: string;
  fn: BuiltFunction;
  auth?: MethodAuth;
  label: string;
}

const DEFAULT_ROUTE = '$default';
const routeKeyId = (routeKey: string) => `http-route:${routeKey}`;
const integrationKey = (fn: BuiltFunction) => `function:${fn.key}#http-integration`;

function labelOf(route: ManifestRoute): string {
  const target = 'function' in route.target ? `function:${route.target.function}` : `${route.target.controller}#${route.target.action}`;
  return `${route.method} ${route.resource} → ${target}`;
}

/**
 * The routes, sorted by key. The single layout's function takes `$default` (every request,
 * `/` included, under the app's guard) plus a route of its own for each route guarded otherwise.
 * No preflight routes: with `cors`, API Gateway answers OPTIONS itself (reference item 76).
 */
export function modelHttpRoutes(functions: readonly BuiltFunction[], defaultAuth: MethodAuth | undefined): HttpRouteModel[] {
  const routes = new Map<string, HttpRouteModel>();
  const add = (route: HttpRouteModel) => {
    const other = routes.get(route.routeKey);
    if (other) throw new SlsError({ text: `${route.label} and ${other.label} are the same HTTP API route`, hint: 'an HTTP API allows one route per method and path; remove one of them' });
    routes.set(route.routeKey, route);
  };
  for (const fn of functions) {
    for (const route of fn.routes) {
      if (route.apiKey) {
        throw new SlsError({ text: `${labelOf(route)}: apiKey is not available with api: 'http' (HTTP APIs have no API keys)`, hint: "remove apiKey from the route, or keep api: 'rest'" });
      }
    }
    if (fn.kind === 'single') {
      add({ routeKey: DEFAULT_ROUTE, path: '/', fn, ...(defaultAuth ? { auth: defaultAuth } : {}), label: `${DEFAULT_ROUTE} → ${fn.source}` });
      // As on REST (single-auth.ts): a route guarded otherwise, and any route whose requests its
      // route key would take from `$default`, gets a route of its own.
      for (const route of singleLayoutExtras(fn.routes, defaultAuth)) {
        add({ routeKey: `${route.method} ${route.resource}`, path: route.resource, fn, ...(route.auth ? { auth: route.auth } : {}), label: labelOf(route) });
      }
      continue;
    }
    for (const route of fn.routes) add({ routeKey: `${route.method} ${route.resource}`, path: route.resource, fn, ...(route.auth ? { auth: route.auth } : {}), label: labelOf(route) });
  }
  return [...routes.values()].sort((a, b) => (a.routeKey < b.routeKey ? -1 : a.routeKey > b.routeKey ? 1 : 0));
}

/** Logical ids of the routes and integrations, for assignIds (the `$default` route's is fixed). */
export function httpRouteIdRequests(routes: readonly HttpRouteModel[]): IdRequest[] {
  const requests: IdRequest[] = [];
  const integrated = new Set<string>();
  for (const route of routes) {
    if (route.routeKey !== DEFAULT_ROUTE) {
      const method = route.routeKey.slice(0, route.routeKey.indexOf(' '));
      requests.push({ key: routeKeyId(route.routeKey), owner: `path:${route.path}`, stem: `HttpRoute${pathWords(route.path)}`, suffix: pascalWords(method.toLowerCase()), plain: isPlainPath(route.path), label: route.label });
    }
    if (integrated.has(route.fn.key)) continue;
    integrated.add(route.fn.key);
    requests.push({ key: integrationKey(route.fn), owner: `function:${route.fn.key}`, stem: pascalWords(route.fn.key), suffix: 'HttpIntegration', plain: isPlainKey(route.fn.key), label: route.fn.source });
  }
  return requests;
}

/** Tags as ApiGatewayV2 resources take them: a map, not a list. */
export function tagMap(tags: readonly Tag[]): { Tags?: Record<string, string> } {
  return tags.length > 0 ? { Tags: Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value])) } : {};
}

/** The API answers preflights and adds these headers to every response itself (reference item 76). */
export function corsConfiguration(cors: ResolvedCors): Record<string, unknown> {
  return {
    AllowOrigins: cors.origins === '*' ? ['*'] : [...cors.origins],
    AllowMethods: [...cors.methods],
    AllowHeaders: [...cors.headers],
    ...(cors.credentials ? { AllowCredentials: true } : {}),
    MaxAge: cors.maxAge,
  };
}

export function httpApiPart(ctx: GenerateContext): Part {
  const { config } = ctx;
  return {
    id: FIXED_IDS.httpApi,
    home: ROOT_HOME,
    source: 'HTTP API',
    resource: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: {
        Name: `${config.name}-${config.stage}`,
        Description: `${config.name} (${config.stage}), deployed by sls-ts`,
        ProtocolType: 'HTTP',
        ...(config.cors ? { CorsConfiguration: corsConfiguration(config.cors) } : {}),
        ...tagMap(ctx.tags),
      },
    },
  };
}

/** Access logs, and the stage's throttle and detailed metrics on every route (DefaultRouteSettings). */
export function httpStageParts(ctx: GenerateContext): Part[] {
  const { config } = ctx;
  const { accessLogs, throttle, metrics } = config.api;
  const routeSettings = {
    ...(throttle ? { ThrottlingRateLimit: throttle.rate } : {}),
    ...(throttle?.burst !== undefined ? { ThrottlingBurstLimit: throttle.burst } : {}),
    ...(metrics ? { DetailedMetricsEnabled: true } : {}),
  };
  return [...accessLogParts(ctx), {
    id: FIXED_IDS.httpStage,
    home: ROOT_HOME,
    source: `stage ${config.stage} ($default)`,
    resource: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: ref(FIXED_IDS.httpApi),
        StageName: DEFAULT_ROUTE,
        Description: `${config.name} ${config.stage}`,
        // Every change to routes, integrations or authorizers goes live without a Deployment resource.
        AutoDeploy: true,
        ...(accessLogs ? {
          AccessLogSettings: {
            DestinationArn: sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${${FIXED_IDS.accessLogGroup}}`),
            Format: accessLogs.format,
          },
        } : {}),
        ...(Object.keys(routeSettings).length > 0 ? { DefaultRouteSettings: routeSettings } : {}),
        ...tagMap(ctx.tags),
      },
    },
  }];
}

/** What the integration calls: the `live` alias when the function has provisioned concurrency, else the function. */
function integrationTarget(fn: BuiltFunction, ctx: GenerateContext): unknown {
  return invokedArn(ctx.ids.functions.get(fn.key)!);
}

export function httpIntegrationParts(routes: readonly HttpRouteModel[], ctx: GenerateContext): Part[] {
  const functions = new Map(routes.map((route) => [route.fn.key, route.fn]));
  return [...functions.values()].map((fn) => ({
    id: ctx.ids.extra.get(integrationKey(fn))!,
    home: functionGroup(fn).key,
    source: fn.source,
    resource: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: { ApiId: ref(FIXED_IDS.httpApi), IntegrationType: 'AWS_PROXY', IntegrationUri: integrationTarget(fn, ctx), PayloadFormatVersion: '2.0' },
    },
  }));
}

export function httpRouteParts(routes: readonly HttpRouteModel[], ctx: GenerateContext): Part[] {
  return routes.map((route) => ({
    id: route.routeKey === DEFAULT_ROUTE ? FIXED_IDS.httpDefaultRoute : ctx.ids.extra.get(routeKeyId(route.routeKey))!,
    // With its path, like a REST method: a route moving to another controller updates in place.
    // The single layout's few routes stay in the root, where its `$default` is (it has no path stacks).
    home: route.fn.kind === 'single' ? ROOT_HOME : pathHome(route.path),
    source: route.label,
    resource: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: ref(FIXED_IDS.httpApi),
        RouteKey: route.routeKey,
        Target: sub(`integrations/\${${ctx.ids.extra.get(integrationKey(route.fn))!}}`),
        ...httpRouteAuth(route.auth, route.label, ctx),
      },
    },
  }));
}

export function httpPermissionParts(routes: readonly HttpRouteModel[], ctx: GenerateContext): Part[] {
  const functions = new Map(routes.map((route) => [route.fn.key, route.fn]));
  return [...functions.values()].map((fn) => {
    const ids = ctx.ids.functions.get(fn.key)!;
    // Any stage, method and path of this API, and nothing else.
    const permission = invokedPermission(ids, 'apigateway.amazonaws.com', sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${FIXED_IDS.httpApi}}/*`));
    return { id: ids.apiPermission!, home: functionGroup(fn).key, source: fn.source, resource: permission };
  });
}

/** Doc "Quotas for configuring and running an HTTP API": 300 routes (raisable), 300 integrations (not). */
export const HTTP_API_QUOTAS = { routes: 300, integrations: 300 } as const;

export function httpApiQuotaDiagnostics(routes: readonly HttpRouteModel[]): Diagnostic[] {
  const integrations = new Set(routes.map((route) => route.fn.key)).size;
  const found: Diagnostic[] = [];
  if (integrations > HTTP_API_QUOTAS.integrations) {
    found.push({ text: `the HTTP API needs ${integrations} integrations (one per function it calls); API Gateway allows ${HTTP_API_QUOTAS.integrations} per HTTP API, and does not raise it`, hint: "use the controller or single layout (fewer functions), or keep api: 'rest'" });
  }
  if (routes.length > HTTP_API_QUOTAS.routes) {
    found.push({ level: 'warning', text: `the HTTP API has ${routes.length} routes; API Gateway allows ${HTTP_API_QUOTAS.routes} per API unless the quota is raised`, hint: 'ask for more in Service Quotas (Routes per API) before deploying, or use the single layout ($default takes every route)' });
  }
  return found;
}

/** `url` reads ApiUrl; `$default` serves at the endpoint's root. */
export function httpApiOutputs(): Record<string, TemplateOutput> {
  return {
    [OUTPUT_NAMES.apiUrl]: { Description: 'Base URL of the HTTP API ($default stage)', Value: getAtt(FIXED_IDS.httpApi, 'ApiEndpoint') },
    [OUTPUT_NAMES.httpApiId]: { Description: 'HTTP API id', Value: ref(FIXED_IDS.httpApi) },
    [OUTPUT_NAMES.stageName]: { Description: 'API Gateway stage', Value: ref(FIXED_IDS.httpStage) },
  };
}
