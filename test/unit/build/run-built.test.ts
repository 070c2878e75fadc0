// Runs the code `sls-ts build` ships: unzip a function of example-app, import its index.mjs with
// Node's own loader as the Lambda Node.js runtime would, and call `handler` with real-shaped events.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { build, type BuildResult, type BuiltFunction } from '../../../src/index.js';
import { apiGatewayEvent, scheduledEvent, type ApiGatewayEventOptions } from '../../../src/runtime/events/index.js';
import type { ApiGatewayProxyResult } from '../../../src/runtime/types.js';
import { useLocalResources, type LocalResources } from '../../../src/testing/index.js';
import { configFor, copyApp, createScratch, exampleApp, extractZip, startSandbox, unzipCode, type LambdaSandbox } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

// example-app's posts live in a DynamoDB table: the bundles run against a local engine, whose
// endpoint, credentials and table name the sandboxes inherit from process.env. PostsController#create
// calls AnnounceJob.performLater: with `jobs`, AnnounceJob has its own local queue (its URL in
// process.env too) and runs in this process when the bundle's message arrives.
let local: LocalResources;
beforeAll(async () => {
  local = await useLocalResources(exampleApp, { jobs: true });
});
beforeEach(() => local.reset());
afterAll(() => local?.stop());

let root: string;
const sandboxes: LambdaSandbox[] = [];
beforeAll(() => {
  root = copyApp(exampleApp, scratch.dir);
});
afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
});

/** Unzips the function's artifact into its own folder and loads it, like a cold start. */
function load(result: BuildResult, key: string): { fn: BuiltFunction; invoke: (event: unknown) => Promise<unknown> } {
  const fn = result.manifest.functions.find((f) => f.key === key)!;
  const dir = extractZip(join(result.outDir, fn.artifact.file), join(scratch.dir, 'task', `${result.manifest.layout}-${key}`));
  const sandbox = startSandbox(dir, fn);
  sandboxes.push(sandbox);
  return { fn, invoke: (event) => sandbox.invoke(event) };
}

function event(options: ApiGatewayEventOptions) {
  return apiGatewayEvent({ binaryMediaTypes: ['image/png'], ...options });
}

const json = (result: unknown) => JSON.parse((result as ApiGatewayProxyResult).body) as Record<string, any>;

describe('controller layout, as deployed', () => {
  let result: BuildResult;
  beforeAll(async () => {
    result = await build({ config: await configFor(root), outDir: join(scratch.dir, 'out-controller') });
  });

  it('serves the home page from the home controller’s function', async () => {
    const { invoke } = load(result, 'home-controller');
    const response = (await invoke(event({ method: 'GET', path: '/', resource: '/' }))) as ApiGatewayProxyResult;
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type'] ?? response.headers?.['content-type']).toMatch(/^application\/json/);
    expect(json(response)).toEqual({ name: 'sls-ts example app', links: { health: '/health', posts: '/posts', logo: '/logo.png', hello: '/hello/world', quote: '/quotes/today' } });
  });

  it('creates and reads posts through the posts function, state kept while warm', async () => {
    const { invoke } = load(result, 'posts-controller');
    const created = (await invoke(event({ method: 'POST', path: '/posts', resource: '/posts', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: ' Built ', body: 'from the zip' }) }))) as ApiGatewayProxyResult;
    expect(created.statusCode).toBe(201);
    const post = json(created).post as { id: string; title: string };
    expect(post.title).toBe('Built');
    expect(created.headers?.Location).toBe(`/posts/${post.id}`);
    // The bundle's performLater reached AnnounceJob's queue, and the job marked the post.
    expect(await local.settled()).toEqual([expect.objectContaining({ job: 'announce-job', kind: 'later', records: 1, outcome: expect.objectContaining({ ok: true }) })]);

    const shown = (await invoke(event({ method: 'GET', path: `/posts/${post.id}`, resource: '/posts/{id}', pathParameters: { id: post.id } }))) as ApiGatewayProxyResult;
    expect(shown.statusCode).toBe(200);
    expect(json(shown).post).toMatchObject({ id: post.id, title: 'Built', body: 'from the zip', announcedAt: expect.any(String) });

    const invalid = (await invoke(event({ method: 'POST', path: '/posts', resource: '/posts', headers: { 'Content-Type': 'application/json' }, body: '{"title":""}' }))) as ApiGatewayProxyResult;
    expect(invalid.statusCode).toBe(422);

    const missing = (await invoke(event({ method: 'GET', path: '/posts/nope', resource: '/posts/{id}', pathParameters: { id: 'nope' } }))) as ApiGatewayProxyResult;
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toEqual({ error: 'Post nope not found' });
  });

  it('leaves the AWS SDK to the Lambda runtime: the posts bundle imports lib-dynamodb instead of carrying it', () => {
    const fn = result.manifest.functions.find((f) => f.key === 'posts-controller')!;
    const code = unzipCode(join(result.outDir, fn.artifact.file));
    expect(code).toMatch(/from\s*["']@aws-sdk\/lib-dynamodb["']/);
    expect(code).not.toContain('class DynamoDBDocumentClient');
  });

  it('answers with base64 for a binary response', async () => {
    const { invoke } = load(result, 'images-controller');
    const response = (await invoke(event({ method: 'GET', path: '/logo.png', resource: '/logo.png' }))) as ApiGatewayProxyResult;
    expect(response.statusCode).toBe(200);
    expect(response.isBase64Encoded).toBe(true);
    expect(Buffer.from(response.body, 'base64').subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('runs the plain function with the raw event', async () => {
    const { invoke } = load(result, 'hello');
    const response = (await invoke(event({ method: 'GET', path: '/hello/Ada?greeting=Hi', resource: '/hello/{name}', pathParameters: { name: 'Ada' } }))) as ApiGatewayProxyResult;
    expect(response).toEqual({ statusCode: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Hi, Ada!' });
  });

  it('runs the job on a scheduled event', async () => {
    const { fn, invoke } = load(result, 'cleanup-job');
    expect(fn.schedules).toEqual([{ kind: 'rate', expression: 'rate(1 day)' }]);
    expect(await invoke(scheduledEvent({ time: new Date('2026-01-01T00:00:00Z') }))).toEqual({ removed: 0 });
  });
});

describe('single layout, as deployed behind /{proxy+}', () => {
  let result: BuildResult;
  let invoke: (event: unknown) => Promise<unknown>;
  beforeAll(async () => {
    result = await build({ config: await configFor(root), layout: 'single', outDir: join(scratch.dir, 'out-single') });
    ({ invoke } = load(result, 'controller'));
  });

  const proxied = (method: string, path: string, extra: Partial<ApiGatewayEventOptions> = {}) =>
    event({ method, path, resource: path === '/' ? '/' : '/{proxy+}', pathParameters: path === '/' ? null : { proxy: path.slice(1) }, ...extra });

  it('routes by path to each controller', async () => {
    const home = (await invoke(proxied('GET', '/'))) as ApiGatewayProxyResult;
    expect(home.statusCode).toBe(200);
    expect(json(home).name).toBe('sls-ts example app');

    const health = (await invoke(proxied('GET', '/health'))) as ApiGatewayProxyResult;
    expect(json(health)).toMatchObject({ status: 'ok', stage: 'dev' });

    const created = (await invoke(proxied('POST', '/posts', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'post[title]=Form&post[body]=posted' }))) as ApiGatewayProxyResult;
    expect(created.statusCode).toBe(201);
    const id = (json(created).post as { id: string }).id;
    expect(await local.settled()).toEqual([expect.objectContaining({ job: 'announce-job', kind: 'later', records: 1 })]);
    const shown = (await invoke(proxied('GET', `/posts/${id}`))) as ApiGatewayProxyResult;
    expect(json(shown).post).toMatchObject({ id, title: 'Form', body: 'posted', announcedAt: expect.any(String) });
  });

  it('serves the { function: \'hello\' } route inside the one function, with the route’s path parameters', async () => {
    const response = (await invoke(proxied('GET', '/hello/world'))) as ApiGatewayProxyResult;
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('Hello, world!');
  });

  it('answers 404 for a path no route matches', async () => {
    const response = (await invoke(proxied('GET', '/nowhere'))) as ApiGatewayProxyResult;
    expect(response.statusCode).toBe(404);
  });

  it('ships the job as its own function', async () => {
    const { invoke: runJob } = load(result, 'cleanup-job');
    expect(await runJob(scheduledEvent())).toEqual({ removed: 0 });
  });
});

describe('CORS from the config, as deployed (#14.6)', () => {
  const origin = 'https://app.example.com';
  const cors = { origins: [origin], headers: ['Content-Type'], methods: ['GET', 'POST'], credentials: true, maxAge: 600 };
  const withOrigin = (options: ApiGatewayEventOptions) => event({ ...options, headers: { Origin: origin, ...options.headers } });

  it('every controller response carries the allowed origin, errors included', async () => {
    const result = await build({ config: { ...(await configFor(root)), cors }, outDir: join(scratch.dir, 'out-cors') });
    const { invoke } = load(result, 'posts-controller');
    const listed = (await invoke(withOrigin({ method: 'GET', path: '/posts', resource: '/posts' }))) as ApiGatewayProxyResult;
    expect(listed.statusCode).toBe(200);
    expect(listed.headers).toMatchObject({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' });
    const missing = (await invoke(withOrigin({ method: 'GET', path: '/posts/nope', resource: '/posts/{id}', pathParameters: { id: 'nope' } }))) as ApiGatewayProxyResult;
    expect(missing.statusCode).toBe(404);
    expect(missing.headers?.['Access-Control-Allow-Origin']).toBe(origin);
    const badJson = (await invoke(withOrigin({ method: 'POST', path: '/posts', resource: '/posts', headers: { 'Content-Type': 'application/json' }, body: '{"title":' }))) as ApiGatewayProxyResult;
    expect(badJson.statusCode).toBe(400);
    expect(badJson.headers?.['Access-Control-Allow-Origin']).toBe(origin);
  });

  it('single layout: the 404 carries it; the plain function’s own result is passed on untouched', async () => {
    const result = await build({ config: { ...(await configFor(root)), cors }, layout: 'single', outDir: join(scratch.dir, 'out-cors-single') });
    const { invoke } = load(result, 'controller');
    const nowhere = (await invoke(withOrigin({ method: 'GET', path: '/nowhere', resource: '/{proxy+}', pathParameters: { proxy: 'nowhere' } }))) as ApiGatewayProxyResult;
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.headers?.['Access-Control-Allow-Origin']).toBe(origin);
    const hello = (await invoke(withOrigin({ method: 'GET', path: '/hello/world', resource: '/{proxy+}', pathParameters: { proxy: 'hello/world' } }))) as ApiGatewayProxyResult;
    expect(hello.body).toBe('Hello, world!');
    expect(hello.headers ?? {}).not.toHaveProperty('Access-Control-Allow-Origin');
  });

  it('without cors, the bundles carry none of the CORS code', async () => {
    const result = await build({ config: await configFor(root), outDir: join(scratch.dir, 'out-no-cors') });
    const fn = result.manifest.functions.find((f) => f.key === 'posts-controller')!;
    expect(unzipCode(join(result.outDir, fn.artifact.file))).not.toContain('Access-Control-Allow-Origin');
  });
});

describe('action layout, as deployed', () => {
  it('serves each action from its own function', async () => {
    const result = await build({ config: await configFor(root), layout: 'action', outDir: join(scratch.dir, 'out-action') });
    const { invoke } = load(result, 'posts-controller-index');
    const response = (await invoke(event({ method: 'GET', path: '/posts', resource: '/posts' }))) as ApiGatewayProxyResult;
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ posts: [] });
  });
});

describe('class names in minified bundles', () => {
  let app: string;
  beforeAll(() => {
    app = copyApp(exampleApp, scratch.dir);
    writeFileSync(join(app, 'config', 'routes.ts'), "import { defineRoutes } from 'sls-ts';\n\nexport default defineRoutes((r) => {\n  r.get('/reports', 'reports#index');\n});\n");
    writeFileSync(join(app, 'app', 'controllers', 'reports-controller.ts'), [
      "import { Controller } from 'sls-ts';",
      'class ReportMissingError extends Error {}',
      'export default class ReportsController extends Controller {',
      '  index() { return this.json({ controller: this.constructor.name, error: new ReportMissingError().constructor.name }); }',
      '}',
      '',
    ].join('\n'));
  });

  async function namesSeenBy(outDir: string): Promise<Record<string, string>> {
    const result = await build({ config: await configFor(app), outDir: join(scratch.dir, outDir) });
    const { invoke } = load(result, 'reports-controller');
    return json(await invoke(event({ method: 'GET', path: '/reports', resource: '/reports' })));
  }

  // The runtime names a controller by its class in messages and logs ("ReportsController#index did
  // not render…"), and so may the app.
  it('gives controllers their written names back', async () => {
    expect((await namesSeenBy('out-names')).controller).toBe('ReportsController');
  });

  it('keeps every class’s name with build.keepNames', async () => {
    // example-app's SummarizeUploadJob subscribes to the uploads bucket and its ChatChannel tracks
    // connections in a table: the config still declares both.
    writeFileSync(join(app, 'sls-ts.config.ts'), "import { bucket, defineConfig, table } from 'sls-ts/config';\n\nexport default defineConfig({ name: 'names', resources: { uploads: bucket(), connections: table({ key: 'channel', sort: 'connectionId', ttl: 'expiresAt' }) }, build: { keepNames: true } });\n");
    expect(await namesSeenBy('out-kept-names')).toEqual({ controller: 'ReportsController', error: 'ReportMissingError' });
  });
});
