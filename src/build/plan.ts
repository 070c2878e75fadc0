import { channelLifecycleRoutes, type CompiledRoute, type PrecompiledRoute } from '../router/index.js';
import { formatKeyPath, type KeyPath } from '../config/report.js';
import { resolveLinks } from '../config/resolve-resources.js';
import type { FunctionSettings, Layout, LinkEntry, ResolvedConfig, ResolvedLink } from '../config/types.js';
import type { AppModel } from './inspect.js';
import { functionName, keyOf } from './names.js';
import { authorizerSpecs, routeEdge } from './auth.js';
import type { BuiltFunction, FunctionKind, ManifestRoute } from './types.js';

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

/** One layer of settings and where it sits in the config (`['controllers', 'posts']`), for messages. */
interface Layer {
  settings: FunctionSettings | undefined;
  path: KeyPath;
}

/**
 * Settings layered app < controller < action (IAM statements and links add up instead of
 * replacing). `largest` are the layers of what else the function serves (the actions of a
 * controller function, every controller of the single function): they run in the same Lambda, so
 * it gets the largest memory and timeout any of them asks for, and their IAM statements and links too.
 */
function settingsFor(config: ResolvedConfig, layers: Layer[], description: string, largest: Layer[][] = []) {
  let memory = config.memory;
  let timeout = config.timeout;
  let reserved = config.reservedConcurrency;
  let provisioned = config.provisionedConcurrency;
  const environment: Record<string, string> = { ...config.env };
  const iam = [...config.iam];
  const iamPaths = config.iam.map((_, index) => `iam[${index}]`);
  const links: LinkEntry[] = [...config.link];
  const grant = ({ settings, path }: Layer) => {
    (settings?.iam ?? []).forEach((statement, index) => {
      iam.push(statement);
      iamPaths.push(formatKeyPath([...path, 'iam', index]));
    });
    links.push(...(settings?.link ?? []));
  };
  for (const layer of layers) {
    const { settings } = layer;
    if (!settings) continue;
    memory = settings.memory ?? memory;
    timeout = settings.timeout ?? timeout;
    reserved = settings.reservedConcurrency ?? reserved;
    provisioned = settings.provisionedConcurrency ?? provisioned;
    Object.assign(environment, settings.env);
    grant(layer);
    description = settings.description ?? description;
  }
  // A layer is known by where it sits in the config: a controller served twice grants its IAM once.
  const granted = new Set(layers.map(({ path }) => formatKeyPath(path)));
  for (const stack of largest) {
    // What this part would get in a function of its own (an action without a timeout has its controller's).
    const own = stack.reduce((sum, { settings }) => ({ memory: settings?.memory ?? sum.memory, timeout: settings?.timeout ?? sum.timeout }), { memory: config.memory, timeout: config.timeout });
    memory = Math.max(memory, own.memory);
    timeout = Math.max(timeout, own.timeout);
    // The shared Lambda serves what each part asks for: the most of either, where a part sets it.
    for (const { settings } of stack) {
      reserved = largestOf(reserved, settings?.reservedConcurrency);
      provisioned = largestOf(provisioned, settings?.provisionedConcurrency);
    }
    for (const layer of stack) {
      const at = formatKeyPath(layer.path);
      if (granted.has(at)) continue;
      granted.add(at);
      grant(layer);
    }
  }
  environment.SLS_TS_STAGE = config.stage;
  if (config.build.sourcemap) environment.NODE_OPTIONS = '--enable-source-maps';
  const concurrency = {
    ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
    // 0 is how a stage turns provisioned concurrency off: no alias, nothing billed.
    ...(provisioned ? { provisionedConcurrency: provisioned } : {}),
  };
  return { memory, timeout, ...concurrency, environment, iam, iamPaths, links: sortedLinks(links), description };
}

function largestOf(current: number | undefined, next: number | undefined): number | undefined {
  if (next === undefined) return current;
  return current === undefined ? next : Math.max(current, next);
}

/** Each resource once, read-write if any layer links it so; sorted, so the order of layers never shows in the template. */
function sortedLinks(entries: readonly LinkEntry[]): ResolvedLink[] {
  return resolveLinks(entries).sort((a, b) => (a.name < b.name ? -1 : 1));
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
  // The manifest's routes carry their guard; the bundles' (webEntry) do not: Lambda never needs it.
  const { specs } = authorizerSpecs(config, app);
  const manifestRoute = (route: CompiledRoute): ManifestRoute => {
    const edge = routeEdge(config, app, specs, route);
    if ('problem' in edge) throw new Error(edge.problem.text);
    return { ...precompiled(route), ...edge };
  };
  const layers = layerSource(config);
  const add = (key: string, kind: FunctionKind, fields: Partial<PlannedFunction> & Pick<PlannedFunction, 'source' | 'entrySource'>, own: Layer[], largest: Layer[][] = []) => {
    const { description: given, ...rest } = fields;
    const settings = settingsFor(config, own, given ?? `${config.name} ${config.stage}: ${fields.source}`, largest);
    planned.push({ key, kind, functionName: functionName(config.name, config.stage, key), handler: 'index.handler', routes: [], schedules: [], events: [], ...rest, ...settings });
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
    add('controller', 'single', { source: 'all controllers', entrySource: webEntry(config, app, app.table.routes as CompiledRoute[], 'path'), routes: app.table.routes.map(manifestRoute) }, [], servedLayers(layers, app.table.routes as CompiledRoute[]));
  } else if (layout === 'controller') {
    for (const [key, routes] of byController) {
      const info = app.controllers.get(key)!;
      add(keyOf(`${key}-controller`), 'controller', { controller: key, source: info.className, entrySource: webEntry(config, app, routes, 'resource'), routes: routes.map(manifestRoute) }, [layers.controller(key)], servedLayers(layers, routes));
    }
  } else {
    for (const [target, routes] of byAction) {
      const [key, action] = target.split('#') as [string, string];
      const info = app.controllers.get(key)!;
      add(keyOf(`${key}-controller`, action), 'action', { controller: key, action, source: `${info.className}#${action}`, entrySource: webEntry(config, app, routes, 'resource'), routes: routes.map(manifestRoute) }, [layers.controller(key), layers.action(key, action)]);
    }
  }

  for (const fn of app.functions) {
    // In the single layout routed functions live inside the one web function; unrouted ones still deploy.
    if (layout === 'single' && app.table.routes.some((route) => 'function' in route.target && route.target.function === fn.name)) continue;
    const routes = byFunction.get(fn.name) ?? [];
    add(keyOf(fn.name), 'function', { function: fn.name, source: `app/functions/${fn.name}`, entrySource: `export { handler } from ${json(fn.file)};\n`, routes: routes.map(manifestRoute) }, [layers.fn(fn.name)]);
  }
  for (const job of app.jobs) {
    const entrySource = `import { createJobHandler } from 'sls-ts';\nimport Job from ${json(job.file)};\n${restoreName(config, 'Job', job.className).map((line) => `${line}\n`).join('')}export const handler = createJobHandler(Job);\n`;
    const name = job.key.replace(/-job$/, '');
    const configKey = config.jobs[name] ? name : job.key;
    add(job.key, 'job', { job: name, source: job.className, entrySource, schedules: job.schedules, events: job.events, ...(job.queue && { jobQueue: job.queue }) }, [{ settings: config.jobs[configKey], path: ['jobs', configKey] }]);
  }
  for (const authorizer of app.authorizers) {
    // A Lambda authorizer is a function of its own, configured as a plain function of its key is
    // (`functions: { 'admin-authorizer': { memory: 256 } }`).
    const entrySource = `import { createAuthorizerHandler } from 'sls-ts';\nimport Authorizer from ${json(authorizer.file)};\n${restoreName(config, 'Authorizer', authorizer.className).map((line) => `${line}\n`).join('')}export const handler = createAuthorizerHandler(Authorizer);\n`;
    add(authorizer.key, 'authorizer', { authorizer: authorizer.name, source: authorizer.className, entrySource }, [layers.fn(authorizer.key)]);
  }

  for (const channel of app.channels) {
    // One function per channel, serving all its routes; configured as a plain function of its key is.
    const entrySource = `import { createChannelHandler } from 'sls-ts';\nimport Channel from ${json(channel.file)};\n${restoreName(config, 'Channel', channel.className).map((line) => `${line}\n`).join('')}export const handler = createChannelHandler(Channel, ${json(channel.name)});\n`;
    const routeKeys = [...channelLifecycleRoutes(channel), ...channel.actions];
    const { auth, connections } = channel;
    const routing = { name: channel.name, routeSelection: channel.routeSelection, routeKeys, ...(auth ? { auth } : {}), ...(connections ? { connections } : {}) };
    // A tracked channel reads and writes its connections table: linked read-write as `link: [table]` would
    // (IAM and SLS_TS_RESOURCE_<TABLE>_* alike), beneath the function's own settings.
    const tracking: Layer[] = connections ? [{ settings: { link: [connections] }, path: ['channels', channel.name, 'connections'] }] : [];
    add(channel.key, 'channel', { channel: routing, source: channel.className, entrySource }, [...tracking, layers.fn(channel.key)]);
  }

  const seen = new Map<string, string>();
  for (const fn of planned) {
    const other = seen.get(fn.functionName);
    if (other) throw new Error(`${fn.source} and ${other} would both be deployed as ${fn.functionName} — rename one of them`);
    seen.set(fn.functionName, fn.source);
  }
  return planned;
}

interface LayerSource {
  controller(key: string): Layer;
  action(key: string, action: string): Layer;
  fn(name: string): Layer;
}

function layerSource(config: ResolvedConfig): LayerSource {
  return {
    controller: (key) => ({ settings: config.controllers[key], path: ['controllers', key] }),
    action: (key, action) => ({ settings: config.controllers[key]?.actions?.[action], path: ['controllers', key, 'actions', action] }),
    fn: (name) => ({ settings: config.functions[name], path: ['functions', name] }),
  };
}

/**
 * What each route of a function would be configured with in a function of its own: its
 * controller then its action, or its plain function's settings. Memory and timeout are per
 * function in Lambda, so a function serving several takes the largest (see settingsFor).
 */
function servedLayers(layers: LayerSource, routes: readonly CompiledRoute[]): Layer[][] {
  const stacks = new Map<string, Layer[]>();
  for (const route of routes) {
    const target = route.target;
    if ('function' in target) stacks.set(`function:${target.function}`, [layers.fn(target.function)]);
    else stacks.set(`${target.controller}#${target.action}`, [layers.controller(target.controller), layers.action(target.controller, target.action)]);
  }
  return [...stacks.values()];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
