// #18 through the real binary: `sls-ts server` runs the local SQS service for an app with a queue,
// prints where it listens, and a message sent there with the AWS SDK runs the subscribed job,
// printed as a delivery line.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, startServer } from './server-process.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe('sls-ts server with a queue-subscribed job', () => {
  it('prints the SQS endpoint and delivers a message sent there to the job, as a delivery line', async () => {
    const app = copyFixture('queue-app', cleanups);
    const server = startServer(app, cleanups);
    const [, endpoint] = await server.waitFor('stdout', /^ {2}SQS +(http:\/\/127\.0\.0\.1:\d+) +\(queues: emails\)$/m, 'the SQS line of the banner');
    const sqs = new SQSClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await sqs.send(new SendMessageCommand({ QueueUrl: `${endpoint}/000000000000/queue-app-dev-emails`, MessageBody: '{"to":"ada"}' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: `${endpoint}/000000000000/queue-app-dev-emails`, MessageBody: '{"to":"bounce"}' }));
    await server.waitFor('stdout', /^QUEUE emails ok queue-app-dev-send-email-job 1 record \d+ms$/m, 'the delivery line');
    await server.waitFor('stdout', /^QUEUE emails partial \(1 failed\) queue-app-dev-send-email-job [12] records? \d+ms$/m, 'the partial delivery line');
    server.child.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
  });
});
