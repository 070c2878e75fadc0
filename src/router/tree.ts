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

/** Adds a route's resource to the tree; returns the clash if a level already has another variable. */
export function insertRoute(root: RouteNode, route: CompiledRoute): VariableConflict | undefined {
  let node = root;
  for (const part of route.resource.split('/').slice(1)) {
    if (part === '') continue;
    if (part.startsWith('{')) {
      const greedy = part.endsWith('+}');
      const name = part.slice(1, greedy ? -2 : -1);
      const existing = node.variable;
      if (existing && (existing.name !== name || existing.greedy !== greedy)) {
        return { mine: part, theirs: existing.greedy ? `{${existing.name}+}` : `{${existing.name}}`, route: existing.route };
      }
      node.variable ??= { name, greedy, node: createNode(), route };
      node = node.variable.node;
    } else {
      let child = node.literals.get(part);
      if (!child) node.literals.set(part, (child = createNode()));
      node = child;
    }
  }
  node.methods.set(route.method, route);
  return undefined;
}
