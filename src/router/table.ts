import { createNode, insertRoute, type RouteNode } from './tree.js';
import type { CompiledRoute, RouteDefinition } from './types.js';

/** A compiled, checked route table: the one model used by the Lambda runtime and every tool. */
export interface RouteTable {
  readonly routes: readonly CompiledRoute[];
  /** Routes by `METHOD resource`, which is what API Gateway puts in a proxy event. */
  readonly byResource: ReadonlyMap<string, CompiledRoute>;
  readonly tree: RouteNode;
}

/** What the build embeds in a Lambda bundle: routes already checked, so no DSL or rules ship. */
export type PrecompiledRoute = Pick<CompiledRoute, 'method' | 'path' | 'resource' | 'target' | 'paramAliases'>;

/** `posts#show` or `function:hello`: how messages and tables name a route's target. */
function targetNameOf(route: Pick<RouteDefinition, 'target'>): string {
  return 'function' in route.target ? `function:${route.target.function}` : `${route.target.controller}#${route.target.action}`;
}

export function describeRoute(route: RouteDefinition): { targetName: string; label: string } {
  const targetName = targetNameOf(route);
  const where = route.source ? ` (${route.source.file}:${route.source.line})` : '';
  return { targetName, label: `${route.method} ${route.path} → ${targetName}${where}` };
}

/**
 * Rebuilds a table from precompiled routes without checking API Gateway's rules again — the
 * build already did. This keeps the DSL and its messages out of every Lambda bundle.
 */
export function routeTable(routes: readonly PrecompiledRoute[]): RouteTable {
  const tree = createNode();
  const byResource = new Map<string, CompiledRoute>();
  const list: CompiledRoute[] = [];
  for (const precompiled of routes) {
    // A precompiled route has no source, so its label is describeRoute's without a location (the
    // location code stays out of Lambda bundles); a compiled route given back (the build's
    // inspection cache) keeps its own label and name, spread last.
    const targetName = targetNameOf(precompiled);
    const route: CompiledRoute = { targetName, label: `${precompiled.method} ${precompiled.path} → ${targetName}`, ...precompiled };
    insertRoute(tree, route);
    byResource.set(`${route.method} ${route.resource}`, route);
    list.push(route);
  }
  return { routes: list, byResource, tree };
}
