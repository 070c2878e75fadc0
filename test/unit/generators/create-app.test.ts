import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, defaultSlsTsSpec, isSourceCheckout, packageRoot } from '../../../src/generators/index.js';
import { messages, slsError, snapshot, tempDir } from './support.js';

const quiet = { install: false, git: false } as const;
const hasGit = spawnSync('git', ['--version']).status === 0;
const hasPnpm = spawnSync('pnpm', ['--version']).status === 0;

describe('createApp', () => {
  it('writes the app layout into ./<name> and returns what it did', async () => {
    const cwd = tempDir();
    const result = await createApp({ name: 'blog', cwd, ...quiet, slsTsSpec: '^1.2.3' });
    expect(result).toMatchObject({ root: join(cwd, 'blog'), name: 'blog', appName: 'blog', template: 'api', slsTsSpec: '^1.2.3', installed: false, git: 'skipped' });
    expect(result.files).toEqual([
      '.env', '.env.dev', '.gitignore', 'README.md',
      'app/controllers/application-controller.ts', 'app/controllers/home-controller.ts', 'app/jobs/heartbeat-job.ts', 'app/models/record-not-found.ts',
      'config/routes.ts', 'package.json', 'public/robots.txt', 'sls-ts.config.ts',
      'test/app.test.ts', 'test/heartbeat-job.test.ts', 'tsconfig.json', 'vitest.config.ts',
    ]);
    expect(Object.keys(snapshot(result.root)).sort()).toEqual(result.files);
    expect(result.nextSteps).toEqual(['cd blog', 'npm install', 'npm run dev', 'npm test', 'npx sls-ts generate scaffold posts title:string body:text']);
  });

  it('writes a package.json that depends on sls-ts, with the scripts and tools an app needs', async () => {
    const { root } = await createApp({ name: 'blog', dir: join(tempDir(), 'blog'), ...quiet, slsTsSpec: 'file:/src/sls-ts' });
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))).toEqual({
      name: 'blog',
      version: '0.1.0',
      private: true,
      type: 'module',
      engines: { node: '>=20' },
      scripts: { dev: 'sls-ts server', routes: 'sls-ts routes', build: 'sls-ts build', deploy: 'sls-ts deploy --typecheck', test: 'vitest run', typecheck: 'tsc --noEmit' },
      dependencies: { '@aws-sdk/client-dynamodb': '^3.1169.0', '@aws-sdk/lib-dynamodb': '^3.1169.0', 'sls-ts': 'file:/src/sls-ts' },
      devDependencies: { '@types/node': '^20', typescript: '~5.9', vitest: '^4' },
    });
    expect(readFileSync(join(root, 'sls-ts.config.ts'), 'utf8')).toContain("import { defineConfig } from 'sls-ts/config';\n\nexport default defineConfig({\n  name: 'blog',");
    expect(readFileSync(join(root, 'tsconfig.json'), 'utf8')).toContain('"moduleResolution": "Bundler"');
  });

  it('depends on this checkout by a file: path while running from one', () => {
    expect(isSourceCheckout()).toBe(true);
    expect(defaultSlsTsSpec()).toBe(`file:${packageRoot()}`);
    expect(existsSync(join(packageRoot(), 'blueprints'))).toBe(true);
  });

  it('depends on ^<version> when installed from a registry', () => {
    const installed = join(tempDir(), 'node_modules', 'sls-ts');
    mkdirSync(join(installed, 'dist'), { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'sls-ts', version: '3.4.5' }));
    expect(isSourceCheckout(installed)).toBe(false);
    expect(defaultSlsTsSpec(installed)).toBe('^3.4.5');
    const unpacked = tempDir();
    writeFileSync(join(unpacked, 'package.json'), JSON.stringify({ name: 'sls-ts', version: '3.4.5' }));
    mkdirSync(join(unpacked, 'dist'));
    expect(defaultSlsTsSpec(unpacked)).toBe('^3.4.5');
  });

  it('derives the folder and config name from a scoped name', async () => {
    const cwd = tempDir();
    const result = await createApp({ name: '@acme/my.shop', cwd, ...quiet });
    expect(result).toMatchObject({ root: join(cwd, 'my.shop'), name: '@acme/my.shop', appName: 'acme-my-shop', appNameDerivedBecause: expect.stringContaining('scope') as unknown });
    expect(readFileSync(join(result.root, 'sls-ts.config.ts'), 'utf8')).toContain("name: 'acme-my-shop',");
  });

  it('refuses an app name an app beside it already uses, writing nothing', async () => {
    const cwd = tempDir();
    await createApp({ name: 'blog', cwd, ...quiet });
    const error = await slsError(() => createApp({ name: 'blog', dir: 'blog-copy', cwd, ...quiet }));
    expect(messages(error)).toBe('an app named "blog" exists already in blog: both would deploy to the stacks blog-<stage> — choose another name, e.g. blog-2');
    expect(error.diagnostics[0]!.file).toBe(join(cwd, 'blog', 'sls-ts.config.ts'));
    expect(existsSync(join(cwd, 'blog-copy'))).toBe(false);
  });

  it('lists what it writes: created files, and with --force the ones it overwrites or leaves identical', async () => {
    const dir = join(tempDir(), 'blog');
    const first = await createApp({ name: 'blog', dir, ...quiet, slsTsSpec: '^1.0.0' });
    expect(first.changes).toHaveLength(16);
    expect(first.changes.every((change) => change.action === 'create')).toBe(true);
    writeFileSync(join(dir, 'package.json'), '{}\n');
    const seen: string[] = [];
    const again = await createApp({ name: 'blog', dir, ...quiet, force: true, slsTsSpec: '^1.0.0', onWrite: (changes) => seen.push(...changes.map((c) => c.path)) });
    expect(again.changes.find((change) => change.path === 'package.json')).toEqual({ path: 'package.json', action: 'update', note: 'overwritten (--force)' });
    expect(again.changes.filter((change) => change.action === 'skip')).toHaveLength(15);
    expect(seen).toEqual(again.files);
  });

  it('refuses an invalid name before touching the disk', async () => {
    const cwd = tempDir();
    expect(messages(await slsError(() => createApp({ name: 'My Blog', cwd, ...quiet })))).toContain('"My Blog" is not a valid npm package name: name can only contain URL-friendly characters');
    expect(snapshot(cwd)).toEqual({});
  });

  it('refuses a folder that is not empty, writing nothing', async () => {
    const dir = join(tempDir(), 'blog');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const error = await slsError(() => createApp({ name: 'blog', dir, ...quiet }));
    expect(error.message).toBe(`${dir} is not empty (notes.txt)`);
    expect(error.hint).toContain('--force');
    expect(snapshot(dir)).toEqual({ 'notes.txt': 'mine\n' });
  });

  it('writes into a folder that is not empty with force, keeping other files', async () => {
    const dir = join(tempDir(), 'blog');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    writeFileSync(join(dir, 'README.md'), 'old\n');
    await createApp({ name: 'blog', dir, ...quiet, force: true });
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('# blog');
  });

  it('counts a folder holding only .git as empty', async () => {
    const dir = join(tempDir(), 'blog');
    mkdirSync(join(dir, '.git'), { recursive: true });
    await expect(createApp({ name: 'blog', dir, ...quiet })).resolves.toMatchObject({ root: dir });
  });

  it('refuses a path that is a file', async () => {
    const file = join(tempDir(), 'blog');
    writeFileSync(file, '');
    expect((await slsError(() => createApp({ name: 'blog', dir: file, ...quiet }))).message).toBe(`${file} exists and is not a folder`);
  });

  it('renders the full template: a posts resource, a health check and a routed function', async () => {
    const { root, files } = await createApp({ name: 'shop', dir: join(tempDir(), 'shop'), template: 'full', ...quiet });
    expect(files).toEqual(expect.arrayContaining(['app/controllers/posts-controller.ts', 'app/models/post-store.ts', 'test/posts.test.ts', 'app/controllers/health-controller.ts', 'app/functions/hello.ts']));
    expect(readFileSync(join(root, 'config/routes.ts'), 'utf8')).toBe([
      "import { defineRoutes } from 'sls-ts';",
      '',
      'export default defineRoutes((r) => {',
      "  r.root('home#index');",
      "  r.get('/health', 'health#show');",
      "  r.resources('posts');",
      "  r.get('/hello', { function: 'hello' });",
      '});',
      '',
    ].join('\n'));
  });

  it('declares the full template\'s posts table and links it to the posts controller', async () => {
    const { root } = await createApp({ name: 'shop', dir: join(tempDir(), 'shop'), template: 'full', ...quiet });
    const config = readFileSync(join(root, 'sls-ts.config.ts'), 'utf8');
    expect(config).toContain("import { defineConfig, table } from 'sls-ts/config';");
    expect(config).toContain("  resources: {\n    posts: table({ key: 'id' }),\n  },\n  controllers: {\n    posts: { link: ['posts'] },\n  },\n});\n");
    expect(readFileSync(join(root, 'app/models/post-store.ts'), 'utf8')).toContain('resources.posts.name');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toMatch(/sls-ts server --persist[\s\S]*useLocalResources[\s\S]*shop-<stage>-posts/);
  });

  it('spells commands for the chosen package manager', async () => {
    const { root, nextSteps } = await createApp({ name: 'blog', dir: join(tempDir(), 'blog'), packageManager: 'pnpm', ...quiet });
    expect(nextSteps.slice(1)).toEqual(['pnpm install', 'pnpm run dev', 'pnpm test', 'pnpm exec sls-ts generate scaffold posts title:string body:text']);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('`pnpm run dev`');
  });

  it.runIf(hasGit)('initialises git', async () => {
    const steps: string[] = [];
    const result = await createApp({ name: 'blog', dir: join(tempDir(), 'blog'), install: false, onStep: (step) => steps.push(step.command) });
    // Whether the first commit is made depends on this machine's git identity (the e2e test sets one).
    expect(['committed', 'initialized']).toContain(result.git);
    expect(existsSync(join(result.root, '.git'))).toBe(true);
    expect(steps).toEqual(['git init']);
  });

  it.runIf(hasGit)('does not nest a repository inside another', async () => {
    const outer = tempDir();
    spawnSync('git', ['init', '--quiet'], { cwd: outer });
    const result = await createApp({ name: 'blog', cwd: outer, install: false });
    expect(result.git).toBe('inside-repository');
    expect(existsSync(join(result.root, '.git'))).toBe(false);
  });

  it.skipIf(hasPnpm)('reports a missing package manager clearly', async () => {
    const error = await slsError(() => createApp({ name: 'blog', cwd: tempDir(), git: false, packageManager: 'pnpm' }));
    expect(messages(error)).toBe("pnpm was not found on this machine: blog/ has the app's files, but not its dependencies — install pnpm, then finish with: cd blog && pnpm install (or use npm: cd blog && npm install)");
  });

  it('reports a failed install with the package manager\'s own words', async () => {
    const cwd = tempDir();
    const dir = join(cwd, 'blog');
    // An invalid spec: npm refuses it before going to the network.
    const error = await slsError(() => createApp({ name: 'blog', cwd, git: false, slsTsSpec: '^^not valid' }));
    expect(error.message).toContain('Invalid tag name "^^not valid"');
    expect(error.message).toMatch(new RegExp(`^npm install --no-audit --no-fund failed \\(exit code \\d+\\) in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    expect(error.hint).toBe("blog/ has the app's files, but not its dependencies: fix the problem, then finish with: cd blog && npm install");
    expect(existsSync(join(dir, 'package.json'))).toBe(true);
  }, 60_000);
});
