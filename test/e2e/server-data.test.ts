// #17 through the real binary: `sls-ts server` prints where each local engine listens, keeps data
// across a restart with --persist, and exits 1 with one line when an engine cannot start.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, startServer } from './server-process.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const copyApp = () => copyFixture('data-app', cleanups);

const BANNER = /^sls-ts server data-app \(dev, controller layout\) on (http:\/\/127\.0\.0\.1:\d+)\n/m;

async function stop(server: ReturnType<typeof startServer>): Promise<number | null> {
  server.child.kill('SIGINT');
  return (await server.exited).code;
}

describe('sls-ts server with declared resources', () => {
  it('prints each engine and its resources, and with --persist a post survives a restart', async () => {
    const app = copyApp();
    const first = startServer(app, cleanups, ['--persist']);
    const [, url] = await first.waitFor('stdout', BANNER, 'banner');
    await first.waitFor('stdout', /^ {2}S3 .*\n/m, 'the engines');
    expect(first.stdout()).toMatch(/^local data \(kept in \.sls-ts\/local\/\):\n {2}DynamoDB +http:\/\/127\.0\.0\.1:\d+ +\(tables: posts\)\n {2}S3 +http:\/\/127\.0\.0\.1:\d+ +\(buckets: uploads\)\n/m);
    const put = await fetch(`${url}/posts/p1`, { method: 'PUT', body: JSON.stringify({ title: 'Persisted' }), headers: { 'Content-Type': 'application/json' } });
    expect(put.status).toBe(200);
    expect(await stop(first)).toBe(0);

    const second = startServer(app, cleanups, ['--persist']);
    const [, secondUrl] = await second.waitFor('stdout', BANNER, 'banner');
    const read = await fetch(`${secondUrl}/posts/p1`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ id: 'p1', title: 'Persisted' });
    expect(await stop(second)).toBe(0);
  });

  it('exits 1 with one line naming the engine and the resource when an engine cannot start', async () => {
    const app = copyApp();
    // A file where --persist keeps the data's folder.
    mkdirSync(join(app, '.sls-ts'));
    writeFileSync(join(app, '.sls-ts', 'local'), '');
    const server = startServer(app, cleanups, ['--persist']);
    const { code } = await server.exited;
    expect(code).toBe(1);
    expect(server.stderr()).toMatch(/(DynamoDB engine \(dynalite\) could not start for resources\.posts|S3 engine \(s3rver\) could not start for resources\.uploads): .*is not writable/);
  });
});
