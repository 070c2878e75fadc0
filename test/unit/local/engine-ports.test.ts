// The engines listen on the ports the dev server chose for them (so its workers know the endpoints
// before the engines are up), on their first start only.
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bucket, table } from '../../../src/config/define-config.js';
import { resolveConfig, startLocalEngines, startLocalEnginesInWorker, type LocalEngines, type UserConfig } from '../../../src/index.js';

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

  // The dev server's first request need not wait for the engines' packages to load: their ports
  // take connections first, and a request holds there until the declared tables and buckets exist.
  it('take connections as soon as they listen, and answer them once the tables and buckets exist', async () => {
    const ports = { dynamodb: await freePort(), s3: await freePort() };
    // The engines' dummy credentials, as a worker gets them (s3rver knows no other key).
    const common = { region: 'eu-west-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
    let early: Promise<unknown> | undefined;
    const engines = await startLocalEnginesInWorker({
      app: 'blog', stage: 'dev', region: 'eu-west-1', resources: resourcesOf({ posts: table({ key: 'id' }), uploads: bucket() }), ports,
      onListening: () => {
        early = Promise.all([
          new DynamoDBClient({ ...common, endpoint: `http://127.0.0.1:${ports.dynamodb}` }).send(new PutItemCommand({ TableName: 'blog-dev-posts', Item: { id: { S: 'early' } } })),
          new S3Client({ ...common, endpoint: `http://127.0.0.1:${ports.s3}`, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'early.txt', Body: 'early' })),
        ]);
      },
    });
    running.push(engines);
    expect(early).toBeDefined();
    await early;
    const dynamodb = new DynamoDBClient({ ...common, endpoint: engines.endpoints.dynamodb! });
    expect((await dynamodb.send(new GetItemCommand({ TableName: 'blog-dev-posts', Key: { id: { S: 'early' } } }))).Item).toEqual({ id: { S: 'early' } });
    const s3 = new S3Client({ ...common, endpoint: engines.endpoints.s3!, forcePathStyle: true });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'early.txt' }))).Body?.transformToString()).toBe('early');
  });
});

describe('startLocalEngines({ lazyMs })', () => {
  // The dev server's engines load late unless a function reaches one first: a start whose first
  // requests touch no table or bucket does not share the CPU with dynalite and s3rver.
  it('binds the ports at once, loads on the first connection, and that request gets the declared table', async () => {
    const dynamodb = await freePort();
    let onListening!: () => void;
    const listening = new Promise<void>((resolve) => (onListening = resolve));
    // A minute: within this test only a connection can end the wait.
    const starting = startLocalEngines({ app: 'blog', stage: 'dev', resources: resourcesOf({ posts: table({ key: 'id' }) }), ports: { dynamodb }, lazyMs: 60_000, onListening });
    await listening;
    // Two seconds: an eager start (tables included) is done well within them.
    const settled = (promise: Promise<unknown>) => Promise.race([promise.then(() => 'started'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 2000))]);
    expect(await settled(starting)).toBe('waiting');

    const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${dynamodb}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await client.send(new PutItemCommand({ TableName: 'blog-dev-posts', Item: { id: { S: 'p1' } } }));
    const engines = await starting;
    running.push(engines);
    expect((await client.send(new GetItemCommand({ TableName: 'blog-dev-posts', Key: { id: { S: 'p1' } } }))).Item).toEqual({ id: { S: 'p1' } });
    client.destroy();
  }, 30_000);
});
