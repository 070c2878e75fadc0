import type { CompiledRoute } from './types.js';

/** One API Gateway resource (path level). Literal children win over the variable child. */
export interface RouteNode {
  literals: Map<string, RouteNode>;
  variable?: { name: string; greedy: boolean; node: RouteNode; route: CompiledRoute };
  methods: Map<string, CompiledRoute>;
}

export function createNode(): RouteNode {
  return { literals: new Map(), methods: new Map() };
}

export interface VariableConflict {
  mine: string;
  theirs: string;
  route: CompiledRoute;
}

/**
 * Adds a route's resource to the tree. Compiling checks variableConflict first; Lambda bundles
 * rebuild an already checked table, so the check (and its message parts) stays out of them.
 */
export function insertRoute(root: RouteNode, route: CompiledRoute): void {
  let node = root;
  for (const part of route.resource.split('/').slice(1)) {
    if (part === '') continue;
    if (part.startsWith('{')) {
      const greedy = part.endsWith('+}');
      node.variable ??= { name: part.slice(1, greedy ? -2 : -1), greedy, node: createNode(), route };
      node = node.variable.node;
    } else {
      let child = node.literals.get(part);
      if (!child) node.literals.set(part, (child = createNode()));
      node = child;
    }
  }
  node.methods.set(route.method, route);
}

/** The clash if adding the route would give a path level a second variable (another name, or greedy vs not). */
export function variableConflict(root: RouteNode, route: CompiledRoute): VariableConflict | undefined {
  let node: RouteNode | undefined = root;
  for (const part of route.resource.split('/').slice(1)) {
    if (part === '') continue;
    if (!node) return undefined;
    if (part.startsWith('{')) {
      const greedy = part.endsWith('+}');
      const existing: RouteNode['variable'] = node.variable;
      if (existing && (existing.name !== part.slice(1, greedy ? -2 : -1) || existing.greedy !== greedy)) {
        return { mine: part, theirs: existing.greedy ? `{${existing.name}+}` : `{${existing.name}}`, route: existing.route };
      }
      node = existing?.node;
    } else {
      node = node.literals.get(part);
    }
  }
  return undefined;
}
