// The single layout's API is `ANY /` and `ANY /{proxy+}`, guarded as the app is (BuildManifest.defaultAuth).
// API Gateway can only guard what it sees, so a route guarded otherwise (another authorizer, a
// public route in a guarded app, an API key) gets a method of its own pointing at the same
// function. API Gateway then picks it over the catch-all, as it picks any more specific resource
// declaring the verb, and falls back to the catch-all for the verbs it does not declare
// (apigw-fidelity item 2, obs floci-io/floci#3399) — the router in the Lambda does the same.
import type { ManifestRoute, MethodAuth } from '../build/types.js';
import type { RouteMethod } from '../router/index.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';

const PROXY = '/{proxy+}';
const LAYOUT_HINT = "or use layout: 'controller', which gives every route its own method";

function sameAuth(a: MethodAuth | undefined, b: MethodAuth | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.type !== b.type) return false;
  if (a.type === 'iam') return true;
  if (a.authorizer !== (b as typeof a).authorizer) return false;
  const scopes = (auth: MethodAuth) => (auth.type === 'cognito' ? [...(auth.scopes ?? [])].sort().join(' ') : '');
  return scopes(a) === scopes(b);
}

/** Whether API Gateway guards `route` differently from the catch-all methods. */
export function differsFromDefault(route: ManifestRoute, defaultAuth: MethodAuth | undefined): boolean {
  return route.apiKey === true || !sameAuth(route.auth, defaultAuth);
}

function segmentsOf(resource: string): string[] {
  return resource === '/' ? [] : resource.slice(1).split('/');
}

const isVariable = (segment: string) => segment.startsWith('{');
const isGreedy = (segment: string) => segment.endsWith('+}');

/**
 * Whether API Gateway would send some request of `inner` to `outer`'s resource (rather than to
 * the catch-all) while the router in the Lambda sends it to `inner`: `outer` has a variable, or
 * a greedy tail, where `inner` is more specific. Where `outer` has a literal and `inner` a
 * variable, both pick `outer`'s route for that literal, so nothing is taken. Errs on the side of
 * "taken" (a variable meeting a variable), which only costs `inner` a method of its own.
 */
function covers(outer: string, inner: string): boolean {
  const o = segmentsOf(outer);
  const i = segmentsOf(inner);
  for (let index = 0; index <= o.length; index++) {
    if (index === o.length) return index === i.length;
    const segment = o[index]!;
    if (isGreedy(segment)) return i.length > index;
    if (index === i.length) return false;
    if (!isVariable(segment) && segment !== i[index]) return false;
  }
  return false;
}

function overlaps(a: RouteMethod, b: RouteMethod): boolean {
  return a === b || a === 'ANY' || b === 'ANY';
}

function conflict(route: ManifestRoute): Diagnostic | undefined {
  const label = `${route.method} ${route.path}`;
  if (route.method === 'ANY' && (route.resource === '/' || route.resource === PROXY)) {
    return {
      text: `${label} is guarded unlike the rest of the app, but in the single layout the app's own ANY ${route.resource} method, guarded as the app is, serves it`,
      hint: `declare the verbs it needs (get, post…) instead of any, ${LAYOUT_HINT}`,
    };
  }
  const first = segmentsOf(route.resource)[0];
  if (first !== undefined && isVariable(first) && route.resource !== PROXY && !route.resource.startsWith(`${PROXY}/`)) {
    return {
      text: `${label} needs a method of its own in the single layout (it, or a route sharing its paths, is guarded unlike the rest of the app), but its first path part would sit beside the app's /{proxy+}: API Gateway allows one variable path part per level`,
      hint: `put it under a literal path part (/pages/:slug), guard it like the rest of the app, ${LAYOUT_HINT}`,
    };
  }
  return undefined;
}

/**
 * The routes of a single-layout function that need methods of their own: those guarded unlike
 * `defaultAuth`, and the routes they would otherwise take requests from (which keep their own,
 * default, guard). In the order the build listed them.
 */
export function singleLayoutExtras(routes: readonly ManifestRoute[], defaultAuth: MethodAuth | undefined): ManifestRoute[] {
  const guarded = routes.filter((route) => differsFromDefault(route, defaultAuth));
  const taken = routes.filter((route) => !guarded.includes(route) && guarded.some((other) => covers(other.resource, route.resource) && overlaps(other.method, route.method)));
  // A default route on `/` or `/{proxy+}` itself is what the catch-all serves: nothing to add.
  const extra = new Set([...guarded, ...taken.filter((route) => !(route.method === 'ANY' && (route.resource === '/' || route.resource === PROXY)))]);
  const problems = [...extra].flatMap((route) => conflict(route) ?? []);
  if (problems.length > 0) throw new SlsError(problems);
  return routes.filter((route) => extra.has(route));
}
