import { join, relative } from 'node:path';
import { controllerFile, kebabCase, pascalCase, compileRoutes, routeTable, RouteError, type CompiledRoute, type RouteSet, type RouteTable } from '../router/index.js';
import type { Diagnostic } from '../shared/errors.js';
import { appPaths, findSource, listSources } from './app-files.js';
import { openInspectionCache, type FreshFacts, type InspectionCache, type ModuleFacts } from './inspect-cache.js';
import { applyEnv, loadDefault, loadModule, loadModules, type LoadedModules } from './load-app-code.js';
import type { ScheduleSpec } from './types.js';
import type { JobQueueOptions, JobSubscription } from '../config/subscriptions.js';
import { channelModuleId, inspectChannels, type ChannelInfo } from './inspect-channels.js';

export type { ChannelInfo } from './inspect-channels.js';

export interface ControllerInfo {
  key: string;
  /** Why the module could not be loaded (only with `tolerateLoadErrors`): its function will fail to start. */
  loadError?: string;
  /** Absolute path of the source file. */
  file: string;
  className: string;
  actions: string[];
  /** Methods named as filters or rescue handlers, by role ("before filter"…): never actions. */
  hooks?: Record<string, string>;
  /** Its `static auth`: what guards its routes unless a route says otherwise. */
  auth?: string | false;
}

/** An authorizer class's statics as written (plain data; the build checks them, see auth-checks.ts). */
export interface AuthorizerStatics {
  type?: unknown;
  identitySource?: unknown;
  ttl?: unknown;
  validation?: unknown;
}

export interface AuthorizerInfo {
  /** `admin-authorizer` for app/authorizers/admin-authorizer.ts: its function's key. */
  key: string;
  /** `admin`: the name routes, controllers and the config use. */
  name: string;
  file: string;
  className: string;
  statics: AuthorizerStatics;
}

export interface JobInfo {
  /** `cleanup-job` for app/jobs/cleanup-job.ts. */
  key: string;
  file: string;
  className: string;
  schedules: ScheduleSpec[];
  events: JobSubscription[];
  queue?: JobQueueOptions;
}

export interface FunctionInfo {
  loadError?: string;
  /** `hello` for app/functions/hello.ts (the name `{ function: 'hello' }` routes use). */
  name: string;
  file: string;
}

/** The app as the build sees it: checked routes and the code they reach. */
export interface AppModel {
  root: string;
  routesFile: string;
  table: RouteTable;
  controllers: Map<string, ControllerInfo>;
  jobs: JobInfo[];
  functions: FunctionInfo[];
  /** Lambda authorizer classes in app/authorizers/. */
  authorizers: AuthorizerInfo[];
  /** WebSocket channel classes in app/channels/. */
  channels: ChannelInfo[];
}

export interface InspectOptions {
  /**
   * The functions' environment (config.env), set while the app's modules load: module-scope code
   * often reads its settings from process.env, as it will in Lambda.
   */
  env?: Readonly<Record<string, string>>;
  /**
   * The dev server's mode: a module that fails to load is a warning, and its function is still
   * planned — it then fails each request as Lambda would (Runtime.ImportModuleError, item 86)
   * instead of keeping the whole app from starting.
   */
  tolerateLoadErrors?: boolean;
  /**
   * Reuse what earlier inspections learnt from each module while none of the files it reaches
   * changed (see inspect-cache.ts), and record what this one learns. Off by default: the result
   * is the same, only sooner.
   */
  cache?: boolean;
}

/**
 * Loads the routes, controllers, jobs, functions, authorizers and channels by executing them (bundled by esbuild, with
 * source maps so route lines point into config/routes.ts) and checks that every route reaches
 * real code: the controller file, its default-exported class and the action; a function's
 * `handler` export; each job's schedule. Every problem is returned, not just the first.
 */
export async function inspectApp(root: string, options: InspectOptions = {}): Promise<{ app?: AppModel; diagnostics: Diagnostic[] }> {
  const env = options.env ?? {};
  const restore = applyEnv(env);
  try {
    return await inspect(root, options.tolerateLoadErrors ?? false, options.cache ? openInspectionCache(root, env) : undefined);
  } finally {
    restore();
  }
}

/** A module the inspection looks at: its id in the cache and in the inspection bundle, its file. */
const moduleId = {
  routes: 'routes',
  controller: (bare: string) => `controller:${bare}`,
  job: (bare: string) => `job:${bare}`,
  function: (name: string) => `function:${name}`,
  authorizer: (bare: string) => `authorizer:${bare}`,
};

async function inspect(root: string, tolerant: boolean, cache: InspectionCache | undefined): Promise<{ app?: AppModel; diagnostics: Diagnostic[] }> {
  const paths = appPaths(root);
  const routesFile = findSource(paths.routes);
  if (!routesFile) {
    return { diagnostics: [{ text: 'config/routes.ts not found', file: join(root, 'config'), hint: 'create it: export default defineRoutes((r) => { r.root("home#index") })' }] };
  }
  const sources = (dir: string, suffix?: string) => new Map(listSources(dir, suffix).map((bare) => [bare, findSource(join(dir, bare))!]));
  const controllerFiles = sources(paths.controllers, '-controller');
  const jobFiles = sources(paths.jobs, '-job');
  const functionFiles = sources(paths.functions);
  const authorizerFiles = sources(paths.authorizers, '-authorizer');
  const channelFiles = sources(paths.channels, '-channel');
  const modules = new Map<string, string>([
    [moduleId.routes, routesFile],
    ...[...controllerFiles].map(([bare, file]) => [moduleId.controller(bare), file] as const),
    ...[...jobFiles].map(([bare, file]) => [moduleId.job(bare), file] as const),
    ...[...functionFiles].map(([name, file]) => [moduleId.function(name), file] as const),
    ...[...authorizerFiles].map(([bare, file]) => [moduleId.authorizer(bare), file] as const),
    ...[...channelFiles].map(([bare, file]) => [channelModuleId(bare), file] as const),
  ]);

  // Modules with kept facts are not loaded at all; the rest share one esbuild pass, each behind a
  // lazy import. Controllers no route reaches are bundled (a syntax error there still fails the
  // build) but not run: all they keep is that they compiled, which a routed one must outgrow.
  const startedAt = Date.now();
  const known = cache?.reusable(modules.keys()) ?? new Map<string, ModuleFacts>();
  const routed = routedControllers(known.get(moduleId.routes)?.routes);
  const satisfied = (id: string) => known.has(id) && (!isControllerId(id) || known.get(id)!.className !== undefined || (routed !== undefined && !routed.has(id)));
  const pending = new Map([...modules].filter(([id]) => !satisfied(id)));
  const files = { routesFile, controllerFiles, jobFiles, functionFiles, authorizerFiles, channelFiles };
  // The modules load first with stand-ins for the AWS SDK (sdk-stand-ins.ts): loading the real
  // clients is most of an app check's time. Should the stand-ins not serve, nothing of that pass
  // counts and the modules load again with the real SDK.
  const first = await inspectPass(root, tolerant, known, pending, files, true);
  const pass = first.standInsFailed ? await inspectPass(root, tolerant, known, pending, files, false) : first;
  if (pass.fresh) cache?.record(pass.fresh, new Set(modules.keys()), startedAt);
  if ('error' in pass) throw pass.error;
  return pass.result;
}

/**
 * One load of the `pending` modules and the check of the app on them and the `known` facts:
 * its result (or the error the check threw) and what it learnt (nothing when the modules did not load).
 */
type Pass = ({ result: { app?: AppModel; diagnostics: Diagnostic[] } } | { error: unknown }) & {
  fresh?: FreshFacts[];
  /** Why the stand-ins for the AWS SDK could not serve this pass: it then counts for nothing. */
  standInsFailed?: string;
};

async function inspectPass(root: string, tolerant: boolean, known: ReadonlyMap<string, ModuleFacts>, pending: ReadonlyMap<string, string>, files: AppFiles, sdkStandIns: boolean): Promise<Pass> {
  let loaded: LoadedModules | undefined;
  if (pending.size > 0) {
    const result = await loadModules(root, pending, { sdkStandIns });
    if ('diagnostics' in result) return { result: { diagnostics: result.diagnostics }, ...(result.standInsFailed && { standInsFailed: result.standInsFailed }) };
    loaded = result;
  }
  const facts = new FactFinder(root, known, loaded);
  const learnt = () => facts.fresh.map(({ id, facts: found }) => ({ id, facts: found, inputs: loaded?.inputsOf(id) }));
  let result: { app?: AppModel; diagnostics: Diagnostic[] };
  try {
    result = await check(root, tolerant, facts, files);
  } catch (error) {
    const standInsFailed = loaded?.standInsFailed();
    return { error, fresh: learnt(), ...(standInsFailed && { standInsFailed }) };
  }
  const standInsFailed = loaded?.standInsFailed();
  if (standInsFailed) return { result, standInsFailed };
  const routedNow = routedControllers(result.app?.table.routes);
  for (const id of pending.keys()) if (routedNow && isControllerId(id) && !routedNow.has(id)) facts.learnt(id, {});
  return { result, fresh: learnt() };
}

const isControllerId = (id: string) => id.startsWith(moduleId.controller(''));

/** The ids of the controller modules the routes reach (undefined without routes). */
function routedControllers(routes: readonly CompiledRoute[] | undefined): Set<string> | undefined {
  if (!routes) return undefined;
  return new Set(routes.flatMap((route) => ('controller' in route.target ? [moduleId.controller(controllerFile(route.target.controller))] : [])));
}

/** Where each module's facts come from: kept ones, or its module run now (once). */
class FactFinder {
  /** Facts learnt from modules that loaded cleanly in this inspection, for the cache. */
  readonly fresh: Array<{ id: string; facts: ModuleFacts }> = [];
  readonly #runs = new Map<string, Promise<Record<string, unknown>>>();

  constructor(private readonly root: string, private readonly known: ReadonlyMap<string, ModuleFacts>, private readonly loaded: LoadedModules | undefined) {}

  kept(id: string): ModuleFacts | undefined {
    return this.known.get(id);
  }

  learnt(id: string, facts: ModuleFacts): void {
    this.fresh.push({ id, facts });
  }

  get Controller(): Function {
    return this.loaded!.Controller;
  }

  get Job(): Function {
    return this.loaded!.Job;
  }

  hookMethods(type: Function): Map<string, string> {
    return this.loaded!.hookMethods(type);
  }

  /** The module's exports, or undefined with the failure added to `failures`. */
  module(id: string, file: string, failures: Diagnostic[]): Promise<Record<string, unknown> | undefined> {
    return loadModule(() => this.#run(id), file, failures, this.root);
  }

  /** The module's default export when it is a class (a function), else undefined with the failure. */
  defaultClass(id: string, file: string, failures: Diagnostic[]): Promise<Function | undefined> {
    return loadDefault(() => this.#run(id), file, failures, this.root);
  }

  #run(id: string): Promise<Record<string, unknown>> {
    let run = this.#runs.get(id);
    if (!run) this.#runs.set(id, (run = this.loaded!.load(id)));
    return run;
  }
}

interface AppFiles {
  routesFile: string;
  controllerFiles: ReadonlyMap<string, string>;
  jobFiles: ReadonlyMap<string, string>;
  functionFiles: ReadonlyMap<string, string>;
  authorizerFiles: ReadonlyMap<string, string>;
  channelFiles: ReadonlyMap<string, string>;
}

/** The routes' table, or the diagnostics that keep the app from having one. */
async function routeTableOf(root: string, facts: FactFinder, routesFile: string): Promise<{ table: RouteTable } | { diagnostics: Diagnostic[] }> {
  const kept = facts.kept(moduleId.routes)?.routes;
  if (kept) return { table: routeTable(kept) };
  const failures: Diagnostic[] = [];
  const module = await facts.module(moduleId.routes, routesFile, failures);
  if (!module) return { diagnostics: failures };
  const routeSet = (module as { default?: RouteSet }).default;
  if (routeSet?.kind !== 'sls-ts.routes') {
    return { diagnostics: [{ text: 'config/routes.ts must `export default defineRoutes(...)`', file: routesFile }] };
  }
  let table: RouteTable;
  try {
    table = compileRoutes(routeSet);
  } catch (error) {
    if (!(error instanceof RouteError)) throw error;
    return { diagnostics: error.diagnostics.map((problem) => ({ text: relativize(problem.text, root), file: problem.file ?? routesFile, ...(problem.line && { line: problem.line }), ...(problem.hint && { hint: problem.hint }) })) };
  }
  facts.learnt(moduleId.routes, { routes: [...table.routes] });
  return { table };
}

async function check(root: string, tolerant: boolean, facts: FactFinder, files: AppFiles): Promise<{ app?: AppModel; diagnostics: Diagnostic[] }> {
  const { routesFile, controllerFiles, jobFiles, functionFiles, authorizerFiles, channelFiles } = files;
  const routes = await routeTableOf(root, facts, routesFile);
  if ('diagnostics' in routes) return routes;
  const { table } = routes;
  const diagnostics: Diagnostic[] = [];
  const asWarnings = (found: Diagnostic[]) => (tolerant ? found.map((d) => ({ ...d, level: 'warning' as const })) : found);

  // Controllers: every routed target must exist, be a controller class, and have the action.
  const controllers = new Map<string, ControllerInfo>();
  const unloadable = new Set<string>();
  for (const route of table.routes) {
    const at = { file: route.source?.file ?? routesFile, ...(route.source?.line && { line: route.source.line }) };
    const label = relativize(route.label, root);
    if ('function' in route.target) {
      const name = route.target.function;
      if (!functionFiles.has(name)) {
        diagnostics.push({ ...at, text: `${label}: app/functions/${name}.ts not found`, hint: `create it with \`export async function handler(event, context) {…}\`` });
      }
      continue;
    }
    const { controller, action } = route.target;
    const bare = controllerFile(controller);
    const file = controllerFiles.get(bare);
    if (!file) {
      diagnostics.push({ ...at, text: `${label}: app/controllers/${bare}.ts not found`, hint: `create it (sls-ts generate controller ${controller}) or fix the route` });
      continue;
    }
    let info = controllers.get(controller);
    if (!info) {
      if (unloadable.has(bare)) continue;
      const id = moduleId.controller(bare);
      const kept = facts.kept(id);
      if (kept?.className) info = { key: controller, file, className: kept.className, actions: kept.actions ?? [], hooks: kept.hooks ?? {}, ...(kept.auth !== undefined && { auth: kept.auth }) };
      else {
        const failures: Diagnostic[] = [];
        const type = await facts.defaultClass(id, file, failures);
        if (!type) {
          // Reported once for the file, not again for each of its routes.
          unloadable.add(bare);
          diagnostics.push(...asWarnings(failures));
          if (tolerant) controllers.set(controller, { key: controller, file, className: pascalCase(bare.split('/').pop() ?? bare), actions: [], loadError: failures[0]?.text ?? 'failed to load' });
          continue;
        }
        if (!(type.prototype instanceof facts.Controller)) {
          diagnostics.push({ ...at, text: `${label}: the default export of ${relative(root, file)} is not a Controller class`, hint: `export default class ${(type.name || 'X').replace(/Controller$/, '')}Controller extends Controller {…}` });
          continue;
        }
        const hooks = Object.fromEntries(facts.hookMethods(type));
        const auth = (type as { auth?: string | false }).auth;
        info = { key: controller, file, className: type.name, actions: actionsOf(type, facts.Controller).filter((name) => !(name in hooks)), hooks, ...(auth !== undefined && { auth }) };
        facts.learnt(id, { className: info.className, actions: info.actions, hooks, ...(auth !== undefined && { auth }) });
      }
      controllers.set(controller, info);
    }
    const role = info.hooks?.[action];
    if (!info.loadError && role) {
      diagnostics.push({ ...at, text: `${label}: ${info.className}#${action} is a ${role}, not an action`, hint: `route to an action${info.actions.length ? ` (${info.actions.join(', ')})` : ''}: a ${role} runs for actions, it is not one` });
    } else if (!info.loadError && !info.actions.includes(action)) {
      diagnostics.push({ ...at, text: `${label}: ${info.className} has no action "${action}"`, hint: info.actions.length ? `its actions are ${info.actions.join(', ')}` : `add a method named ${action}` });
    }
  }

  const functions: FunctionInfo[] = [];
  for (const [name, file] of functionFiles) {
    const id = moduleId.function(name);
    if (facts.kept(id)?.handler) {
      functions.push({ name, file });
      continue;
    }
    const failures: Diagnostic[] = [];
    const module = await facts.module(id, file, failures);
    if (!module) {
      if (!tolerant) diagnostics.push(...failures);
      else {
        diagnostics.push(...asWarnings(failures));
        functions.push({ name, file, loadError: failures[0]?.text ?? 'failed to load' });
      }
      continue;
    }
    if (typeof module.handler !== 'function') {
      const text = `${relative(root, file)} does not export a handler function`;
      const hint = 'add `export async function handler(event, context) {…}`';
      // A routed function is reported at each route that reaches it, as the other route errors are.
      const routed = table.routes.filter((route) => 'function' in route.target && route.target.function === name);
      const found: Diagnostic[] = routed.length === 0 ? [{ file, text, hint }] : routed.map((route) => ({ file: route.source?.file ?? routesFile, ...(route.source?.line && { line: route.source.line }), text: `${relativize(route.label, root)}: ${text}`, hint }));
      diagnostics.push(...asWarnings(found));
      if (tolerant) functions.push({ name, file, loadError: text });
      continue;
    }
    facts.learnt(id, { handler: true });
    functions.push({ name, file });
  }

  const jobs: JobInfo[] = [];
  for (const [bare, file] of jobFiles) {
    const key = kebabCase(bare.replace(/\//g, '-'));
    const id = moduleId.job(bare);
    const kept = facts.kept(id);
    if (kept?.className) {
      jobs.push({ key, file, className: kept.className, schedules: kept.schedules ?? [], events: kept.events ?? [], ...(kept.queue && { queue: kept.queue }) });
      continue;
    }
    const failures: Diagnostic[] = [];
    const type = await facts.defaultClass(id, file, failures);
    diagnostics.push(...asWarnings(failures));
    if (!type) continue;
    if (!(type.prototype instanceof facts.Job)) {
      diagnostics.push({ file, text: `the default export of ${relative(root, file)} is not a Job class`, hint: 'export default class CleanupJob extends Job { static schedule = rate("1 day"); perform() {…} }' });
      continue;
    }
    const raw = (type as { schedule?: ScheduleSpec | ScheduleSpec[] }).schedule;
    const schedules = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map(({ kind, expression }) => ({ kind, expression }));
    const { events, queue } = subscriptionsOf(type);
    facts.learnt(id, { className: type.name, schedules, events, ...(queue && { queue }) });
    jobs.push({ key, file, className: type.name, schedules, events, ...(queue && { queue }) });
  }

  const authorizers = await inspectAuthorizers(root, facts, authorizerFiles, diagnostics, asWarnings);
  const channels = await inspectChannels(root, facts, channelFiles, diagnostics, asWarnings);
  return { app: { root, routesFile, table, controllers, jobs, functions, authorizers, channels }, diagnostics };
}

/** Each app/authorizers/<name>-authorizer.ts: a default-exported class with an `authorize` method, and its statics. */
async function inspectAuthorizers(root: string, facts: FactFinder, files: ReadonlyMap<string, string>, diagnostics: Diagnostic[], asWarnings: (found: Diagnostic[]) => Diagnostic[]): Promise<AuthorizerInfo[]> {
  const authorizers: AuthorizerInfo[] = [];
  for (const [bare, file] of files) {
    const key = kebabCase(bare.replace(/\//g, '-'));
    const name = key.replace(/-authorizer$/, '');
    const id = moduleId.authorizer(bare);
    const kept = facts.kept(id);
    if (kept?.className && kept.authorizer) {
      authorizers.push({ key, name, file, className: kept.className, statics: kept.authorizer });
      continue;
    }
    const failures: Diagnostic[] = [];
    const type = await facts.defaultClass(id, file, failures);
    diagnostics.push(...asWarnings(failures));
    if (!type) continue;
    // Not `instanceof Authorizer`: the check must not depend on which copy of sls-ts the app resolved.
    if (typeof (type.prototype as { authorize?: unknown }).authorize !== 'function') {
      diagnostics.push({ file, text: `the default export of ${relative(root, file)} is not an Authorizer class with an authorize method`, hint: 'export default class AdminAuthorizer extends Authorizer { authorize(request) { return this.allow("user") } }' });
      continue;
    }
    const { type: kind, identitySource, ttl, validation } = type as AuthorizerStatics;
    const statics: AuthorizerStatics = JSON.parse(JSON.stringify({ type: kind, identitySource, ttl, validation: validation instanceof RegExp ? validation.source : validation })) as AuthorizerStatics;
    facts.learnt(id, { className: type.name, authorizer: statics });
    authorizers.push({ key, name, file, className: type.name, statics });
  }
  return authorizers;
}

/**
 * A job class's `static events` and `static queue`, as plain data (JSON round trip: what the
 * manifest and the inspection cache keep). Their checks live in the build's validation.
 */
function subscriptionsOf(type: Function): { events: JobSubscription[]; queue?: JobQueueOptions } {
  const { events, queue } = type as { events?: unknown; queue?: unknown };
  const plain = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;
  return {
    events: events === undefined ? [] : plain<JobSubscription[]>(Array.isArray(events) ? events : [events]),
    ...(queue !== undefined && queue !== false && { queue: queue === true ? {} : plain<JobQueueOptions>(queue) }),
  };
}

/** Public methods a subclass adds over the framework's Controller (those are the actions). */
function actionsOf(type: Function, base: Function): string[] {
  const actions = new Set<string>();
  for (let proto = type.prototype; proto && proto !== base.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name.startsWith('_') || name in base.prototype) continue;
      if (typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function') actions.add(name);
    }
  }
  return [...actions].sort();
}

function relativize(text: string, root: string): string {
  return text.split(`${root}/`).join('');
}
