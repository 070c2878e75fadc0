// What perform() receives per record of each event source (AWS's sample events and our builders),
// and how failures come back to the source: batchItemFailures for SQS and streams (FIFO and
// checkpoint rules), one thrown error for asynchronous sources.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJobHandler, Job, type JobRecord } from '../../../src/runtime/index.js';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { dynamodbStreamEvent, eventBridgeEvent, s3Event, scheduledEvent, snsEvent, sqsEvent } from '../../../src/testing/index.js';
import { awsSample } from './aws-samples.js';

const context = createLambdaContext({ functionName: 'app-dev-records-job' });

afterEach(() => {
  vi.restoreAllMocks();
});

/** A job that keeps every record it gets and runs `each` on it (to throw or fail()). */
function recorder(each: (record: JobRecord) => unknown = () => undefined) {
  const seen: JobRecord[] = [];
  class RecordsJob extends Job {
    perform(record: JobRecord) {
      seen.push(record);
      return each(record);
    }
  }
  return { seen, handler: createJobHandler(RecordsJob) };
}

const quiet = () => vi.spyOn(console, 'error').mockImplementation(() => {});

describe('records from AWS sample events', () => {
  it('SQS: a queue record with its attributes (binary ones base64), receive count, sent time and queue name', async () => {
    const { seen, handler } = recorder();
    const raw = awsSample('sqs-event.json');
    expect(await handler(raw, context)).toEqual({ batchItemFailures: [] });
    expect(seen).toHaveLength(1);
    const [record] = seen;
    expect(record).toMatchObject({
      kind: 'queue',
      messageId: 'MessageID_1',
      body: 'Message Body',
      attributes: { Attribute1: 'AttributeValue1', Attribute2: '123', Attribute3: 'MTEwMA==' },
      receiveCount: 2,
      sentAt: new Date(1520621625029),
      queue: 'SQSQueue',
      raw: raw.Records[0],
    });
    expect(record).not.toHaveProperty('groupId');
    expect(() => (record as Extract<JobRecord, { kind: 'queue' }>).json()).toThrow(SyntaxError);
  });

  it('SNS: a topic record with its message, subject, attributes and timestamp', async () => {
    const { seen, handler } = recorder();
    const raw = awsSample('sns-event.json');
    await handler(raw, context);
    expect(seen).toEqual([
      expect.objectContaining({
        kind: 'topic',
        messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
        message: 'Hello from SNS!',
        subject: 'TestInvoke',
        attributes: { Test: 'TestString', TestBinary: 'TestBinary' },
        // The sample's TopicArn is AWS's placeholder `arn:aws:sns:EXAMPLE`.
        topic: 'EXAMPLE',
        timestamp: new Date('2015-06-03T17:43:27.123Z'),
        raw: raw.Records[0],
      }),
    ]);
  });

  it('S3: a bucket record with the key decoded, size, ETag and version', async () => {
    const { seen, handler } = recorder();
    const raw = awsSample('s3-event.json');
    await handler(raw, context);
    expect(seen).toEqual([
      expect.objectContaining({ kind: 'bucket', event: 'ObjectCreated:Put', bucket: 'sourcebucket', key: 'Happy Face.jpg', size: 1024, etag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: 'version', raw: raw.Records[0] }),
    ]);
  });

  it('a schedule: a schedule record that keeps every field of the event and names its rule', async () => {
    const { seen, handler } = recorder((record) => (record.kind === 'schedule' ? `${record.rule} at ${record.time}` : 'wrong kind'));
    const raw = awsSample('cloudwatch-scheduled-event.json');
    expect(await handler(raw, context)).toBe('SampleRule at 2016-12-30T18:44:49Z');
    expect(seen[0]).toMatchObject({ ...raw, kind: 'schedule', rule: 'SampleRule', raw });
  });
});

describe('records from the builders', () => {
  it('S3 keys: + is a space, then percent-decoding (a literal + arrives as %2B)', async () => {
    const { seen, handler } = recorder();
    await handler(s3Event({ bucket: 'uploads', key: 'in/a b+c%d/é.txt' }), context);
    await handler(s3Event({ bucket: 'uploads', key: 'old.txt', eventName: 'ObjectRemoved:Delete' }), context);
    expect(seen[0]).toMatchObject({ kind: 'bucket', key: 'in/a b+c%d/é.txt' });
    expect(seen[1]).toMatchObject({ kind: 'bucket', event: 'ObjectRemoved:Delete', key: 'old.txt' });
    expect(seen[1]).not.toHaveProperty('size');
  });

  it('FIFO SQS: the group id, and json() parses the body', async () => {
    const { seen, handler } = recorder();
    await handler(sqsEvent([{ to: 'ada@example.com' }], { queueName: 'emails.fifo', messageGroupId: 'user-1' }), context);
    const [record] = seen;
    expect(record).toMatchObject({ kind: 'queue', groupId: 'user-1', queue: 'emails.fifo', receiveCount: 1 });
    expect(record?.kind === 'queue' && record.json()).toEqual({ to: 'ada@example.com' });
  });

  it('SNS without a subject and with a JSON message', async () => {
    const { seen, handler } = recorder();
    await handler(snsEvent([{ alert: 'disk' }], { topicName: 'alerts' }), context);
    expect(seen[0]).toMatchObject({ kind: 'topic', topic: 'alerts' });
    expect(seen[0]).not.toHaveProperty('subject');
    expect(seen[0]?.kind === 'topic' && seen[0].json()).toEqual({ alert: 'disk' });
  });

  it('DynamoDB stream: keys and images unmarshalled to plain values, the table named from the stream ARN', async () => {
    const { seen, handler } = recorder();
    const event = dynamodbStreamEvent(
      [
        { keys: { id: 'p1' }, newImage: { title: 'Hi', views: 3, big: 12345678901234567890n, ratio: 0.25, draft: false, gone: null, tags: new Set(['a', 'b']), scores: new Set([1, 2]), blob: Buffer.from('hey'), parts: [{ n: 1 }, 'x'], meta: { by: 'ada' } } },
        { keys: { id: 'p1' }, oldImage: { title: 'Hi' }, newImage: { title: 'Hello' } },
        { keys: { id: 'p1' }, oldImage: { title: 'Hello' } },
      ],
      { tableName: 'blog-dev-posts' },
    );
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(seen.map((record) => record.kind === 'table' && record.event)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [inserted, modified, removed] = seen as Extract<JobRecord, { kind: 'table' }>[];
    expect(inserted).toMatchObject({ keys: { id: 'p1' }, table: 'blog-dev-posts', sequenceNumber: event.Records[0]!.dynamodb.SequenceNumber });
    expect(inserted!.newImage).toEqual({
      id: 'p1', title: 'Hi', views: 3, big: '12345678901234567890', ratio: 0.25, draft: false, gone: null,
      tags: new Set(['a', 'b']), scores: new Set([1, 2]), blob: Buffer.from('hey'), parts: [{ n: 1 }, 'x'], meta: { by: 'ada' },
    });
    expect(inserted).not.toHaveProperty('oldImage');
    expect(modified).toMatchObject({ oldImage: { id: 'p1', title: 'Hi' }, newImage: { id: 'p1', title: 'Hello' } });
    expect(removed).toMatchObject({ oldImage: { id: 'p1', title: 'Hello' } });
    expect(removed).not.toHaveProperty('newImage');
  });

  it('DynamoDB stream: a KEYS_ONLY stream carries no images', async () => {
    const { seen, handler } = recorder();
    await handler(dynamodbStreamEvent([{ keys: { pk: 'a', sk: 2 }, newImage: { x: 1 } }], { streamViewType: 'KEYS_ONLY' }), context);
    expect(seen[0]).toMatchObject({ kind: 'table', event: 'INSERT', keys: { pk: 'a', sk: 2 } });
    expect(seen[0]).not.toHaveProperty('newImage');
  });

  it('EventBridge: a rule record with the event\'s fields, detailType and time as a Date', async () => {
    const { seen, handler } = recorder((record) => record.kind === 'rule' && record.detail);
    const raw = eventBridgeEvent({ source: 'shop', detailType: 'order.paid', detail: { total: 120 }, time: new Date('2026-05-01T10:00:00Z') });
    expect(raw).toMatchObject({ version: '0', source: 'shop', 'detail-type': 'order.paid', time: '2026-05-01T10:00:00Z', resources: [], detail: { total: 120 } });
    expect(await handler(raw, context)).toEqual({ total: 120 });
    expect(seen[0]).toMatchObject({ kind: 'rule', source: 'shop', detailType: 'order.paid', 'detail-type': 'order.paid', detail: { total: 120 }, id: raw.id, time: new Date('2026-05-01T10:00:00Z'), resources: [], raw });
  });

  it('a schedule built by scheduledEvent is a schedule record, a custom event with another detail-type is a rule record', async () => {
    const { seen, handler } = recorder();
    await handler(scheduledEvent({ ruleName: 'nightly' }), context);
    await handler(eventBridgeEvent({ source: 'aws.events', detailType: 'Something Else' }), context);
    expect(seen.map((record) => record.kind)).toEqual(['schedule', 'rule']);
    expect(seen[0]).toMatchObject({ rule: 'nightly' });
  });

  it('a direct invoke: perform gets the payload itself and its result is returned', async () => {
    const { seen, handler } = recorder(() => 'done');
    const payload = { Records: [], note: 'not an event source' };
    expect(await handler(payload, context)).toBe('done');
    expect(seen[0]).toBe(payload);
  });
});

describe('partial batch failures', () => {
  const failOn = (bodies: string[]) => (record: JobRecord) => {
    if (record.kind !== 'queue') throw new Error('not a queue record');
    if (bodies.includes(record.body)) throw new Error(`cannot send ${record.body}`);
  };

  it('standard SQS: every record runs; the ones that threw or were marked with fail() are reported', async () => {
    const logged = quiet();
    const { seen, handler } = recorder((record) => {
      if (record.kind === 'queue' && record.body === 'b') throw new Error('b broke');
      if (record.kind === 'queue' && record.body === 'd') record.fail('d is not ready');
    });
    const event = sqsEvent(['a', 'b', 'c', 'd']);
    const ids = event.Records.map((record) => record.messageId);
    expect(await handler(event, context)).toEqual({ batchItemFailures: [{ itemIdentifier: ids[1] }, { itemIdentifier: ids[3] }] });
    expect(seen).toHaveLength(4);
    const lines = logged.mock.calls.map((call) => String(call[0]));
    expect(lines).toEqual([expect.stringContaining(`job RecordsJob failed on record ${ids[1]}`), expect.stringContaining(`job RecordsJob failed on record ${ids[3]}`)]);
    expect(logged.mock.calls[1]).toContain('d is not ready');
  });

  it('FIFO SQS: after the first failure the rest are reported failed without running, in order', async () => {
    quiet();
    const { seen, handler } = recorder(failOn(['2']));
    const event = sqsEvent(['1', '2', '3', '4'], { queueName: 'orders.fifo' });
    const ids = event.Records.map((record) => record.messageId);
    expect(await handler(event, context)).toEqual({ batchItemFailures: ids.slice(1).map((itemIdentifier) => ({ itemIdentifier })) });
    expect(seen.map((record) => record.kind === 'queue' && record.body)).toEqual(['1', '2']);
  });

  it('FIFO SQS: a failure on the last record reports only it', async () => {
    quiet();
    const { handler } = recorder(failOn(['3']));
    const event = sqsEvent(['1', '2', '3'], { queueName: 'orders.fifo' });
    expect(await handler(event, context)).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[2]!.messageId }] });
  });

  it('DynamoDB stream: stops at the first failure and reports it and every later record by sequence number', async () => {
    quiet();
    const { seen, handler } = recorder((record) => {
      if (record.kind === 'table' && record.keys.id === 2) record.fail();
    });
    const event = dynamodbStreamEvent([1, 2, 3, 4].map((id) => ({ keys: { id }, newImage: { id } })));
    const sequence = event.Records.map((record) => record.dynamodb.SequenceNumber);
    expect(new Set(sequence).size).toBe(4);
    expect(await handler(event, context)).toEqual({ batchItemFailures: sequence.slice(1).map((itemIdentifier) => ({ itemIdentifier })) });
    expect(seen).toHaveLength(2);
  });

  it('SNS and S3: a failed record fails the invocation with one error naming it, so async retries apply', async () => {
    const logged = quiet();
    const cause = new Error('thumbnailer down');
    const { handler } = recorder(() => {
      throw cause;
    });
    const sns = snsEvent(['hello']);
    const error = await handler(sns, context).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`job RecordsJob failed on ${sns.Records[0]!.Sns.MessageId} (thumbnailer down)`);
    expect((error as Error).cause).toBe(cause);
    await expect(handler(s3Event({ bucket: 'uploads', key: 'a.png' }), context)).rejects.toThrow('job RecordsJob failed on uploads/a.png (thumbnailer down)');
    expect(logged).toHaveBeenCalledTimes(2);
  });

  it('record.fail() on an async source throws without perform throwing; on a schedule too', async () => {
    quiet();
    const { handler } = recorder((record) => record.fail('quota reached'));
    await expect(handler(snsEvent(['x']), context)).rejects.toThrow(/failed on .* \(quota reached\)/);
    const schedule = scheduledEvent();
    await expect(handler(schedule, context)).rejects.toThrow(`job RecordsJob failed on ${schedule.id} (quota reached)`);
    const unexplained = recorder((record) => record.fail());
    await expect(unexplained.handler(schedule, context)).rejects.toThrow(`job RecordsJob failed on ${schedule.id} (marked failed)`);
  });

  it('a succeeding batch logs nothing', async () => {
    const logged = quiet();
    const { handler } = recorder();
    await handler(sqsEvent(['a', 'b'], { queueName: 'q.fifo' }), context);
    await handler(dynamodbStreamEvent([{ keys: { id: 1 } }]), context);
    expect(logged).not.toHaveBeenCalled();
  });
});
