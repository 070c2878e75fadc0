// invoke --local picks the engines' ports before they listen; another process may take one in
// between. Here the first pick is a port this test holds, as if taken meanwhile: the pick is the
// only thing made up (node:net's probe reports the held port), the engines really fail to listen.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { invokeLocal } from '../../../src/dev-server/index.js';

const held = vi.hoisted(() => ({ port: 0, handedOut: false }));
vi.mock('node:net', async (importOriginal) => {
  const net = await importOriginal<typeof import('node:net')>();
  const createServer = ((...args: Parameters<typeof net.createServer>) => {
    const server = net.createServer(...args);
    const address = server.address.bind(server);
    server.address = () => {
      const real = address();
      if (held.port === 0 || held.handedOut || real === null || typeof real === 'string') return real;
      held.handedOut = true;
      return { ...real, port: held.port };
    };
    return server;
  }) as typeof net.createServer;
  return { ...net, default: { ...net, createServer }, createServer };
});

const dataApp = fileURLToPath(new URL('../../fixtures/data-app', import.meta.url));
const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));
const root = mkdtempSync(join(fixturesDir, '.tmp-ports-'));
cpSync(dataApp, root, { recursive: true, filter: (source) => !source.includes(`${dataApp}/.sls-ts`) });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('invoke --local and a port taken before an engine listens', () => {
  it('starts the engines again on other ports and runs the function', async () => {
    const { createServer } = await import('node:net');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    held.port = (holder.address() as { port: number }).port;
    try {
      const lines: string[] = [];
      const invoked = await invokeLocal({ root, name: 'posts#update', onLog: (line) => lines.push(line) });
      expect(held.handedOut).toBe(true);
      expect(invoked.outcome, lines.join('\n')).toMatchObject({ kind: 'result' });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
