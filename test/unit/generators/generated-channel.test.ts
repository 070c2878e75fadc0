// `sls-ts generate channel chat` writes a channel and a test that passes as written: the generated test
// is run here by vitest itself (a child process), against a copy of an app, with sls-ts resolved to
// the sources as the repo's own tests are.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, inspectApp } from '../../../src/index.js';
import { copyApp, createScratch, repoRoot } from '../build/support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

describe('generate channel', () => {
  it('writes app/channels/<name>-channel.ts and a test of it that passes; the build plans its routes', async () => {
    const root = copyApp(join(repoRoot, 'test', 'fixtures', 'channels-app'), scratch.dir);
    const changes = await generate('channel', 'LobbyChannel', { root });
    expect(changes.map((change) => `${change.action} ${change.path}`)).toEqual(['create app/channels/lobby-channel.ts', 'create test/lobby-channel.test.ts']);
    expect(readFileSync(join(root, 'app', 'channels', 'lobby-channel.ts'), 'utf8')).toContain('export default class LobbyChannel extends Channel');

    const { app, diagnostics } = await inspectApp(root);
    expect(diagnostics).toEqual([]);
    expect(app!.channels.find((channel) => channel.name === 'lobby')).toMatchObject({ actions: ['say'], lifecycle: ['connect', 'default'] });

    const src = (path: string) => JSON.stringify(join(repoRoot, 'src', path));
    writeFileSync(
      join(root, 'vitest.config.mjs'),
      `export default { resolve: { alias: [{ find: /^sls-ts\\/testing$/, replacement: ${src('testing/index.ts')} }, { find: /^sls-ts$/, replacement: ${src('runtime/index.ts')} }] }, test: { include: ['test/lobby-channel.test.ts'] } };\n`,
    );
    const run = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.config.mjs'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
    expect(run.stdout + run.stderr).toMatch(/Tests\s+2 passed \(2\)/);
    expect(run.status).toBe(0);
  });
});
