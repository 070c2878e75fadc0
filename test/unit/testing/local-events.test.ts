// useLocalResources(app, { jobs: true }) on an app whose jobs follow a topic, a rule, a bucket and
// a table: publish() and putEvents() reach them as app code's SDK calls would, and settled()
// returns once they ran.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLocalResources, type LocalResources } from '../../../src/testing/index.js';

const root = new URL('../../fixtures/events-app/', import.meta.url);

describe('useLocalResources(app, { jobs: true }) with topic, rule, bucket and table jobs', () => {
  let local: LocalResources;

  beforeAll(async () => {
    local = await useLocalResources(root, { jobs: true });
  });
  beforeEach(() => local.reset());
  afterAll(() => local.stop());

  it('publish() runs the topic job for a message its filter policy matches, and only for that one', async () => {
    expect(local.names.alerts).toBe('events-app-test-alerts');
    expect(process.env.SLS_TS_RESOURCE_ALERTS_ARN).toBe('arn:aws:sns:eu-west-1:000000000000:events-app-test-alerts');
    await local.publish('alerts', 'disk full', { severity: 'high' });
    await local.publish('alerts', 'disk half full', { severity: 'low' });
    expect(await local.settled()).toEqual([
      { job: 'alert-job', kind: 'topic', source: 'alerts', records: 1, outcome: { ok: true, result: { message: 'disk full' } } },
    ]);
  });

  it('putEvents() runs the rule job for the events its pattern matches', async () => {
    const { eventIds } = await local.putEvents([
      { source: 'shop.orders', detailType: 'OrderPlaced', detail: { id: 'o1' } },
      { source: 'shop.orders', detailType: 'OrderShipped', detail: { id: 'o1' } },
    ]);
    expect(eventIds).toHaveLength(2);
    expect(await local.settled()).toEqual([
      { job: 'report-job', kind: 'rule', source: 'default', records: 1, outcome: { ok: true, result: { detailType: 'OrderPlaced' } } },
    ]);
  });

  it('an upload under images/ runs the bucket job through the same settled()', async () => {
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: local.names.uploads, Key: 'images/cat.png', Body: 'x' }));
    // Bucket events reach the hub a moment after the upload: poll with a generous deadline.
    const runs = [];
    for (const deadline = Date.now() + 10_000; runs.length === 0 && Date.now() < deadline;) {
      runs.push(...(await local.settled()));
      if (runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(runs).toEqual([{ job: 'thumbnail-job', kind: 'bucket', source: 'uploads', records: 1, outcome: { ok: true, result: { key: 'images/cat.png' } } }]);
  });

  it('publish() and putEvents() name what the app has when given a topic it lacks or a bad entry', async () => {
    await expect(local.publish('nope', 'x')).rejects.toThrow(/^publish\(\): no topic "nope" — topics: alerts$/);
    await expect(local.putEvents([{ source: '', detailType: 'OrderPlaced', detail: {} }])).rejects.toThrow(/^putEvents\(\): entry 1 was refused: /);
  });
});
