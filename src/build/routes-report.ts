import { relative, sep } from 'node:path';
import type { Layout, ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { inspectConfiguredApp } from './setting-names.js';
import { planFunctions } from './plan.js';
import type { BuiltFunction, ManifestRoute } from './types.js';
import type { ChannelInfo } from './inspect.js';

function guardOf(route: ManifestRoute | undefined): Pick<RouteRow, 'auth' | 'scopes' | 'apiKey'> {
  const auth = route?.auth;
  return {
    ...(auth && { auth: auth.type === 'iam' ? 'iam' : auth.authorizer }),
    ...(auth?.type === 'cognito' && auth.scopes && { scopes: auth.scopes }),
    ...(route?.apiKey && { apiKey: true }),
  };
}

export interface RouteRow {
  method: string;
  path: string;
  /** API Gateway resource template, e.g. `/posts/{id}`. */
  resource: string;
  /** `posts#show` or `function:hello`. */
  target: string;
  /** The Lambda function that serves it in this layout. */
  functionName: string;
  /** `config/routes.ts:12`, when known. */
  source?: string;
  /** Who guards it: an authorizer's name or `iam`; absent for a public route. */
  auth?: string;
  /** OAuth scopes its Cognito authorizer requires. */
  scopes?: string[];
  /** Whether it wants an `x-api-key` of a usage plan. */
  apiKey?: boolean;
  /** WebSocket rows (method `WS`): the channel, whose route key is in `resource`. */
  channel?: string;
}

/**
 * The route table as `sls-ts routes` shows it, after checking that every route reaches real code.
 * Returns diagnostics instead of rows when anything is wrong.
 */
export async function listRoutes(config: ResolvedConfig, layout: Layout = config.layout): Promise<{ rows: RouteRow[]; diagnostics: Diagnostic[] }> {
  const { app, diagnostics } = await inspectConfiguredApp(config, { cache: true });
  if (!app || diagnostics.some((d) => (d.level ?? 'error') === 'error')) return { rows: [], diagnostics };
  const functions = planFunctions(config, app, layout);
  const servedBy = new Map<string, string>();
  const edges = new Map<string, ManifestRoute>();
  for (const fn of functions) {
    for (const route of fn.routes) {
      servedBy.set(`${route.method} ${route.resource}`, fn.functionName);
      edges.set(`${route.method} ${route.resource}`, route);
    }
  }
  const rows = app.table.routes.map((route) => ({
    method: route.method,
    path: route.path,
    resource: route.resource,
    target: route.targetName,
    functionName: servedBy.get(`${route.method} ${route.resource}`) ?? '',
    ...(route.source && { source: `${route.source.file.startsWith(config.root) ? route.source.file.slice(config.root.length + 1) : route.source.file}:${route.source.line}` }),
    ...guardOf(edges.get(`${route.method} ${route.resource}`)),
  }));
  return { rows: [...rows, ...channelRows(config.root, functions, app.channels)], diagnostics };
}

/**
 * A channel's routes as rows: method `WS`, the local path (`/chat`, its API's own URL when deployed),
 * the route key as the resource, and its guard on $connect — the only route a WebSocket API guards.
 */
function channelRows(root: string, functions: ReadonlyArray<Pick<BuiltFunction, 'kind' | 'key' | 'functionName' | 'channel'>>, channels: readonly ChannelInfo[]): RouteRow[] {
  const files = new Map(channels.map((channel) => [channel.key, relative(root, channel.file).split(sep).join('/')]));
  return functions.flatMap((fn) => {
    if (fn.kind !== 'channel' || !fn.channel) return [];
    const { name, routeKeys, auth } = fn.channel;
    const source = files.get(fn.key);
    return routeKeys.map((routeKey) => ({
      method: 'WS',
      path: `/${name}`,
      resource: routeKey,
      target: `${name}#${routeKey.startsWith('$') ? routeKey.slice(1) : routeKey}`,
      functionName: fn.functionName,
      channel: name,
      ...(source && { source }),
      ...(auth && routeKey === '$connect' && { auth }),
    }));
  });
}
