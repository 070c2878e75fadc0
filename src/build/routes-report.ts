import type { Layout, ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { inspectConfiguredApp } from './setting-names.js';
import { planFunctions } from './plan.js';
import type { ManifestRoute } from './types.js';

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
  return { rows, diagnostics };
}
