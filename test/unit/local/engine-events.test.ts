// Bucket events and table streams go through the engines' one delivery path, as queue messages
// do: startLocalEngines with subscribers and a deliver routes each to the subscribed jobs, and a
// stream batch that keeps failing lands in its on-failure queue.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { bucket, queue, table } from '../../../src/config/define-config.js';
import type { Delivery, DeliveryOutcome } from '../../../src/index.js';
import { eventually, sqsClientFor, startEngines } from './sqs-support.js';

function clientsFor(env: Record<string, string>) {
  const settings = { region: env.AWS_REGION!, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! } };
  return {
    s3: new S3Client({ ...settings, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true }),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({ ...settings, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB })),
  };
}

describe('engines deliver bucket events and table streams to subscribed jobs', () => {
  it('an object written to a subscribed bucket, and an item written to a subscribed table, run their jobs', async () => {
    const deliveries: Delivery[] = [];
    const deliver = async (delivery: Delivery): Promise<DeliveryOutcome> => (deliveries.push(delivery), { ok: true, result: null });
    const engines = await startEngines({ uploads: bucket(), posts: table({ key: 'id' }) }, {
      subscribers: [
        { job: 'thumbnail-job', className: 'ThumbnailJob', events: [{ kind: 'bucket', source: 'uploads', prefix: 'images/' }] },
        { job: 'feed-job', className: 'FeedJob', events: [{ kind: 'table', source: 'posts' }] },
      ],
      deliver,
    });
    const { s3, documents } = clientsFor(engines.env());
    await s3.send(new PutObjectCommand({ Bucket: 'shop-dev-uploads', Key: 'images/cat.png', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'shop-dev-uploads', Key: 'docs/ignored.txt', Body: 'x' }));
    await documents.send(new PutCommand({ TableName: 'shop-dev-posts', Item: { id: 'p1' } }));
    await eventually(() => (deliveries.length === 2 ? true : undefined), 'two deliveries');
    await engines.settled();
    expect(deliveries.map(({ job, kind, source, records }) => ({ job, kind, source, records })).sort((a, b) => a.job.localeCompare(b.job))).toEqual([
      { job: 'feed-job', kind: 'table', source: 'posts', records: 1 },
      { job: 'thumbnail-job', kind: 'bucket', source: 'uploads', records: 1 },
    ]);
  });

  it('a stream batch that keeps failing goes to its on-failure queue, as Lambda records it', async () => {
    const engines = await startEngines({ posts: table({ key: 'id' }), failures: queue() }, {
      subscribers: [{ job: 'feed-job', className: 'FeedJob', events: [{ kind: 'table', source: 'posts', retries: 0, onFailure: 'failures' }] }],
      deliver: async () => ({ ok: false, error: 'Error: feed down' }),
    });
    const { documents } = clientsFor(engines.env());
    await documents.send(new PutCommand({ TableName: 'shop-dev-posts', Item: { id: 'p1' } }));
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_FAILURES_URL!;
    const message = await eventually(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0], 'the on-failure record');
    expect(JSON.parse(message.Body!)).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:shop-dev-feed-job' },
      version: '1.0',
      DDBStreamBatchInfo: { batchSize: 1, streamArn: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/shop-dev-posts\/stream\//) },
    });
  });
});
