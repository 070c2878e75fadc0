// Topics and the event bus wired into the engines: startLocalEngines starts the SNS service for a
// declared topic and the bus for a job's rule, app code reaches both from the env alone, SNS
// delivers to jobs (filter policies applied) and to local queues subscribed through the API, and
// settled() waits for all of it.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queue, topic } from '../../../src/config/define-config.js';
import type { Delivery, DeliveryOutcome } from '../../../src/index.js';
import { subscriber } from './job-deliveries.js';
import { sqsClientFor, startEngines } from './sqs-support.js';

function clientsFor(env: Record<string, string>) {
  const settings = { region: env.AWS_REGION!, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! } };
  return {
    sns: new SNSClient({ ...settings, endpoint: env.AWS_ENDPOINT_URL_SNS }),
    events: new EventBridgeClient({ ...settings, endpoint: env.AWS_ENDPOINT_URL_EVENTBRIDGE }),
  };
}

function recordingHost() {
  const deliveries: Delivery[] = [];
  const deliver = async (delivery: Delivery): Promise<DeliveryOutcome> => (deliveries.push(delivery), { ok: true, result: null });
  return { deliveries, deliver };
}

const alertJob = subscriber('alert-job', { kind: 'topic', source: 'alerts', filter: { severity: ['high'] } });
const reportJob = subscriber('report-job', { kind: 'rule', pattern: { source: ['shop.orders'] } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('engines serve topics and the event bus', () => {
  it('a message published to a declared topic runs the subscribed job when its filter policy matches', async () => {
    const host = recordingHost();
    const engines = await startEngines({ alerts: topic() }, { subscribers: [alertJob], deliver: host.deliver });
    const env = engines.env();
    expect(env.SLS_TS_RESOURCE_ALERTS_NAME).toBe('shop-dev-alerts');
    expect(env.SLS_TS_RESOURCE_ALERTS_ARN).toBe('arn:aws:sns:us-east-1:000000000000:shop-dev-alerts');
    expect(engines.endpoints.events).toBeUndefined();
    const { sns } = clientsFor(env);
    const TopicArn = env.SLS_TS_RESOURCE_ALERTS_ARN;
    await sns.send(new PublishCommand({ TopicArn, Message: 'disk full', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'disk half full', MessageAttributes: { severity: { DataType: 'String', StringValue: 'low' } } }));
    await engines.settled();
    expect(host.deliveries.map(({ job, kind, source, records }) => ({ job, kind, source, records }))).toEqual([{ job: 'alert-job', kind: 'topic', source: 'alerts', records: 1 }]);
    const { Records } = host.deliveries[0]!.event as { Records: Array<{ EventSubscriptionArn: string; Sns: { Message: string; TopicArn: string } }> };
    expect(Records[0]!.Sns).toMatchObject({ Message: 'disk full', TopicArn });
    expect(Records[0]!.EventSubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:shop-dev-alerts:/);
  });

  it('a queue subscribed to a topic through Subscribe receives what is published, in the local SQS service', async () => {
    const engines = await startEngines({ alerts: topic(), inbox: queue() }, { deliver: recordingHost().deliver });
    const env = engines.env();
    const { sns } = clientsFor(env);
    await sns.send(new SubscribeCommand({ TopicArn: env.SLS_TS_RESOURCE_ALERTS_ARN, Protocol: 'sqs', Endpoint: env.SLS_TS_RESOURCE_INBOX_ARN, Attributes: { RawMessageDelivery: 'true' } }));
    await sns.send(new PublishCommand({ TopicArn: env.SLS_TS_RESOURCE_ALERTS_ARN, Message: 'hello', MessageAttributes: { lang: { DataType: 'String', StringValue: 'en' } } }));
    await engines.settled();
    const { Messages } = await sqsClientFor(engines).send(new ReceiveMessageCommand({ QueueUrl: env.SLS_TS_RESOURCE_INBOX_URL, MessageAttributeNames: ['All'] }));
    expect(Messages?.map((message) => ({ body: message.Body, lang: message.MessageAttributes?.lang?.StringValue }))).toEqual([{ body: 'hello', lang: 'en' }]);
  });

  it('PutEvents runs the job whose rule matches; the bus starts once a job with a rule subscribes', async () => {
    const host = recordingHost();
    const engines = await startEngines({ alerts: topic() }, { deliver: host.deliver });
    expect(engines.endpoints.events).toBeUndefined();
    await engines.subscribe([reportJob]);
    const env = engines.env();
    expect(env.AWS_ENDPOINT_URL_EVENTBRIDGE).toBe(engines.endpoints.events);
    const { events } = clientsFor(env);
    const { FailedEntryCount } = await events.send(new PutEventsCommand({ Entries: [
      { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{"id":"o1"}' },
      { Source: 'shop.billing', DetailType: 'Invoiced', Detail: '{"id":"o1"}' },
    ] }));
    expect(FailedEntryCount).toBe(0);
    await engines.settled();
    expect(host.deliveries.map(({ job, kind, source }) => ({ job, kind, source }))).toEqual([{ job: 'report-job', kind: 'rule', source: 'default' }]);
    expect(host.deliveries[0]!.event).toMatchObject({ source: 'shop.orders', 'detail-type': 'OrderPlaced', detail: { id: 'o1' }, account: '000000000000' });
  });

  it("a failing topic job is retried after the engines' retry delays, then dropped with a warning; so is a message for a queue that does not exist", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const attempts: string[] = [];
    const engines = await startEngines({ alerts: topic() }, {
      subscribers: [alertJob], retryDelaysMs: [1, 1],
      deliver: async (delivery) => (attempts.push(delivery.job), { ok: false, error: 'Error: pager down' }),
    });
    const env = engines.env();
    const { sns } = clientsFor(env);
    await sns.send(new SubscribeCommand({ TopicArn: env.SLS_TS_RESOURCE_ALERTS_ARN, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:missing' }));
    await sns.send(new PublishCommand({ TopicArn: env.SLS_TS_RESOURCE_ALERTS_ARN, Message: 'x', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
    await engines.settled();
    expect(attempts).toEqual(['alert-job', 'alert-job', 'alert-job']);
    const warnings = warn.mock.calls.map(([text]) => String(text)).sort();
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: job alert-job \(topic alerts\) failed 3 times \(last: Error: pager down\); the event is dropped$/),
      expect.stringMatching(/^warning: topic shop-dev-alerts → queue arn:aws:sqs:us-east-1:000000000000:missing failed 1 time \(last: Error: The specified queue does not exist: arn:aws:sqs:us-east-1:000000000000:missing\); the event is dropped$/),
    ]);
  });

  it('settled() also waits for what a running job publishes', async () => {
    const deliveries: string[] = [];
    let publishFromJob: (() => Promise<unknown>) | undefined;
    const engines = await startEngines({ alerts: topic() }, {
      subscribers: [alertJob, reportJob],
      deliver: async (delivery) => {
        deliveries.push(delivery.job);
        // The rule's job publishes an alert as it runs, as app code would.
        if (delivery.job === 'report-job') await publishFromJob!();
        return { ok: true, result: null };
      },
    });
    const env = engines.env();
    const { sns, events } = clientsFor(env);
    publishFromJob = () => sns.send(new PublishCommand({ TopicArn: env.SLS_TS_RESOURCE_ALERTS_ARN, Message: 'from a job', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}' }] }));
    await engines.settled();
    expect(deliveries).toEqual(['report-job', 'alert-job']);
  });

  it('without a host, a topic is served and jobs subscribed to it cause no warning', async () => {
    const engines = await startEngines({ alerts: topic() }, { subscribers: [alertJob, reportJob] });
    const env = engines.env();
    expect(env.AWS_ENDPOINT_URL_SNS).toBe(engines.endpoints.sns);
    const { sns } = clientsFor(env);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: env.SLS_TS_RESOURCE_ALERTS_ARN, Message: 'x', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
    expect(MessageId).toBeDefined();
    await engines.settled();
    expect(engines.warnings).toEqual([]);
  });
});
