import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileRoutes, controllerFile, type RouteSet } from '../router/index.js';
import type { AppDefinition } from '../runtime/create-handler.js';
import type { ControllerEntry } from '../runtime/handler.js';
import type { FunctionEntry } from '../runtime/function-routes.js';

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

function findModule(base: string): string | undefined {
  return EXTENSIONS.map((extension) => base + extension).find((file) => existsSync(file));
}

/**
 * Loads an app by convention — config/routes.ts, app/controllers/<name>-controller.ts,
 * app/functions/<name>.ts — for tests. Modules are imported lazily, when a route first needs
 * them, so it runs where TypeScript imports work (vitest, tsx).
 */
export async function loadApp(root: string | URL): Promise<AppDefinition> {
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
  return { routes: table, controllers, functions };
}
