import { kebabCase, singularize } from './naming.js';
import { captureSource } from './source.js';
import type { RouteDefinition, RouteDiagnostic, RouteMethod, RouteOptions, RouteTarget } from './types.js';

/** `'posts#show'`, or an explicit target such as `{ function: 'hello' }`. */
export type TargetSpec = string | RouteTarget;

export type ResourceAction = 'index' | 'show' | 'create' | 'update' | 'destroy';

export interface ResourcesOptions extends RouteOptions {
  only?: readonly ResourceAction[];
  except?: readonly ResourceAction[];
  /** Controller to route to; defaults to the resource name. */
  controller?: string;
  /** Name of the member path parameter; defaults to `id` (or `<singular>_id` when children are nested). */
  param?: string;
}

/** What `defineRoutes` returns: the recorded routes plus problems found while recording them. */
export interface RouteSet {
  readonly kind: 'sls-ts.routes';
  readonly definitions: readonly RouteDefinition[];
  readonly problems: readonly RouteDiagnostic[];
}

type Nest = (r: RouteBuilder) => void;

interface Scope {
  path: string;
  controller: string;
  /** What an enclosing namespace or resources set for the edge: every route inside inherits it. */
  options: RouteOptions;
}

const RESOURCE_ROUTES: ReadonlyArray<[ResourceAction, RouteMethod, boolean]> = [
  ['index', 'GET', false],
  ['create', 'POST', false],
  ['show', 'GET', true],
  ['update', 'PATCH', true],
  ['update', 'PUT', true],
  ['destroy', 'DELETE', true],
];

/** The route options that concern API Gateway's edge (a `resources` call's options hold others too). */
const EDGE_KEYS = new Set(['auth', 'scopes', 'apiKey']);

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

export class RouteBuilder {
  readonly #definitions: RouteDefinition[];
  readonly #problems: RouteDiagnostic[];
  readonly #scope: Scope;

  /** @internal use defineRoutes */
  constructor(definitions: RouteDefinition[], problems: RouteDiagnostic[], scope: Scope) {
    this.#definitions = definitions;
    this.#problems = problems;
    this.#scope = scope;
  }

  get(path: string, target: TargetSpec, options?: RouteOptions): this { return this.#add('GET', path, target, options); }
  post(path: string, target: TargetSpec, options?: RouteOptions): this { return this.#add('POST', path, target, options); }
  put(path: string, target: TargetSpec, options?: RouteOptions): this { return this.#add('PUT', path, target, options); }
  patch(path: string, target: TargetSpec, options?: RouteOptions): this { return this.#add('PATCH', path, target, options); }
  delete(path: string, target: TargetSpec, options?: RouteOptions): this { return this.#add('DELETE', path, target, options); }
  head(path: string, target: TargetSpec, options?: RouteOptions): this { return this.#add('HEAD', path, target, options); }
  options(path: string, target: TargetSpec, options?: RouteOptions): this { return this.#add('OPTIONS', path, target, options); }
  /** Every verb, like API Gateway's ANY method. */
  any(path: string, target: TargetSpec, options?: RouteOptions): this { return this.#add('ANY', path, target, options); }

  /** `GET /` of the current scope. */
  root(target: TargetSpec, options?: RouteOptions): this { return this.#add('GET', '/', target, options); }

  /**
   * Routes under a path and controller prefix: `namespace('admin', …)` → `/admin/…`,
   * `admin/<controller>`; `namespace('admin', { auth: 'admin' }, …)` guards every route inside.
   */
  namespace(name: string, optionsOrNest: RouteOptions | Nest, maybeNest?: Nest): this {
    const options = typeof optionsOrNest === 'function' ? {} : optionsOrNest;
    const nest = typeof optionsOrNest === 'function' ? optionsOrNest : maybeNest!;
    const inner = { path: joinPath(this.#scope.path, name), controller: `${this.#scope.controller}${kebabCase(name)}/`, options: this.#within(options) };
    nest(new RouteBuilder(this.#definitions, this.#problems, inner));
    return this;
  }

  /** Routes guarded (or opened) alike, without a path or controller prefix: `scope({ auth: 'admin' }, (r) => …)`. */
  scope(options: RouteOptions, nest: Nest): this {
    nest(new RouteBuilder(this.#definitions, this.#problems, { ...this.#scope, options: this.#within(options) }));
    return this;
  }

  /** The scope's edge options with `options` over them (only the keys `options` sets). */
  #within(options: RouteOptions | undefined): RouteOptions {
    const own = Object.fromEntries(Object.entries(options ?? {}).filter(([key, value]) => EDGE_KEYS.has(key) && value !== undefined));
    return { ...this.#scope.options, ...own };
  }

  /**
   * Rails' resources without the HTML-form actions: index, create, show, update (PATCH and PUT),
   * destroy. A nest callback adds routes under `/<name>/:<singular>_id`.
   */
  resources(name: string, optionsOrNest?: ResourcesOptions | Nest, maybeNest?: Nest): this {
    const options = typeof optionsOrNest === 'function' ? {} : (optionsOrNest ?? {});
    const nest = typeof optionsOrNest === 'function' ? optionsOrNest : maybeNest;
    const base = joinPath(this.#scope.path, name);
    const controller = options.controller ?? name;
    const nestedParam = `${singularize(name).replace(/-/g, '_')}_id`;
    // One variable name per path level (API Gateway): with children nested under :post_id, the
    // member routes use :post_id as well and alias it back to params.id.
    const param = options.param ?? (nest ? nestedParam : 'id');
    // Only the name chosen for nesting is aliased; an explicit `param` is what the action reads.
    const aliases = param === 'id' || options.param ? undefined : { id: param };
    // One call, one line in the routes file: its stack is read once, not once per route (a
    // source-mapped stack is the check's main cost on an app of many resources).
    const source = captureSource();
    const edge = this.#within(options);
    for (const [action, method, member] of RESOURCE_ROUTES) {
      if (options.only && !options.only.includes(action)) continue;
      if (options.except?.includes(action)) continue;
      const path = member ? `${base}/:${param}` : base;
      this.#push(method, path, `${controller}#${action}`, edge, member ? aliases : undefined, source);
    }
    if (nest) {
      const inner = { path: `${base}/:${options.param ?? nestedParam}`, controller: this.#scope.controller, options: edge };
      nest(new RouteBuilder(this.#definitions, this.#problems, inner));
    }
    return this;
  }

  #add(method: RouteMethod, path: string, target: TargetSpec, options?: RouteOptions): this {
    this.#push(method, joinPath(this.#scope.path, path), target, this.#within(options));
    return this;
  }

  #push(method: RouteMethod, path: string, spec: TargetSpec, edge: RouteOptions, paramAliases?: Record<string, string>, source = captureSource()): void {
    const target = this.#resolveTarget(spec);
    if (typeof target === 'string') {
      this.#problems.push({
        text: `${method} ${path}: ${target}`,
        route: `${method} ${path}`,
        file: source?.file,
        line: source?.line,
        hint: `write the target as 'controller#action' (e.g. 'posts#show') or { function: 'name' }`,
      });
      return;
    }
    this.#definitions.push({ method, path, target, ...(paramAliases && { paramAliases }), ...(source && { source }), ...edge });
  }

  /** The target, or a string describing why it is invalid. */
  #resolveTarget(spec: TargetSpec): RouteTarget | string {
    if (typeof spec === 'object' && spec !== null) {
      if ('function' in spec) {
        return typeof spec.function === 'string' && /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(spec.function)
          ? { function: spec.function }
          : `invalid function name "${spec.function}"`;
      }
      // A JS routes file can pass { controller } alone; don't let it become `posts#undefined`.
      if (typeof spec.controller !== 'string' || typeof spec.action !== 'string') return `invalid target ${JSON.stringify(spec)}`;
      return this.#resolveTarget(`${spec.controller}#${spec.action}`);
    }
    const match = /^([A-Za-z0-9_/-]+)#([A-Za-z_$][\w$]*)$/.exec(String(spec));
    if (!match?.[1] || !match[2]) return `invalid target "${String(spec)}"`;
    const controller = this.#scope.controller + match[1].split('/').map(kebabCase).join('/');
    return { controller, action: match[2] };
  }
}

/** Declares the app's routes (config/routes.ts): `export default defineRoutes((r) => { r.resources('posts') })`. */
export function defineRoutes(draw: (r: RouteBuilder) => void): RouteSet {
  const definitions: RouteDefinition[] = [];
  const problems: RouteDiagnostic[] = [];
  draw(new RouteBuilder(definitions, problems, { path: '/', controller: '', options: {} }));
  return { kind: 'sls-ts.routes', definitions, problems };
}
