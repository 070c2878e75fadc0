// What `generate`, `destroy` and the route check refuse, through the real binary on copies of
// example-app (inside the package, so `sls-ts` resolves by self-reference).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyApp, createScratch, exampleApp, repoRoot } from '../unit/build/support.js';

const bin = join(repoRoot, 'bin', 'sls-ts.js');
const scratch = createScratch();
afterAll(() => scratch.cleanup());

function slsTs(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
}

const ROUTES = 'config/routes.ts';

/** Adds lines at the end of the defineRoutes callback of `app`. */
function addRouteLines(app: string, ...lines: string[]): void {
  const file = join(app, ROUTES);
  const source = readFileSync(file, 'utf8');
  writeFileSync(file, source.replace(/\n\}\);\n$/, `\n${lines.map((line) => `  ${line}\n`).join('')}});\n`));
}

describe('the route check', () => {
  it('refuses routes to filter and rescue methods, one line each naming the route and the method', () => {
    const app = copyApp(exampleApp, scratch.dir);
    addRouteLines(app, "r.get('/nf', 'home#notFound');", "r.get('/load', 'posts#loadPost');");
    const result = slsTs('routes', '-C', app);
    expect(result.status, result.stderr).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error \S+\/config\/routes\.ts:14: GET \/nf → home#notFound .*: HomeController#notFound is a rescueFrom handler, not an action — route to an action \(index\): a rescueFrom handler runs for actions, it is not one$/);
    expect(lines[1]).toMatch(/^error \S+\/config\/routes\.ts:15: GET \/load → posts#loadPost .*: PostsController#loadPost is a before filter, not an action — route to an action \(create, destroy, index, show, update\)/);
  });
});
