import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, buildDirectory, SlsError, type BuildResult, type BuiltFunction } from '../../../src/index.js';
import { FUNCTION_NAME_LIMIT } from '../../../src/build/index.js';
import { configFor, copyApp, createScratch, exampleApp, fixture, installS3Stub, installStub, unzip } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const summary = (result: BuildResult) => result.manifest.functions.map((fn) => [fn.functionName, fn.kind, fn.routes.map((r) => `${r.method} ${r.path}`)]);
const byKey = (result: BuildResult, key: string): BuiltFunction => result.manifest.functions.find((fn) => fn.key === key)!;

describe('example-app in each layout', () => {
  let root: string;
  beforeAll(() => {
    root = copyApp(exampleApp, scratch.dir);
  });

  it('controller layout: one function per controller, plus the plain function and the jobs', async () => {
    const result = await build({ config: await configFor(root) });
    expect(result.outDir).toBe(join(root, '.sls-ts', 'build', 'dev'));
    expect(result.manifest).toMatchObject({ app: 'example-app', stage: 'dev', region: 'us-east-1', layout: 'controller', runtime: 'nodejs22.x', architecture: 'arm64' });
    expect(summary(result)).toEqual([
      ['example-app-dev-home-controller', 'controller', ['GET /']],
      ['example-app-dev-health-controller', 'controller', ['GET /health']],
      ['example-app-dev-posts-controller', 'controller', ['GET /posts', 'POST /posts', 'GET /posts/:id', 'PATCH /posts/:id', 'PUT /posts/:id', 'DELETE /posts/:id']],
      ['example-app-dev-images-controller', 'controller', ['GET /logo.png']],
      ['example-app-dev-uploads-controller', 'controller', ['POST /uploads', 'GET /uploads/:id']],
      ['example-app-dev-quotes-controller', 'controller', ['GET /quotes/today']],
      ['example-app-dev-admin-stats-controller', 'controller', ['GET /admin/stats', 'DELETE /admin/posts']],
      ['example-app-dev-hello', 'function', ['GET /hello/:name']],
      ['example-app-dev-announce-job', 'job', []],
      ['example-app-dev-cleanup-job', 'job', []],
      ['example-app-dev-summarize-upload-job', 'job', []],
      ['example-app-dev-admin-authorizer', 'authorizer', []],
      ['example-app-dev-chat-channel', 'channel', []],
    ]);
    expect(byKey(result, 'posts-controller')).toMatchObject({ controller: 'posts', source: 'PostsController', handler: 'index.handler', memory: 1024, timeout: 10 });
    expect(byKey(result, 'home-controller').memory).toBe(512);
    // The admin namespace is behind AdminAuthorizer (app/authorizers/admin-authorizer.ts).
    expect(byKey(result, 'admin-stats-controller').routes[0]).toEqual({ method: 'GET', path: '/admin/stats', resource: '/admin/stats', target: { controller: 'admin/stats', action: 'index' }, auth: { type: 'lambda', authorizer: 'admin' } });
    expect(byKey(result, 'hello')).toMatchObject({ function: 'hello', source: 'app/functions/hello' });
    expect(byKey(result, 'cleanup-job')).toMatchObject({ job: 'cleanup', source: 'CleanupJob', schedules: [{ kind: 'rate', expression: 'rate(1 day)' }] });
  });

  it('action layout: one function per controller action', async () => {
    const result = await build({ config: await configFor(root), layout: 'action' });
    expect(result.manifest.layout).toBe('action');
    const functions = result.manifest.functions;
    expect(functions.filter((fn) => fn.kind === 'action')).toHaveLength(13);
    expect(functions.map((fn) => fn.kind).filter((kind) => kind !== 'action')).toEqual(['function', 'job', 'job', 'job', 'authorizer', 'channel']);
    expect(byKey(result, 'posts-controller-update')).toMatchObject({
      functionName: 'example-app-dev-posts-controller-update',
      controller: 'posts',
      action: 'update',
      source: 'PostsController#update',
      memory: 1024,
    });
    expect(byKey(result, 'posts-controller-update').routes.map((r) => `${r.method} ${r.resource}`)).toEqual(['PATCH /posts/{id}', 'PUT /posts/{id}']);
    expect(byKey(result, 'admin-stats-controller-purge').routes.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /admin/posts']);
    // Every route is served by exactly one function.
    const routes = functions.flatMap((fn) => fn.routes.map((r) => `${r.method} ${r.path}`));
    expect(new Set(routes).size).toBe(routes.length);
    expect(routes).toHaveLength(15);
  });

  it('single layout: one function for every route (plain function routes included), plus the jobs', async () => {
    const result = await build({ config: await configFor(root), layout: 'single' });
    expect(result.manifest.layout).toBe('single');
    expect(result.manifest.functions.map((fn) => [fn.functionName, fn.kind])).toEqual([
      ['example-app-dev-controller', 'single'],
      ['example-app-dev-announce-job', 'job'],
      ['example-app-dev-cleanup-job', 'job'],
      ['example-app-dev-summarize-upload-job', 'job'],
      ['example-app-dev-admin-authorizer', 'authorizer'],
      ['example-app-dev-chat-channel', 'channel'],
    ]);
    const web = byKey(result, 'controller');
    expect(web.routes).toHaveLength(15);
    expect(web.routes).toContainEqual({ method: 'GET', path: '/hello/:name', resource: '/hello/{name}', target: { function: 'hello' } });
    // The zips of the previous layout are gone: the output directory holds this build only.
    expect(readdirSync(result.outDir).sort()).toEqual(['admin-authorizer.zip', 'announce-job.zip', 'chat-channel.zip', 'cleanup-job.zip', 'controller.zip', 'manifest.json', 'summarize-upload-job.zip']);
  });

  it('writes manifest.json with functions, handlers, routes, sizes and hashes', async () => {
    const result = await build({ config: await configFor(root) });
    const manifest = JSON.parse(readFileSync(join(result.outDir, 'manifest.json'), 'utf8')) as typeof result.manifest;
    expect(manifest).toEqual(result.manifest);
    expect(readdirSync(result.outDir).sort()).toEqual([...manifest.functions.map((fn) => fn.artifact.file), 'manifest.json'].sort());
    for (const fn of manifest.functions) {
      // The handler's file is in the zip.
      expect(fn.handler).toBe('index.handler');
      expect(Object.keys(unzip(join(result.outDir, fn.artifact.file)))).toContain('index.mjs');
      expect(fn.artifact.zippedBytes).toBe(statSync(join(result.outDir, fn.artifact.file)).size);
      const unzipped = Object.values(unzip(join(result.outDir, fn.artifact.file))).reduce((total, data) => total + data.length, 0);
      expect(fn.artifact.unzippedBytes).toBe(unzipped);
      expect(fn.artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(fn.environment).toMatchObject({ ADMIN_TOKEN: 'dev-admin-token', SLS_TS_STAGE: 'dev' });
      expect(fn.description).toBe(`example-app dev: ${fn.source}`);
    }
  });

  it('builds per stage into .sls-ts/build/<stage> with the stage’s overrides', async () => {
    const config = await configFor(root, 'prod');
    expect(buildDirectory(config)).toBe(join(root, '.sls-ts', 'build', 'prod'));
    const result = await build({ config });
    expect(result.outDir).toBe(join(root, '.sls-ts', 'build', 'prod'));
    expect(byKey(result, 'home-controller')).toMatchObject({ functionName: 'example-app-prod-home-controller', memory: 1024 });
    expect(byKey(result, 'home-controller').environment.SLS_TS_STAGE).toBe('prod');
  });
});

describe('layout choice', () => {
  it('uses the layout from the config, and `layout` overrides it', async () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    const config = await configFor(root, 'actions');
    expect(config.layout).toBe('action');
    const configured = await build({ config, outDir: join(scratch.dir, 'layout-configured') });
    expect(configured.manifest.layout).toBe('action');
    expect(configured.manifest.functions.map((fn) => fn.key)).toContain('alpha-controller-list');
    const overridden = await build({ config, layout: 'controller', outDir: join(scratch.dir, 'layout-overridden') });
    expect(overridden.manifest.layout).toBe('controller');
    expect(overridden.manifest.functions.map((fn) => fn.key)).toEqual(['home-controller', 'alpha-controller', 'beta-controller', 'uploads-controller', 'system-controller', 'ping', 'nightly-job']);
  });
});

describe('function names', () => {
  const longName = 'a-rather-long-application-name-for-limit';

  it('shortens names over 64 characters with a stable hash, and keeps them distinct', async () => {
    expect(longName).toHaveLength(40);
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    writeFileSync(join(root, 'sls-ts.config.ts'), `import { defineConfig } from 'sls-ts/config';\n\nexport default defineConfig({ name: '${longName}' });\n`);
    const config = await configFor(root);
    const first = await build({ config, layout: 'action', outDir: join(scratch.dir, 'long-1') });
    const second = await build({ config, layout: 'action', outDir: join(scratch.dir, 'long-2') });
    const names = first.manifest.functions.map((fn) => fn.functionName);
    expect(second.manifest.functions.map((fn) => fn.functionName)).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    for (const fn of first.manifest.functions) {
      const full = `${longName}-dev-${fn.key}`;
      expect(fn.functionName.length, fn.functionName).toBeLessThanOrEqual(FUNCTION_NAME_LIMIT);
      if (full.length <= FUNCTION_NAME_LIMIT) {
        expect(fn.functionName).toBe(full);
      } else {
        expect(fn.functionName).toMatch(/^[A-Za-z0-9_-]+-[0-9a-f]{8}$/);
        expect(full.startsWith(fn.functionName.slice(0, -9).replace(/-+$/, ''))).toBe(true);
      }
    }
    // Both kinds occur: `…-dev-ping` fits, `…-dev-alpha-controller-show` does not.
    expect(names).toContain(`${longName}-dev-ping`);
    const show = first.manifest.functions.find((fn) => fn.key === 'alpha-controller-show')!;
    const list = first.manifest.functions.find((fn) => fn.key === 'alpha-controller-list')!;
    expect(show.functionName).not.toBe(`${longName}-dev-alpha-controller-show`);
    expect(show.functionName).toHaveLength(64);
    expect(show.functionName).not.toBe(list.functionName);
  });
});

describe('function name clashes', () => {
  it('fail the build naming both sources instead of deploying one over the other', async () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    writeFileSync(join(root, 'app', 'functions', 'alpha-controller.ts'), 'export async function handler() {\n  return { statusCode: 204 };\n}\n');
    const error = await build({ config: await configFor(root) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    expect((error as SlsError).message).toBe('app/functions/alpha-controller and AlphaController would both be deployed as shop-dev-alpha-controller — rename one of them');
  });
});

describe('sizes', () => {
  it('warns about every function over build.sizeBudgetKB, and only those', async () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    const config = await configFor(root, 'tiny');
    expect(config.build.sizeBudgetKB).toBe(1);
    const result = await build({ config });
    const over = result.manifest.functions.filter((fn) => fn.artifact.zippedBytes > 1024);
    const under = result.manifest.functions.filter((fn) => fn.artifact.zippedBytes <= 1024);
    expect(over.length).toBeGreaterThan(0);
    expect(under.map((fn) => fn.key)).toEqual(['ping']);
    expect(result.warnings.map((w) => w.text)).toEqual(over.map((fn) => `${fn.functionName} is ${(fn.artifact.zippedBytes / 1024).toFixed(1)} KB zipped, over the 1 KB budget`));
    expect(result.warnings.every((w) => w.level === 'warning' && w.hint?.includes('build.sizeBudgetKB'))).toBe(true);
  });

  it('does not warn within the default budget', async () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    const result = await build({ config: await configFor(root) });
    expect(result.warnings).toEqual([]);
  });
});

describe('failed builds', () => {
  it('leave the previous output directory intact', async () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    const config = await configFor(root);
    const good = await build({ config });
    const snapshot = Object.fromEntries(readdirSync(good.outDir).map((name) => [name, readFileSync(join(good.outDir, name))]));

    // A route to an action that no longer exists: the whole build fails.
    const file = join(root, 'app', 'controllers', 'alpha-controller.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('list() {', 'listing() {'));
    const error = await build({ config }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    expect((error as SlsError).diagnostics[0]!.text).toContain('AlphaController has no action "list"');

    expect(Object.keys(snapshot).length).toBeGreaterThan(1);
    expect(readdirSync(good.outDir).sort()).toEqual(Object.keys(snapshot).sort());
    for (const [name, bytes] of Object.entries(snapshot)) expect(readFileSync(join(good.outDir, name)).equals(bytes), name).toBe(true);
    expect(readdirSync(dirname(good.outDir))).toEqual(['dev']);
  });

  it('leave it intact when bundling fails after the app loaded fine, and name the function', async () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    // Loads under Node (the import is lazy), but esbuild cannot resolve it when bundling.
    installStub(root, 'lazy-helper', "export const value = 1;\nexport const later = () => import('./not-there.js');\n");
    const config = await configFor(root);
    const good = await build({ config });
    const manifest = readFileSync(join(good.outDir, 'manifest.json'));

    const file = join(root, 'app', 'controllers', 'beta-controller.ts');
    writeFileSync(file, `import { later } from 'lazy-helper';\n${readFileSync(file, 'utf8').replace('show() {', 'show() {\n    void later;')}`);
    const error = await build({ config }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    const [d] = (error as SlsError).diagnostics;
    expect(d!.text).toBe('BetaController: Could not resolve "./not-there.js"');
    expect(d!.file).toBe(join(root, 'node_modules', 'lazy-helper', 'index.js'));
    expect(d!.line).toBe(2);

    expect(readFileSync(join(good.outDir, 'manifest.json')).equals(manifest)).toBe(true);
    expect(readdirSync(good.outDir)).toContain('beta-controller.zip');
    expect(readdirSync(dirname(good.outDir))).toEqual(['dev']);
  });
});
