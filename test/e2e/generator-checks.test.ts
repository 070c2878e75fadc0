// What `generate`, `destroy` and the route check refuse, through the real binary on copies of
// example-app (inside the package, so `sls-ts` resolves by self-reference).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

describe('the check before writing', () => {
  // It loads the app's modules as the build does, as Lambda's nodejs22.x would: the AWS SDK's
  // notice about an older host Node stays out, for an app that makes SDK clients when it loads.
  it("keeps the AWS SDK's host-Node notice out of generate's output", () => {
    const app = copyApp(join(repoRoot, 'test', 'fixtures', 'data-app'), scratch.dir);
    const result = slsTs('generate', 'controller', 'pages', 'about', '-C', app);
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning/);
    expect(result.status).toBe(0);
  });
});

describe('the route check', () => {
  it('refuses routes to filter and rescue methods, one line each naming the route and the method', () => {
    const app = copyApp(exampleApp, scratch.dir);
    addRouteLines(app, "r.get('/nf', 'home#notFound');", "r.get('/load', 'posts#loadPost');");
    const result = slsTs('routes', '-C', app);
    expect(result.status, result.stderr).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error \S+\/config\/routes\.ts:17: GET \/nf → home#notFound .*: HomeController#notFound is a rescueFrom handler, not an action — route to an action \(index\): a rescueFrom handler runs for actions, it is not one$/);
    expect(lines[1]).toMatch(/^error \S+\/config\/routes\.ts:18: GET \/load → posts#loadPost .*: PostsController#loadPost is a before filter, not an action — route to an action \(create, destroy, index, show, update\)/);
  });
});

/** Every file of `app` but the build's own folder (the check keeps its cache there, as `routes` does). */
function appFiles(app: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(app, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !relative(app, path).startsWith('.sls-ts')) files[relative(app, path)] = readFileSync(path, 'utf8');
  }
  return files;
}

const errorLines = (stderr: string) => stderr.trimEnd().split('\n');

/** Runs a command that must be refused: exit 1 with nothing of `app` changed; its error lines. */
function refusedLines(app: string, ...args: string[]): string[] {
  const before = appFiles(app);
  const refused = slsTs(...args, '-C', app);
  expect(refused.status, refused.stdout + refused.stderr).toBe(1);
  expect(appFiles(app)).toEqual(before);
  return errorLines(refused.stderr);
}

describe('generate checks the app as the change would leave it', () => {
  it('refuses a job whose cron the runtime refuses, with the message `routes` gives, writing nothing', () => {
    const app = copyApp(exampleApp, scratch.dir);
    const lines = refusedLines(app, 'generate', 'job', 'nightly', '--cron', '61 12 * * * *');
    expect(lines.at(-1)).toMatch(/^error nothing was written: after generate job nightly the app would fail the route check/);

    // The same job written by hand: `routes` reports it with the very same line.
    expect(slsTs('generate', 'job', 'nightly', '--cron', '0 12 * * ? *', '-C', app).status).toBe(0);
    const job = join(app, 'app/jobs/nightly-job.ts');
    writeFileSync(job, readFileSync(job, 'utf8').replace("'0 12 * * ? *'", "'61 12 * * * *'"));
    const routes = slsTs('routes', '-C', app);
    expect(routes.status).toBe(1);
    expect(lines.slice(0, -1)).toEqual(errorLines(routes.stderr));
    expect(lines[0]).toMatch(/nightly-job\.ts failed to load: cron\("61 12 \* \* \* \*"\): minutes "61"/);
  });

  it('refuses a function route that clashes with an existing one, with the message `routes` gives, writing nothing', () => {
    const app = copyApp(exampleApp, scratch.dir);
    const lines = refusedLines(app, 'generate', 'function', 'hook', '--route', '/posts/:post_id/x');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/routes\.ts:17: GET \/posts\/:post_id\/x → function:hook .*conflicts with "\{id\}" at the same level in GET \/posts\/:id/);

    writeFileSync(join(app, 'app/functions/hook.ts'), readFileSync(join(app, 'app/functions/hello.ts'), 'utf8'));
    addRouteLines(app, "r.get('/posts/:post_id/x', { function: 'hook' });");
    const routes = slsTs('routes', '-C', app);
    expect(routes.status).toBe(1);
    expect(lines.slice(0, 1)).toEqual(errorLines(routes.stderr));
  });
});

describe('destroy leaves no route to what it removes', () => {
  it('removes a resources line edited to `only`: it still names this resource alone', () => {
    const app = copyApp(exampleApp, scratch.dir);
    const before = appFiles(app);
    expect(slsTs('generate', 'scaffold', 'articles', 'title:string', '-C', app).status).toBe(0);
    const routes = join(app, ROUTES);
    writeFileSync(routes, readFileSync(routes, 'utf8').replace("r.resources('articles');", "r.resources('articles', { only: ['index', 'show'] });"));
    const destroyed = slsTs('destroy', 'scaffold', 'articles', '-C', app);
    expect(destroyed.status, destroyed.stderr).toBe(0);
    expect(destroyed.stdout).toMatch(/update {2}config\/routes\.ts/);
    // The support file the scaffold added stays, as other code may use it by now.
    expect(appFiles(app)).toEqual({ ...before, 'app/models/record-not-found.ts': expect.any(String) });
  });

  it('removes nothing, saying which route would be left, when another route reaches the controller', () => {
    const app = copyApp(exampleApp, scratch.dir);
    expect(slsTs('generate', 'scaffold', 'articles', 'title:string', '-C', app).status).toBe(0);
    addRouteLines(app, "r.get('/feed', 'articles#index');");
    const lines = refusedLines(app, 'destroy', 'scaffold', 'articles');
    expect(lines).toHaveLength(2);
    // Line 17 as the file is now (nothing was removed), not as it would be without the articles line.
    expect(lines[0]).toMatch(/routes\.ts:18: GET \/feed → articles#index \(config\/routes\.ts:18\): app\/controllers\/articles-controller\.ts not found/);
    expect(lines[1]).toMatch(/^error nothing was removed: after destroy scaffold articles .* — edit or remove those routes first/);
  });

  it('exits 1 on a name the app does not have, suggesting the near one', () => {
    const app = copyApp(exampleApp, scratch.dir);
    expect(refusedLines(app, 'destroy', 'controller', 'hoem')).toEqual([
      'error controller hoem not found: nothing to destroy (no file and no route of it in the app) — did you mean home? sls-ts destroy controller home',
    ]);
  });
});
