// A module that cannot load must not keep the whole app from starting: Lambda only fails the
// requests to that function (item 86), and so does the dev server.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevServer, type DevServer, type DevServerEvent } from '../../../src/dev-server/index.js';

const root = fileURLToPath(new URL('../../fixtures/dev-app', import.meta.url));
let server: DevServer;
const events: DevServerEvent[] = [];

beforeAll(async () => {
  server = await createDevServer({ root, port: 0, watch: false, onEvent: (event) => events.push(event) });
});
afterAll(() => server.close());

describe('modules that fail to load', () => {
  it('start the server with a warning naming the file', () => {
    const warnings = events.filter((event): event is Extract<DevServerEvent, { type: 'warning' }> => event.type === 'warning').map((event) => event.diagnostic.text);
    expect(warnings).toContainEqual(expect.stringMatching(/app\/functions\/broken-init\.ts failed to load: cannot initialise: missing DATABASE_URL/));
    expect(warnings).toContainEqual(expect.stringMatching(/app\/functions\/no-handler\.ts does not export a handler function/));
  });

  it('answer 502 for their routes while the rest of the app works', async () => {
    expect((await fetch(`${server.url}/hello`)).status).toBe(200);
    const broken = await fetch(`${server.url}/broken-init`);
    expect(broken.status).toBe(502);
    expect(await broken.text()).toBe('{"message": "Internal server error"}');
    const errors = events.filter((event): event is Extract<DevServerEvent, { type: 'function-error' }> => event.type === 'function-error');
    expect(errors.map((event) => event.error.errorType)).toContain('Runtime.ImportModuleError');
  });
});

describe('a port already in use', () => {
  it('is one clear error naming the port, with the way out', async () => {
    await expect(createDevServer({ root, port: Number(new URL(server.url).port), watch: false })).rejects.toMatchObject({
      name: 'SlsError',
      message: expect.stringMatching(/^port \d+ on 127\.0\.0\.1 is already in use$/),
      hint: expect.stringContaining('--port'),
    });
  });
});
