// Hot reload (watch: true) on a copy of the fixture app: an edit rebuilds only the functions it
// affects, a build error answers 502 until fixed, and a routes change is served without a restart.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echo, fixtureRoot, startDevServer, type Started } from './support.js';

// Inside this package, so the copy's `import 'sls-ts'` still resolves to this repo by self-reference.
const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));
let root: string;
let dev: Started;

beforeAll(async () => {
  root = mkdtempSync(join(fixturesDir, '.tmp-dev-'));
  cpSync(fixtureRoot, root, { recursive: true, filter: (source) => !source.includes(`${fixtureRoot}/.sls-ts`) });
  dev = await startDevServer({ root, watch: true });
});
afterAll(async () => {
  await dev?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const controllerFile = () => join(root, 'app/controllers/greetings-controller.ts');
const greeting = (text: string, source = readFileSync(controllerFile(), 'utf8')) => source.replace(/greeting: '[^']*'/, `greeting: '${text}'`);

async function getGreeting(): Promise<{ status: number; body: string; cold: boolean | undefined }> {
  const response = await fetch(`${dev.url}/greeting`);
  const body = await response.text();
  return { status: response.status, body, cold: dev.requestEvent(response.headers.get('x-amzn-requestid')).cold };
}

describe('hot reload', () => {
  it('an edited controller answers with the new code at once, while another function stays warm', async () => {
    expect(await getGreeting()).toMatchObject({ status: 200, body: '{"greeting":"v1"}' });
    const before = await echo(dev.url, '/echo');

    writeFileSync(controllerFile(), greeting('v2'));
    await dev.server.settled();

    expect(await getGreeting()).toMatchObject({ status: 200, body: '{"greeting":"v2"}', cold: true });
    const after = await echo(dev.url, '/echo');
    expect(after.environmentId).toBe(before.environmentId);
    expect(after.invocations).toBe(before.invocations + 1);
    expect(dev.events.filter((event) => event.type === 'built').at(-1)).toMatchObject({ functionName: 'dev-app-dev-greetings-controller' });
  });

  it('a syntax error answers 502 with the build error in the body (and a build-error event) until it is fixed', async () => {
    const good = readFileSync(controllerFile(), 'utf8');
    writeFileSync(controllerFile(), good.replace('show() {', 'show() {{ const = ;'));
    await dev.server.settled();

    const broken = await fetch(`${dev.url}/greeting`);
    expect(broken.status).toBe(502);
    const body = (await broken.json()) as { message: string; buildError: string };
    expect(body.message).toBe('Internal server error');
    expect(body.buildError).toMatch(/greetings-controller\.ts:\d+:\d+: /);
    expect(dev.events.some((event) => event.type === 'build-error' && event.functionName === 'dev-app-dev-greetings-controller')).toBe(true);
    // The rest of the app keeps working, and stays warm.
    expect((await fetch(`${dev.url}/hello`)).status).toBe(200);
    const before = await echo(dev.url, '/echo');

    // Saving it broken again is still an edit of that one function, not an app-wide failure.
    writeFileSync(controllerFile(), good.replace('show() {', 'show() {{ let = ;'));
    await dev.server.settled();
    expect((await fetch(`${dev.url}/greeting`)).status).toBe(502);
    expect((await fetch(`${dev.url}/hello`)).status).toBe(200);

    writeFileSync(controllerFile(), greeting('v3', good));
    await dev.server.settled();
    expect(await getGreeting()).toMatchObject({ status: 200, body: '{"greeting":"v3"}' });
    const after = await echo(dev.url, '/echo');
    expect(after.environmentId).toBe(before.environmentId);
  });

  it('a class renamed while the server runs is known by its new name', async () => {
    const good = readFileSync(controllerFile(), 'utf8');
    const named = (className: string) => good.replace(/class \w+/, `class ${className}`).replace(/greeting: '[^']*'/, 'greeting: this.constructor.name');
    writeFileSync(controllerFile(), named('GreetingsController'));
    await dev.server.settled();
    expect((await getGreeting()).body).toBe('{"greeting":"GreetingsController"}');

    writeFileSync(controllerFile(), named('SalutationsController'));
    await dev.server.settled();
    expect((await getGreeting()).body).toBe('{"greeting":"SalutationsController"}');
    writeFileSync(controllerFile(), good);
    await dev.server.settled();
  });

  it('a new function and a route to it in config/routes.ts are served without a restart', async () => {
    expect((await fetch(`${dev.url}/added`)).status).toBe(403);
    writeFileSync(join(root, 'app/functions/added.ts'), "export async function handler() {\n  return { statusCode: 200, body: 'added at runtime' };\n}\n");
    const routes = readFileSync(join(root, 'config/routes.ts'), 'utf8');
    writeFileSync(join(root, 'config/routes.ts'), routes.replace("r.get('/hello', 'home#hello');", "r.get('/hello', 'home#hello');\n  r.get('/added', { function: 'added' });"));
    await dev.server.settled();

    const added = await fetch(`${dev.url}/added`);
    expect(added.status).toBe(200);
    expect(await added.text()).toBe('added at runtime');
    expect(dev.events.some((event) => event.type === 'reloaded')).toBe(true);
    expect((await fetch(`${dev.url}/greeting`)).status).toBe(200);
  });

  it('a broken routes file answers 502 with the reason until it is fixed', async () => {
    const file = join(root, 'config/routes.ts');
    const routes = readFileSync(file, 'utf8');
    writeFileSync(file, routes.replace("r.get('/added', { function: 'added' });", "r.get('/added', 'nowhere#show');"));
    await dev.server.settled();
    const broken = await fetch(`${dev.url}/hello`);
    expect(broken.status).toBe(502);
    expect(((await broken.json()) as { error: string }).error).toMatch(/nowhere-controller/);

    writeFileSync(file, routes);
    await dev.server.settled();
    expect((await fetch(`${dev.url}/added`)).status).toBe(200);
  });
});
