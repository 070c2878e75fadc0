import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bucket } from '../../../src/config/define-config.js';
import type { JobSubscription } from '../../../src/config/subscriptions.js';
import { resolveConfig, type UserConfig } from '../../../src/index.js';
import { bucketDeliveries, encodeEventKey, watchBucketEvents, type BucketDeliveryOptions, type S3EventRecord } from '../../../src/local/bucket-events.js';
import type { Deliver, Delivery, DeliveryOutcome } from '../../../src/local/deliveries.js';
import { localResources } from '../../../src/local/engines.js';
import { startS3Engine, type S3Engine } from '../../../src/local/s3-engine.js';

const SAMPLE = JSON.parse(readFileSync('/work/shared/reference/aws-events/s3-event.json', 'utf8')) as { Records: unknown[] };
const stops: Array<() => unknown> = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function startBuckets(resources: UserConfig['resources']) {
  const resolved = resolveConfig({ name: 'blog', resources }, { stage: 'dev', root: tmpdir() }).resources;
  const { buckets } = localResources({ app: 'blog', stage: 'dev' }, resolved);
  const engine: S3Engine = await startS3Engine({ host: '127.0.0.1' });
  stops.push(() => engine.stop());
  await engine.ensure(buckets);
  const s3 = new S3Client({ endpoint: engine.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  stops.push(() => s3.destroy());
  return { engine, buckets, s3 };
}

/** A deliver stub that records every delivery; each invocation succeeds. */
function recordingDeliver() {
  const deliveries: Delivery[] = [];
  const deliver = async (delivery: Delivery): Promise<DeliveryOutcome> => {
    deliveries.push(delivery);
    return { ok: true };
  };
  return { deliveries, deliver };
}

async function waitFor<T>(read: () => T | undefined, what: string, deadlineMs = 10_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every field path of a JSON value (`s3.object.key`), to compare shapes, not values. */
function fieldPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => fieldPaths(child, prefix ? `${prefix}.${key}` : key)).sort();
}

const recordOf = (delivery: Delivery) => (delivery.event as { Records: S3EventRecord[] }).Records[0]!;

describe('watchBucketEvents()', () => {
  it('reports each created and removed object as an S3 record, for every way of writing one', async () => {
    const { engine, buckets, s3 } = await startBuckets({ uploads: bucket() });
    const name = buckets[0]!.physicalName;
    const records: Array<[string, S3EventRecord]> = [];
    stops.push(watchBucketEvents(engine, (bucketName, record) => records.push([bucketName, record]), { region: 'eu-west-1' }));

    const put = await s3.send(new PutObjectCommand({ Bucket: name, Key: 'a.txt', Body: 'hello' }));
    await s3.send(new CopyObjectCommand({ Bucket: name, Key: 'b.txt', CopySource: `${name}/a.txt` }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'big.bin' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: name, Key: 'big.bin', UploadId: upload.UploadId, PartNumber: 1, Body: 'part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: name, Key: 'big.bin', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] } }));
    await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'a.txt' }));
    // Removed only once: a delete of a missing object changes nothing.
    await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'a.txt' }));
    await s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: [{ Key: 'b.txt' }, { Key: 'big.bin' }] } }));

    const seen = records.map(([bucketName, record]) => `${bucketName} ${record.eventName} ${record.s3.object.key}`);
    expect(seen.slice(0, 4)).toEqual([
      `${name} ObjectCreated:Put a.txt`,
      `${name} ObjectCreated:Copy b.txt`,
      `${name} ObjectCreated:CompleteMultipartUpload big.bin`,
      `${name} ObjectRemoved:Delete a.txt`,
    ]);
    // A multi-object delete removes its objects in no particular order.
    expect(seen.slice(4).sort()).toEqual([`${name} ObjectRemoved:Delete b.txt`, `${name} ObjectRemoved:Delete big.bin`]);
    const [created, copied] = [records[0]![1], records[1]![1]];
    expect(created).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      userIdentity: { principalId: 'AWS:S3RVER' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      s3: { s3SchemaVersion: '1.0', bucket: { name, arn: `arn:aws:s3:::${name}` }, object: { size: 5, eTag: put.ETag!.replace(/"/g, '') } },
    });
    expect(new Date(created.eventTime).toISOString()).toBe(created.eventTime);
    expect(created.responseElements['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
    expect(copied.s3.object).toMatchObject({ size: 5, eTag: created.s3.object.eTag });
    // The sequencer orders a key's events as strings.
    expect(records[3]![1].s3.object.sequencer > created.s3.object.sequencer).toBe(true);
  });

  it('encodes keys as S3 does in events: spaces as +, other specials percent-encoded, / kept', async () => {
    expect(encodeEventKey('photos/red flower (1)+x.jpg')).toBe('photos/red+flower+%281%29%2Bx.jpg');
    const { engine, buckets, s3 } = await startBuckets({ uploads: bucket() });
    const records: S3EventRecord[] = [];
    stops.push(watchBucketEvents(engine, (_, record) => records.push(record)));
    await s3.send(new PutObjectCommand({ Bucket: buckets[0]!.physicalName, Key: 'Happy Face é.jpg', Body: 'x' }));
    expect(records.map((record) => record.s3.object.key)).toEqual(['Happy+Face+%C3%A9.jpg']);
  });
});

describe('bucketDeliveries()', () => {
  const subscriber = (job: string, ...events: JobSubscription[]) => ({ job, className: job, events });

  async function wire(subscribers: ReturnType<typeof subscriber>[], options: BucketDeliveryOptions & { deliver?: Deliver } = {}) {
    const started = await startBuckets({ uploads: bucket(), other: bucket() });
    const recorder = recordingDeliver();
    stops.push(watchBucketEvents(started.engine, bucketDeliveries(subscribers, started.buckets, options.deliver ?? recorder.deliver, { retryDelaysMs: [1, 1], ...options })));
    const [uploads, other] = started.buckets.map((b) => b.physicalName) as [string, string];
    return { ...started, ...recorder, uploads, other };
  }

  it('delivers an S3 event with the sample event\'s fields, one record each, to the matching subscription', async () => {
    const { s3, uploads, deliveries } = await wire([subscriber('thumb-job', { kind: 'bucket', source: 'uploads' })]);
    await s3.send(new PutObjectCommand({ Bucket: uploads, Key: 'Happy Face.jpg', Body: 'x' }));
    const delivery = await waitFor(() => deliveries[0], 'a delivery');
    expect(delivery).toMatchObject({ job: 'thumb-job', kind: 'bucket', source: 'uploads', records: 1 });
    const event = delivery.event as { Records: S3EventRecord[] };
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]!.s3.configurationId).toBe('thumb-job-1');
    // An unversioned bucket's event carries no versionId; everything else the sample has, and nothing more.
    const sampleFields = fieldPaths(SAMPLE).filter((path) => path !== 'Records.0.s3.object.versionId');
    expect(fieldPaths(event)).toEqual(sampleFields);
    expect(event.Records[0]!.eventVersion).toMatch(/^2\.\d$/);
  });

  it('filters by event family, exact event type, prefix and suffix, per bucket', async () => {
    const { s3, uploads, other, deliveries } = await wire([
      subscriber('created-job', { kind: 'bucket', source: 'uploads' }),
      subscriber('removed-job', { kind: 'bucket', source: 'uploads', on: ['removed'] }),
      subscriber('copy-job', { kind: 'bucket', source: 'uploads', on: ['s3:ObjectCreated:Copy'] }),
      subscriber('images-job', { kind: 'bucket', source: 'uploads', on: ['created', 'removed'], prefix: 'images/', suffix: '.png' }),
      subscriber('spaced-job', { kind: 'bucket', source: 'uploads', prefix: 'my+docs/' }),
      subscriber('other-job', { kind: 'bucket', source: 'other', on: ['s3:ObjectCreated:*'] }),
    ]);
    await s3.send(new PutObjectCommand({ Bucket: uploads, Key: 'images/a.png', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: uploads, Key: 'images/a.jpg', Body: 'x' }));
    await s3.send(new CopyObjectCommand({ Bucket: uploads, Key: 'copy.txt', CopySource: `${uploads}/images/a.jpg` }));
    await s3.send(new PutObjectCommand({ Bucket: uploads, Key: 'my docs/x.txt', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: uploads, Key: 'images/a.png' }));
    await s3.send(new PutObjectCommand({ Bucket: other, Key: 'o.txt', Body: 'x' }));

    const expected = [
      'created-job ObjectCreated:Put images/a.png',
      'images-job ObjectCreated:Put images/a.png',
      'created-job ObjectCreated:Put images/a.jpg',
      'created-job ObjectCreated:Copy copy.txt',
      'copy-job ObjectCreated:Copy copy.txt',
      'created-job ObjectCreated:Put my+docs/x.txt',
      'spaced-job ObjectCreated:Put my+docs/x.txt',
      'removed-job ObjectRemoved:Delete images/a.png',
      'images-job ObjectRemoved:Delete images/a.png',
      'other-job ObjectCreated:Put o.txt',
    ];
    await waitFor(() => (deliveries.length >= expected.length ? true : undefined), 'every delivery');
    expect(deliveries.map((d) => `${d.job} ${recordOf(d).eventName} ${recordOf(d).s3.object.key}`).sort()).toEqual([...expected].sort());
  });

  it('retries a failing invocation twice, as Lambda\'s async invoke, then reports it dropped', async () => {
    const notices: string[] = [];
    const calls: Delivery[] = [];
    let lateCalls = 0;
    // flaky-job always fails; late-job fails, then its host fails, then it succeeds on the last retry.
    const deliver = async (delivery: Delivery): Promise<DeliveryOutcome> => {
      calls.push(delivery);
      if (delivery.job === 'flaky-job') return { ok: false, error: 'Error: boom' };
      lateCalls += 1;
      if (lateCalls === 2) throw new Error('host busy');
      return lateCalls === 1 ? { ok: false, error: 'Error: not yet' } : { ok: true };
    };
    const { s3, uploads } = await wire(
      [subscriber('flaky-job', { kind: 'bucket', source: 'uploads' }), subscriber('late-job', { kind: 'bucket', source: 'uploads', prefix: 'late' })],
      { deliver, report: (notice) => notices.push(notice.text) },
    );
    await s3.send(new PutObjectCommand({ Bucket: uploads, Key: 'late.txt', Body: 'x' }));
    await waitFor(() => (notices.length > 0 && calls.length >= 6 ? true : undefined), 'the dropped notice');
    const jobs = calls.map((call) => call.job);
    expect(jobs.filter((job) => job === 'flaky-job')).toHaveLength(3);
    expect(jobs.filter((job) => job === 'late-job')).toHaveLength(3);
    expect(notices).toEqual([expect.stringMatching(/^flaky-job: the ObjectCreated:Put event of late\.txt in resources\.uploads was dropped after 3 attempts: Error: boom$/)]);
  });
});
