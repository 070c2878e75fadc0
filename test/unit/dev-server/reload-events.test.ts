// #16.15: what the dev server reports while files change, an app that is broken when the server
// starts, and a request body that never finishes arriving.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DevServerEvent } from '../../../src/dev-server/index.js';
import { fixtureRoot, sleep, startDevServer, type Started } from './support.js';

// Inside this package, so the copy's `import 'sls-ts'` still resolves to this repo by self-reference.
const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function copyFixture(): string {
  const root = mkdtempSync(join(fixturesDir, '.tmp-reload-'));
  cpSync(fixtureRoot, root, { recursive: true, filter: (source) => !source.includes(`${fixtureRoot}/.sls-ts`) });
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

async function start(options: Parameters<typeof startDevServer>[0]): Promise<Started> {
  const dev = await startDevServer(options);
  cleanups.push(() => dev.close());
  return dev;
}

const ofType = <T extends DevServerEvent['type']>(dev: Started, type: T) => dev.events.filter((event): event is Extract<DevServerEvent, { type: T }> => event.type === type);

describe('reloads', () => {
  it('one change to the routes is one reload, even when the file is reported again with the same bytes', async () => {
    const root = copyFixture();
    const dev = await start({ root, watch: true });
    const file = join(root, 'config/routes.ts');
    const changed = readFileSync(file, 'utf8').replace("r.get('/boom', 'home#boom');", '');
    writeFileSync(file, changed);
    // A second notification of the same save, after the debounce (an editor's write and close).
    await sleep(150);
    writeFileSync(file, changed);
    await dev.server.settled();
    expect(ofType(dev, 'reloaded')).toEqual([{ type: 'reloaded', routes: dev.server.state().app.table.routes.length }]);
    expect((await fetch(`${dev.url}/boom`)).status).toBe(403);
  });

  it('a removed job (`destroy job`) is a reload, not a build failure', async () => {
    const root = copyFixture();
    const dev = await start({ root, watch: true, jobs: false });
    expect(dev.server.state().functions.map((fn) => fn.functionName)).toContain('dev-app-dev-tick-job');
    unlinkSync(join(root, 'app/jobs/tick-job.ts'));
    await dev.server.settled();
    expect(ofType(dev, 'build-error')).toEqual([]);
    expect(ofType(dev, 'reloaded')).toHaveLength(1);
    expect(dev.server.state().functions.map((fn) => fn.functionName)).not.toContain('dev-app-dev-tick-job');
    expect((await fetch(`${dev.url}/hello`)).status).toBe(200);
  });
});

describe('an app that does not load when the server starts', () => {
  it('keeps the server running: 502 with the reason until the routes file is fixed, then served', async () => {
    const root = copyFixture();
    const file = join(root, 'config/routes.ts');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace("r.get('/hello', 'home#hello');", "r.get('/hello', 'nowhere#show');"));
    const dev = await start({ root, watch: true });

    expect(ofType(dev, 'reload-error')).toEqual([{ type: 'reload-error', message: expect.stringMatching(/nowhere-controller/) }]);
    const broken = await fetch(`${dev.url}/hello`);
    expect(broken.status).toBe(502);
    expect(((await broken.json()) as { error: string }).error).toMatch(/nowhere-controller/);

    writeFileSync(file, good);
    await dev.server.settled();
    const fixed = await fetch(`${dev.url}/hello`);
    expect(fixed.status).toBe(200);
    expect(await fixed.json()).toEqual({ hello: 'world' });
  });
});

describe('a request body that does not finish arriving', () => {
  it('is cut at the body timeout with API Gateway\'s 504 "Endpoint request timed out" (item 62)', async () => {
    const dev = await start({ watch: false, bodyTimeoutMs: 300 });
    const { hostname, port } = new URL(dev.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ hostname, port, method: 'POST', path: '/echo', headers: { 'content-type': 'text/plain', 'content-length': '100' }, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // Ten of the hundred bytes announced, and then nothing.
      req.write('0123456789');
      cleanups.push(() => void req.destroy());
    });
    expect(answer.status).toBe(504);
    expect((JSON.parse(answer.body) as { message: string }).message).toBe('Endpoint request timed out');
    expect(ofType(dev, 'request')).toMatchObject([{ method: 'POST', path: '/echo', status: 504 }]);
  });
});
