import type { RouteSet } from './dsl.js';
import { RouteError } from './errors.js';
import { describeRoute as describe, type RouteTable } from './table.js';
import { insertRoute, createNode, variableConflict } from './tree.js';
import type { CompiledRoute, RouteDiagnostic } from './types.js';

export type { RouteTable } from './table.js';

// API Gateway's CreateResource accepts only these in a literal path part.
const LITERAL = /^[A-Za-z0-9._-]+$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARTIAL_HINT = 'a parameter must fill a whole path part (API Gateway has no partial parameters such as "/files/:name.json")';

function diagnostic(route: CompiledRoute, text: string, hint?: string): RouteDiagnostic {
  return { text: `${route.label}: ${text}`, route: route.label, file: route.source?.file, line: route.source?.line, ...(hint && { hint }) };
}

/** Converts `/posts/:id/*rest` into API Gateway's `/posts/{id}/{rest+}`, or explains why it cannot. */
function toResource(route: CompiledRoute): { resource?: string; problem?: [string, string] } {
  if (!route.path.startsWith('/')) return { problem: [`path "${route.path}" must start with "/"`, `write "/${route.path}"`] };
  if (route.path === '/') return { resource: '/' };
  const segments = route.path.slice(1).split('/');
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const [index, segment] of segments.entries()) {
    const kind = segment[0];
    if (kind === ':' || kind === '*') {
      const name = segment.slice(1);
      if (!NAME.test(name)) {
        // `:name.json` is a partial parameter, not a bad name: say what API Gateway cannot do.
        if (/^[A-Za-z_]\w*[^\w-]/.test(name)) return { problem: [`path part "${segment}" is not allowed`, PARTIAL_HINT] };
        return { problem: [`"${segment}" is not a valid parameter name`, 'use letters, digits and "_" after ":" or "*"'] };
      }
      if (seen.has(name)) return { problem: [`parameter "${name}" appears twice in the path`, 'give each path parameter its own name'] };
      if (kind === '*' && index !== segments.length - 1) {
        return { problem: [`greedy parameter "${segment}" must be the last part of the path`, 'API Gateway only allows {name+} at the end'] };
      }
      seen.add(name);
      parts.push(kind === ':' ? `{${name}}` : `{${name}+}`);
    } else if (!LITERAL.test(segment)) {
      const hint = segment.includes(':') || segment.includes('*')
        ? PARTIAL_HINT
        : 'API Gateway allows only letters, digits and . _ - in a literal path part';
      return { problem: [`path part "${segment || '(empty)'}" is not allowed`, hint] };
    }
    else parts.push(segment);
  }
  return { resource: `/${parts.join('/')}` };
}

/** Checks a route set against API Gateway's rules and returns every problem (none = valid). */
export function validateRoutes(routeSet: RouteSet): RouteDiagnostic[] {
  return tryCompile(routeSet).problems;
}

/** Compiles routes into a table, or throws a RouteError listing every problem at once. */
export function compileRoutes(routeSet: RouteSet): RouteTable {
  const { table, problems } = tryCompile(routeSet);
  if (problems.length > 0) throw new RouteError(problems);
  return table;
}

function tryCompile(routeSet: RouteSet): { table: RouteTable; problems: RouteDiagnostic[] } {
  const problems = [...routeSet.problems];
  const routes: CompiledRoute[] = [];
  const byResource = new Map<string, CompiledRoute>();
  const tree = createNode();
  for (const definition of routeSet.definitions) {
    const route: CompiledRoute = { ...definition, resource: '', ...describe(definition) };
    const { resource, problem } = toResource(route);
    if (problem) {
      problems.push(diagnostic(route, ...problem));
      continue;
    }
    route.resource = resource!;
    const key = `${route.method} ${route.resource}`;
    const duplicate = byResource.get(key);
    if (duplicate) {
      problems.push(diagnostic(route, `duplicates ${duplicate.label}`, 'API Gateway allows one method per verb and path; remove one of them'));
      continue;
    }
    const conflict = variableConflict(tree, route);
    if (conflict) {
      problems.push(diagnostic(route, `path variable "${conflict.mine}" conflicts with "${conflict.theirs}" at the same level in ${conflict.route.label}`,
        'API Gateway allows one variable name per path level (a {name+} counts too); use the same name in both routes'));
      continue;
    }
    insertRoute(tree, route);
    byResource.set(key, route);
    routes.push(route);
  }
  return { table: { routes, byResource, tree }, problems };
}
