import type { Layout, ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { inspectConfiguredApp } from './setting-names.js';
import { planFunctions } from './plan.js';

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
  for (const fn of functions) for (const route of fn.routes) servedBy.set(`${route.method} ${route.resource}`, fn.functionName);
  const rows = app.table.routes.map((route) => ({
    method: route.method,
    path: route.path,
    resource: route.resource,
    target: route.targetName,
    functionName: servedBy.get(`${route.method} ${route.resource}`) ?? '',
    ...(route.source && { source: `${route.source.file.startsWith(config.root) ? route.source.file.slice(config.root.length + 1) : route.source.file}:${route.source.line}` }),
  }));
  return { rows, diagnostics };
}
