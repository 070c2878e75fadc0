// #16.16: example-app as a browser sees it through the dev server (which maps responses as API
// Gateway does, item 73): the logo is PNG bytes for an <img> and for a tab, and with binaryMediaTypes
// ['*/*'] (request bodies then arrive base64-encoded, item 72) a JSON post still works.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type Started } from './support.js';

const exampleApp = fileURLToPath(new URL('../../../example-app', import.meta.url));
// Inside this package, so the copy's `import 'sls-ts'` still resolves to this repo by self-reference.
const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let root: string;
let dev: Started;
beforeAll(async () => {
  root = mkdtempSync(join(fixturesDir, '.tmp-example-app-'));
  cpSync(exampleApp, root, { recursive: true, filter: (source) => !/[\\/](\.sls-ts|node_modules)([\\/]|$)/.test(source) });
  dev = await startDevServer({ root });
}, 60_000);
afterAll(async () => {
  await dev?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const BROWSER_ACCEPTS = {
  'an <img> in Chrome': 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  'an <img> in Firefox': 'image/avif,image/webp,*/*',
  'a browser tab': 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
};

describe('example-app in a browser', () => {
  for (const [who, accept] of Object.entries(BROWSER_ACCEPTS)) {
    it(`serves the logo as PNG bytes to ${who}`, async () => {
      const response = await fetch(`${dev.url}/logo.png`, { headers: { accept } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    });
  }

  it('still reads a JSON request body (base64-encoded for it under */*)', async () => {
    const response = await fetch(`${dev.url}/posts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Hi', body: 'there' }) });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { post: { title: string } }).post.title).toBe('Hi');
  });
});
