import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Controller, createHandler } from '../../../src/runtime/index.js';
import { loadApp, request } from '../../../src/testing/index.js';

const root = new URL('../../fixtures/mini-app/', import.meta.url);
const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('loadApp()', () => {
  it('loads routes and lazy controller and function loaders by convention', async () => {
    const app = await loadApp(root);
    expect(app.routes).toHaveProperty('byResource');
    expect(Object.keys(app.controllers!).sort()).toEqual(['admin/stats', 'home', 'posts']);
    expect(Object.keys(app.functions!).sort()).toEqual(['callback', 'hello']);
    for (const entry of Object.values(app.controllers!)) {
      // A loader, not a class: modules are imported when a route first needs them.
      expect(typeof entry).toBe('function');
      expect((entry as { prototype?: unknown }).prototype instanceof Controller).toBe(false);
    }
    const loaded = await (app.controllers!.posts as () => Promise<{ default: unknown }>)();
    expect((loaded.default as { prototype: unknown }).prototype).toBeInstanceOf(Controller);
  });

  it('accepts a path string as well as a URL', async () => {
    const app = await loadApp(fileURLToPath(root));
    expect(Object.keys(app.controllers!)).toContain('posts');
  });

  it('serves the app through request(): controllers, namespaces, filters, rescueFrom, functions', async () => {
    const client = request(loadApp(root), { stage: 'dev' });

    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toBe('<h1>mini-app</h1>');
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.headers['x-powered-by']).toBe('mini-app');

    expect((await client.get('/posts')).body).toEqual([{ id: '1', title: 'First' }, { id: '2', title: 'Second' }]);
    expect((await client.get('/posts/2')).body).toEqual({ id: '2', title: 'Second' });

    const missing = await client.get('/posts/9');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'post 9 not found' });

    const created = await client.post('/posts').send({ title: 'Third' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: '3', title: 'Third' });
    const invalid = await client.post('/posts').send({});
    expect(invalid.status).toBe(422);
    expect(invalid.body).toEqual({ error: 'title is required' });

    expect((await client.get('/admin/stats')).body).toEqual({ posts: 2, stage: 'dev' });

    const hello = await client.get('/hello/Ada%20Lovelace');
    expect(hello.text).toBe('Hello, Ada Lovelace! (/hello/{name})');
    expect((await client.get('/callback')).body).toEqual({ style: 'callback' });

    expect((await client.get('/nowhere')).status).toBe(403);
  });

  it('a route whose controller file is missing fails at request time with a clear message', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const app = await loadApp(root);
      expect(app.controllers).not.toHaveProperty('ghost');
      const res = await request(createHandler(app, { showErrors: true }), { routes: app.routes }).get('/ghost');
      expect(res.status).toBe(500);
      expect(res.body.message).toBe('controller "ghost" is not in this function (app/controllers/ghost-controller.ts)');
    } finally {
      spy.mockRestore();
    }
  });

  it('rejects a directory without config/routes, or a routes file without defineRoutes', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sls-ts-load-app-'));
    temp.push(empty);
    await expect(loadApp(empty)).rejects.toThrow(/config\/routes\.ts not found — is .* the root of an sls-ts app\?/);

    mkdirSync(join(empty, 'config'));
    const routesFile = join(empty, 'config', 'routes.mjs');
    writeFileSync(routesFile, 'export default { routes: [] };\n');
    await expect(loadApp(empty)).rejects.toThrow(/routes\.mjs must `export default defineRoutes\(\.\.\.\)`/);
  });
});
