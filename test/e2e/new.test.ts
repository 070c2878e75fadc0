// `sls-ts new` for real: an app in the OS temp folder (outside this repository), installed from
// the npm registry with sls-ts linked from this checkout, then tested, listed, built, generated
// into and destroyed with the real binaries.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
const bin = join(repoRoot, 'bin', 'sls-ts.js');
const work = mkdtempSync(join(tmpdir(), 'sls-ts-new-e2e-'));
const app = join(work, 'blog');

// The outer vitest's variables would make the app's own vitest think it is nested in this run.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'TEST'));

function run(command: string, args: string[], cwd = app): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', shell: process.platform === 'win32' });
}

/** The real binary, as the app's scripts and `npx sls-ts` reach it: through node_modules. */
const slsTs = (...args: string[]) => run(process.execPath, [join(app, 'node_modules', 'sls-ts', 'bin', 'sls-ts.js'), ...args]);
const npm = (...args: string[]) => run('npm', args);
const output = (result: SpawnSyncReturns<string>) => `${result.stdout}\n${result.stderr}`;

/** The app's own files: not node_modules, git's or build output. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      if (['node_modules', '.git', '.sls-ts'].includes(name)) continue;
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

function expectTestsPass(count: number) {
  const result = npm('test');
  expect(result.status, output(result)).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`Tests\\s+${count} passed`));
}

let installSeconds = 0;

beforeAll(() => {
  const started = Date.now();
  const result = run(process.execPath, [bin, 'new', 'blog', '--sls-ts', `file:${repoRoot}`], work);
  installSeconds = (Date.now() - started) / 1000;
  expect(result.status, output(result)).toBe(0);
  // Measured so a slow registry shows up as such, not as a mysterious timeout.
  console.log(`sls-ts new blog (with npm install) took ${installSeconds.toFixed(1)} s`);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

// Each case runs the app's vitest, tsc or build a few times: well past the default 20 s on a busy machine.
describe('sls-ts new', { timeout: 180_000 }, () => {
  it('writes the app, links this checkout, installs and prints the next steps', () => {
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).dependencies).toEqual({ '@aws-sdk/client-dynamodb': '^3.1169.0', '@aws-sdk/lib-dynamodb': '^3.1169.0', 'sls-ts': `file:${repoRoot}` });
    expect(existsSync(join(app, 'node_modules', '@aws-sdk', 'lib-dynamodb'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'vitest'))).toBe(true);
    expect(readFileSync(join(app, 'node_modules', 'sls-ts', 'package.json'), 'utf8')).toBe(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(existsSync(join(app, '.git'))).toBe(true);
  });

  it('gives an app whose tests pass, whose routes list and which builds', () => {
    expectTestsPass(4);

    const routes = slsTs('routes');
    expect(routes.status, output(routes)).toBe(0);
    expect(routes.stdout).toMatch(/GET\s+\/\s+home#index\s+blog-dev-home-controller\s+config\/routes\.ts:4/);

    const build = slsTs('build');
    expect(build.status, output(build)).toBe(0);
    expect(build.stdout).toContain('built 2 functions');
    const manifest = JSON.parse(readFileSync(join(app, '.sls-ts', 'build', 'dev', 'manifest.json'), 'utf8')) as { functions: Array<{ functionName: string }> };
    expect(manifest.functions.map((fn) => fn.functionName).sort()).toEqual(['blog-dev-heartbeat-job', 'blog-dev-home-controller']);

    const typecheck = npm('run', 'typecheck');
    expect(typecheck.status, output(typecheck)).toBe(0);
  });

  it('generates a scaffold that tests, routes and type-checks; destroy restores the app', () => {
    const before = snapshot(app);
    const generated = slsTs('generate', 'scaffold', 'posts', 'title:string', 'body:text');
    expect(generated.status, output(generated)).toBe(0);
    expect(generated.stdout.split('\n').map((line) => line.trim().replace(/\s+/g, ' '))).toEqual(expect.arrayContaining([
      'create app/controllers/posts-controller.ts', 'create app/models/post-store.ts', 'create test/posts.test.ts', 'update config/routes.ts', 'update sls-ts.config.ts',
    ]));
    // The posts live in a DynamoDB table the config declares and links: the tests below run on the local engine.
    expect(readFileSync(join(app, 'sls-ts.config.ts'), 'utf8')).toContain("  resources: {\n    posts: table({ key: 'id' }),\n  },\n  controllers: {\n    posts: { link: ['posts'] },\n  },\n");

    expectTestsPass(8);
    const routes = slsTs('routes');
    expect(routes.status, output(routes)).toBe(0);
    for (const [verb, path, action] of <Array<[string, string, string]>>[['GET', '/posts', 'index'], ['POST', '/posts', 'create'], ['GET', '/posts/:id', 'show'], ['PATCH', '/posts/:id', 'update'], ['PUT', '/posts/:id', 'update'], ['DELETE', '/posts/:id', 'destroy']]) {
      expect(routes.stdout).toMatch(new RegExp(`${verb}\\s+${path.replace('/', '\\/')}\\s+posts#${action}\\s+blog-dev-posts-controller`));
    }
    expect(npm('run', 'typecheck').status).toBe(0);

    const destroyed = slsTs('destroy', 'scaffold', 'posts');
    expect(destroyed.status, output(destroyed)).toBe(0);
    expect(snapshot(app)).toEqual(before);
  });

  it('generates controllers, jobs and functions that work, and the d alias removes them', () => {
    const before = snapshot(app);
    const steps = [
      ['controller', 'admin/Stats', 'index', 'purge_all'],
      ['job', 'Cleanup', '--cron', '0 12 * * ? *'],
      ['function', 'webhook', '--route', '/hooks/:source'],
      ['function', 'quiet'],
      ['scaffold', 'blog_posts', 'title', 'views:number', 'published:boolean', 'published_at:date', 'summary:text'],
    ];
    for (const step of steps) {
      const result = slsTs('g', ...step);
      expect(result.status, output(result)).toBe(0);
    }
    expectTestsPass(4 + 2 + 2 + 1 + 1 + 4);
    expect(npm('run', 'typecheck').status).toBe(0);
    const build = slsTs('build');
    expect(build.status, output(build)).toBe(0);
    expect(build.stdout).toContain('built 7 functions');

    for (const [kind, name] of steps) {
      const result = slsTs('d', kind!, name!);
      expect(result.status, output(result)).toBe(0);
    }
    expect(snapshot(app)).toEqual(before);
  });

  it('lists changes with --dry-run, and refuses conflicts with exit code 1, writing nothing', () => {
    writeFileSync(join(app, 'test', 'posts.test.ts'), '// mine\n');
    const before = snapshot(app);

    const dryRun = slsTs('generate', 'scaffold', 'posts', 'title', '--dry-run');
    expect(dryRun.status, output(dryRun)).toBe(0);
    expect(dryRun.stdout.split('\n').map((line) => line.trim().replace(/\s+/g, ' ')).slice(0, 3)).toEqual([
      'dry run: nothing is written', 'conflict test/posts.test.ts', 'create app/controllers/posts-controller.ts',
    ]);

    const refused = slsTs('generate', 'scaffold', 'posts', 'title');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('error test/posts.test.ts already exists with other contents — nothing was written: pass --force to overwrite');
    expect(snapshot(app)).toEqual(before);
    rmSync(join(app, 'test', 'posts.test.ts'));
  });

  it('exits 1 on a bad name or a non-empty folder, and 2 on bad usage', () => {
    const badName = run(process.execPath, [bin, 'new', 'My Blog', '--no-install'], work);
    expect(badName.status).toBe(1);
    expect(badName.stderr).toContain('"My Blog" is not a valid npm package name: name can only contain URL-friendly characters');

    const notEmpty = run(process.execPath, [bin, 'new', 'blog', '--no-install'], work);
    expect(notEmpty.status).toBe(1);
    expect(notEmpty.stderr).toContain(`${app} is not empty`);

    expect(run(process.execPath, [bin, 'new', 'other', '--template', 'huge'], work).status).toBe(2);
    expect(slsTs('generate', 'widget', 'x').status).toBe(2);
    const badField = slsTs('generate', 'scaffold', 'posts', 'title:strng');
    expect(badField.status).toBe(1);
    expect(badField.stderr).toContain('field "title" has an unknown type "strng" — did you mean string?');
  });
});
