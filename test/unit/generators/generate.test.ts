import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destroy, generate, type GeneratorKind, type GenerateOptions } from '../../../src/generators/index.js';
import { folders, messages, newApp, slsError, snapshot, tempDir } from './support.js';

const ROUTES = 'config/routes.ts';
const CONFIG = 'sls-ts.config.ts';

describe('generate', () => {
  it('creates the scaffold files and adds the resources route', async () => {
    const root = await newApp();
    const changes = await generate('scaffold', 'posts', { root, args: ['title:string', 'body:text'] });
    expect(changes).toEqual([
      { path: 'app/controllers/posts-controller.ts', action: 'create' },
      { path: 'app/models/post-store.ts', action: 'create' },
      { path: 'test/posts.test.ts', action: 'create' },
      { path: ROUTES, action: 'update' },
      { path: CONFIG, action: 'update' },
    ]);
    expect(readFileSync(join(root, ROUTES), 'utf8')).toContain("  r.root('home#index');\n  r.resources('posts');\n});");
    expect(readFileSync(join(root, 'app/models/post-store.ts'), 'utf8')).toContain('export class DynamoPostStore implements PostStore');
    const config = readFileSync(join(root, CONFIG), 'utf8');
    expect(config).toContain("import { defineConfig, table } from 'sls-ts/config';");
    expect(config).toContain([
      '  stages: {',
      '    prod: { memory: 1024, logRetentionDays: 90 },',
      '  },',
      '  resources: {',
      "    posts: table({ key: 'id' }),",
      '  },',
      '  controllers: {',
      "    posts: { link: ['posts'] },",
      '  },',
      '});',
    ].join('\n'));
  });

  it('refuses conflicts before writing anything, listing every conflicting file', async () => {
    const root = await newApp();
    mkdirSync(join(root, 'app/models'), { recursive: true });
    writeFileSync(join(root, 'app/models/post-store.ts'), '// mine\n');
    writeFileSync(join(root, 'test/posts.test.ts'), '// mine too\n');
    const before = snapshot(root);
    const error = await slsError(() => generate('scaffold', 'posts', { root, args: ['title'] }));
    expect(messages(error)).toBe([
      'app/models/post-store.ts already exists with other contents',
      'test/posts.test.ts already exists with other contents — nothing was written: pass --force to overwrite, or --dry-run to list every change',
    ].join('\n'));
    expect(snapshot(root)).toEqual(before);
  });

  it('overwrites conflicts with force, saying so', async () => {
    const root = await newApp();
    writeFileSync(join(root, 'test/posts.test.ts'), '// mine\n');
    const changes = await generate('scaffold', 'posts', { root, args: ['title'], force: true });
    expect(changes).toContainEqual({ path: 'test/posts.test.ts', action: 'update', note: 'overwritten (--force)' });
    expect(readFileSync(join(root, 'test/posts.test.ts'), 'utf8')).toContain("describe('posts'");
  });

  it('with dryRun lists the changes, conflicts first, and writes nothing', async () => {
    const root = await newApp();
    writeFileSync(join(root, 'test/posts.test.ts'), '// mine\n');
    const before = snapshot(root);
    const changes = await generate('scaffold', 'posts', { root, args: ['title'], dryRun: true });
    expect(changes).toEqual([
      { path: 'test/posts.test.ts', action: 'conflict' },
      { path: 'app/controllers/posts-controller.ts', action: 'create' },
      { path: 'app/models/post-store.ts', action: 'create' },
      { path: ROUTES, action: 'update' },
      { path: CONFIG, action: 'update' },
    ]);
    expect(snapshot(root)).toEqual(before);
  });

  it('skips identical files and a route that is already there', async () => {
    const root = await newApp();
    await generate('job', 'cleanup', { root, rate: '1 hour' });
    await generate('function', 'hello', { root, route: '/hello/:name' });
    const before = snapshot(root);
    expect(await generate('function', 'hello', { root, route: '/hello/:name' })).toEqual([
      { path: 'app/functions/hello.ts', action: 'skip', note: 'identical' },
      { path: 'test/hello-function.test.ts', action: 'skip', note: 'identical' },
      { path: ROUTES, action: 'skip', note: 'routes already there' },
    ]);
    expect(snapshot(root)).toEqual(before);
  });

  it('fails naming config/routes.ts when it has no place for the route, writing nothing', async () => {
    const root = await newApp();
    writeFileSync(join(root, ROUTES), "import { defineRoutes } from 'sls-ts';\n\nexport default defineRoutes((r) => r.root('home#index'));\n");
    const before = snapshot(root);
    const error = await slsError(() => generate('scaffold', 'posts', { root, args: ['title'] }));
    expect(error.message).toBe("cannot find where to add r.resources('posts') in config/routes.ts");
    expect(error.hint).toContain('defineRoutes((r) => { … })');
    expect(snapshot(root)).toEqual(before);
  });

  it('fails when config/routes.ts is missing', async () => {
    const root = await newApp();
    rmSync(join(root, ROUTES));
    expect((await slsError(() => generate('controller', 'pages', { root }))).message).toBe('config/routes.ts not found');
  });

  it('refuses a folder that is not an sls-ts app', async () => {
    const root = tempDir();
    expect(messages(await slsError(() => generate('job', 'cleanup', { root })))).toContain('is not an sls-ts app (no sls-ts.config.ts) — run it in the app folder, or pass -C <app dir>');
  });

  it('creates missing support files (ApplicationController, RecordNotFound) and keeps existing ones', async () => {
    const root = await newApp();
    rmSync(join(root, 'app/models/record-not-found.ts'));
    writeFileSync(join(root, 'app/controllers/application-controller.ts'), '// customised\n');
    const changes = await generate('scaffold', 'posts', { root, args: ['title'] });
    expect(changes).toContainEqual({ path: 'app/models/record-not-found.ts', action: 'create' });
    expect(changes.map((c) => c.path)).not.toContain('app/controllers/application-controller.ts');
    expect(readFileSync(join(root, 'app/controllers/application-controller.ts'), 'utf8')).toBe('// customised\n');
  });

  it('creates RecordNotFound only when ApplicationController, which rescues it, is created too', async () => {
    const root = await newApp();
    rmSync(join(root, 'app/models/record-not-found.ts'));
    expect((await generate('controller', 'pages', { root, dryRun: true })).map((c) => c.path)).not.toContain('app/models/record-not-found.ts');
    rmSync(join(root, 'app/controllers/application-controller.ts'));
    expect(await generate('controller', 'pages', { root, dryRun: true })).toEqual(expect.arrayContaining([
      { path: 'app/controllers/application-controller.ts', action: 'create' },
      { path: 'app/models/record-not-found.ts', action: 'create' },
    ]));
  });

  it('leaves no temp files behind', async () => {
    const root = await newApp();
    await generate('scaffold', 'posts', { root, args: ['title'] });
    expect(Object.keys(snapshot(root)).filter((path) => path.endsWith('.tmp'))).toEqual([]);
  });

  it('undoes earlier writes when a later one fails', async () => {
    const root = await newApp();
    rmSync(join(root, 'app/models'), { recursive: true });
    writeFileSync(join(root, 'app/models'), 'a file where a folder should be\n');
    const before = snapshot(root);
    const error = await slsError(() => generate('scaffold', 'posts', { root, args: ['title'] }));
    expect(error.message).toMatch(/^could not write app\/models\/post-store\.ts: /);
    expect(error.hint).toContain('nothing was changed');
    expect(snapshot(root)).toEqual(before);
  });
});

describe('generate function --method', () => {
  it('routes the function with the given method, and its code uses the event and result types of sls-ts', async () => {
    const root = await newApp();
    await generate('function', 'webhook', { root, route: '/webhook', method: 'post' });
    expect(readFileSync(join(root, ROUTES), 'utf8')).toContain("  r.post('/webhook', { function: 'webhook' });\n});");
    const code = readFileSync(join(root, 'app/functions/webhook.ts'), 'utf8');
    expect(code).toContain("import type { ApiGatewayProxyEvent, ApiGatewayProxyResult } from 'sls-ts';");
    expect(code).toContain('export async function handler(event: ApiGatewayProxyEvent): Promise<ApiGatewayProxyResult> {');
    expect(readFileSync(join(root, 'test/webhook-function.test.ts'), 'utf8')).toContain("await app.post('/webhook');");
    // destroy finds the POST route without being told the method again.
    await destroy('function', 'webhook', { root, route: '/webhook' });
    expect(readFileSync(join(root, ROUTES), 'utf8')).not.toContain('webhook');
  });

  it('refuses an unknown method, and a method without a route, writing nothing', async () => {
    const root = await newApp();
    const before = snapshot(root);
    expect(messages(await slsError(() => generate('function', 'webhook', { root, route: '/webhook', method: 'pots' })))).toBe(
      '--method "pots" is not a route method — did you mean post? use one of: get, post, put, patch, delete, any',
    );
    expect(messages(await slsError(() => generate('function', 'webhook', { root, method: 'post' })))).toContain('--method needs --route');
    expect(snapshot(root)).toEqual(before);
  });
});

describe('destroy', () => {
  const cases: Array<[GeneratorKind, string, Omit<GenerateOptions, 'root'>, Omit<GenerateOptions, 'root'>]> = [
    ['scaffold', 'posts', { args: ['title:string', 'body:text', 'views:number'] }, {}],
    ['controller', 'admin/stats', { args: ['index', 'purge_all'] }, {}],
    ['controller', 'pages', { args: ['about', 'contact'] }, { args: ['about', 'contact'] }],
    ['job', 'cleanup', { cron: '0 12 * * ? *' }, {}],
    ['function', 'webhook', { route: '/hooks/:source' }, {}],
    ['function', 'quiet', {}, {}],
    ['authorizer', 'admin', {}, {}],
    ['channel', 'chat', {}, {}],
  ];

  it.each(cases)('%s %s: restores the files as they were before generate', async (kind, name, generateOptions, destroyOptions) => {
    const root = await newApp();
    const before = snapshot(root);
    const foldersBefore = folders(root);
    await generate(kind, name, { root, ...generateOptions });
    expect(snapshot(root)).not.toEqual(before);
    const changes = await destroy(kind, name, { root, ...destroyOptions });
    expect(changes.filter((c) => c.action === 'remove').length).toBeGreaterThan(0);
    expect(snapshot(root)).toEqual(before);
    expect(folders(root)).toEqual(foldersBefore);
  });

  it('keeps user routes and files it did not generate', async () => {
    const root = await newApp();
    await generate('controller', 'pages', { root, args: ['about'] });
    const routes = readFileSync(join(root, ROUTES), 'utf8').replace('});\n', "  r.get('/legal', 'home#index');\n});\n");
    writeFileSync(join(root, ROUTES), routes);
    await destroy('controller', 'pages', { root });
    expect(readFileSync(join(root, ROUTES), 'utf8')).toBe(routes.replace("  r.get('/pages/about', 'pages#about');\n", ''));
    expect(existsSync(join(root, 'app/controllers/application-controller.ts'))).toBe(true);
  });

  it('with dryRun lists the removals and changes nothing', async () => {
    const root = await newApp();
    await generate('scaffold', 'posts', { root, args: ['title'] });
    const before = snapshot(root);
    expect(await destroy('scaffold', 'posts', { root, dryRun: true })).toEqual([
      { path: 'app/controllers/posts-controller.ts', action: 'remove' },
      { path: 'app/models/post-store.ts', action: 'remove' },
      { path: 'test/posts.test.ts', action: 'remove' },
      { path: ROUTES, action: 'update' },
      { path: CONFIG, action: 'update' },
    ]);
    expect(snapshot(root)).toEqual(before);
  });

  it('skips the files that are gone and removes the rest', async () => {
    const root = await newApp();
    const before = snapshot(root);
    await generate('scaffold', 'comments', { root, args: ['body:text'] });
    rmSync(join(root, 'test/comments.test.ts'));
    expect(await destroy('scaffold', 'comments', { root })).toEqual([
      { path: 'app/controllers/comments-controller.ts', action: 'remove' },
      { path: 'app/models/comment-store.ts', action: 'remove' },
      { path: 'test/comments.test.ts', action: 'skip', note: 'not found' },
      { path: ROUTES, action: 'update' },
      { path: CONFIG, action: 'update' },
    ]);
    expect(snapshot(root)).toEqual({ ...before, 'app/models/record-not-found.ts': expect.any(String) });
  });

  it('fails when nothing of it is there, naming what the app has', async () => {
    const root = await newApp();
    await generate('scaffold', 'comments', { root, args: ['body:text'] });
    const before = snapshot(root);
    const error = await slsError(() => destroy('scaffold', 'posts', { root }));
    expect(error.message).toBe('scaffold posts not found: nothing to destroy (no file and no route of it in the app)');
    expect(error.hint).toBe("the app's controllers are: comments, home");
    expect(snapshot(root)).toEqual(before);
  });
});
