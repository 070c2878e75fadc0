import {
  ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand,
  DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, PurgeQueueCommand, ReceiveMessageCommand,
  SendMessageBatchCommand, SendMessageCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { queue } from '../../../src/config/define-config.js';
import { sqsEvent } from '../../../src/testing/index.js';
import { sqsClientFor, startEngines } from './sqs-support.js';

async function urlOf(sqs: SQSClient, name: string): Promise<string> {
  return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
}

describe('the local SQS service, through @aws-sdk/client-sqs', () => {
  it('starts only for an app with queues, and creates declared queues and dead-letter queues under their deployed names', async () => {
    const none = await startEngines({});
    expect(none.endpoints.sqs).toBeUndefined();
    expect(none.env().AWS_ENDPOINT_URL_SQS).toBeUndefined();

    const engines = await startEngines({ emails: queue({ visibilityTimeout: 45, delay: 2 }), orders: queue({ fifo: true, deadLetter: false }) });
    const env = engines.env();
    expect(env.AWS_ENDPOINT_URL_SQS).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sqs = sqsClientFor(engines);
    expect(env.SLS_TS_RESOURCE_EMAILS_URL).toBe(`${env.AWS_ENDPOINT_URL_SQS}/000000000000/shop-dev-emails`);
    expect(env.SLS_TS_RESOURCE_EMAILS_NAME).toBe('shop-dev-emails');
    expect(env.SLS_TS_RESOURCE_EMAILS_ARN).toBe('arn:aws:sqs:us-east-1:000000000000:shop-dev-emails');
    expect(env.SLS_TS_RESOURCE_ORDERS_NAME).toBe('shop-dev-orders.fifo');
    // Only linked resources' names, as deployed.
    expect(engines.env(['orders']).SLS_TS_RESOURCE_EMAILS_URL).toBeUndefined();

    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls?.map((url) => url.split('/').pop())).toEqual(['shop-dev-emails', 'shop-dev-emails-dlq', 'shop-dev-orders.fifo']);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: env.SLS_TS_RESOURCE_EMAILS_URL, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      VisibilityTimeout: '45', DelaySeconds: '2', MessageRetentionPeriod: '345600', QueueArn: env.SLS_TS_RESOURCE_EMAILS_ARN,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:shop-dev-emails-dlq', maxReceiveCount: 3 }),
    });
    expect((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: await urlOf(sqs, 'shop-dev-orders.fifo'), AttributeNames: ['FifoQueue'] }))).Attributes).toEqual({ FifoQueue: 'true' });
    expect(engines.warnings).toEqual([]);
    // Asked to keep data, the engines say that queues are not kept.
    const persisted = await startEngines({ emails: queue() }, { persistDir: join(tmpdir(), 'sls-ts-unused-queue-folder') });
    expect(persisted.warnings.map((w) => w.text)).toEqual([expect.stringMatching(/^queues are kept in memory only/)]);
  });

  it('sends, receives with attributes and SQS checksums, and deletes', async () => {
    const engines = await startEngines({ emails: queue() });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    const attributes = { kind: { DataType: 'String', StringValue: 'welcome' }, tries: { DataType: 'Number', StringValue: '3' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) } };
    // The SDK itself checks MD5OfMessageBody on send and MD5OfBody on receive.
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'héllo ✓', MessageAttributes: attributes }));
    // The attributes' checksum as sls-ts/testing's sqsEvent (a separate implementation of SQS's rule) computes it.
    const expectedMd5 = sqsEvent([{ body: 'x', messageAttributes: { kind: 'welcome', tries: 3, blob: Buffer.from([0, 1, 2]) } }]).Records[0]!.md5OfMessageAttributes;
    expect(sent.MD5OfMessageAttributes).toBe(expectedMd5);

    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    expect(Messages).toHaveLength(1);
    const [message] = Messages!;
    expect(message).toMatchObject({ MessageId: sent.MessageId, Body: 'héllo ✓', MD5OfMessageAttributes: expectedMd5 });
    expect(message!.MessageAttributes).toEqual({ kind: attributes.kind, tries: attributes.tries, blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2]) } });
    expect(message!.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: 'S3RVER', SentTimestamp: expect.stringMatching(/^\d+$/) });

    // Only the attributes asked for (a prefix pattern too).
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two', MessageAttributes: attributes }));
    const some = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['ti.*', 'kind'] }))).Messages![0]!;
    expect(Object.keys(some.MessageAttributes!)).toEqual(['kind']);
    expect(some.Attributes).toBeUndefined();

    // Checksums other SQS implementations publish from real SQS answers (LocalStack's and sqslite's tests).
    const md5Of = async (MessageAttributes: Record<string, { DataType: string; StringValue: string }>) => (await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes }))).MD5OfMessageAttributes;
    expect(await md5Of({ timestamp: { DataType: 'Number', StringValue: '1493147359900' } })).toBe('235c5c510d26fb653d073faed50ae77c');
    expect(await md5Of({ ordinal: { DataType: 'Number', StringValue: '1' }, category: { DataType: 'String', StringValue: 'test' } })).toBe('d21ae90c49061e927f57df5f5d72be1f');
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));

    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: some.ReceiptHandle }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('hides a received message for its visibility timeout, and shows it again when changed to 0', async () => {
    const engines = await startEngines({ emails: queue({ visibilityTimeout: 600 }) });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0]!;
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages![0]!;
    expect(again).toMatchObject({ MessageId: first.MessageId, Attributes: { ApproximateReceiveCount: '2' } });
    expect(again.ReceiptHandle).not.toBe(first.ReceiptHandle);
    // VisibilityTimeout 0 on receive: visible at once.
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.MessageId).toBe(first.MessageId);
    // Not in flight once visible again.
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 0 }));
    await expect(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 0 }))).rejects.toMatchObject({ name: 'MessageNotInflight' });
  });

  it('long polling returns as soon as a message is sent, and delayed messages arrive after their delay', async () => {
    const engines = await startEngines({ emails: queue() });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
    expect((await waiting).Messages?.[0]?.Body).toBe('wake up');

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
    expect(Attributes).toEqual({ ApproximateNumberOfMessagesDelayed: '1' });
    // The wait ends when the delay does (not at the 20 s deadline): the test's own timeout would catch it.
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }))).Messages?.[0]?.Body).toBe('later');
  });

  it('FIFO: in order per group, one group in flight at a time, deduplicated by id or by content', async () => {
    const engines = await startEngines({ orders: queue({ fifo: true, visibilityTimeout: 600 }) });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_ORDERS_URL!;
    const send = (body: string, group: string, dedup = body) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup }));
    const a1 = await send('a1', 'a');
    await send('b1', 'b');
    await send('a2', 'a');
    const duplicate = await send('a1 again', 'a', 'a1');
    expect(duplicate.MessageId).toBe(a1.MessageId);
    expect(Number(a1.SequenceNumber)).toBeGreaterThan(0);

    const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }))).Messages!;
    expect(first.map((m) => m.Body)).toEqual(['a1', 'b1', 'a2']);
    // Everything is in flight: nothing more until a group is freed.
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a3', MessageGroupId: 'a', MessageDeduplicationId: 'a3' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'c1', MessageGroupId: 'c', MessageDeduplicationId: 'c1' }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages?.map((m) => m.Body)).toEqual(['c1']);
    // Group a frees only when its in-flight messages are deleted.
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[0]!.ReceiptHandle }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages).toBeUndefined();
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[2]!.ReceiptHandle }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages?.map((m) => m.Body)).toEqual(['a3']);

    // Content-based deduplication on a queue the app makes itself.
    const { QueueUrl: own } = await sqs.send(new CreateQueueCommand({ QueueName: 'mine.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
    const x = await sqs.send(new SendMessageCommand({ QueueUrl: own, MessageBody: 'same', MessageGroupId: 'g' }));
    const y = await sqs.send(new SendMessageCommand({ QueueUrl: own, MessageBody: 'same', MessageGroupId: 'g' }));
    expect(y.MessageId).toBe(x.MessageId);
    expect((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: own, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes).toEqual({ ApproximateNumberOfMessages: '1' });
    // Neither a group id nor a deduplication id: SQS's own errors.
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: own, MessageBody: 'no group' }))).rejects.toMatchObject({ name: 'MissingParameter' });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'no dedup', MessageGroupId: 'g' }))).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringMatching(/ContentBasedDeduplication/) });
  });

  it('moves a message to the dead-letter queue once it was received maxReceives times', async () => {
    const engines = await startEngines({ emails: queue({ visibilityTimeout: 0, deadLetter: { maxReceives: 2 } }) });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.MessageId).toBe(MessageId);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.MessageId).toBe(MessageId);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
      expect(warn).toHaveBeenCalledWith(`[sls-ts] SQS: message ${MessageId} moved from shop-dev-emails to its dead-letter queue shop-dev-emails-dlq after 2 receives`);
    } finally {
      warn.mockRestore();
    }
    const dlq = await urlOf(sqs, 'shop-dev-emails-dlq');
    const moved = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq }))).Messages?.[0];
    expect(moved).toMatchObject({ MessageId, Body: 'poison' });
  });

  it('batch operations report each entry, and refuse malformed batches as SQS does', async () => {
    const engines = await startEngines({ emails: queue({ visibilityTimeout: 600 }) });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [
      { Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two', DelaySeconds: 0 }, { Id: 'bad', MessageBody: 'x', DelaySeconds: 901 },
    ] }));
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(['a', 'b']);
    expect(sent.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue' })]);

    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((m) => m.Body)).toEqual(['one', 'two']);
    const changed = await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [{ Id: 'one', ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 }, { Id: 'junk', ReceiptHandle: 'not-a-handle', VisibilityTimeout: 0 }] }));
    expect(changed.Successful).toEqual([{ Id: 'one' }]);
    expect(changed.Failed).toEqual([expect.objectContaining({ Id: 'junk', Code: 'ReceiptHandleIsInvalid' })]);
    const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages!.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    expect(deleted.Successful).toEqual([{ Id: 'm0' }, { Id: 'm1' }]);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();

    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
    await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: eleven }))).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
    await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'same', MessageBody: 'x' }, { Id: 'same', MessageBody: 'y' }] }))).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
    await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] }))).rejects.toMatchObject({ name: 'EmptyBatchRequest' });
  });

  it("answers with SQS's errors: unknown queues, bad handles, invalid bodies", async () => {
    const engines = await startEngines({ emails: queue() });
    const sqs = sqsClientFor(engines);
    const QueueUrl = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    const missing = await sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })).catch((error: unknown) => error);
    // The JSON protocol's shape, and the query-compatible code the SDK exposes as Code.
    expect(missing).toMatchObject({ name: 'QueueDoesNotExist', Code: 'AWS.SimpleQueueService.NonExistentQueue', $metadata: { httpStatusCode: 400 } });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: QueueUrl.replace('emails', 'other'), MessageBody: 'x' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'garbage' }))).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bell \u0007' }))).rejects.toMatchObject({ name: 'InvalidMessageContents' });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-emails', Attributes: { VisibilityTimeout: '5' } }))).rejects.toMatchObject({ name: 'QueueNameExists' });
  });

  it('apps make, purge and delete their own queues', async () => {
    const engines = await startEngines({ emails: queue() });
    const sqs = sqsClientFor(engines);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'scratch', Attributes: { VisibilityTimeout: '5' } }));
    // The same attributes again: the same queue.
    expect((await sqs.send(new CreateQueueCommand({ QueueName: 'scratch', Attributes: { VisibilityTimeout: '5' } }))).QueueUrl).toBe(QueueUrl);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'scr' }))).QueueUrls).toEqual([QueueUrl]);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'scratch' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    // reset() empties the declared queues.
    const emails = engines.env().SLS_TS_RESOURCE_EMAILS_URL!;
    await sqs.send(new SendMessageCommand({ QueueUrl: emails, MessageBody: 'x' }));
    await engines.reset();
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: emails }))).Messages).toBeUndefined();
  });
});
