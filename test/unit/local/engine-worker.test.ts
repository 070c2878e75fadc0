import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bucket, table, topic } from '../../../src/config/define-config.js';
import { resolveConfig, SlsError, startLocalEnginesInWorker, type LocalEngines, type UserConfig } from '../../../src/index.js';

// The same engines as startLocalEngines, run in a worker thread (from dist/, which the test setup rebuilds).
const running: LocalEngines[] = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((engines) => engines.stop()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const resourcesOf = (resources: UserConfig['resources']) => resolveConfig({ name: 'blog', resources }, { stage: 'dev', root: tmpdir() }).resources;

async function start(resources: UserConfig['resources'], persistDir?: string): Promise<LocalEngines> {
  const engines = await startLocalEnginesInWorker({ app: 'blog', stage: 'dev', region: 'eu-west-1', resources: resourcesOf(resources), ...(persistDir && { persistDir }) });
  running.push(engines);
  return engines;
}

/** Clients built from an explicit env, so the test's own process.env stays untouched. */
function clientsFor(env: Record<string, string>) {
  const common = { region: env.AWS_REGION!, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! } };
  return {
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB })),
    s3: new S3Client({ ...common, endpoint: env.AWS_ENDPOINT_URL_S3 }),
  };
}

describe('startLocalEnginesInWorker()', () => {
  it('carries the SNS service and the bus across the thread: their endpoints, the topics and the env naming them', async () => {
    const engines = await startLocalEnginesInWorker({
      app: 'blog', stage: 'dev', region: 'eu-west-1', resources: resourcesOf({ alerts: topic() }),
      subscribers: [{ job: 'report-job', className: 'ReportJob', events: [{ kind: 'rule', pattern: { source: ['blog'] } }] }],
    });
    running.push(engines);
    expect(engines.topics).toEqual([{ name: 'alerts', physicalName: 'blog-dev-alerts', fifo: false }]);
    expect(engines.env()).toMatchObject({
      AWS_ENDPOINT_URL_SNS: engines.endpoints.sns, AWS_ENDPOINT_URL_EVENTBRIDGE: engines.endpoints.events,
      SLS_TS_RESOURCE_ALERTS_NAME: 'blog-dev-alerts', SLS_TS_RESOURCE_ALERTS_ARN: 'arn:aws:sns:eu-west-1:000000000000:blog-dev-alerts',
    });
    expect(engines.endpoints.events).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the declared tables and buckets from a worker thread, with the same env and operations', async () => {
    const engines = await start({ posts: table({ key: 'id', ttl: 'expiresAt' }), uploads: bucket() });
    const env = engines.env();
    expect(env).toMatchObject({ AWS_REGION: 'eu-west-1', SLS_TS_RESOURCE_POSTS_NAME: 'blog-dev-posts', SLS_TS_RESOURCE_UPLOADS_NAME: 'blog-dev-uploads' });
    expect(engines.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(engines.warnings.map((w) => w.text)).toEqual([expect.stringMatching(/^resources\.posts\.ttl:/)]);
    const { documents, s3 } = clientsFor(env);
    await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: 'p1', expiresAt: 1000 } }));
    await s3.send(new PutObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'a.txt', Body: 'a' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'blog-dev-uploads', Key: 'a.txt' }))).Body?.transformToString()).toBe('a');

    expect(await engines.expire(new Date(2_000_000))).toBe(1);
    await documents.send(new PutCommand({ TableName: 'blog-dev-posts', Item: { id: 'p2' } }));
    await engines.reset();
    expect((await documents.send(new ScanCommand({ TableName: 'blog-dev-posts' }))).Count).toBe(0);

    const notes = await engines.apply(resourcesOf({ posts: table({ key: 'id', ttl: 'expiresAt' }), uploads: bucket(), comments: table({ key: 'id' }) }));
    expect(notes).toEqual([expect.objectContaining({ text: expect.stringMatching(/^resources\.posts\.ttl:/) })]);
    expect(engines.tables.map((t) => t.physicalName)).toEqual(['blog-dev-posts', 'blog-dev-comments']);
    expect(engines.env().SLS_TS_RESOURCE_COMMENTS_NAME).toBe('blog-dev-comments');
    await documents.send(new PutCommand({ TableName: 'blog-dev-comments', Item: { id: 'c1' } }));
    expect((await documents.send(new GetCommand({ TableName: 'blog-dev-comments', Key: { id: 'c1' } }))).Item).toEqual({ id: 'c1' });
  });

  it('passes an engine that cannot start back as the same one-line SlsError', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sls-ts-worker-test-'));
    folders.push(folder);
    const persistDir = join(folder, 'a-file');
    writeFileSync(persistDir, '');
    const failure = await start({ posts: table({ key: 'id' }) }, persistDir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlsError);
    expect((failure as SlsError).message).toMatch(/^DynamoDB engine \(dynalite\) could not start for resources\.posts: .*is not writable/);
    expect((failure as SlsError).hint).toContain(persistDir);
  });

  it('stop() ends the thread, and a second stop() returns at once', async () => {
    const engines = await start({ posts: table({ key: 'id' }) });
    await engines.stop();
    await engines.stop();
    await expect(engines.reset()).rejects.toThrow(/thread has ended/);
  });
});
