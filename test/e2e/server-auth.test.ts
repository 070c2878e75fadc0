// #19 through the real binary: `sls-ts server` marks guarded routes in its banner, prints the local
// API keys, a line per authorizer decision, and warns when a Cognito authorizer cannot verify locally.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, startServer } from './server-process.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe('sls-ts server with authorizers and API keys', () => {
  it('banner, AUTH lines and the local API key', async () => {
    const app = copyFixture('apps/guarded', cleanups);
    const server = startServer(app, cleanups);
    const [, url] = await server.waitFor('stdout', /^sls-ts server guarded \(dev, controller layout\) on (http:\/\/127\.0\.0\.1:\d+)\n/, 'banner');
    await server.waitFor('stdout', /API keys \(send one as x-api-key to routes with apiKey: true\):\n {2}acme \(plan partners\): local-acme-key-00000\n/, 'the API keys');
    const banner = server.stdout();
    expect(banner).toMatch(/GET +http:\S+\/admin\/users +admin\/users#index \(auth: admin\)\n/);
    expect(banner).toMatch(/GET +http:\S+\/reports +home#reports \(auth: members \[reports\/read\]\)\n/);
    expect(banner).toMatch(/GET +http:\S+\/partner +home#partner \(API key\)\n/);
    expect(banner).toMatch(/GET +http:\S+\/health +home#health\n/);
    // The fixture's JWKS is empty: the Cognito authorizer cannot verify anything, and says so.
    expect(server.stderr() + server.stdout()).toMatch(/authorizers\.members/);

    expect((await fetch(`${url}/admin/users`)).status).toBe(401);
    await server.waitFor('stdout', /^AUTH admin unauthorized GET \/admin\/users not invoked/m, 'the AUTH line of a missing token');
    expect((await fetch(`${url}/admin/users`, { headers: { Authorization: 'Bearer letmein' } })).status).toBe(200);
    await server.waitFor('stdout', /^AUTH admin allow GET \/admin\/users \d+ms/m, 'the AUTH line of an allowed request');
    await server.waitFor('stdout', /^GET \/admin\/users 200 guarded-dev-admin-users-controller/m, 'the request line');
    expect((await fetch(`${url}/admin/users/1`, { headers: { Authorization: 'Bearer letmein' } })).status).toBe(200);
    await server.waitFor('stdout', /^AUTH admin allow GET \/admin\/users\/1 cached/m, 'a cached decision');
    expect((await fetch(`${url}/partner`, { headers: { 'x-api-key': 'local-acme-key-00000' } })).status).toBe(200);
  }, 60_000);
});
