// The local SNS service through @aws-sdk/client-sns: what a job receives when a message is
// published to a topic it subscribes to, compared with AWS's own sample SNS event.
import {
  CreateTopicCommand, GetTopicAttributesCommand, ListTopicsCommand, PublishCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { awsSample } from '../runtime/aws-samples.js';
import { jobsOf, stubDeliver, subscriber } from './job-deliveries.js';
import { ACCOUNT, ALERTS_ARN, failure, recordOf, startSns as start, topics } from './sns-test-service.js';

const SAMPLE = awsSample<{ Records: Array<Record<string, unknown> & { Sns: Record<string, unknown> }> }>('sns-event.json');

describe('startSnsService: publish → the subscribed job', () => {
  it("runs the job with an SNS event shaped field for field as in AWS's sample event", async () => {
    const { deliver, deliveries } = stubDeliver();
    const { service, sns } = await start({ deliver, subscribers: [subscriber('alert-job', { kind: 'topic', source: 'alerts' })] });

    const sent = await sns.send(new PublishCommand({
      TopicArn: ALERTS_ARN,
      Message: 'Hello from SNS!',
      Subject: 'TestInvoke',
      MessageAttributes: { Test: { DataType: 'String', StringValue: 'TestString' }, TestBinary: { DataType: 'Binary', BinaryValue: Buffer.from('TestBinary') } },
    }));
    await service.settled();

    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ job: 'alert-job', kind: 'topic', source: 'alerts', records: 1 });
    const event = deliveries[0]!.event as typeof SAMPLE;
    expect(Object.keys(event)).toEqual(Object.keys(SAMPLE));
    const record = recordOf(event);
    const sample = SAMPLE.Records[0]!;
    expect(Object.keys(record).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(record.Sns).sort()).toEqual(Object.keys(sample.Sns).sort());
    expect(record).toMatchObject({ EventSource: sample.EventSource, EventVersion: sample.EventVersion });
    expect(record.EventSubscriptionArn).toMatch(new RegExp(`^${ALERTS_ARN}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
    expect(record.Sns).toMatchObject({
      Type: 'Notification',
      MessageId: sent.MessageId,
      TopicArn: ALERTS_ARN,
      Subject: 'TestInvoke',
      Message: 'Hello from SNS!',
      SignatureVersion: '1',
    });
    expect(record.Sns.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const field of ['Signature', 'SigningCertUrl', 'UnsubscribeUrl']) expect(record.Sns[field]).toEqual(expect.any(String));
    expect(record.Sns.UnsubscribeUrl).toContain(encodeURIComponent(record.EventSubscriptionArn));
    expect(record.Sns.MessageAttributes).toEqual({
      Test: { Type: 'String', Value: 'TestString' },
      TestBinary: { Type: 'Binary', Value: Buffer.from('TestBinary').toString('base64') },
    });
  });

  it('gives Subject null without one, and keeps the job subscription ARN across updates', async () => {
    const { deliver, deliveries } = stubDeliver();
    const subscribers = [subscriber('alert-job', { kind: 'topic', source: 'alerts' })];
    const { service, sns } = await start({ deliver, subscribers });
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'one' }));
    service.update(topics, subscribers);
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'two' }));
    await service.settled();

    const [first, second] = deliveries.map((delivery) => recordOf(delivery.event));
    expect(first!.Sns.Subject).toBeNull();
    expect(first!.Sns.MessageAttributes).toEqual({});
    expect(second!.EventSubscriptionArn).toBe(first!.EventSubscriptionArn);
  });

  it('fans a message out to every job on the topic, and to none of another topic', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { service, sns } = await start({
      deliver,
      subscribers: [
        subscriber('pager-job', { kind: 'topic', source: 'alerts' }),
        subscriber('mail-job', { kind: 'topic', source: 'alerts' }, { kind: 'topic', source: 'audit' }),
        subscriber('audit-job', { kind: 'topic', source: 'audit' }),
        subscriber('queue-job', { kind: 'queue', source: 'emails' }),
      ],
    });
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'disk full' }));
    await service.settled();
    expect(jobsOf(deliveries)).toEqual(['mail-job', 'pager-job']);
    const arns = deliveries.map((delivery) => recordOf(delivery.event).EventSubscriptionArn);
    expect(new Set(arns).size).toBe(2);
  });

  it('runs a failing job twice more, as an asynchronous invoke, then reports the message as dropped', async () => {
    const { deliver, deliveries } = stubDeliver((delivery) => (delivery.job === 'flaky-job' ? 'TypeError: nope' : undefined));
    const dropped: string[] = [];
    const { service, sns } = await start({
      deliver,
      subscribers: [subscriber('flaky-job', { kind: 'topic', source: 'alerts' }), subscriber('steady-job', { kind: 'topic', source: 'alerts' })],
      onDropped: (warning) => dropped.push(warning.text),
    });
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'x' }));
    await service.settled();
    expect(jobsOf(deliveries)).toEqual(['flaky-job', 'flaky-job', 'flaky-job', 'steady-job']);
    expect(dropped).toEqual(['job flaky-job (topic alerts) failed 3 times (last: TypeError: nope); the event is dropped']);
  });

  it('names the topic by its ARN as a job may (an ARN source)', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { service, sns } = await start({ deliver, subscribers: [subscriber('alert-job', { kind: 'topic', source: ALERTS_ARN })] });
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'x' }));
    await service.settled();
    expect(jobsOf(deliveries)).toEqual(['alert-job']);
  });
});

describe('startSnsService: filter policies', () => {
  const attributeJob = subscriber('big-order-job', { kind: 'topic', source: 'alerts', filter: { store: ['example_corp'], price: [{ numeric: ['>', 100] }] } });
  const bodyJob = subscriber('red-job', { kind: 'topic', source: 'alerts', filterScope: 'body', filter: { order: { color: [{ prefix: 'red' }] } } });

  it('on attributes: runs the job only for messages whose attributes match', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { service, sns } = await start({ deliver, subscribers: [attributeJob] });
    const publish = (store: string, price: string) => sns.send(new PublishCommand({
      TopicArn: ALERTS_ARN,
      Message: `${store} ${price}`,
      MessageAttributes: { store: { DataType: 'String', StringValue: store }, price: { DataType: 'Number', StringValue: price } },
    }));
    await publish('example_corp', '150');
    await publish('example_corp', '50');
    await publish('other_corp', '150');
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'no attributes' }));
    await service.settled();
    expect(deliveries.map((delivery) => recordOf(delivery.event).Sns.Message)).toEqual(['example_corp 150']);
  });

  it('on the body: runs the job only for JSON bodies that match, never for a body that is not JSON', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { service, sns } = await start({ deliver, subscribers: [bodyJob] });
    for (const message of [JSON.stringify({ order: { color: 'red-ish' } }), JSON.stringify({ order: { color: 'blue' } }), 'red', JSON.stringify({ color: 'red' })]) {
      await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: message, MessageAttributes: { order: { DataType: 'String', StringValue: 'red' } } }));
    }
    await service.settled();
    expect(deliveries.map((delivery) => recordOf(delivery.event).Sns.Message)).toEqual([JSON.stringify({ order: { color: 'red-ish' } })]);
  });

  it('warns of a filter that is not a valid policy, and of a topic that is not declared, without delivering them', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { service, sns } = await start({
      deliver,
      subscribers: [
        subscriber('bad-filter-job', { kind: 'topic', source: 'alerts', filter: { price: [{ between: [1, 2] }] } }),
        subscriber('lost-job', { kind: 'topic', source: 'nowhere' }),
      ],
    });
    expect(service.warnings.map((warning) => warning.text)).toEqual([
      expect.stringMatching(/^job bad-filter-job: topic\('alerts'\): its filter is not a valid SNS filter policy \(.*between/),
      "job lost-job: topic('nowhere') is not a declared topic, so nothing delivers it locally",
    ]);
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'x', MessageAttributes: { price: { DataType: 'Number', StringValue: '1' } } }));
    await service.settled();
    expect(deliveries).toEqual([]);

    expect(service.update(topics, [subscriber('lost-job', { kind: 'topic', source: 'audit' })])).toEqual([]);
  });
});

describe('startSnsService: topics', () => {
  it('has the declared topics under their deployed names, and creates, lists and describes others', async () => {
    const { sns } = await start({ deliver: stubDeliver().deliver, subscribers: [subscriber('alert-job', { kind: 'topic', source: 'alerts' })] });
    const created = await sns.send(new CreateTopicCommand({ Name: 'scratch' }));
    expect(created.TopicArn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:scratch`);
    expect((await sns.send(new CreateTopicCommand({ Name: 'scratch' }))).TopicArn).toBe(created.TopicArn);
    const listed = await sns.send(new ListTopicsCommand({}));
    expect(listed.Topics?.map((topic) => topic.TopicArn)).toEqual([ALERTS_ARN, `arn:aws:sns:us-east-1:${ACCOUNT}:blog-dev-audit`, created.TopicArn]);

    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: ALERTS_ARN }));
    expect(Attributes).toMatchObject({ TopicArn: ALERTS_ARN, Owner: ACCOUNT, SubscriptionsConfirmed: '1' });
    expect(Attributes?.FifoTopic).toBeUndefined();
  });

  it('answers with SNS error codes the SDK turns into its exceptions', async () => {
    const { sns } = await start({ deliver: stubDeliver().deliver, subscribers: [] });
    expect(await failure(sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:missing`, Message: 'x' }))))
      .toEqual({ name: 'NotFoundException', message: 'Topic does not exist', status: 404 });
    expect(await failure(sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: '' }))))
      .toEqual({ name: 'InvalidParameterException', message: 'Invalid parameter: Empty message', status: 400 });
    expect(await failure(sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'x'.repeat(256 * 1024 + 1) }))))
      .toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Message too long' });
    expect(await failure(sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'x', MessageAttributes: { price: { DataType: 'Number', StringValue: 'cheap' } } }))))
      .toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining("'price'") });
    expect(await failure(sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: '{"sqs":"x"}', MessageStructure: 'json' }))))
      .toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Message Structure - No default entry in JSON message body' });
    expect(await failure(sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'x', Subject: 'two\nlines' }))))
      .toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Subject') });
    expect(await failure(sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, Message: 'x', MessageDeduplicationId: 'd' }))))
      .toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('MessageDeduplicationId') });
    expect(await failure(sns.send(new CreateTopicCommand({ Name: 'orders.fifo' }))))
      .toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('.fifo') });
  });
});

describe('startSnsService: MessageStructure json', () => {
  it('gives a job the lambda body when there is one, the default one otherwise', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { service, sns } = await start({ deliver, subscribers: [subscriber('alert-job', { kind: 'topic', source: 'alerts' })] });
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, MessageStructure: 'json', Message: JSON.stringify({ default: 'plain', lambda: 'for lambda' }) }));
    await sns.send(new PublishCommand({ TopicArn: ALERTS_ARN, MessageStructure: 'json', Message: JSON.stringify({ default: 'plain', email: 'for email' }) }));
    await service.settled();
    expect(deliveries.map((delivery) => recordOf(delivery.event).Sns.Message)).toEqual(['for lambda', 'plain']);
  });
});
