// #16.15 through the real binary: what `sls-ts server` prints — an aligned route table, one
// correctly worded line per reload — and an app that is broken when the server starts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, startServer as startServerProcess } from './server-process.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const copyApp = () => copyFixture('dev-app', cleanups);

const startServer = (app: string) => startServerProcess(app, cleanups);

const BANNER = /^sls-ts server dev-app \(dev, controller layout\) on (http:\/\/127\.0\.0\.1:\d+)\n/;

describe('sls-ts server messages', () => {
  it('prints the route table with its targets in one column', async () => {
    const server = startServer(copyApp());
    await server.waitFor('stdout', BANNER, 'banner');
    await server.waitFor('stdout', /express\/\*proxy.*\n/, 'the route table');
    const rows = server.stdout().split('\n').filter((line) => /^ {2}[A-Z]+ +http:/.test(line));
    expect(rows.length).toBeGreaterThan(10);
    // Where each row's last cell (its target) starts.
    const columns = new Set(rows.map((row) => row.length - row.split(/\s+/).at(-1)!.length));
    expect(columns.size, rows.join('\n')).toBe(1);
  });

  it('reports one reload per change of the routes, with "1 route" for one', async () => {
    const app = copyApp();
    const server = startServer(app);
    const [, url] = await server.waitFor('stdout', BANNER, 'banner');
    const file = join(app, 'config/routes.ts');
    const one = "import { defineRoutes } from 'sls-ts';\n\nexport default defineRoutes((r) => {\n  r.get('/hello', 'home#hello');\n});\n";
    writeFileSync(file, one);
    // The same save reported again later (an editor's write and close) is not a second change.
    await new Promise((resolve) => setTimeout(resolve, 150));
    writeFileSync(file, one);
    await server.waitFor('stdout', /routes reloaded \(1 route\)\n/, 'the reload line');
    expect((await fetch(`${url}/boom`)).status).toBe(403);
    // The request line comes after anything the second notification could have printed.
    await server.waitFor('stdout', /^GET \/boom 403 /m, 'the request line');
    expect(server.stdout().match(/routes reloaded/g)).toHaveLength(1);
  });

  it('keeps running when the routes are broken at start: 502 with the reason, then served once fixed', async () => {
    const app = copyApp();
    const file = join(app, 'config/routes.ts');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace("r.get('/hello', 'home#hello');", "r.get('/hello', 'nowhere#show');"));
    const server = startServer(app);
    await server.waitFor('stderr', /the app does not load \(answering 502 until it is fixed\) .*nowhere-controller\.ts not found/, 'the load error');
    const [, url] = await server.waitFor('stdout', BANNER, 'banner');
    const broken = await fetch(`${url}/hello`);
    expect(broken.status).toBe(502);
    expect(await broken.text()).toMatch(/nowhere-controller/);

    writeFileSync(file, good);
    await server.waitFor('stdout', /routes reloaded \(\d+ routes\)\n/, 'the reload line');
    const fixed = await fetch(`${url}/hello`);
    expect(fixed.status).toBe(200);
    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});
