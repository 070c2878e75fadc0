// #18 through the real binary, for each event source other than queues (server-queues covers
// those): `sls-ts server` prints where the S3, DynamoDB, SNS and EventBridge engines listen, and
// an upload, a table write, a published message and a put event, each sent there with the AWS
// SDK, run their jobs, printed as delivery lines.
import { PutItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, startServer } from './server-process.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

// s3rver checks signatures against its own account; the other engines take any credentials.
const settings = { region: 'eu-west-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };

describe('sls-ts server with bucket, table, topic and rule jobs', () => {
  it('prints each engine and delivers an upload, a table write, a published message and a put event to their jobs', async () => {
    const app = copyFixture('events-app', cleanups);
    const server = startServer(app, cleanups);
    const endpoint = async (service: string, listing: string) => {
      const [, url] = await server.waitFor('stdout', new RegExp(`^ {2}${service} +(http://127\\.0\\.0\\.1:\\d+) +\\(${listing}\\)$`, 'm'), `the ${service} line of the banner`);
      return url!;
    };
    const [s3, dynamodb, sns, events] = [await endpoint('S3', 'buckets: uploads'), await endpoint('DynamoDB', 'tables: posts'), await endpoint('SNS', 'topics: alerts'), await endpoint('EventBridge', 'rules: report-job')];

    await new S3Client({ ...settings, endpoint: s3, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: 'events-app-dev-uploads', Key: 'images/cat.png', Body: 'x' }));
    await server.waitFor('stdout', /^BUCKET uploads ok events-app-dev-thumbnail-job 1 record \d+ms$/m, 'the bucket delivery line');

    await new DynamoDBClient({ ...settings, endpoint: dynamodb }).send(new PutItemCommand({ TableName: 'events-app-dev-posts', Item: { id: { S: 'p1' } } }));
    await server.waitFor('stdout', /^TABLE posts ok events-app-dev-feed-job 1 record \d+ms$/m, 'the table delivery line');

    const topic = new SNSClient({ ...settings, endpoint: sns });
    const TopicArn = 'arn:aws:sns:eu-west-1:000000000000:events-app-dev-alerts';
    // The low one is dropped by the job's filter policy: exactly one topic line follows.
    await topic.send(new PublishCommand({ TopicArn, Message: 'disk half full', MessageAttributes: { severity: { DataType: 'String', StringValue: 'low' } } }));
    await topic.send(new PublishCommand({ TopicArn, Message: 'disk full', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
    await server.waitFor('stdout', /^TOPIC alerts ok events-app-dev-alert-job 1 record \d+ms$/m, 'the topic delivery line');

    const { FailedEntryCount } = await new EventBridgeClient({ ...settings, endpoint: events }).send(new PutEventsCommand({
      Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{"id":"o1"}' }],
    }));
    expect(FailedEntryCount).toBe(0);
    await server.waitFor('stdout', /^RULE default ok events-app-dev-report-job 1 record \d+ms$/m, 'the rule delivery line');

    server.child.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
    expect(server.stdout().match(/^TOPIC /gm)).toHaveLength(1);
  });
});
