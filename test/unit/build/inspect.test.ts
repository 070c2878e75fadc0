import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, inspectApp, listRoutes, SlsError, type Diagnostic } from '../../../src/index.js';
import { configFor, copyApp, createScratch, fixture, installS3Stub, repoRoot } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

function only(diagnostics: Diagnostic[], fragment: string): Diagnostic {
  const found = diagnostics.filter((d) => d.text.includes(fragment));
  expect(found.map((d) => d.text), `diagnostics containing ${JSON.stringify(fragment)} in:\n${diagnostics.map((d) => d.text).join('\n')}`).toHaveLength(1);
  return found[0]!;
}

describe('discovery errors (broken fixture)', () => {
  let root: string;
  let routesFile: string;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    root = copyApp(fixture('broken'), scratch.dir);
    routesFile = join(root, 'config', 'routes.ts');
    ({ diagnostics } = await inspectApp(root));
  });

  it('names the route and its line for a missing controller file', () => {
    const d = only(diagnostics, 'ghost');
    expect(d).toMatchObject({ file: routesFile, line: 5 });
    expect(d.text).toBe('GET /ghost → ghost#index (config/routes.ts:5): app/controllers/ghost-controller.ts not found');
    expect(d.hint).toContain('sls-ts generate controller ghost');
  });

  it('names the route and its line when the default export is not a Controller', () => {
    const d = only(diagnostics, 'plain-controller');
    expect(d).toMatchObject({ file: routesFile, line: 6 });
    expect(d.text).toBe('GET /plain → plain#index (config/routes.ts:6): the default export of app/controllers/plain-controller.ts is not a Controller class');
    expect(d.hint).toBe('export default class PlainController extends Controller {…}');
  });

  it('names the route and lists the available actions when the action is missing', () => {
    const d = only(diagnostics, 'nope');
    expect(d).toMatchObject({ file: routesFile, line: 7 });
    expect(d.text).toBe('GET /pages/missing → pages#nope (config/routes.ts:7): PagesController has no action "nope"');
    expect(d.hint).toBe('its actions are list, show');
  });

  it('names the route and its line for a { function } route to a missing file', () => {
    const d = only(diagnostics, 'nowhere');
    expect(d).toMatchObject({ file: routesFile, line: 8 });
    expect(d.text).toBe('GET /nowhere → function:nowhere (config/routes.ts:8): app/functions/nowhere.ts not found');
  });

  it('names the route and its line for a function file without a handler export', () => {
    const d = only(diagnostics, 'headless');
    expect(d).toMatchObject({ file: routesFile, line: 9 });
    expect(d.text).toBe('GET /headless → function:headless (config/routes.ts:9): app/functions/headless.ts does not export a handler function');
    expect(d.hint).toContain('export async function handler');
  });

  it('reports a job whose default export is not a Job, at the job file', () => {
    const d = only(diagnostics, 'impostor-job');
    expect(d).toMatchObject({ file: join(root, 'app', 'jobs', 'impostor-job.ts') });
    expect(d.text).toBe('the default export of app/jobs/impostor-job.ts is not a Job class');
  });

  it('surfaces a ScheduleError with the job file, its hint given once', () => {
    const d = only(diagnostics, 'too-often-job');
    expect(d.file).toBe(join(root, 'app', 'jobs', 'too-often-job.ts'));
    expect(d.text).toBe('app/jobs/too-often-job.ts failed to load: rate("30 seconds"): unit "seconds" is not one of minute(s), hour(s), day(s)');
    expect(d.hint).toBe('EventBridge runs schedules at most once a minute, e.g. rate(1 minute)');
  });

  it('reports every problem of the app at once, and nothing about the valid route or the non-job helper', () => {
    expect(diagnostics).toHaveLength(7);
    expect(diagnostics.every((d) => (d.level ?? 'error') === 'error')).toBe(true);
    expect(diagnostics.some((d) => d.text.includes('pages#show'))).toBe(false);
    expect(diagnostics.some((d) => d.text.includes('retry-helpers'))).toBe(false);
  });

  it('makes build throw an SlsError carrying all of them', async () => {
    const error = await build({ config: await configFor(root) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    expect((error as SlsError).diagnostics.map((d) => d.line ?? d.file)).toEqual(diagnostics.map((d) => d.line ?? d.file));
  });

  it('makes listRoutes return no rows and the same diagnostics', async () => {
    const result = await listRoutes(await configFor(root));
    expect(result.rows).toEqual([]);
    expect(result.diagnostics.map((d) => d.text)).toEqual(diagnostics.map((d) => d.text));
  });
});

describe('discovery errors (routes file)', () => {
  it('requires config/routes.ts to default-export defineRoutes', async () => {
    const root = copyApp(fixture('bad-routes-export'), scratch.dir);
    const { app, diagnostics } = await inspectApp(root);
    expect(app).toBeUndefined();
    expect(diagnostics).toEqual([{ text: 'config/routes.ts must `export default defineRoutes(...)`', file: join(root, 'config', 'routes.ts') }]);
  });

  it('reports a missing config/routes.ts', async () => {
    const root = copyApp(fixture('bad-routes-export'), scratch.dir);
    rmSync(join(root, 'config', 'routes.ts'));
    const { app, diagnostics } = await inspectApp(root);
    expect(app).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.text).toBe('config/routes.ts not found');
  });

  it('reports an API Gateway path-rule violation naming both routes and their lines', async () => {
    const root = copyApp(fixture('route-conflict'), scratch.dir);
    const { diagnostics } = await inspectApp(root);
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d).toMatchObject({ file: join(root, 'config', 'routes.ts'), line: 5 });
    expect(d!.text).toContain('GET /items/:slug/reviews → items#reviews (config/routes.ts:5)');
    expect(d!.text).toContain('path variable "{slug}" conflicts with "{id}"');
    expect(d!.text).toContain('GET /items/:id → items#show (config/routes.ts:4)');
    expect(d!.text).not.toContain(root);
    expect(d!.hint).toContain('one variable name per path level');
  });

  it('reports a controller that throws while loading once, not once per route', async () => {
    const root = copyApp(fixture('route-conflict'), scratch.dir);
    writeFileSync(join(root, 'config', 'routes.ts'), "import { defineRoutes } from 'sls-ts';\nexport default defineRoutes((r) => {\n  r.resources('items', { only: ['show'] });\n  r.resources('widgets', { only: ['index', 'show'] });\n});\n");
    writeFileSync(join(root, 'app', 'controllers', 'widgets-controller.ts'), "throw new Error('widgets exploded');\n");
    const { diagnostics } = await inspectApp(root);
    expect(diagnostics).toEqual([
      { file: join(root, 'app', 'controllers', 'widgets-controller.ts'), text: 'app/controllers/widgets-controller.ts failed to load: widgets exploded' },
    ]);
  });
});

describe('discovery of a valid app', () => {
  it('runs on copies whose `sls-ts` imports resolve to this package by self-reference', () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    const resolveFrom = createRequire(join(root, 'config', 'routes.ts'));
    expect(resolveFrom.resolve('sls-ts')).toBe(join(repoRoot, 'dist', 'runtime', 'index.js'));
    expect(resolveFrom.resolve('sls-ts/config')).toBe(join(repoRoot, 'dist', 'config', 'define-config.js'));
  });

  it('finds the routed controllers with their actions, the functions and the jobs with schedules', async () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    const { app, diagnostics } = await inspectApp(root);
    expect(diagnostics).toEqual([]);
    expect(app!.routesFile).toBe(join(root, 'config', 'routes.ts'));
    expect([...app!.controllers.values()].map((c) => [c.key, c.className, c.actions])).toEqual([
      ['home', 'HomeController', ['index']],
      ['alpha', 'AlphaController', ['list', 'show']],
      ['beta', 'BetaController', ['show']],
      ['uploads', 'UploadsController', ['index']],
      ['system', 'SystemController', ['show']],
    ]);
    expect(app!.controllers.get('alpha')!.file).toBe(join(root, 'app', 'controllers', 'alpha-controller.ts'));
    expect(app!.functions).toEqual([{ name: 'ping', file: join(root, 'app', 'functions', 'ping.ts') }]);
    expect(app!.jobs).toEqual([{ key: 'nightly-job', file: join(root, 'app', 'jobs', 'nightly-job.ts'), className: 'NightlyJob', schedules: [{ kind: 'rate', expression: 'rate(1 day)' }], events: [] }]);
  });

  it("reads a job's event sources and own queue as plain data", async () => {
    const root = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(root);
    writeFileSync(join(root, 'app', 'jobs', 'mail-job.ts'), [
      "import { Job, queue, topic, bucket, table, rule } from 'sls-ts';",
      'export default class MailJob extends Job {',
      "  static events = [queue('emails', { batchSize: 5 }), topic('alerts', { filter: { level: ['error'] } }), bucket('uploads', { on: ['created'], suffix: '.png' }),",
      "    table('posts', { stream: 'new-and-old' }), rule({ source: 'shop', detailType: ['order.paid'], detail: { total: [{ numeric: ['>', 100] }] } })];",
      '  static queue = true as const;',
      '  perform() {}',
      '}',
    ].join('\n'));
    const { app, diagnostics } = await inspectApp(root);
    expect(diagnostics).toEqual([]);
    const job = app!.jobs.find((candidate) => candidate.key === 'mail-job')!;
    expect(job.queue).toEqual({});
    expect(job.events).toEqual([
      { kind: 'queue', source: 'emails', batchSize: 5 },
      { kind: 'topic', source: 'alerts', filter: { level: ['error'] } },
      { kind: 'bucket', source: 'uploads', on: ['created'], suffix: '.png' },
      { kind: 'table', source: 'posts', stream: 'new-and-old' },
      { kind: 'rule', pattern: { source: ['shop'], 'detail-type': ['order.paid'], detail: { total: [{ numeric: ['>', 100] }] } } },
    ]);
  });

  it('names the app file that imports a package that is not installed', async () => {
    // The build loads the app's code to check it, so its dependencies must be installed.
    const root = copyApp(fixture('route-conflict'), scratch.dir);
    const file = join(root, 'app', 'controllers', 'items-controller.ts');
    writeFileSync(file, `import { queue } from 'never-installed-queue-lib';\n${readFileSync(file, 'utf8').replace('return this.json({ reviews: [] });', 'return this.json({ reviews: [], queue });')}`);
    const { app, diagnostics } = await inspectApp(root);
    expect(app).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file, text: 'app/controllers/items-controller.ts imports never-installed-queue-lib, which is not installed' });
    expect(diagnostics[0]!.hint).toContain('npm install never-installed-queue-lib');
  });

  it('points a syntax error at its file and line, relative to the app wherever the process runs', async () => {
    const root = copyApp(fixture('route-conflict'), scratch.dir);
    writeFileSync(join(root, 'app', 'controllers', 'items-controller.ts'), "import { Controller } from 'sls-ts';\n\nexport default class ItemsController extends Controller {\n  show() {\n    return this.json({ id: ;\n  }\n}\n");
    const { diagnostics } = await inspectApp(root);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: join(root, 'app', 'controllers', 'items-controller.ts'), line: 5 });
  });
});
