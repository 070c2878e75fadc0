// The build's side of `api: 'http'`: the router's v2 checks (checkHttpApiRoutes) over the app's
// compiled routes, as diagnostics pointing at config/routes.ts like the REST checks' are.
import { checkHttpApiRoutes } from '../router/index.js';
import type { Diagnostic } from '../shared/errors.js';
import type { AppModel } from './inspect.js';

export function httpApiRouteDiagnostics(app: Pick<AppModel, 'root' | 'routesFile' | 'table'>): Diagnostic[] {
  // Labels name the routes file by its absolute path; messages name it from the app's folder.
  const relative = (text: string) => text.split(`${app.root}/`).join('');
  return checkHttpApiRoutes(app.table).map((problem) => ({
    text: relative(problem.text),
    file: problem.file ?? app.routesFile,
    ...(problem.line ? { line: problem.line } : {}),
    ...(problem.hint ? { hint: problem.hint } : {}),
  }));
}
