// The local EventBridge bus through @aws-sdk/client-eventbridge: which jobs' rules an event
// reaches, the event they receive (against AWS's sample scheduled event), and what PutEvents refuses.
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { JobSubscription } from '../../../src/config/subscriptions.js';
import type { BusEvent } from '../../../src/local/events/put-events.js';
import type { ScheduledEvent } from '../../../src/runtime/types.js';
import { startEventBus, type EventBus, type EventBusOptions } from '../../../src/local/events/event-bus.js';
import { awsSample } from '../runtime/aws-samples.js';
import { clientConfig, jobsOf, stubDeliver, subscriber } from './job-deliveries.js';

const ACCOUNT = '000000000000';

const running: EventBus[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((bus) => bus.stop()));
});

async function start(options: Partial<EventBusOptions> & Pick<EventBusOptions, 'deliver' | 'subscribers'>) {
  const bus = await startEventBus({ host: '127.0.0.1', region: 'us-east-1', account: ACCOUNT, retryDelaysMs: [1, 1], ...options });
  running.push(bus);
  return { bus, events: new EventBridgeClient(clientConfig(bus.endpoint)) };
}

const rule = (pattern: Record<string, unknown>, bus?: string): JobSubscription => ({ kind: 'rule', pattern, ...(bus !== undefined && { bus }) });
const order = (detail: Record<string, unknown>, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({ Source: 'shop.orders', DetailType: 'Order Placed', Detail: JSON.stringify(detail), ...extra });

describe('startEventBus: PutEvents → rules', () => {
  it("runs a matching rule's job with the event EventBridge delivers, shaped as AWS's sample event", async () => {
    const { deliver, deliveries } = stubDeliver();
    const { bus, events } = await start({ deliver, subscribers: [subscriber('order-job', rule({ source: ['shop.orders'] }))] });
    const time = new Date('2026-03-01T12:34:56.789Z');
    const result = await events.send(new PutEventsCommand({ Entries: [order({ id: 7 }, { Time: time, Resources: ['arn:aws:s3:::shop'] })] }));
    await bus.settled();

    expect(result.FailedEntryCount).toBe(0);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ job: 'order-job', kind: 'rule', source: 'default', records: 1 });
    const event = deliveries[0]!.event as Record<string, unknown>;
    expect(Object.keys(event)).toEqual(Object.keys(awsSample('cloudwatch-scheduled-event.json')));
    expect(event).toEqual({
      version: '0',
      id: result.Entries![0]!.EventId,
      'detail-type': 'Order Placed',
      source: 'shop.orders',
      account: ACCOUNT,
      time: '2026-03-01T12:34:56Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::shop'],
      detail: { id: 7 },
    });
  });

  it('delivers what app code types as ScheduledEvent', () => {
    expectTypeOf<BusEvent>().toExtend<ScheduledEvent>();
  });

  it('stamps the call time when an entry has none, and gives resources as an empty list', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { bus, events } = await start({ deliver, subscribers: [subscriber('order-job', rule({ source: ['shop.orders'] }))] });
    const before = Math.floor(Date.now() / 1000) * 1000;
    await events.send(new PutEventsCommand({ Entries: [order({})] }));
    await bus.settled();
    const event = deliveries[0]!.event as { time: string; resources: unknown };
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before);
    expect(event.resources).toEqual([]);
  });

  it('runs only the jobs whose pattern matches: exact, prefix, anything-but, numeric, exists', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { bus, events } = await start({
      deliver,
      subscribers: [
        subscriber('exact-job', rule({ 'detail-type': ['Order Placed'], detail: { state: ['paid'] } })),
        subscriber('prefix-job', rule({ detail: { region: [{ prefix: 'eu-' }] } })),
        subscriber('anything-but-job', rule({ detail: { state: [{ 'anything-but': ['cancelled', 'paid'] }] } })),
        subscriber('numeric-job', rule({ detail: { total: [{ numeric: ['>=', 100, '<', 1000] }] } })),
        subscriber('exists-job', rule({ detail: { coupon: [{ exists: true }] } })),
        subscriber('no-coupon-job', rule({ source: ['shop.orders'], detail: { coupon: [{ exists: false }] } })),
      ],
    });
    const matchedBy = async (detail: Record<string, unknown>) => {
      deliveries.splice(0);
      await events.send(new PutEventsCommand({ Entries: [order(detail)] }));
      await bus.settled();
      return jobsOf(deliveries);
    };
    expect(await matchedBy({ state: 'paid', region: 'eu-west-1', total: 100, coupon: 'X' })).toEqual(['exact-job', 'exists-job', 'numeric-job', 'prefix-job']);
    expect(await matchedBy({ state: 'new', region: 'us-east-1', total: 1000 })).toEqual(['anything-but-job', 'no-coupon-job']);
    expect(await matchedBy({ state: 'cancelled', total: 99.5 })).toEqual(['no-coupon-job']);
  });

  it('delivers an event to the rules of its own bus only, named by name or ARN', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { bus, events } = await start({
      deliver,
      subscribers: [
        subscriber('default-job', rule({ source: ['shop.orders'] })),
        subscriber('orders-job', rule({ source: ['shop.orders'] }, 'orders')),
        subscriber('orders-arn-job', rule({ source: ['shop.orders'] }, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders`)),
      ],
    });
    await events.send(new PutEventsCommand({ Entries: [order({}, { EventBusName: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders` })] }));
    await bus.settled();
    expect(jobsOf(deliveries)).toEqual(['orders-arn-job', 'orders-job']);
    expect(deliveries.map((delivery) => delivery.source)).toEqual(['orders', 'orders']);

    deliveries.splice(0);
    await events.send(new PutEventsCommand({ Entries: [order({}, { EventBusName: 'default' }), order({}, { EventBusName: 'nobody-listens' })] }));
    await bus.settled();
    expect(jobsOf(deliveries)).toEqual(['default-job']);
  });

  it('follows update(): new rules match, an invalid pattern is warned of and never matches', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { bus, events } = await start({ deliver, subscribers: [] });
    const warnings = bus.update([subscriber('order-job', rule({ source: ['shop.orders'] })), subscriber('bad-job', rule({ source: 'shop.orders' }))]);
    expect(warnings).toEqual([expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^job bad-job: its rule's pattern is not a valid EventBridge pattern \(source: /) })]);
    await events.send(new PutEventsCommand({ Entries: [order({})] }));
    await bus.settled();
    expect(jobsOf(deliveries)).toEqual(['order-job']);
  });
});

describe('startEventBus: what PutEvents refuses', () => {
  it("fails the bad entries alone, with EventBridge's error codes, and delivers the good ones", async () => {
    const { deliver, deliveries } = stubDeliver();
    const { bus, events } = await start({ deliver, subscribers: [subscriber('order-job', rule({ source: ['shop.orders'] }))] });
    const result = await events.send(new PutEventsCommand({
      Entries: [
        order({ ok: 1 }),
        { Source: 'shop.orders', DetailType: 'Order Placed', Detail: '[1, 2]' },
        { Source: 'shop.orders', DetailType: 'Order Placed', Detail: 'not json' },
        { Source: 'shop.orders', Detail: '{}' },
        { DetailType: 'Order Placed', Detail: '{}' },
        { Source: 'aws.s3', DetailType: 'Object Created', Detail: '{}' },
        order({ ok: 2 }),
      ],
    }));
    await bus.settled();
    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries!.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'ok', 'MalformedDetail', 'MalformedDetail', 'InvalidArgument', 'InvalidArgument', 'NotAuthorizedForSourceException', 'ok',
    ]);
    expect(result.Entries![3]!.ErrorMessage).toBe('Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    expect(result.Entries![0]!.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(deliveries.map((delivery) => (delivery.event as { detail: unknown }).detail)).toEqual([{ ok: 1 }, { ok: 2 }]);
  });

  it('refuses more than 10 entries, and entries over 256 KB together', async () => {
    const { deliver, deliveries } = stubDeliver();
    const { bus, events } = await start({ deliver, subscribers: [subscriber('order-job', rule({ source: ['shop.orders'] }))] });
    const refusal = (entries: PutEventsRequestEntry[]) => events.send(new PutEventsCommand({ Entries: entries })).then(() => undefined, (error: Error) => ({ name: error.name, message: error.message }));

    expect(await refusal(Array.from({ length: 11 }, () => order({})))).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('less than or equal to 10') });
    // 2 × (128 KB of detail + source and type) is just over the limit.
    const half = JSON.stringify({ pad: 'x'.repeat(128 * 1024 - 12) });
    expect(await refusal([order({}, { Detail: half }), order({}, { Detail: half })])).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('over the limit') });
    await bus.settled();
    expect(deliveries).toEqual([]);

    // One entry whose counted size is exactly 256 KB passes.
    const exact = JSON.stringify({ pad: 'x'.repeat(256 * 1024 - 'shop.orders'.length - 'Order Placed'.length - '{"pad":""}'.length) });
    expect((await events.send(new PutEventsCommand({ Entries: [order({}, { Detail: exact })] }))).FailedEntryCount).toBe(0);
  });

  it('answers other operations with an error naming what it serves', async () => {
    const { events } = await start({ deliver: stubDeliver().deliver, subscribers: [] });
    const error = await events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{}' })).then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain('PutEvents only');
  });
});

describe('startEventBus: asynchronous delivery', () => {
  it('retries a failing job twice, then reports the event as dropped', async () => {
    const { deliver, deliveries } = stubDeliver((delivery) => (delivery.job === 'flaky-job' ? 'Error: boom' : undefined));
    const dropped: string[] = [];
    const { bus, events } = await start({ deliver, subscribers: [subscriber('flaky-job', rule({ source: ['shop.orders'] }))], onDropped: (warning) => dropped.push(warning.text) });
    await events.send(new PutEventsCommand({ Entries: [order({})] }));
    await bus.settled();
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((delivery) => (delivery.event as { id: string }).id)).size).toBe(1);
    expect(dropped).toEqual(['job flaky-job (rule default) failed 3 times (last: Error: boom); the event is dropped']);
  });

  it('stops retrying once a retry succeeds', async () => {
    const { deliver, deliveries } = stubDeliver((delivery, attempt) => (attempt === 1 ? 'Error: cold' : undefined));
    const dropped: string[] = [];
    const { bus, events } = await start({ deliver, subscribers: [subscriber('order-job', rule({ source: ['shop.orders'] }))], onDropped: (warning) => dropped.push(warning.text) });
    await events.send(new PutEventsCommand({ Entries: [order({})] }));
    await bus.settled();
    expect(deliveries).toHaveLength(2);
    expect(dropped).toEqual([]);
  });

  it('answers PutEvents before the job has run, and stop() cancels retries still waiting', async () => {
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    const calls: string[] = [];
    const { bus, events } = await start({
      deliver: async (delivery) => {
        calls.push(delivery.job);
        await running;
        return { ok: false, error: 'Error: boom' };
      },
      subscribers: [subscriber('slow-job', rule({ source: ['shop.orders'] }))],
      // A retry that would only come long after the test.
      retryDelaysMs: [3_600_000, 3_600_000],
      onDropped: () => calls.push('dropped'),
    });
    const result = await events.send(new PutEventsCommand({ Entries: [order({})] }));
    expect(result.FailedEntryCount).toBe(0);
    release();
    await bus.stop();
    await bus.settled();
    expect(calls).toEqual(['slow-job']);
  });
});
