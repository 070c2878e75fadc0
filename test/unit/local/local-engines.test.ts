import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bucket, table, topic } from '../../../src/config/define-config.js';
import { resolveConfig, SlsError, startLocalEngines, type LocalEngines, type LocalEnginesOptions, type UserConfig } from '../../../src/index.js';

const running: LocalEngines[] = [];
const folders: string[] = [];
const processEnv = { ...process.env };

afterEach(async () => {
  process.env = { ...processEnv };
  await Promise.all(running.splice(0).map((engines) => engines.stop()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function resourcesOf(resources: UserConfig['resources'], stage = 'dev') {
  return resolveConfig({ name: 'blog', resources }, { stage, root: tmpdir() }).resources;
}

async function start(resources: UserConfig['resources'], options: Partial<LocalEnginesOptions> = {}): Promise<LocalEngines> {
  const engines = await startLocalEngines({ app: 'blog', stage: 'dev', resources: resourcesOf(resources), ...options });
  running.push(engines);
  return engines;
}

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'sls-ts-local-test-'));
  folders.push(folder);
  return folder;
}

/**
 * SDK clients configured the way app code is: from the environment alone (no endpoint, no
 * credentials in code). The SDK reads it when a client first sends, so it stays set until afterEach.
 */
function clientsFrom(env: Record<string, string>) {
  Object.assign(process.env, env);
  const dynamo = new DynamoDBClient({});
  return { dynamo, documents: DynamoDBDocumentClient.from(dynamo), s3: new S3Client({}) };
}

const posts = { posts: table({ key: 'id', indexes: { byAuthor: { key: 'authorId', sort: { name: 'createdAt', type: 'number' } } } }) };

describe('startLocalEngines()', () => {
  it('starts only the engines the declared resources need', async () => {
    const none = await start({});
    expect(none.endpoints).toEqual({});
    // Nothing to reach: an app without tables or buckets keeps its own AWS settings.
    expect(none.env()).toEqual({});

    const tablesOnly = await start(posts);
    expect(tablesOnly.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(tablesOnly.endpoints.s3).toBeUndefined();
    expect(tablesOnly.env().AWS_ENDPOINT_URL_S3).toBeUndefined();
  });

  it('gives workers what unmodified AWS SDK v3 code needs, and the resources under their env names', async () => {
    const engines = await start({ ...posts, userUploads: bucket() }, { region: 'eu-west-1' });
    const env = engines.env();
    expect(env).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: engines.endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: engines.endpoints.s3,
      SLS_TS_RESOURCE_POSTS_NAME: 'blog-dev-posts',
      SLS_TS_RESOURCE_POSTS_ARN: 'arn:aws:dynamodb:eu-west-1:000000000000:table/blog-dev-posts',
      SLS_TS_RESOURCE_USER_UPLOADS_NAME: 'blog-dev-useruploads',
      SLS_TS_RESOURCE_USER_UPLOADS_ARN: 'arn:aws:s3:::blog-dev-useruploads',
    });
    expect(env.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeTruthy();
    // A function gets the names of what it links only, as on AWS; the endpoints it always gets.
    const linked = engines.env(['posts']);
    expect(Object.keys(linked).filter((key) => key.startsWith('SLS_TS_RESOURCE_'))).toEqual(['SLS_TS_RESOURCE_POSTS_NAME', 'SLS_TS_RESOURCE_POSTS_ARN']);
    expect(linked.AWS_ENDPOINT_URL_S3).toBe(engines.endpoints.s3);

    const { documents, s3 } = clientsFrom(env);
    const TableName = env.SLS_TS_RESOURCE_POSTS_NAME;
    await documents.send(new PutCommand({ TableName, Item: { id: 'p1', authorId: 'ada', createdAt: 2, title: 'Hello' } }));
    await documents.send(new PutCommand({ TableName, Item: { id: 'p2', authorId: 'ada', createdAt: 1, title: 'First' } }));
    expect((await documents.send(new GetCommand({ TableName, Key: { id: 'p1' } }))).Item?.title).toBe('Hello');
    const byAuthor = await documents.send(new QueryCommand({
      TableName, IndexName: 'byAuthor', KeyConditionExpression: 'authorId = :a', ExpressionAttributeValues: { ':a': 'ada' },
    }));
    expect(byAuthor.Items?.map((item) => item.title)).toEqual(['First', 'Hello']);

    // Path style: the bucket is in the path on the engine's IP host, never a virtual host.
    const seen: Array<{ hostname: string; path: string }> = [];
    s3.middlewareStack.add((next) => async (args) => {
      const request = args.request as { hostname: string; path: string };
      seen.push({ hostname: request.hostname, path: request.path });
      return next(args);
    }, { step: 'finalizeRequest' });
    const Bucket = env.SLS_TS_RESOURCE_USER_UPLOADS_NAME;
    await s3.send(new PutObjectCommand({ Bucket, Key: 'notes/a.txt', Body: 'hello s3', ContentType: 'text/plain' }));
    const object = await s3.send(new GetObjectCommand({ Bucket, Key: 'notes/a.txt' }));
    expect(await object.Body?.transformToString()).toBe('hello s3');
    expect(object.ContentType).toBe('text/plain');
    expect(seen[0]).toEqual({ hostname: '127.0.0.1', path: `/${Bucket}/notes/a.txt` });

    // A stream body is stored as sent, not in the SDK's default aws-chunked framing.
    await s3.send(new PutObjectCommand({ Bucket, Key: 'streamed.txt', Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]), ContentLength: 12 }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'streamed.txt' }))).Body?.transformToString()).toBe('hello stream');
    const pieces = Array.from({ length: 50 }, (_, i) => Buffer.alloc(7001, i));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'big.bin', Body: Readable.from(pieces), ContentLength: 50 * 7001, ChecksumAlgorithm: 'SHA256' }));
    const big = await (await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }))).Body!.transformToByteArray();
    expect(Buffer.compare(Buffer.from(big), Buffer.concat(pieces))).toBe(0);
  });

  it('keeps data across a restart with persistDir, and starts empty without it', async () => {
    const persistDir = tempFolder();
    const first = await start({ ...posts, uploads: bucket() }, { persistDir });
    const before = clientsFrom(first.env());
    await before.documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: 'kept', authorId: 'ada', createdAt: 1 } }));
    await before.s3.send(new PutObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'kept.txt', Body: 'still here' }));
    const created = (await before.dynamo.send(new DescribeTableCommand({ TableName: 'blog-dev-posts' }))).Table?.CreationDateTime;
    await first.stop();

    const second = await start({ ...posts, uploads: bucket() }, { persistDir });
    const after = clientsFrom(second.env());
    expect((await after.documents.send(new GetCommand({ TableName: 'blog-dev-posts', Key: { id: 'kept' } }))).Item).toMatchObject({ id: 'kept' });
    // An unchanged declaration reopens the table as it was: not rebuilt on every start.
    expect((await after.dynamo.send(new DescribeTableCommand({ TableName: 'blog-dev-posts' }))).Table?.CreationDateTime).toEqual(created);
    expect(await (await after.s3.send(new GetObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'kept.txt' }))).Body?.transformToString()).toBe('still here');

    const fresh = await start({ ...posts, uploads: bucket() });
    const empty = clientsFrom(fresh.env());
    expect((await empty.documents.send(new ScanCommand({ TableName: 'blog-dev-posts' }))).Items).toEqual([]);
    expect((await empty.s3.send(new ListObjectsV2Command({ Bucket: 'blog-dev-uploads' }))).KeyCount).toBe(0);
  });

  it('apply() creates new tables and buckets, adds an index keeping the items, and leaves removed ones alone', async () => {
    const engines = await start({ posts: table({ key: 'id' }) });
    const { dynamo, documents } = clientsFrom(engines.env());
    await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: 'p1', authorId: 'ada' } }));

    const notes = await engines.apply(resourcesOf({
      comments: table({ key: 'postId', sort: 'id' }),
      posts: table({ key: 'id', indexes: { byAuthor: { key: 'authorId' } } }),
      uploads: bucket(),
    }));
    expect(notes).toEqual([]);
    const env = engines.env();
    expect(env.SLS_TS_RESOURCE_COMMENTS_NAME).toBe('blog-dev-comments');
    expect(env.AWS_ENDPOINT_URL_S3).toBe(engines.endpoints.s3);
    const byAuthor = await documents.send(new QueryCommand({
      TableName: 'blog-dev-posts', IndexName: 'byAuthor', KeyConditionExpression: 'authorId = :a', ExpressionAttributeValues: { ':a': 'ada' },
    }));
    expect(byAuthor.Items).toEqual([{ id: 'p1', authorId: 'ada' }]);
    const uploads = clientsFrom(env).s3;
    await uploads.send(new PutObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'x', Body: 'x' }));

    await engines.apply(resourcesOf({ posts: table({ key: 'id' }) }));
    expect(engines.env().SLS_TS_RESOURCE_COMMENTS_NAME).toBeUndefined();
    const left = await dynamo.send(new DescribeTableCommand({ TableName: 'blog-dev-comments' }));
    expect(left.Table?.TableStatus).toBe('ACTIVE');
    // reset() empties what is declared now: the bucket that left the config keeps its objects.
    await engines.reset();
    expect(await (await uploads.send(new GetObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'x' }))).Body?.transformToString()).toBe('x');
  });

  it('apply() recreates a table whose key changed, empty, and says so', async () => {
    const engines = await start({ posts: table({ key: 'id' }) });
    const { documents } = clientsFrom(engines.env());
    await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: 'p1' } }));
    const notes = await engines.apply(resourcesOf({ posts: table({ key: 'slug' }) }));
    expect(notes).toEqual([expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^resources\.posts: the key changed/) })]);
    expect((await documents.send(new ScanCommand({ TableName: 'blog-dev-posts' }))).Items).toEqual([]);
    await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { slug: 'hello' } }));
  });

  it('gives buckets the CORS rules they declare, so browsers can upload to them directly', async () => {
    const engines = await start({ open: bucket({ cors: { origins: ['http://localhost:5173'], methods: ['PUT'] } }), closed: bucket() });
    const preflight = (name: string, origin = 'http://localhost:5173') => fetch(`${engines.endpoints.s3}/${name}/photo.jpg`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT' },
    });
    const allowed = await preflight('blog-dev-open');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBeTruthy();
    expect(allowed.headers.get('access-control-allow-methods')).toBe('PUT');
    expect((await preflight('blog-dev-open', 'http://elsewhere.example')).status).toBe(403);
    expect((await preflight('blog-dev-closed')).status).toBe(403);
  });

  it('reset() deletes every item and object and keeps the tables and buckets', async () => {
    const engines = await start({ ...posts, uploads: bucket() });
    const { documents, s3 } = clientsFrom(engines.env());
    for (let i = 0; i < 60; i += 1) {
      await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: `p${i}`, authorId: 'ada', createdAt: i } }));
    }
    const keys = ['a/b.txt', 'odd & <named> "key" ü.txt', 'spaces in/path+plus.txt'];
    await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket: 'blog-dev-uploads', Key, Body: 'x' }))));
    await engines.reset();
    expect((await documents.send(new ScanCommand({ TableName: 'blog-dev-posts' }))).Items).toEqual([]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'blog-dev-uploads' }))).KeyCount).toBe(0);
    await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: 'again', authorId: 'ada', createdAt: 1 } }));
    await s3.send(new PutObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'again.txt', Body: 'x' }));
  });

  it('reports what the engines do not emulate as warnings naming the resource, and serves a topic without one', async () => {
    const engines = await start({ sessions: table({ key: 'id', ttl: 'expiresAt' }), alerts: topic() });
    expect(engines.warnings.map((w) => w.text)).toEqual([
      expect.stringMatching(/^resources\.sessions\.ttl: dynalite has no Time to Live/),
    ]);
    expect(engines.endpoints.s3).toBeUndefined();
    expect(engines.endpoints.sns).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('expire() deletes the items whose TTL attribute is a past epoch-seconds number, as DynamoDB does', async () => {
    const engines = await start({ sessions: table({ key: 'id', ttl: 'expiresAt' }), posts: table({ key: 'id' }) });
    const { documents } = clientsFrom(engines.env());
    const now = new Date('2030-01-01T00:00:00Z');
    const seconds = now.getTime() / 1000;
    const items = [
      { id: 'past', expiresAt: seconds - 1 },
      { id: 'future', expiresAt: seconds + 60 },
      { id: 'not-a-number', expiresAt: String(seconds - 1) },
      { id: 'no-ttl' },
    ];
    for (const Item of items) await documents.send(new PutCommand({ TableName: 'blog-dev-sessions', Item }));
    await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: 'p1', expiresAt: seconds - 1 } }));

    expect(await engines.expire(now)).toBe(1);
    const left = (await documents.send(new ScanCommand({ TableName: 'blog-dev-sessions' }))).Items?.map((item) => item.id).sort();
    expect(left).toEqual(['future', 'no-ttl', 'not-a-number']);
    // A table without ttl keeps everything, whatever its attributes are called.
    expect((await documents.send(new ScanCommand({ TableName: 'blog-dev-posts' }))).Count).toBe(1);
  });

  it('sweeps expired items on its own with ttlSweepMs, and stops sweeping at stop()', async () => {
    const engines = await start({ sessions: table({ key: 'id', ttl: 'expiresAt' }) }, { ttlSweepMs: 5 });
    const { documents } = clientsFrom(engines.env());
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
    await documents.send(new PutCommand({ TableName: 'blog-dev-sessions', Item: { id: 'old', expiresAt: anHourAgo } }));
    await vi.waitFor(async () => {
      expect((await documents.send(new ScanCommand({ TableName: 'blog-dev-sessions' }))).Count).toBe(0);
    }, { timeout: 5000, interval: 10 });
  });

  it('fails with one line naming the engine, the resources and the persist folder when it cannot write there', async () => {
    const persistDir = join(tempFolder(), 'a-file');
    writeFileSync(persistDir, 'not a folder');
    const failure = await start({ posts: table({ key: 'id' }), uploads: bucket() }, { persistDir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlsError);
    const message = (failure as SlsError).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^(DynamoDB engine \(dynalite\) could not start for resources\.posts|S3 engine \(s3rver\) could not start for resources\.uploads): .*a-file\/(dynamodb|s3) is not writable/);
    expect((failure as SlsError).hint).toContain(persistDir);
  });

  it('refuses a persist folder another server holds, in one line, and leaves that server working', async () => {
    const persistDir = tempFolder();
    const holder = await start(posts, { persistDir });
    // The S3 engine starts fine beside the failing one, and is closed with it.
    const failure = await start({ ...posts, uploads: bucket() }, { persistDir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlsError);
    expect((failure as SlsError).message).toMatch(/^DynamoDB engine \(dynalite\) could not start for resources\.posts: .*dynamodb is in use by another process/);
    expect((failure as SlsError).message).not.toContain('\n');
    const { documents } = clientsFrom(holder.env());
    await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: 'still-works', authorId: 'ada', createdAt: 1 } }));
  });

  it('refuses two buckets whose names differ only in case, naming both, before starting anything', async () => {
    const failure = await start({ fooBar: bucket(), foobar: bucket() }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlsError);
    expect((failure as SlsError).message).toBe("resources.foobar: its bucket would be blog-dev-foobar, as resources.fooBar's is (bucket names are lowercase)");
  });

  it('names physical resources <app>-<stage>-<name>, buckets lowercase and within S3 limits', async () => {
    const longApp = 'a'.repeat(40);
    const engines = await startLocalEngines({ app: longApp, stage: 'feature-branch', resources: resourcesOf({ userUploadsArchive: bucket(), userUploadsBackup: bucket() }) });
    running.push(engines);
    const names = engines.buckets.map((b) => b.physicalName);
    const { s3 } = clientsFrom(engines.env());
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^a{40}-feature-[a-z0-9-]*-[0-9a-f]{8}$/);
      await s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'v' }));
    }
    // Shortened names keep a hash of the whole name, so two long names stay two buckets.
    expect(new Set(names).size).toBe(2);
  });
});
