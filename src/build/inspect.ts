import { mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { controllerFile, kebabCase, pascalCase, validateRoutes, compileRoutes, type RouteSet, type RouteTable } from '../router/index.js';
import type { Diagnostic } from '../shared/errors.js';
import { appPaths, findSource, listSources } from './app-files.js';
import { readCachedInspection, writeCachedInspection } from './inspect-cache.js';
import { applyEnv, esbuildDiagnostic, loadDefault, loadModule, missingPackageDiagnostics } from './load-app-code.js';
import type { ScheduleSpec } from './types.js';

export interface ControllerInfo {
  key: string;
  /** Why the module could not be loaded (only with `tolerateLoadErrors`): its function will fail to start. */
  loadError?: string;
  /** Absolute path of the source file. */
  file: string;
  className: string;
  actions: string[];
}

export interface JobInfo {
  /** `cleanup-job` for app/jobs/cleanup-job.ts. */
  key: string;
  file: string;
  className: string;
  schedules: ScheduleSpec[];
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
}

type Loaded = Record<string, () => Promise<Record<string, unknown>>>;
interface InspectionModule {
  Controller: Function;
  Job: Function;
  routes: Loaded[string];
  controllers: Loaded;
  jobs: Loaded;
  functions: Loaded;
}

let inspections = 0;

function importLine(name: string, file: string): string {
  return `${JSON.stringify(name)}: () => import(${JSON.stringify(file)})`;
}

/**
 * Loads the routes, controllers, jobs and functions by executing them (bundled by esbuild, with
 * source maps so route lines point into config/routes.ts) and checks that every route reaches
 * real code: the controller file, its default-exported class and the action; a function's
 * `handler` export; each job's schedule. Every problem is returned, not just the first.
 */
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
   * Reuse the last clean inspection while none of its inputs changed (see inspect-cache.ts), and
   * record this one. Off by default: the result is the same, only sooner.
   */
  cache?: boolean;
}

export async function inspectApp(root: string, options: InspectOptions = {}): Promise<{ app?: AppModel; diagnostics: Diagnostic[] }> {
  const env = options.env ?? {};
  const tolerant = options.tolerateLoadErrors ?? false;
  if (options.cache) {
    const cached = readCachedInspection(root, env, tolerant);
    if (cached) return cached;
  }
  const startedAt = Date.now();
  const restore = applyEnv(env);
  let result: Inspection;
  try {
    result = await inspect(root, options);
  } finally {
    restore();
  }
  const { app, diagnostics, inputs } = result;
  // Only clean results are kept: errors, and modules that failed to load, are looked at afresh.
  const clean = app && inputs && !diagnostics.some((d) => (d.level ?? 'error') === 'error')
    && ![...app.controllers.values(), ...app.functions].some((info) => info.loadError);
  if (options.cache && clean) writeCachedInspection(root, env, tolerant, inputs, app, diagnostics, startedAt);
  return { ...(app && { app }), diagnostics };
}

interface Inspection {
  app?: AppModel;
  diagnostics: Diagnostic[];
  /** The app files the inspection bundled, relative to the root (what the cache hashes). */
  inputs?: string[];
}

async function inspect(root: string, options: InspectOptions): Promise<Inspection> {
  const paths = appPaths(root);
  const routesFile = findSource(paths.routes);
  if (!routesFile) {
    return { diagnostics: [{ text: 'config/routes.ts not found', file: join(root, 'config'), hint: 'create it: export default defineRoutes((r) => { r.root("home#index") })' }] };
  }
  const controllerFiles = new Map(listSources(paths.controllers, '-controller').map((bare) => [bare, join(paths.controllers, bare)]));
  const jobFiles = listSources(paths.jobs, '-job');
  const functionNames = listSources(paths.functions);

  const entry = [
    `export { Controller, Job } from 'sls-ts';`,
    `export const routes = () => import(${JSON.stringify(routesFile)});`,
    `export const controllers = {${[...controllerFiles].map(([bare, base]) => importLine(bare, findSource(base)!)).join(',')}};`,
    `export const jobs = {${jobFiles.map((bare) => importLine(bare, findSource(join(paths.jobs, bare))!)).join(',')}};`,
    `export const functions = {${functionNames.map((bare) => importLine(bare, findSource(join(paths.functions, bare))!)).join(',')}};`,
  ].join('\n');

  const tmpDir = join(root, '.sls-ts', 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  // Unique per call: two inspections of one app in the same millisecond must not share a file.
  const outfile = join(tmpDir, `inspect-${process.pid}-${Date.now()}-${++inspections}.mjs`);
  const diagnostics: Diagnostic[] = [];
  let loaded: InspectionModule;
  let metafile: Metafile | undefined;
  try {
    ({ metafile } = await build({
      stdin: { contents: entry, resolveDir: root, sourcefile: 'sls-ts-inspect.ts', loader: 'ts' },
      absWorkingDir: root, outfile, bundle: true, format: 'esm', platform: 'node', packages: 'external', sourcemap: 'inline', logLevel: 'silent', metafile: true,
    }));
    process.setSourceMapsEnabled(true);
    loaded = (await import(pathToFileURL(outfile).href)) as InspectionModule;
  } catch (error) {
    return { diagnostics: missingPackageDiagnostics(error, metafile, root) ?? [esbuildDiagnostic(error, root)] };
  } finally {
    rmSync(outfile, { force: true });
  }

  let routeSet: RouteSet | undefined;
  try {
    routeSet = ((await loaded.routes()) as { default?: RouteSet }).default;
  } catch (error) {
    return { diagnostics: [{ text: `config/routes.ts failed to load: ${(error as Error).message}`, file: routesFile }] };
  }
  if (routeSet?.kind !== 'sls-ts.routes') {
    return { diagnostics: [{ text: 'config/routes.ts must `export default defineRoutes(...)`', file: routesFile }] };
  }
  const routeProblems = validateRoutes(routeSet);
  for (const problem of routeProblems) {
    diagnostics.push({ text: relativize(problem.text, root), file: problem.file ?? routesFile, ...(problem.line && { line: problem.line }), ...(problem.hint && { hint: problem.hint }) });
  }
  if (routeProblems.length > 0) return { diagnostics };
  const table = compileRoutes(routeSet);

  // Controllers: every routed target must exist, be a controller class, and have the action.
  const controllers = new Map<string, ControllerInfo>();
  const unloadable = new Set<string>();
  for (const route of table.routes) {
    const at = { file: route.source?.file ?? routesFile, ...(route.source?.line && { line: route.source.line }) };
    const label = relativize(route.label, root);
    if ('function' in route.target) {
      const name = route.target.function;
      if (!functionNames.includes(name)) {
        diagnostics.push({ ...at, text: `${label}: app/functions/${name}.ts not found`, hint: `create it with \`export async function handler(event, context) {…}\`` });
      }
      continue;
    }
    const { controller, action } = route.target;
    const bare = controllerFile(controller);
    const base = controllerFiles.get(bare);
    if (!base) {
      diagnostics.push({ ...at, text: `${label}: app/controllers/${bare}.ts not found`, hint: `create it (sls-ts generate controller ${controller}) or fix the route` });
      continue;
    }
    const file = findSource(base)!;
    let info = controllers.get(controller);
    if (!info) {
      if (unloadable.has(bare) && !controllers.has(controller)) continue;
      const failures: Diagnostic[] = [];
      const type = await loadDefault(loaded.controllers[bare]!, file, failures, root);
      if (!type) {
        // Reported once for the file, not again for each of its routes.
        unloadable.add(bare);
        if (options.tolerateLoadErrors) {
          diagnostics.push(...failures.map((d) => ({ ...d, level: 'warning' as const })));
          controllers.set(controller, { key: controller, file, className: pascalCase(bare.split('/').pop() ?? bare), actions: [], loadError: failures[0]?.text ?? 'failed to load' });
        } else diagnostics.push(...failures);
        continue;
      }
      if (!(type.prototype instanceof loaded.Controller)) {
        diagnostics.push({ ...at, text: `${label}: the default export of ${relative(root, file)} is not a Controller class`, hint: `export default class ${(type.name || 'X').replace(/Controller$/, '')}Controller extends Controller {…}` });
        continue;
      }
      info = { key: controller, file, className: type.name, actions: actionsOf(type, loaded.Controller) };
      controllers.set(controller, info);
    }
    if (!info.loadError && !info.actions.includes(action)) {
      diagnostics.push({ ...at, text: `${label}: ${info.className} has no action "${action}"`, hint: info.actions.length ? `its actions are ${info.actions.join(', ')}` : `add a method named ${action}` });
    }
  }

  const functions: FunctionInfo[] = [];
  for (const name of functionNames) {
    const file = findSource(join(paths.functions, name))!;
    const failures: Diagnostic[] = [];
    const module = await loadModule(loaded.functions[name]!, file, failures, root);
    if (!module) {
      if (!options.tolerateLoadErrors) diagnostics.push(...failures);
      else {
        diagnostics.push(...failures.map((d) => ({ ...d, level: 'warning' as const })));
        functions.push({ name, file, loadError: failures[0]?.text ?? 'failed to load' });
      }
      continue;
    }
    if (typeof module.handler !== 'function') {
      const text = `${relative(root, file)} does not export a handler function`;
      const hint = 'add `export async function handler(event, context) {…}`';
      // A routed function is reported at each route that reaches it, as the other route errors are.
      const routes = table.routes.filter((route) => 'function' in route.target && route.target.function === name);
      const level = options.tolerateLoadErrors ? { level: 'warning' as const } : {};
      if (routes.length === 0) diagnostics.push({ file, text, hint, ...level });
      for (const route of routes) {
        diagnostics.push({ file: route.source?.file ?? routesFile, ...(route.source?.line && { line: route.source.line }), text: `${relativize(route.label, root)}: ${text}`, hint, ...level });
      }
      if (options.tolerateLoadErrors) functions.push({ name, file, loadError: text });
      continue;
    }
    functions.push({ name, file });
  }

  const jobs: JobInfo[] = [];
  for (const bare of jobFiles) {
    const file = findSource(join(paths.jobs, bare))!;
    const failures: Diagnostic[] = [];
    const type = await loadDefault(loaded.jobs[bare]!, file, failures, root);
    diagnostics.push(...(options.tolerateLoadErrors ? failures.map((d) => ({ ...d, level: 'warning' as const })) : failures));
    if (!type) continue;
    if (!(type.prototype instanceof loaded.Job)) {
      diagnostics.push({ file, text: `the default export of ${relative(root, file)} is not a Job class`, hint: 'export default class CleanupJob extends Job { static schedule = rate("1 day"); perform() {…} }' });
      continue;
    }
    const raw = (type as { schedule?: ScheduleSpec | ScheduleSpec[] }).schedule;
    const schedules = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    jobs.push({ key: kebabCase(bare.replace(/\//g, '-')), file, className: type.name, schedules: schedules.map(({ kind, expression }) => ({ kind, expression })) });
  }

  const inputs = Object.keys(metafile?.inputs ?? {}).filter((input) => input !== 'sls-ts-inspect.ts' && !input.startsWith('<') && !input.includes(':'));
  return { app: { root, routesFile, table, controllers, jobs, functions }, diagnostics, inputs };
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
