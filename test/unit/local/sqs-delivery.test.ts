import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { queue } from '../../../src/config/define-config.js';
import { startLocalEnginesInWorker, type Delivery, type DeliveryOutcome, type LocalSubscriber } from '../../../src/index.js';
import { eventually, resourcesOf, sqsClientFor, startEngines } from './sqs-support.js';

type SqsRecord = { messageId: string; body: string; attributes: Record<string, string>; messageAttributes: Record<string, unknown>; md5OfBody: string; eventSource: string; eventSourceARN: string; awsRegion: string; receiptHandle: string };
const recordsOf = (delivery: Delivery) => (delivery.event as { Records: SqsRecord[] }).Records;

/** A host that records deliveries and answers with `decide`. */
function recordingHost(decide: (delivery: Delivery) => DeliveryOutcome = () => ({ ok: true, result: null })) {
  const deliveries: Delivery[] = [];
  return { deliveries, deliver: async (delivery: Delivery) => (deliveries.push(delivery), decide(delivery)) };
}

const mailer = (events: LocalSubscriber['events'], extra: Partial<LocalSubscriber> = {}): LocalSubscriber => ({ job: 'mail-job', className: 'MailJob', events, ...extra });

describe('delivery of queue messages to subscribed jobs', () => {
  it('delivers a message sent to a subscribed queue as the SQS event Lambda sends, and deletes it once the job succeeded', async () => {
    const host = recordingHost();
    const engines = await startEngines({ emails: queue() }, { subscribers: [mailer([{ kind: 'queue', source: 'emails' }])], deliver: host.deliver, region: 'eu-west-1' });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"to":"ada"}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'welcome' } } }));
    await engines.settled();
    expect(host.deliveries).toHaveLength(1);
    const [delivery] = host.deliveries;
    expect(delivery).toMatchObject({ job: 'mail-job', kind: 'queue', source: 'emails', records: 1 });
    const [record] = recordsOf(delivery!);
    // The shape of AWS's sample event (shared/reference/aws-events/sqs-event.json).
    expect(Object.keys(record!).sort()).toEqual(['attributes', 'awsRegion', 'body', 'eventSource', 'eventSourceARN', 'md5OfBody', 'md5OfMessageAttributes', 'messageAttributes', 'messageId', 'receiptHandle']);
    expect(record).toMatchObject({
      messageId: sent.MessageId, body: '{"to":"ada"}', md5OfBody: sent.MD5OfMessageBody, md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:shop-dev-emails', awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: '1', SenderId: 'S3RVER', SentTimestamp: expect.stringMatching(/^\d+$/), ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/) },
      messageAttributes: { kind: { stringValue: 'welcome', stringListValues: [], binaryListValues: [], dataType: 'String' } },
    });
    // Deleted: nothing is left to receive, now or after its visibility timeout.
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }))).Messages).toBeUndefined();
  });

  it('batches up to batchSize, gathering for maxBatchingWindow', async () => {
    const host = recordingHost();
    const engines = await startEngines({ emails: queue() }, { subscribers: [mailer([{ kind: 'queue', source: 'emails', batchSize: 3, maxBatchingWindow: 1 }])], deliver: host.deliver });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    // Sent one at a time: the window gathers them into batches of three.
    for (let i = 0; i < 4; i += 1) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    await eventually(() => (host.deliveries.reduce((sum, d) => sum + d.records, 0) === 4 ? true : undefined), 'four records delivered');
    expect(host.deliveries.map((d) => recordsOf(d).map((r) => r.body))).toEqual([['m0', 'm1', 'm2'], ['m3']]);
  });

  it('partial failures: succeeded records are deleted, failed ones come back and move to the dead-letter queue after maxReceives', async () => {
    const host = recordingHost((delivery) => ({ ok: true, result: { batchItemFailures: recordsOf(delivery).filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) } }));
    const engines = await startEngines({ emails: queue({ visibilityTimeout: 0, deadLetter: { maxReceives: 2 } }) }, { subscribers: [mailer([{ kind: 'queue', source: 'emails' }])], deliver: host.deliver });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'good' }, { Id: 'b', MessageBody: 'bad' }] }));
    const dlq = QueueUrl.replace('shop-dev-emails', 'shop-dev-emails-dlq');
    const dead = await eventually(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, VisibilityTimeout: 0 }))).Messages?.[0], 'the failing message in the dead-letter queue');
    expect(dead.Body).toBe('bad');
    await engines.settled();
    const bodies = host.deliveries.flatMap((d) => recordsOf(d).map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
    // good once (never again after it succeeded), bad exactly maxReceives times.
    expect(bodies.filter((b) => b.startsWith('good'))).toEqual(['good#1']);
    expect(bodies.filter((b) => b.startsWith('bad'))).toEqual(['bad#1', 'bad#2']);
  });

  it('a failed invocation fails the whole batch; a job with its own queue gets performLater messages as `later`', async () => {
    // Fails twice, then succeeds.
    const host = recordingHost(() => (host.deliveries.length <= 2 ? { ok: false, error: 'Error: boom' } : { ok: true, result: null }));
    const subscriber = mailer([], { queue: { visibilityTimeout: 0, maxReceives: 5 } });
    const engines = await startEngines({}, { subscribers: [subscriber], deliver: host.deliver });
    expect(engines.endpoints.sqs).toBeDefined();
    const env = engines.env();
    // Every function gets each queued job's queue URL (performLater sends there).
    expect(env.SLS_TS_JOB_QUEUE_MAIL_JOB).toBe(`${env.AWS_ENDPOINT_URL_SQS}/000000000000/shop-dev-mail-job`);
    expect(engines.jobQueues).toEqual([expect.objectContaining({ job: 'mail-job', physicalName: 'shop-dev-mail-job', deadLetter: expect.objectContaining({ physicalName: 'shop-dev-mail-job-dlq' }) })]);
    const sqs = sqsClientFor(engines);
    await sqs.send(new SendMessageCommand({ QueueUrl: env.SLS_TS_JOB_QUEUE_MAIL_JOB, MessageBody: '{"id":1}' }));
    await eventually(() => (host.deliveries.length === 3 ? true : undefined), 'two retries');
    await engines.settled();
    expect(host.deliveries.map((d) => recordsOf(d)[0]!.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    expect(host.deliveries[0]).toMatchObject({ job: 'mail-job', kind: 'later', source: 'shop-dev-mail-job', records: 1 });
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: env.SLS_TS_JOB_QUEUE_MAIL_JOB, VisibilityTimeout: 0 }))).Messages).toBeUndefined();
  });

  it('subscribe() re-routes after a reload: new job queues are created, pollers start and stop', async () => {
    const host = recordingHost();
    const engines = await startEngines({ emails: queue() }, { deliver: host.deliver });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'waits' }));
    await engines.settled();
    expect(host.deliveries).toEqual([]);

    const notes = await engines.subscribe([mailer([{ kind: 'queue', source: 'emails' }, { kind: 'queue', source: 'arn:aws:sqs:us-east-1:123456789012:elsewhere' }]), { job: 'report-job', className: 'ReportJob', events: [], queue: {} }]);
    expect(notes).toEqual([expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^job mail-job: queue\('arn:aws:sqs:.*'\) is not a declared queue/) })]);
    await eventually(() => (host.deliveries.length === 1 ? true : undefined), 'the waiting message delivered');
    expect(engines.env().SLS_TS_JOB_QUEUE_REPORT_JOB).toMatch(/shop-dev-report-job$/);

    await engines.subscribe([]);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'not delivered' }));
    await engines.settled();
    expect(host.deliveries).toHaveLength(1);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body).toBe('not delivered');
  });

  it("refuses a declared queue named as a job's own queue, naming both", async () => {
    await expect(startEngines({ 'mail-job': queue() }, { subscribers: [mailer([], { queue: {} })] })).rejects.toThrow(/^resources\.mail-job: its queue would be shop-dev-mail-job, the name of job mail-job's own queue/);
  });

  it('FIFO queues deliver each group in order, one batch of a group at a time', async () => {
    const host = recordingHost();
    const engines = await startEngines({ orders: queue({ fifo: true }) }, { subscribers: [mailer([{ kind: 'queue', source: 'orders', batchSize: 2 }])], deliver: host.deliver });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_ORDERS_URL!;
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: ['1', '2', '3', '4', '5'].map((n) => ({ Id: `m${n}`, MessageBody: n, MessageGroupId: 'g', MessageDeduplicationId: n })) }));
    await eventually(() => (host.deliveries.reduce((sum, d) => sum + d.records, 0) === 5 ? true : undefined), 'five records');
    expect(host.deliveries.flatMap((d) => recordsOf(d).map((r) => r.body))).toEqual(['1', '2', '3', '4', '5']);
    expect(recordsOf(host.deliveries[0]!)[0]!.attributes).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: '1', SequenceNumber: expect.stringMatching(/^\d+$/) });
  });

  it('in the worker-thread variant, the delivery crosses to the host and its outcome back', async () => {
    const host = recordingHost(() => ({ ok: true, result: { batchItemFailures: [] } }));
    const engines = await startLocalEnginesInWorker({ app: 'shop', stage: 'dev', resources: resourcesOf({ emails: queue() }), subscribers: [mailer([{ kind: 'queue', source: 'emails' }])], deliver: host.deliver });
    try {
      const sqs = sqsClientFor(engines);
      const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
      expect(engines.queues.map((q) => q.physicalName)).toEqual(['shop-dev-emails']);
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'across' }));
      await eventually(() => host.deliveries[0], 'a delivery');
      await engines.settled();
      expect(recordsOf(host.deliveries[0]!)[0]!.body).toBe('across');
      expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }))).Messages).toBeUndefined();
      await engines.subscribe([{ job: 'other-job', className: 'OtherJob', events: [], queue: {} }]);
      expect(engines.jobQueues.map((q) => q.physicalName)).toEqual(['shop-dev-other-job']);
    } finally {
      await engines.stop();
    }
  });
});
