import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { captureOutput } from '../deploy/support.js';
import { copyApp, createScratch, exampleApp, fixture } from '../build/support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

describe('commands run from inside an app find its root (#16.6)', () => {
  let app: string;
  beforeAll(() => {
    app = copyApp(exampleApp, scratch.dir);
  });

  it('routes from app/controllers reads the app above it', async () => {
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'routes', '-C', join(app, 'app', 'controllers'), '--json'], output)).toBe(0);
    const rows = JSON.parse(output.stdout.join('\n')) as Array<{ target: string; source: string }>;
    // Sources stay relative to the app, as from its root.
    expect(rows).toContainEqual(expect.objectContaining({ target: 'posts#show', source: 'config/routes.ts:6' }));
  });

  it('the nearest config wins: an app inside another app is not mixed up with it', async () => {
    const inner = copyApp(fixture('shop'), join(app, 'app'), 'nested-shop');
    mkdirSync(join(inner, 'deep', 'er'), { recursive: true });
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'routes', '-C', join(inner, 'deep', 'er'), '--json'], output)).toBe(0);
    const targets = (JSON.parse(output.stdout.join('\n')) as Array<{ target: string }>).map((row) => row.target);
    expect(targets).toContain('alpha#show');
    expect(targets).not.toContain('posts#show');
    rmSync(inner, { recursive: true, force: true });
  });

  it('a -C folder that does not exist is bad usage, not a start for the search above it', async () => {
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'routes', '-C', join(app, 'app', 'controlers')], output)).toBe(2);
    expect(output.stdout).toEqual([]);
    expect(output.stderr).toEqual([expect.stringMatching(/^error option '-C, --cwd <dir>' argument '.*controlers' is invalid\. no such folder/)]);
  });

  it('outside any app, says so once, naming the folder it started from', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'sls-ts-no-app-'));
    try {
      const output = captureOutput();
      expect(await run(['node', 'sls-ts', 'routes', '-C', outside], output)).toBe(1);
      expect(output.stderr).toHaveLength(1);
      expect(output.stderr[0]).toContain(`no sls-ts config in ${outside} or any folder above it`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
