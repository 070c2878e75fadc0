import type { RouteTable } from './compile.js';
import type { RouteNode } from './tree.js';
import type { CompiledRoute } from './types.js';

export interface RouteMatch {
  route: CompiledRoute;
  /** Raw values, still percent-encoded, exactly as API Gateway puts them in `pathParameters`. */
  pathParameters: Record<string, string> | null;
}

/**
 * Finds the route API Gateway would invoke for `method` and the encoded request path.
 * Resources are tried from most to least specific (literal, then variable, then greedy); the
 * first one that declares the method — or ANY — wins, so `/users/{id}` serves `GET /users/me`
 * when `/users/me` only has PATCH. HEAD is its own method. No match → undefined (a 403 upstream).
 */
export function matchRoute(table: RouteTable, method: string, path: string): RouteMatch | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const segments = trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/');
  const params: Array<[string, string]> = [];
  const route = search(table.tree, segments, 0, method, params);
  if (!route) return undefined;
  return { route, pathParameters: params.length > 0 ? Object.fromEntries(params) : null };
}

function search(node: RouteNode, segments: string[], index: number, method: string, params: Array<[string, string]>): CompiledRoute | undefined {
  if (index === segments.length) return node.methods.get(method) ?? node.methods.get('ANY');
  const segment = segments[index]!;
  const literal = node.literals.get(segment);
  if (literal) {
    const found = search(literal, segments, index + 1, method, params);
    if (found) return found;
  }
  const variable = node.variable;
  if (!variable || segment === '') return undefined;
  if (variable.greedy) {
    const route = variable.node.methods.get(method) ?? variable.node.methods.get('ANY');
    if (route) params.push([variable.name, segments.slice(index).join('/')]);
    return route;
  }
  params.push([variable.name, segment]);
  const found = search(variable.node, segments, index + 1, method, params);
  if (!found) params.pop();
  return found;
}
