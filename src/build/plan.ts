import type { CompiledRoute, PrecompiledRoute } from '../router/index.js';
import type { FunctionSettings, Layout, ResolvedConfig } from '../config/types.js';
import type { AppModel } from './inspect.js';
import { functionName, keyOf } from './names.js';
import type { BuiltFunction, FunctionKind } from './types.js';

/** One Lambda function to build: what goes in its bundle and how it is configured. */
export interface PlannedFunction extends Omit<BuiltFunction, 'artifact'> {
  /** The generated entry module (TypeScript source, resolved from the app root). */
  entrySource: string;
}

function precompiled(route: CompiledRoute): PrecompiledRoute {
  const { method, path, resource, target, paramAliases } = route;
  return { method, path, resource, target, ...(paramAliases && { paramAliases }) };
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * Gives an imported class back the name it was written with when minifying renames it: the
 * runtime's messages and logs ("PostsController#index did not render…") and the app's own
 * `this.constructor.name` read it. (`name` is configurable on every function.) Not when the
 * bundle keeps names anyway: the class may since have been renamed (the dev server rebuilds a
 * controller on save without inspecting it again).
 */
function restoreName(config: ResolvedConfig, local: string, className: string): string[] {
  if (!config.build.minify || config.build.keepNames) return [];
  return [`Object.defineProperty(${local}, "name", { value: ${json(className)} });`];
}

/** Settings layered app < controller < action (IAM statements add up instead of replacing). */
function settingsFor(config: ResolvedConfig, layers: Array<FunctionSettings | undefined>, description: string) {
  let memory = config.memory;
  let timeout = config.timeout;
  const environment: Record<string, string> = { ...config.env };
  const iam = [...config.iam];
  for (const layer of layers) {
    if (!layer) continue;
    memory = layer.memory ?? memory;
    timeout = layer.timeout ?? timeout;
    Object.assign(environment, layer.env);
    iam.push(...(layer.iam ?? []));
    description = layer.description ?? description;
  }
  environment.SLS_TS_STAGE = config.stage;
  if (config.build.sourcemap) environment.NODE_OPTIONS = '--enable-source-maps';
  return { memory, timeout, environment, iam, description };
}

/** The controller-serving entry: precompiled routes, the controllers it needs, and its routing mode. */
function webEntry(config: ResolvedConfig, app: AppModel, routes: CompiledRoute[], routing: 'resource' | 'path'): string {
  const controllers = [...new Set(routes.flatMap((route) => ('controller' in route.target ? [route.target.controller] : [])))];
  const functions = [...new Set(routes.flatMap((route) => ('function' in route.target ? [route.target.function] : [])))];
  // CORS only when configured: corsPolicy is then the one piece of the runtime's CORS code the bundle carries.
  const cors = config.cors ? `, cors: corsPolicy(${json({ origins: config.cors.origins, credentials: config.cors.credentials })})` : '';
  const lines = [`import { createRouteHandler, routeTable${functions.length ? ', functionRoutes' : ''}${cors ? ', corsPolicy' : ''} } from 'sls-ts';`];
  controllers.forEach((key, index) => lines.push(`import C${index} from ${json(app.controllers.get(key)!.file)};`));
  functions.forEach((name, index) => lines.push(`import * as F${index} from ${json(app.functions.find((fn) => fn.name === name)!.file)};`));
  controllers.forEach((key, index) => lines.push(...restoreName(config, `C${index}`, app.controllers.get(key)!.className)));
  lines.push(
    `export const handler = createRouteHandler({`,
    `  routes: routeTable(${json(routes.map(precompiled))}),`,
    `  controllers: {${controllers.map((key, index) => `${json(key)}: C${index}`).join(', ')}},`,
    ...(functions.length ? [`  functions: functionRoutes({${functions.map((name, index) => `${json(name)}: F${index}`).join(', ')}}),`] : []),
    `}, { routing: ${json(routing)}${cors} });`,
  );
  return lines.join('\n') + '\n';
}

/**
 * Decides the app's Lambda functions for a layout: `controller` (one per controller), `action`
 * (one per controller action), `single` (one for every route, routing inside). Jobs and plain
 * functions always get their own. Keys follow file names so logs and invoke read naturally.
 */
export function planFunctions(config: ResolvedConfig, app: AppModel, layout: Layout = config.layout): PlannedFunction[] {
  const planned: PlannedFunction[] = [];
  const add = (key: string, kind: FunctionKind, fields: Partial<PlannedFunction> & Pick<PlannedFunction, 'source' | 'entrySource'>, layers: Array<FunctionSettings | undefined>) => {
    const { description: given, ...rest } = fields;
    const settings = settingsFor(config, layers, given ?? `${config.name} ${config.stage}: ${fields.source}`);
    planned.push({ key, kind, functionName: functionName(config.name, config.stage, key), handler: 'index.handler', routes: [], schedules: [], ...rest, ...settings });
  };
  const byController = new Map<string, CompiledRoute[]>();
  const byAction = new Map<string, CompiledRoute[]>();
  const byFunction = new Map<string, CompiledRoute[]>();
  for (const route of app.table.routes) {
    if ('function' in route.target) push(byFunction, route.target.function, route);
    else {
      push(byController, route.target.controller, route);
      push(byAction, `${route.target.controller}#${route.target.action}`, route);
    }
  }

  if (layout === 'single') {
    add('controller', 'single', { source: 'all controllers', entrySource: webEntry(config, app, app.table.routes as CompiledRoute[], 'path'), routes: app.table.routes.map(precompiled) }, []);
  } else if (layout === 'controller') {
    for (const [key, routes] of byController) {
      const info = app.controllers.get(key)!;
      add(keyOf(`${key}-controller`), 'controller', { controller: key, source: info.className, entrySource: webEntry(config, app, routes, 'resource'), routes: routes.map(precompiled) }, [config.controllers[key], ...actionLayers(config, key, routes)]);
    }
  } else {
    for (const [target, routes] of byAction) {
      const [key, action] = target.split('#') as [string, string];
      const info = app.controllers.get(key)!;
      add(keyOf(`${key}-controller`, action), 'action', { controller: key, action, source: `${info.className}#${action}`, entrySource: webEntry(config, app, routes, 'resource'), routes: routes.map(precompiled) }, [config.controllers[key], config.controllers[key]?.actions?.[action]]);
    }
  }

  for (const fn of app.functions) {
    // In the single layout routed functions live inside the one web function; unrouted ones still deploy.
    if (layout === 'single' && app.table.routes.some((route) => 'function' in route.target && route.target.function === fn.name)) continue;
    const routes = byFunction.get(fn.name) ?? [];
    add(keyOf(fn.name), 'function', { function: fn.name, source: `app/functions/${fn.name}`, entrySource: `export { handler } from ${json(fn.file)};\n`, routes: routes.map(precompiled) }, [config.functions[fn.name]]);
  }
  for (const job of app.jobs) {
    const entrySource = `import { createJobHandler } from 'sls-ts';\nimport Job from ${json(job.file)};\n${restoreName(config, 'Job', job.className).map((line) => `${line}\n`).join('')}export const handler = createJobHandler(Job);\n`;
    const name = job.key.replace(/-job$/, '');
    add(job.key, 'job', { job: name, source: job.className, entrySource, schedules: job.schedules }, [config.jobs[name] ?? config.jobs[job.key]]);
  }

  const seen = new Map<string, string>();
  for (const fn of planned) {
    const other = seen.get(fn.functionName);
    if (other) throw new Error(`${fn.source} and ${other} would both be deployed as ${fn.functionName} — rename one of them`);
    seen.set(fn.functionName, fn.source);
  }
  return planned;
}

/** In the controller layout, action-level IAM still adds up (the controller's function runs them all). */
function actionLayers(config: ResolvedConfig, key: string, routes: CompiledRoute[]): FunctionSettings[] {
  const actions = config.controllers[key]?.actions ?? {};
  const used = new Set(routes.map((route) => ('action' in route.target ? route.target.action : '')));
  return Object.entries(actions).filter(([action]) => used.has(action)).map(([, settings]) => ({ iam: settings.iam ?? [] }));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
