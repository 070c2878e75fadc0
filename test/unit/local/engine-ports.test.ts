// The engines listen on the ports the dev server chose for them (so its workers know the endpoints
// before the engines are up), on their first start only.
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { bucket, table } from '../../../src/config/define-config.js';
import { resolveConfig, startLocalEngines, type LocalEngines, type UserConfig } from '../../../src/index.js';

const running: LocalEngines[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((engines) => engines.stop()));
});

const resourcesOf = (resources: UserConfig['resources']) => resolveConfig({ name: 'blog', resources }, { stage: 'dev', root: tmpdir() }).resources;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('startLocalEngines({ ports })', () => {
  it('listens on the given ports, and an engine started later by apply() takes a free one', async () => {
    const [dynamodb, s3] = [await freePort(), await freePort()];
    const engines = await startLocalEngines({ app: 'blog', stage: 'dev', resources: resourcesOf({ posts: table({ key: 'id' }) }), ports: { dynamodb, s3 } });
    running.push(engines);
    expect(engines.endpoints).toEqual({ dynamodb: `http://127.0.0.1:${dynamodb}` });

    await engines.apply(resourcesOf({ posts: table({ key: 'id' }), uploads: bucket() }));
    expect(engines.endpoints.dynamodb).toBe(`http://127.0.0.1:${dynamodb}`);
    expect(engines.endpoints.s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(engines.endpoints.s3).not.toBe(`http://127.0.0.1:${s3}`);
  });
});
