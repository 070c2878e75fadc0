// #16.1: public/ is served by real path. A symbolic link may point anywhere; only files whose real
// path stays inside the real public/ folder are served, the rest answer as a missing file does.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRoot, MISSING_AUTHENTICATION_TOKEN, rawRequest, startDevServer, type Started } from './support.js';

// Inside this package, so the copy's `import 'sls-ts'` still resolves to this repo by self-reference.
const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));
let root: string;
let outside: string;
let dev: Started;

beforeAll(async () => {
  root = mkdtempSync(join(fixturesDir, '.tmp-links-'));
  cpSync(fixtureRoot, root, { recursive: true, filter: (source) => !source.includes(`${fixtureRoot}/.sls-ts`) });
  writeFileSync(join(root, '.env'), 'LINK_TEST_SECRET=app-secret\n');
  outside = mkdtempSync(join(tmpdir(), 'sls-ts-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'outside secret\n');
  mkdirSync(join(root, 'public/assets'));
  writeFileSync(join(root, 'public/assets/site.css'), 'body{}\n');
  symlinkSync('..', join(root, 'public/up'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'public/passwd'));
  symlinkSync(outside, join(root, 'public/elsewhere'));
  symlinkSync('hello.txt', join(root, 'public/greeting.txt'));
  symlinkSync('assets', join(root, 'public/static'));
  dev = await startDevServer({ root });
});
afterAll(async () => {
  await dev?.close();
  if (root) rmSync(root, { recursive: true, force: true });
  if (outside) rmSync(outside, { recursive: true, force: true });
});

async function expectMissing(path: string): Promise<void> {
  const response = await rawRequest(dev.url, { path });
  expect(response.status, path).toBe(403);
  expect(response.body.toString(), path).toBe(MISSING_AUTHENTICATION_TOKEN);
}

describe('symbolic links under public/', () => {
  it('a link to a parent folder does not serve the app\'s files (.env, config)', async () => {
    await expectMissing('/up/.env');
    await expectMissing('/up/sls-ts.config.ts');
  });

  it('a link to an absolute path outside the app, to a file or to a folder, is not followed', async () => {
    await expectMissing('/passwd');
    await expectMissing('/elsewhere/secret.txt');
  });

  it('links that stay inside public/ keep working', async () => {
    const file = await rawRequest(dev.url, { path: '/greeting.txt' });
    expect(file.status).toBe(200);
    expect(file.body.toString()).toBe('static hello\n');
    const folder = await rawRequest(dev.url, { path: '/static/site.css' });
    expect(folder.status).toBe(200);
    expect(folder.body.toString()).toBe('body{}\n');
  });
});
