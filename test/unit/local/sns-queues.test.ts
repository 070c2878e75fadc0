// Queues subscribed to a local topic through Subscribe (protocol sqs): what the local SQS service
// (a sendToQueue stub here) receives, raw or in SNS's JSON envelope, FIFO topics included.
import {
  CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishBatchCommand, PublishCommand, SetTopicAttributesCommand, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { SendToQueue } from '../../../src/local/sns/sns-publish.js';
import { stubDeliver, subscriber } from './job-deliveries.js';
import { ACCOUNT, ALERTS_ARN, arnOf, failure, startSns } from './sns-test-service.js';

const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:blog-dev-emails`;

type Sent = { queueArn: string; body: string; attributes: Record<string, unknown>; fifo?: unknown };

function stubQueues(refuse?: string): { sendToQueue: SendToQueue; sent: Sent[] } {
  const sent: Sent[] = [];
  const sendToQueue: SendToQueue = async (queueArn, body, attributes, fifo) => {
    if (queueArn === refuse) throw new Error(`The specified queue does not exist: ${queueArn}`);
    sent.push({ queueArn, body, attributes, ...(fifo && { fifo }) });
  };
  return { sendToQueue, sent };
}

async function startWithQueues(refuse?: string) {
  const queues = stubQueues(refuse);
  const dropped: string[] = [];
  const started = await startSns({ deliver: stubDeliver().deliver, subscribers: [], sendToQueue: queues.sendToQueue, onDropped: (warning) => dropped.push(warning.text) });
  return { ...started, ...queues, dropped };
}

describe('startSnsService: queue subscriptions', () => {
  it('wraps the message in the JSON envelope SNS sends to a queue, without raw delivery', async () => {
    const { service, sns, sent } = await startWithQueues();
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: ALERTS_ARN, Protocol: 'sqs', Endpoint: QUEUE_ARN }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'hello', Subject: 'greeting', MessageAttributes: { lang: { DataType: 'String', StringValue: 'en' } } }));
    await service.settled();

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ queueArn: QUEUE_ARN, attributes: {} });
    const envelope = JSON.parse(sent[0]!.body) as Record<string, unknown>;
    expect(Object.keys(envelope)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(envelope).toMatchObject({
      Type: 'Notification', MessageId, TopicArn: ALERTS_ARN, Subject: 'greeting', Message: 'hello', SignatureVersion: '1',
      MessageAttributes: { lang: { Type: 'String', Value: 'en' } },
    });
    expect(envelope.UnsubscribeURL).toContain(encodeURIComponent(SubscriptionArn!));
  });

  it("sends the bare message with SQS message attributes under raw delivery, filtered by the subscription's policy", async () => {
    const { service, sns, sent } = await startWithQueues();
    await sns.send(new SubscribeCommand({
      TopicArn: ALERTS_ARN, Protocol: 'sqs', Endpoint: QUEUE_ARN,
      Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ lang: ['en'] }) },
    }));
    const attributes = (lang: string) => ({ lang: { DataType: 'String', StringValue: lang }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]) } });
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'hello', MessageAttributes: attributes('en') }));
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'bonjour', MessageAttributes: attributes('fr') }));
    await service.settled();

    expect(sent).toEqual([{
      queueArn: QUEUE_ARN,
      body: 'hello',
      attributes: { lang: { DataType: 'String', StringValue: 'en' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]).toString('base64') } },
    }]);
  });

  it("lists a topic's subscriptions, jobs and queues, and stops delivering to an unsubscribed queue", async () => {
    const queues = stubQueues();
    const { service, sns } = await startSns({ deliver: stubDeliver().deliver, subscribers: [subscriber('alert-job', { kind: 'topic', source: 'alerts' })], sendToQueue: queues.sendToQueue });
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: ALERTS_ARN, Protocol: 'sqs', Endpoint: QUEUE_ARN }));
    expect((await sns.send(new SubscribeCommand({ TopicArn: ALERTS_ARN, Protocol: 'sqs', Endpoint: QUEUE_ARN }))).SubscriptionArn).toBe(SubscriptionArn);

    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: ALERTS_ARN }));
    expect(Subscriptions?.map(({ Protocol, Endpoint, Owner, TopicArn }) => ({ Protocol, Endpoint, Owner, TopicArn }))).toEqual([
      { Protocol: 'lambda', Endpoint: 'alert-job', Owner: ACCOUNT, TopicArn: ALERTS_ARN },
      { Protocol: 'sqs', Endpoint: QUEUE_ARN, Owner: ACCOUNT, TopicArn: ALERTS_ARN },
    ]);

    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'after' }));
    await service.settled();
    expect(queues.sent).toEqual([]);
    expect(await failure(sns.send(new UnsubscribeCommand({ SubscriptionArn })))).toMatchObject({ name: 'NotFoundException' });
    const jobArn = Subscriptions![0]!.SubscriptionArn;
    expect(await failure(sns.send(new UnsubscribeCommand({ SubscriptionArn: jobArn })))).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('job alert-job') });
  });

  it('refuses what Subscribe refuses: a bad queue ARN, a filter policy SNS would not take, another protocol', async () => {
    const { sns } = await startWithQueues();
    expect(await failure(sns.send(new SubscribeCommand({ TopicArn: ALERTS_ARN, Protocol: 'sqs', Endpoint: 'emails' }))))
      .toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: SQS endpoint ARN' });
    expect(await failure(sns.send(new SubscribeCommand({ TopicArn: ALERTS_ARN, Protocol: 'sqs', Endpoint: QUEUE_ARN, Attributes: { FilterPolicy: JSON.stringify({ a: { b: ['c'] } }) } }))))
      .toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/^Invalid parameter: FilterPolicy: .*MessageBody/) });
    expect(await failure(sns.send(new SubscribeCommand({ TopicArn: ALERTS_ARN, Protocol: 'https', Endpoint: 'https://example.com' }))))
      .toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('https') });
  });

  it('unsubscribes the queue on a GET of the UnsubscribeURL it received', async () => {
    const { service, sns, sent } = await startWithQueues();
    await sns.send(new SubscribeCommand({ TopicArn: ALERTS_ARN, Protocol: 'sqs', Endpoint: QUEUE_ARN }));
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'first' }));
    await service.settled();
    const { UnsubscribeURL } = JSON.parse(sent[0]!.body) as { UnsubscribeURL: string };
    expect((await fetch(UnsubscribeURL)).status).toBe(200);
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'second' }));
    await service.settled();
    expect(sent).toHaveLength(1);
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: ALERTS_ARN }))).Subscriptions).toEqual([]);
  });

  it('reports a queue that refuses the message as dropped', async () => {
    const { service, sns, dropped } = await startWithQueues(QUEUE_ARN);
    await sns.send(new SubscribeCommand({ TopicArn: ALERTS_ARN, Protocol: 'sqs', Endpoint: QUEUE_ARN }));
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'lost' }));
    await service.settled();
    expect(dropped).toEqual([expect.stringContaining(`topic blog-dev-alerts → queue ${QUEUE_ARN} failed 1 time (last: Error: The specified queue does not exist`)]);
  });
});

describe('startSnsService: FIFO topics', () => {
  const FIFO_QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders.fifo`;

  it('needs a group id, numbers messages, and passes each once per deduplication id with its group to the queue', async () => {
    const { service, sns, sent } = await startWithQueues();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true' } }));
    expect(TopicArn).toBe(arnOf('orders.fifo'));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: FIFO_QUEUE, Attributes: { RawMessageDelivery: 'true' } }));

    expect(await failure(sns.send(new PublishCommand({ TopicArn, Message: 'a', MessageDeduplicationId: '1' }))))
      .toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('MessageGroupId') });
    expect(await failure(sns.send(new PublishCommand({ TopicArn, Message: 'a', MessageGroupId: 'g' }))))
      .toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('ContentBasedDeduplication') });

    const first = await sns.send(new PublishCommand({ TopicArn, Message: 'a', MessageGroupId: 'g', MessageDeduplicationId: '1' }));
    const again = await sns.send(new PublishCommand({ TopicArn, Message: 'a', MessageGroupId: 'g', MessageDeduplicationId: '1' }));
    const second = await sns.send(new PublishCommand({ TopicArn, Message: 'b', MessageGroupId: 'g', MessageDeduplicationId: '2' }));
    expect(again).toMatchObject({ MessageId: first.MessageId, SequenceNumber: first.SequenceNumber });
    expect(BigInt(second.SequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!));

    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'c', MessageGroupId: 'h' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'c', MessageGroupId: 'h' }));
    await service.settled();

    expect(sent.map(({ body, fifo }) => ({ body, fifo }))).toEqual([
      { body: 'a', fifo: { messageGroupId: 'g', messageDeduplicationId: '1' } },
      { body: 'b', fifo: { messageGroupId: 'g', messageDeduplicationId: '2' } },
      { body: 'c', fifo: { messageGroupId: 'h', messageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/) } },
    ]);
  });

  it('puts the sequence number in the envelope', async () => {
    const { service, sns, sent } = await startWithQueues();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: FIFO_QUEUE }));
    const { SequenceNumber } = await sns.send(new PublishCommand({ TopicArn, Message: 'a', MessageGroupId: 'g' }));
    await service.settled();
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ SequenceNumber, Message: 'a' });
  });
});

describe('startSnsService: PublishBatch', () => {
  it('publishes each valid entry, reports the others as failed, and refuses a batch SNS refuses', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { service, sns } = await startSns({ deliver, subscribers: [subscriber('alert-job', { kind: 'topic', source: 'alerts' })] });
    const result = await sns.send(new PublishBatchCommand({
      TopicArn: ALERTS_ARN,
      PublishBatchRequestEntries: [
        { Id: 'one', Message: 'first' },
        { Id: 'two', Message: '' },
        { Id: 'three', Message: 'third', MessageAttributes: { n: { DataType: 'Number', StringValue: '3' } } },
      ],
    }));
    await service.settled();
    expect(result.Successful?.map((entry) => entry.Id)).toEqual(['one', 'three']);
    expect(result.Failed).toEqual([{ Id: 'two', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);
    expect(deliveries.map((delivery) => (delivery.event as { Records: Array<{ Sns: { Message: string } }> }).Records[0]!.Sns.Message).sort()).toEqual(['first', 'third']);

    const entries = (ids: string[]) => ids.map((Id) => ({ Id, Message: 'x' }));
    expect(await failure(sns.send(new PublishBatchCommand({ TopicArn: ALERTS_ARN, PublishBatchRequestEntries: entries(['a', 'a']) })))).toMatchObject({ name: 'BatchEntryIdsNotDistinctException' });
    expect(await failure(sns.send(new PublishBatchCommand({ TopicArn: ALERTS_ARN, PublishBatchRequestEntries: entries([...'abcdefghijk']) })))).toMatchObject({ name: 'TooManyEntriesInBatchRequestException' });
    expect(await failure(sns.send(new PublishBatchCommand({ TopicArn: ALERTS_ARN, PublishBatchRequestEntries: entries(['no spaces']) })))).toMatchObject({ name: 'InvalidBatchEntryIdException' });
  });
});
