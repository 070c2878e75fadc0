import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadLocalEdge } from '../local/local-edge.js';
import { compileRoutes, controllerFile, kebabCase, type RouteSet } from '../router/index.js';
import type { AppDefinition } from '../runtime/create-handler.js';
import type { ControllerEntry } from '../runtime/handler.js';
import type { FunctionEntry } from '../runtime/function-routes.js';
import type { AppEdge, AuthorizerEntry } from './guard.js';

/** An app as loadApp finds it: what createHandler runs, and how API Gateway guards its routes. */
export interface TestApp extends AppDefinition {
  /** Absent for a folder without sls-ts.config.ts: then no route is guarded. */
  edge?: AppEdge;
}

export interface LoadAppOptions {
  /** The stage whose config settings apply (its `auth`, .env.<stage> files); default `test`. */
  stage?: string;
}

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

function findModule(base: string): string | undefined {
  return EXTENSIONS.map((extension) => base + extension).find((file) => existsSync(file));
}

/**
 * Loads an app by convention — config/routes.ts, app/controllers/<name>-controller.ts,
 * app/functions/<name>.ts, app/authorizers/<name>-authorizer.ts — for tests, with the settings of
 * its sls-ts.config.ts that guard routes (`auth`, `authorizers`, `usagePlans`) for `options.stage`.
 * Modules are imported lazily, when a request first needs them, so it runs where TypeScript
 * imports work (vitest, tsx).
 */
export async function loadApp(root: string | URL, options: LoadAppOptions = {}): Promise<TestApp> {
  const dir = typeof root === 'string' ? root : fileURLToPath(root);
  const routesFile = findModule(join(dir, 'config', 'routes'));
  if (!routesFile) throw new Error(`${join(dir, 'config/routes.ts')} not found — is ${dir} the root of an sls-ts app?`);
  const routes = ((await import(pathToFileURL(routesFile).href)) as { default?: RouteSet }).default;
  if (routes?.kind !== 'sls-ts.routes') throw new Error(`${routesFile} must \`export default defineRoutes(...)\``);
  const table = compileRoutes(routes);

  const controllers: Record<string, ControllerEntry> = {};
  const functions: Record<string, FunctionEntry> = {};
  for (const { target } of table.routes) {
    if ('function' in target) {
      const file = findModule(join(dir, 'app', 'functions', target.function));
      if (file) functions[target.function] = () => import(pathToFileURL(file).href);
    } else {
      const file = findModule(join(dir, 'app', 'controllers', controllerFile(target.controller)));
      if (file) controllers[target.controller] = () => import(pathToFileURL(file).href);
    }
  }
  const config = await loadLocalEdge(dir, options.stage ?? 'test');
  return { routes: table, controllers, functions, ...(config && { edge: { config, authorizers: findAuthorizers(join(dir, 'app', 'authorizers')) } }) };
}

/** Each <name>-authorizer.ts under app/authorizers/, by the name routes use (`admin`), as the build names them (nested folders joined by `-`). */
function findAuthorizers(dir: string): Record<string, AuthorizerEntry> {
  const found: Record<string, AuthorizerEntry> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/-authorizer\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const name = kebabCase(relative(dir, path).replace(/\.[^.]+$/, '').replace(/[\\/]/g, '-')).replace(/-authorizer$/, '');
        found[name] = () => import(pathToFileURL(path).href);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}
