import { inspectConfiguredApp, planFunctions, type AppModel, type PlannedFunction } from '../build/index.js';
import { loadConfig } from '../config/index.js';
import type { ResolvedConfig } from '../config/types.js';
import type { CompiledRoute } from '../router/index.js';
import { hasErrors, SlsError, type Diagnostic } from '../shared/errors.js';

/** Everything the dev server derives from the app's files; rebuilt on a config or routes change. */
export interface AppState {
  config: ResolvedConfig;
  app: AppModel;
  functions: PlannedFunction[];
  /** `METHOD resource` → key of the function API Gateway would invoke. */
  functionByRoute: Map<string, string>;
  /** Key → function, looked up on every request. */
  functionByKey: Map<string, PlannedFunction>;
  /** Files whose change means a full reload (config, its imports, .env files, routes). */
  reloadFiles: Set<string>;
  warnings: Diagnostic[];
}

export async function loadAppState(root: string, stage: string, region?: string): Promise<AppState> {
  const loaded = await loadConfig({ root, stage, command: 'server', ...(region && { region }) });
  // The dev server bundles readably, never minified (dev-build.ts): its functions are planned for
  // such bundles, where every class keeps the name it has in the code being edited.
  const config: ResolvedConfig = { ...loaded.config, build: { ...loaded.config.build, minify: false } };
  const { app, diagnostics } = await inspectConfiguredApp(config, { tolerateLoadErrors: true, cache: true });
  if (!app || hasErrors(diagnostics)) throw new SlsError(diagnostics.filter((d) => (d.level ?? 'error') === 'error'));
  const functions = planFunctions(config, app);
  const functionByRoute = new Map<string, string>();
  for (const fn of functions) for (const route of fn.routes) functionByRoute.set(`${route.method} ${route.resource}`, fn.key);
  return {
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
