// What the templates are made of, worked out once from the manifest: the functions, the API
// methods each one serves, the path resources they hang on, and which nested stack each belongs
// to when the app has to be split.
import type { AuthorizerSpec, BuildManifest, BuiltFunction, ManifestRoute, MethodAuth } from '../build/types.js';
import type { RouteMethod } from '../router/index.js';
import { SlsError } from '../shared/errors.js';
import { isPlainKey, isPlainPath, pascalWords } from './logical-ids.js';
import { singleLayoutExtras } from './single-auth.js';

export interface ApiMethodModel {
  /** API Gateway resource path: `/`, `/posts/{id}`, `/{proxy+}`. */
  path: string;
  /** HTTP verb; `ANY` stays ANY. */
  method: RouteMethod;
  /** The function the route proxies to; missing for a CORS preflight answered by a MOCK. */
  fn?: BuiltFunction;
  /** For messages: `GET /posts/{id} → posts#show`. */
  label: string;
  /** How API Gateway guards it; absent: public (AuthorizationType NONE). Never set on a CORS preflight. */
  auth?: MethodAuth;
  /** ApiKeyRequired; never set on a CORS preflight (Jets bug #465: a browser's preflight carries no key). */
  apiKey?: boolean;
}

export interface AppModel {
  /** Sorted by key, so nothing depends on the order the build listed them in. */
  functions: BuiltFunction[];
  /** Sorted by path, then verb. */
  methods: ApiMethodModel[];
  /** Every API resource path except `/` (which the RestApi has already), parents first. */
  paths: string[];
  /** Keys of the functions API Gateway invokes. */
  routed: Set<string>;
  /** The manifest's authorizers, sorted by name (see BuildManifest.authorizers). */
  authorizers: AuthorizerSpec[];
}

/** A nested stack, when the app is split: a controller's (or job's, function's) functions, or a top-level path's resources. */
export interface GroupModel {
  key: string;
  stem: string;
  /** The stem reads back as this group and no other, so its stack id needs no hash. */
  plain: boolean;
  description: string;
}

const SINGLE_PATHS = ['/', '/{proxy+}'];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Works out the API from the functions' routes; `cors` adds an OPTIONS preflight where routes live. */
export function modelApp(manifest: BuildManifest, cors: boolean): AppModel {
  const functions = [...manifest.functions].sort((a, b) => compare(a.key, b.key));
  const methods = new Map<string, ApiMethodModel>();
  const declaredOptions = new Set<string>();
  const add = (method: ApiMethodModel) => {
    const key = `${method.method} ${method.path}`;
    const other = methods.get(key);
    if (other) {
      throw new SlsError({
        text: `${method.label} and ${other.label} are the same API Gateway method`,
        hint: 'API Gateway allows one method per verb and path; remove one of the routes',
      });
    }
    methods.set(key, method);
  };

  for (const fn of functions) {
    if (fn.kind === 'single') {
      // One Lambda routes inside; API Gateway only needs `/` ({proxy+} does not match it) and the
      // rest, guarded as the app is. Routes guarded otherwise get methods of their own (single-auth.ts).
      const guard = guardOf(manifest.defaultAuth);
      for (const path of SINGLE_PATHS) add({ path, method: 'ANY', fn, label: `ANY ${path} → ${fn.source}`, ...guard });
      for (const route of fn.routes) if (route.method === 'OPTIONS') declaredOptions.add(route.resource === '/' ? '/' : '/{proxy+}');
      for (const route of singleLayoutExtras(fn.routes, manifest.defaultAuth)) {
        add({ path: route.resource, method: route.method, fn, label: routeLabel(route), ...guardOf(route.auth, route.apiKey) });
        if (route.method === 'OPTIONS') declaredOptions.add(route.resource);
      }
      continue;
    }
    for (const route of fn.routes) {
      add({ path: route.resource, method: route.method, fn, label: routeLabel(route), ...guardOf(route.auth, route.apiKey) });
      if (route.method === 'OPTIONS') declaredOptions.add(route.resource);
    }
  }

  if (cors) {
    const withRoutes = new Set([...methods.values()].map((method) => method.path));
    for (const path of withRoutes) {
      if (!declaredOptions.has(path) && !methods.has(`OPTIONS ${path}`)) {
        add({ path, method: 'OPTIONS', label: `OPTIONS ${path} → CORS preflight` });
      }
    }
  }

  const paths = new Set<string>();
  for (const { path } of methods.values()) {
    const segments = path.split('/').filter((segment) => segment.length > 0);
    for (let depth = 1; depth <= segments.length; depth++) paths.add(`/${segments.slice(0, depth).join('/')}`);
  }
  const sorted = [...methods.values()].sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
  return {
    functions,
    methods: sorted,
    paths: [...paths].sort(compare),
    routed: new Set(sorted.flatMap((method) => (method.fn ? [method.fn.key] : []))),
    authorizers: [...(manifest.authorizers ?? [])].sort((a, b) => compare(a.name, b.name)),
  };
}

function routeLabel(route: ManifestRoute): string {
  const target = 'function' in route.target ? `function:${route.target.function}` : `${route.target.controller}#${route.target.action}`;
  return `${route.method} ${route.resource} → ${target}`;
}

/** Only what is set: a public route's method keeps exactly the properties (and hash) it had before auth existed. */
function guardOf(auth: MethodAuth | undefined, apiKey?: boolean): Pick<ApiMethodModel, 'auth' | 'apiKey'> {
  return { ...(auth ? { auth } : {}), ...(apiKey ? { apiKey: true } : {}) };
}

export function hasApi(model: AppModel): boolean {
  return model.methods.length > 0;
}

/** `/posts/{id}` → `posts`; `/` → `` (the root stays in the root template). */
export function topSegment(path: string): string {
  return path.split('/')[1] ?? '';
}

/**
 * A function's group: its controller's (so an action-layout controller stays together), or its
 * own for jobs, plain functions and the single layout's function. A pure function of the function
 * itself, so adding routes or controllers never moves it.
 */
export function functionGroup(fn: BuiltFunction): GroupModel {
  if (fn.controller !== undefined) {
    const stem = `${pascalWords(fn.controller)}Controller`;
    return { key: `controller:${fn.controller}`, stem, plain: isPlainKey(`${fn.controller.replace(/\//g, '-')}-controller`), description: fn.source.split('#')[0] ?? fn.source };
  }
  return { key: `function:${fn.key}`, stem: pascalWords(fn.key), plain: isPlainKey(fn.key), description: fn.source };
}

/**
 * A path resource's group: its top-level path part. A pure function of the path, so a resource
 * never moves when routes of other controllers appear under it — API Gateway rejects a second
 * resource with the same parent and path part, and CloudFormation creates the new one before it
 * deletes the old, so a move between stacks would fail the deploy.
 */
export function pathGroup(path: string): GroupModel {
  const top = topSegment(path);
  return { key: `api:/${top}`, stem: `Api${pascalWords(top)}`, plain: isPlainPath(`/${top}`), description: `API paths under /${top}` };
}
