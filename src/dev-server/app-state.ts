import { inspectConfiguredApp, planFunctions, type AppModel, type PlannedFunction } from '../build/index.js';
import { edgeOfApp } from '../build/auth.js';
import type { AuthorizerSpec, ManifestRoute, MethodAuth } from '../build/types.js';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/index.js';
import type { ResolvedConfig } from '../config/types.js';
import { routeTable, type CompiledRoute } from '../router/index.js';
import { hasErrors, isSlsError, SlsError, type Diagnostic } from '../shared/errors.js';

/** Everything the dev server derives from the app's files; rebuilt on a config or routes change. */
export interface AppState {
  config: ResolvedConfig;
  app: AppModel;
  functions: PlannedFunction[];
  /** `METHOD resource` → key of the function API Gateway would invoke. */
  functionByRoute: Map<string, string>;
  /** Key → function, looked up on every request. */
  functionByKey: Map<string, PlannedFunction>;
  /** `METHOD resource` → a guarded route as the manifest has it (auth, API key); public routes are not in it. */
  edgeByRoute: Map<string, ManifestRoute>;
  /** The app's authorizers, and the app-wide guard the single layout's catch-all methods carry. */
  authorizers: AuthorizerSpec[];
  defaultAuth?: MethodAuth;
  /** Files whose change means a full reload (config, its imports, .env files, routes). */
  reloadFiles: Set<string>;
  warnings: Diagnostic[];
}

export async function loadAppState(root: string, stage: string, region?: string): Promise<AppState> {
  return inspectAppState(await loadDevConfig(root, stage, region));
}

/**
 * The state the server starts with. An app that does not load (a broken routes file, a route to a
 * missing controller) starts as an app with no functions and the reason, as breaking it while the
 * server runs does: the server keeps running, answers 502 and picks up the fix. A config that does
 * not load still stops the start — there is no region, stage or layout to serve with.
 */
export async function loadStartState(root: string, stage: string, region?: string, onConfig?: (config: ResolvedConfig) => void): Promise<{ state: AppState; error?: SlsError }> {
  const loaded = await loadDevConfig(root, stage, region);
  // What needs the config alone (the local engines) starts before the app's modules are inspected.
  onConfig?.(loaded.config);
  try {
    return { state: await inspectAppState(loaded) };
  } catch (error) {
    if (!isSlsError(error)) throw error;
    const { config } = loaded;
    const app: AppModel = { root: config.root, routesFile: join(config.root, 'config', 'routes.ts'), table: routeTable([]), controllers: new Map(), jobs: [], functions: [], authorizers: [], channels: [] };
    const state: AppState = { config, app, functions: [], functionByRoute: new Map(), functionByKey: new Map(), edgeByRoute: new Map(), authorizers: [], reloadFiles: new Set(loaded.dependencies), warnings: loaded.warnings };
    return { state, error };
  }
}

async function loadDevConfig(root: string, stage: string, region?: string): Promise<LoadedConfig> {
  const loaded = await loadConfig({ root, stage, command: 'server', ...(region && { region }) });
  // The dev server bundles readably, never minified (dev-build.ts): its functions are planned for
  // such bundles, where every class keeps the name it has in the code being edited.
  return { ...loaded, config: { ...loaded.config, build: { ...loaded.config.build, minify: false } } };
}

async function inspectAppState(loaded: LoadedConfig): Promise<AppState> {
  const { config } = loaded;
  const { app, diagnostics } = await inspectConfiguredApp(config, { tolerateLoadErrors: true, cache: true });
  if (!app || hasErrors(diagnostics)) throw new SlsError(diagnostics.filter((d) => (d.level ?? 'error') === 'error'));
  const functions = planFunctions(config, app);
  const functionByRoute = new Map<string, string>();
  const edgeByRoute = new Map<string, ManifestRoute>();
  for (const fn of functions) {
    for (const route of fn.routes) {
      functionByRoute.set(`${route.method} ${route.resource}`, fn.key);
      if (route.auth || route.apiKey) edgeByRoute.set(`${route.method} ${route.resource}`, route);
    }
  }
  const { authorizers = [], defaultAuth } = edgeOfApp(config, app);
  return {
    edgeByRoute,
    authorizers,
    ...(defaultAuth && { defaultAuth }),
    config,
    app,
    functions,
    functionByRoute,
    functionByKey: new Map(functions.map((fn) => [fn.key, fn])),
    reloadFiles: new Set([...loaded.dependencies, app.routesFile]),
    warnings: [...loaded.warnings, ...diagnostics.filter((d) => d.level === 'warning')],
  };
}

export function functionKeyFor(state: AppState, route: CompiledRoute): string | undefined {
  return state.functionByRoute.get(`${route.method} ${route.resource}`);
}
