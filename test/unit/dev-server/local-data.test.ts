// The dev server runs the app's declared tables and buckets on the local engines: unmodified AWS
// SDK v3 code in a controller reads what an earlier request wrote, --persist keeps it across a
// restart, only linked functions get a resource's name, and a table added to the config exists
// without a restart.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevServer, invokeLocal, type DevServer, type DevServerEvent, type DevServerOptions } from '../../../src/dev-server/index.js';

const dataApp = fileURLToPath(new URL('../../fixtures/data-app', import.meta.url));
// Inside this package, so the copy's `import 'sls-ts'` still resolves to this repo by self-reference.
const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));

const servers: DevServer[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function copyApp(): string {
  const root = mkdtempSync(join(fixturesDir, '.tmp-data-'));
  folders.push(root);
  cpSync(dataApp, root, { recursive: true, filter: (source) => !source.includes(`${dataApp}/.sls-ts`) });
  return root;
}

async function start(options: DevServerOptions = {}): Promise<{ server: DevServer; events: DevServerEvent[] }> {
  const events: DevServerEvent[] = [];
  const server = await createDevServer({ root: dataApp, port: 0, watch: false, onEvent: (event) => events.push(event), ...options });
  servers.push(server);
  return { server, events };
}

async function call(server: DevServer, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(server.url + path, { method, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' } }) });
  return { status: response.status, text: await response.text() };
}

describe('dev server: declared resources on the local engines', () => {
  it('serves data a previous request wrote, through unmodified @aws-sdk/lib-dynamodb and @aws-sdk/client-s3 code', async () => {
    const { server } = await start();
    expect(await call(server, 'GET', '/posts/p1')).toMatchObject({ status: 404 });
    expect(await call(server, 'PUT', '/posts/p1', { title: 'Hello' })).toMatchObject({ status: 200 });
    const read = await call(server, 'GET', '/posts/p1');
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text)).toEqual({ id: 'p1', title: 'Hello' });

    expect((await call(server, 'PUT', '/files/note.txt', 'some text')).status).toBe(204);
    expect(await call(server, 'GET', '/files/note.txt')).toEqual({ status: 200, text: 'some text' });

    expect(server.engines()).toEqual([
      { service: 'DynamoDB', endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), kind: 'tables', names: ['posts'] },
      { service: 'S3', endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), kind: 'buckets', names: ['uploads'] },
    ]);
  });

  it('a job (as --jobs and invoke run it) reads the table it links through the same engines', async () => {
    const { server } = await start();
    await call(server, 'PUT', '/posts/j1', { title: 'one' });
    await call(server, 'PUT', '/posts/j2', { title: 'two' });
    const outcome = await server.invoke('count-posts-job', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    expect(outcome).toMatchObject({ kind: 'result' });
    expect(JSON.parse((outcome as { payload: string }).payload)).toEqual({ posts: 2 });
  });

  it('gives a function that links nothing the endpoints but no resource names, as deployed', async () => {
    const { server } = await start();
    const seen = JSON.parse((await call(server, 'GET', '/env')).text) as Record<string, string>;
    expect(Object.keys(seen).filter((name) => name.startsWith('SLS_TS_RESOURCE_'))).toEqual([]);
    // Endpoints for every function: nothing run locally reaches the real tables of the same names.
    expect(seen).toEqual({ AWS_ENDPOINT_URL_DYNAMODB: server.engines()[0]!.endpoint, AWS_ENDPOINT_URL_S3: server.engines()[1]!.endpoint });
  });

  it('with persist, the data survives a restart of the server; without, it does not', async () => {
    const root = copyApp();
    const first = await start({ root, persist: true });
    expect((await call(first.server, 'PUT', '/posts/kept', { title: 'Kept' })).status).toBe(200);
    expect((await call(first.server, 'PUT', '/files/kept.txt', 'kept bytes')).status).toBe(204);
    await first.server.close();

    const second = await start({ root, persist: true });
    expect(JSON.parse((await call(second.server, 'GET', '/posts/kept')).text)).toEqual({ id: 'kept', title: 'Kept' });
    expect(await call(second.server, 'GET', '/files/kept.txt')).toEqual({ status: 200, text: 'kept bytes' });
    await second.server.close();

    const inMemory = await start({ root });
    expect((await call(inMemory.server, 'GET', '/posts/kept')).status).toBe(404);
  });

  it('a table added to the config exists after the reload, without a restart, and a topic starts the SNS service', async () => {
    const root = copyApp();
    const { server, events } = await start({ root });
    const configFile = join(root, 'sls-ts.config.ts');
    writeFileSync(configFile, readFileSync(configFile, 'utf8')
      .replace("posts: table({ key: 'id' }),", "posts: table({ key: 'id' }),\n    comments: table({ key: 'id' }),\n    alerts: topic(),")
      .replace("link: ['posts', 'uploads']", "link: ['posts', 'uploads', 'comments']")
      .replace('import { bucket, defineConfig, table }', 'import { bucket, defineConfig, table, topic }'));
    // The controller now reads comments: the same code path, another linked table.
    const controller = join(root, 'app/controllers/posts-controller.ts');
    writeFileSync(controller, readFileSync(controller, 'utf8').replaceAll('resources.posts.name', '(this.params.table === "comments" ? resources.comments.name : resources.posts.name)'));
    await server.reload();

    expect(events.filter((event) => event.type === 'reload-error')).toEqual([]);
    expect(await call(server, 'PUT', '/posts/c1?table=comments', { text: 'first' })).toMatchObject({ status: 200 });
    expect(JSON.parse((await call(server, 'GET', '/posts/c1?table=comments')).text)).toEqual({ id: 'c1', text: 'first', table: 'comments' });
    expect(server.engines()[0]).toMatchObject({ names: ['posts', 'comments'] });
    expect(events).toContainEqual({ type: 'engines', engines: expect.arrayContaining([expect.objectContaining({ names: ['posts', 'comments'] })]) });
    expect(server.engines()).toContainEqual(expect.objectContaining({ service: 'SNS', kind: 'topics', names: ['alerts'] }));
  });

  it('a declaration the engines refuse fails that reload only: the fix is served without a restart', async () => {
    const root = copyApp();
    const { server, events } = await start({ root });
    const configFile = join(root, 'sls-ts.config.ts');
    const good = readFileSync(configFile, 'utf8');
    // Bucket names are lowercase: upLoads and uploads would share one bucket.
    writeFileSync(configFile, good.replace('uploads: bucket(),', 'uploads: bucket(),\n    upLoads: bucket(),'));
    await server.reload();
    expect(events.filter((event) => event.type === 'reload-error')).toEqual([{ type: 'reload-error', message: expect.stringMatching(/resources\.upLoads: .*resources\.uploads/) }]);
    expect((await call(server, 'GET', '/posts/p1')).status).toBe(502);

    writeFileSync(configFile, good.replace("posts: table({ key: 'id' }),", "posts: table({ key: 'id' }),\n    drafts: table({ key: 'id' }),"));
    await server.reload();
    expect(await call(server, 'PUT', '/posts/p1', { title: 'after the fix' })).toMatchObject({ status: 200 });
    expect(server.engines()[0]).toMatchObject({ names: ['posts', 'drafts'] });
  });

  it('invoke --local runs on the same engines: with persist, what it writes the server then reads', async () => {
    const root = copyApp();
    const invoked = await invokeLocal({ root, name: 'posts#update', persist: true, onLog: () => {} });
    expect(invoked.outcome).toMatchObject({ kind: 'result' });
    const payload = JSON.parse((invoked.outcome as { payload: string }).payload) as { statusCode: number; body: string };
    expect(payload).toMatchObject({ statusCode: 200 });
    const { id } = JSON.parse(payload.body) as { id: string };

    const { server } = await start({ root, persist: true });
    expect(JSON.parse((await call(server, 'GET', `/posts/${id}`)).text)).toMatchObject({ id });
  });

  // A worker plays Lambda's nodejs22.x, where the AWS SDK never warns about the Node version; on a
  // Node 20 host (this machine's) the SDK would print its support notice at every cold start.
  it("the AWS SDK's warning about the host's Node version stays out of the function's output", async () => {
    const root = copyApp();
    const lines: string[] = [];
    const invoked = await invokeLocal({ root, name: 'posts#update', onLog: (line) => lines.push(line) });
    expect(invoked.outcome).toMatchObject({ kind: 'result' });
    expect(lines.join('\n')).not.toMatch(/NodeVersionSupportWarning/);
  });

  it('an engine that cannot start: ready() rejects with one message naming the engine and the resource, functions answer 502', async () => {
    const root = copyApp();
    // A file where the persisted data's folder would go.
    mkdirSync(join(root, '.sls-ts'));
    writeFileSync(join(root, '.sls-ts', 'local'), '');
    const { server } = await start({ root, persist: true });
    const failure = await server.ready().catch((error: unknown) => error as Error);
    expect((await call(server, 'GET', '/ping')).status).toBe(502);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/(DynamoDB engine \(dynalite\) could not start for resources\.posts|S3 engine \(s3rver\) could not start for resources\.uploads): /);
  });
});
