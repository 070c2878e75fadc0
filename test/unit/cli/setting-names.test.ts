import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { build, loadConfig, SlsError } from '../../../src/index.js';
import { captureOutput } from '../deploy/support.js';
import { copyApp, createScratch, exampleApp } from '../build/support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

/** example-app with its `controllers: { … }` and `jobs: { … }` settings (memory, links) replaced by `settings`. */
function appWithSettings(settings: string): string {
  const app = copyApp(exampleApp, scratch.dir);
  const file = join(app, 'sls-ts.config.ts');
  const source = readFileSync(file, 'utf8');
  const edited = source.replace(/ {2}controllers: \{\n[^]*?\n {2}jobs: \{\n[^]*?\n {2}\},\n/, settings);
  expect(edited).not.toBe(source);
  writeFileSync(file, edited);
  return app;
}

async function routesErrors(app: string): Promise<{ code: number; stderr: string[] }> {
  const output = captureOutput();
  const code = await run(['node', 'sls-ts', 'routes', '-C', app], output);
  return { code, stderr: output.stderr };
}

describe('per-function settings that name nothing are refused (#16.11)', () => {
  it('a controller, an action, a job and a function that do not exist: one error each, with the nearest name', async () => {
    const app = appWithSettings([
      '  controllers: { post: { memory: 2048 }, health: { actions: { shw: { timeout: 5 } } } },',
      '  jobs: { heartbeats: {} },',
      '  functions: { nope: {} },',
      '',
    ].join('\n'));
    const { code, stderr } = await routesErrors(app);
    expect(code).toBe(1);
    expect(stderr).toHaveLength(4);
    expect(stderr).toContainEqual(expect.stringMatching(/^error \S*sls-ts\.config\.ts: controllers\.post names no controller .*did you mean `posts`\?/));
    expect(stderr).toContainEqual(expect.stringMatching(/^error \S*sls-ts\.config\.ts: controllers\.health\.actions\.shw names no action of HealthController\b.*did you mean `show`\?/));
    expect(stderr).toContainEqual(expect.stringMatching(/^error \S*sls-ts\.config\.ts: jobs\.heartbeats names no job .*cleanup/));
    expect(stderr).toContainEqual(expect.stringMatching(/^error \S*sls-ts\.config\.ts: functions\.nope names no function .*hello/));
  });

  it('build refuses them too', async () => {
    const app = appWithSettings('  jobs: { cleanups: { memory: 256 } },\n');
    const { config } = await loadConfig({ root: app, processEnv: {} });
    const failure = await build({ config, cache: false }).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(SlsError);
    expect((failure as SlsError).diagnostics).toEqual([expect.objectContaining({ text: expect.stringContaining('jobs.cleanups names no job'), hint: 'did you mean `cleanup`?' })]);
  });

  it('a controller no route reaches (its file is there) is a warning: the build goes on', async () => {
    const app = appWithSettings('  controllers: { posts: { memory: 2048 } },\n');
    const routes = join(app, 'config', 'routes.ts');
    const source = readFileSync(routes, 'utf8');
    const edited = source.replace(/^.*r\.resources\('posts'.*\n/m, '');
    expect(edited).not.toBe(source);
    writeFileSync(routes, edited);
    const { config } = await loadConfig({ root: app, processEnv: {} });
    const result = await build({ config, cache: false });
    expect(result.warnings).toContainEqual(expect.objectContaining({ level: 'warning', text: expect.stringContaining('controllers.posts: no route reaches this controller') }));
  });

  it('settings that name real parts, by either job name, still build', async () => {
    const app = appWithSettings('  controllers: { posts: { memory: 1024, actions: { show: { timeout: 5 } } }, "admin/stats": {} },\n  jobs: { "cleanup-job": { memory: 256 } },\n  functions: { hello: {} },\n');
    const { code, stderr } = await routesErrors(app);
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
  });
});
