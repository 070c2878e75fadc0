import { tmpdir } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { table } from '../../../src/config/define-config.js';
import type { JobSubscription, TableSubscription } from '../../../src/config/subscriptions.js';
import { resolveConfig, type UserConfig } from '../../../src/index.js';
import type { Deliver, Delivery, DeliveryOutcome, LocalSubscriber } from '../../../src/local/deliveries.js';
import { startDynamoEngine } from '../../../src/local/dynamo-engine.js';
import { localResources } from '../../../src/local/engines.js';
import type { StreamRecord } from '../../../src/local/stream-records.js';
import { startTableStreams, type StreamFailure, type TableStreamsOptions } from '../../../src/local/table-streams.js';

const stops: Array<() => unknown> = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const subscriber = (job: string, ...events: JobSubscription[]): LocalSubscriber => ({ job, className: job, events });
const onTable = (source: string, options: Partial<TableSubscription> = {}): TableSubscription => ({ kind: 'table', source, ...options });

/** A deliver stub that records every delivery and answers with `answer` (ok by default). */
function recordingDeliver(answer: (delivery: Delivery, calls: number) => DeliveryOutcome = () => ({ ok: true })) {
  const deliveries: Delivery[] = [];
  const deliver: Deliver = async (delivery) => {
    deliveries.push(delivery);
    return answer(delivery, deliveries.length);
  };
  const recordsOf = (job?: string) => deliveries.filter((d) => job === undefined || d.job === job).flatMap((d) => (d.event as { Records: StreamRecord[] }).Records);
  return { deliveries, deliver, recordsOf };
}

async function startTables(resources: UserConfig['resources'], subscribers: LocalSubscriber[], deliver: Deliver, options: TableStreamsOptions = {}) {
  const resolved = resolveConfig({ name: 'blog', resources }, { stage: 'dev', root: tmpdir() }).resources;
  const { tables } = localResources({ app: 'blog', stage: 'dev' }, resolved);
  const engine = await startDynamoEngine({ host: '127.0.0.1' });
  stops.push(() => engine.stop());
  await engine.ensure(tables);
  const streams = startTableStreams(engine, tables, subscribers, deliver, { retryDelayMs: 1, ...options });
  stops.push(() => streams.stop());
  const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  stops.push(() => client.destroy());
  const name = (resource: string) => tables.find((t) => t.table.name === resource)!.physicalName;
  return { engine, streams, tables, documents: DynamoDBDocumentClient.from(client), name };
}

async function waitFor(check: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('startTableStreams()', () => {
  it('records inserts, modifications and removals as Lambda receives them, and nothing for writes that change nothing', async () => {
    const { deliver, recordsOf } = recordingDeliver();
    const { documents, name } = await startTables({ posts: table({ key: 'id', stream: 'new-and-old' }) }, [subscriber('feed-job', onTable('posts'))], deliver, { region: 'eu-west-1' });
    const posts = name('posts');
    await documents.send(new PutCommand({ TableName: posts, Item: { id: 'p1', title: 'Hello', views: 101 } }));
    await documents.send(new UpdateCommand({ TableName: posts, Key: { id: 'p1' }, UpdateExpression: 'SET title = :t', ExpressionAttributeValues: { ':t': 'Hi' } }));
    // Identical content, attributes in another order: no change, no record.
    await documents.send(new PutCommand({ TableName: posts, Item: { views: 101, title: 'Hi', id: 'p1' } }));
    await expect(documents.send(new PutCommand({ TableName: posts, Item: { id: 'p1', title: 'x' }, ConditionExpression: 'attribute_not_exists(id)' }))).rejects.toThrow(/conditional/i);
    await documents.send(new DeleteCommand({ TableName: posts, Key: { id: 'p1' } }));
    await documents.send(new DeleteCommand({ TableName: posts, Key: { id: 'missing' } }));
    await waitFor(() => recordsOf().length >= 3, 'three records');

    const records = recordsOf();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [inserted, modified, removed] = records as [StreamRecord, StreamRecord, StreamRecord];
    expect(inserted).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: { Keys: { id: { S: 'p1' } }, NewImage: { id: { S: 'p1' }, title: { S: 'Hello' }, views: { N: '101' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(inserted.dynamodb.OldImage).toBeUndefined();
    expect(Object.keys(inserted).sort()).toEqual(['awsRegion', 'dynamodb', 'eventID', 'eventName', 'eventSource', 'eventSourceARN', 'eventVersion']);
    expect(inserted.eventSourceARN).toMatch(new RegExp(`^arn:aws:dynamodb:eu-west-1:\\d{12}:table/${posts}/stream/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`));
    expect(typeof inserted.dynamodb.ApproximateCreationDateTime).toBe('number');
    // DynamoDB's item size rules: names + values ('id' 2 + 'p1' 2, twice; 'title' 5 + 'Hello' 5; 'views' 5 + 101 → 3).
    expect(inserted.dynamodb.SizeBytes).toBe(4 + 4 + 10 + 8);
    expect(modified.dynamodb).toMatchObject({ OldImage: { title: { S: 'Hello' } }, NewImage: { title: { S: 'Hi' } } });
    expect(removed.dynamodb).toMatchObject({ Keys: { id: { S: 'p1' } }, OldImage: { title: { S: 'Hi' } } });
    expect(removed.dynamodb.NewImage).toBeUndefined();
    const sequence = records.map((r) => r.dynamodb.SequenceNumber);
    expect([...sequence].sort()).toEqual(sequence);
    expect(new Set(sequence).size).toBe(3);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(3);
  });

  it('puts in each record what the stream view type says, and leaves tables without a stream alone', async () => {
    const { deliver, recordsOf, deliveries } = recordingDeliver();
    const { documents, name } = await startTables(
      {
        fresh: table({ key: 'id', stream: 'new' }),
        stale: table({ key: 'id', stream: 'old' }),
        keyed: table({ key: 'id', sort: { name: 'at', type: 'number' }, stream: 'keys' }),
        // No stream of its own: the subscription turns one on, with its view.
        implied: table({ key: 'id' }),
        quiet: table({ key: 'id' }),
      },
      [subscriber('fresh-job', onTable('fresh')), subscriber('stale-job', onTable('stale')), subscriber('keyed-job', onTable('keyed')), subscriber('implied-job', onTable('implied', { stream: 'new' }))],
      deliver,
    );
    for (const resource of ['fresh', 'stale', 'implied', 'quiet']) {
      await documents.send(new PutCommand({ TableName: name(resource), Item: { id: 'a', v: 1 } }));
      await documents.send(new PutCommand({ TableName: name(resource), Item: { id: 'a', v: 2 } }));
    }
    await documents.send(new PutCommand({ TableName: name('keyed'), Item: { id: 'a', at: 1, v: 1 } }));
    await documents.send(new PutCommand({ TableName: name('keyed'), Item: { id: 'a', at: 1, v: 2 } }));
    expect((await documents.send(new GetCommand({ TableName: name('quiet'), Key: { id: 'a' } }))).Item).toEqual({ id: 'a', v: 2 });
    await waitFor(() => recordsOf().length >= 8, 'eight records');

    const images = (job: string) => recordsOf(job).map((r) => ({ view: r.dynamodb.StreamViewType, new: r.dynamodb.NewImage?.v?.N, old: r.dynamodb.OldImage?.v?.N }));
    expect(images('fresh-job')).toEqual([{ view: 'NEW_IMAGE', new: '1', old: undefined }, { view: 'NEW_IMAGE', new: '2', old: undefined }]);
    expect(images('stale-job')).toEqual([{ view: 'OLD_IMAGE', new: undefined, old: undefined }, { view: 'OLD_IMAGE', new: undefined, old: '1' }]);
    expect(images('implied-job')).toEqual([{ view: 'NEW_IMAGE', new: '1', old: undefined }, { view: 'NEW_IMAGE', new: '2', old: undefined }]);
    const keyed = recordsOf('keyed-job');
    expect(keyed.map((r) => r.dynamodb)).toEqual([
      expect.objectContaining({ Keys: { id: { S: 'a' }, at: { N: '1' } }, StreamViewType: 'KEYS_ONLY' }),
      expect.objectContaining({ Keys: { id: { S: 'a' }, at: { N: '1' } }, StreamViewType: 'KEYS_ONLY' }),
    ]);
    expect(keyed.every((r) => r.dynamodb.NewImage === undefined && r.dynamodb.OldImage === undefined)).toBe(true);
    expect(deliveries.every((d) => d.kind === 'table')).toBe(true);
    expect(deliveries.map((d) => d.source)).not.toContain('quiet');
  });

  it('records batch writes item by item, across tables', async () => {
    const { deliver, recordsOf } = recordingDeliver();
    const { documents, name } = await startTables({ posts: table({ key: 'id', stream: 'keys' }), tags: table({ key: 'id', stream: 'keys' }) }, [subscriber('posts-job', onTable('posts')), subscriber('tags-job', onTable('tags'))], deliver);
    const [posts, tags] = [name('posts'), name('tags')];
    await documents.send(new BatchWriteCommand({ RequestItems: { [posts]: [{ PutRequest: { Item: { id: 'a' } } }, { PutRequest: { Item: { id: 'b' } } }], [tags]: [{ PutRequest: { Item: { id: 't' } } }] } }));
    await documents.send(new BatchWriteCommand({ RequestItems: {
      [posts]: [{ DeleteRequest: { Key: { id: 'a' } } }, { DeleteRequest: { Key: { id: 'missing' } } }],
      [tags]: [{ PutRequest: { Item: { id: 't', n: 1 } } }],
    } }));
    await waitFor(() => recordsOf().length >= 5, 'five records');
    const summary = (job: string) => recordsOf(job).map((r) => `${r.eventName} ${r.dynamodb.Keys.id!.S}`);
    expect(summary('posts-job')).toEqual(['INSERT a', 'INSERT b', 'REMOVE a']);
    expect(summary('tags-job')).toEqual(['INSERT t', 'MODIFY t']);
  });

  it('records TTL deletions as the service\'s, and nothing for the engine\'s own upkeep (reset, rebuilds)', async () => {
    const { deliver, recordsOf } = recordingDeliver();
    const { documents, name, engine, tables } = await startTables({ sessions: table({ key: 'id', ttl: 'expiresAt', stream: 'keys' }) }, [subscriber('expiry-job', onTable('sessions'))], deliver);
    await documents.send(new PutCommand({ TableName: name('sessions'), Item: { id: 'old', expiresAt: 1000 } }));
    await documents.send(new PutCommand({ TableName: name('sessions'), Item: { id: 'kept', expiresAt: 9_000_000_000 } }));
    expect(await engine.expire(tables, 2000)).toBe(1);
    await waitFor(() => recordsOf().length >= 3, 'the TTL removal');
    await engine.clear(tables);
    await engine.ensure(tables);
    await documents.send(new PutCommand({ TableName: name('sessions'), Item: { id: 'last' } }));
    await waitFor(() => recordsOf().length >= 4, 'the last insert');
    expect(recordsOf().map((r) => `${r.eventName} ${r.dynamodb.Keys.id!.S}`)).toEqual(['INSERT old', 'INSERT kept', 'REMOVE old', 'INSERT last']);
    expect(recordsOf()[2]!.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(recordsOf()[0]!.userIdentity).toBeUndefined();
  });

  it('batches up to batchSize, waiting up to the batching window for a full batch', async () => {
    const { deliver, deliveries } = recordingDeliver();
    const { documents, name } = await startTables({ posts: table({ key: 'id', stream: 'keys' }) }, [subscriber('feed-job', onTable('posts', { batchSize: 3, maxBatchingWindow: 30 }))], deliver);
    for (const id of ['a', 'b', 'c', 'd']) await documents.send(new PutCommand({ TableName: name('posts'), Item: { id } }));
    // The first three fill a batch at once; the fourth waits for the window, which outlasts this test.
    await waitFor(() => deliveries.length >= 1, 'a full batch');
    expect(deliveries.map((d) => d.records)).toEqual([3]);
    expect((deliveries[0]!.event as { Records: StreamRecord[] }).Records.map((r) => r.dynamodb.Keys.id!.S)).toEqual(['a', 'b', 'c']);
  });

  it('retries a failing batch from its first failed record, then hands the rest to onFailure and goes on', async () => {
    const failures: StreamFailure[] = [];
    const ids = (delivery: Delivery) => (delivery.event as { Records: StreamRecord[] }).Records.map((r) => r.dynamodb.Keys.id!.S);
    const { deliver, deliveries } = recordingDeliver((delivery, calls) => {
      const records = (delivery.event as { Records: StreamRecord[] }).Records;
      // First call: b fails (partial batch response); then the batch from b fails outright, until retries run out.
      if (calls === 1) return { ok: true, result: { batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb.SequenceNumber }] } };
      if (ids(delivery).includes('b')) return { ok: false, error: 'Error: boom' };
      return { ok: true };
    });
    const { documents, name, streams, tables } = await startTables(
      { posts: table({ key: 'id', stream: 'keys' }) },
      [],
      deliver,
      { onFailure: (failure) => failures.push(failure) },
    );
    const subscribers = [subscriber('feed-job', onTable('posts', { batchSize: 3, maxBatchingWindow: 30, retries: 2, onFailure: 'dead-letters' }))];
    streams.apply(tables, subscribers);
    for (const id of ['a', 'b', 'c']) await documents.send(new PutCommand({ TableName: name('posts'), Item: { id } }));
    await waitFor(() => failures.length === 1, 'the on-failure hand-over');
    // Initial call, then two retries from b, then the records go to onFailure.
    expect(deliveries.map(ids)).toEqual([['a', 'b', 'c'], ['b', 'c'], ['b', 'c']]);
    expect(failures[0]).toMatchObject({ job: 'feed-job', source: 'posts', destination: 'dead-letters', reason: 'Error: boom', batchInfo: { batchSize: 2 } });
    expect(failures[0]!.records.map((r) => r.dynamodb.Keys.id!.S)).toEqual(['b', 'c']);
    expect(failures[0]!.batchInfo.streamArn).toBe(failures[0]!.records[0]!.eventSourceARN);

    // The stream goes on past them.
    for (const id of ['d', 'e', 'f']) await documents.send(new PutCommand({ TableName: name('posts'), Item: { id } }));
    await waitFor(() => deliveries.length === 4, 'the next batch');
    expect(ids(deliveries[3]!)).toEqual(['d', 'e', 'f']);
  });

  it('reports a batch dropped when retries run out and the subscription has no onFailure destination', async () => {
    const notices: string[] = [];
    const { deliver, deliveries } = recordingDeliver(() => ({ ok: false, error: 'TypeError: nope' }));
    const { documents, name } = await startTables({ posts: table({ key: 'id', stream: 'keys' }) }, [subscriber('feed-job', onTable('posts', { retries: 0 }))], deliver, { report: (notice) => notices.push(notice.text), onFailure: () => notices.push('unexpected hand-over') });
    await documents.send(new PutCommand({ TableName: name('posts'), Item: { id: 'a' } }));
    await waitFor(() => notices.length === 1, 'the dropped notice');
    expect(deliveries).toHaveLength(1);
    expect(notices[0]).toMatch(/^feed-job: 1 record\(s\) of the resources\.posts stream \(\d+…\d+\) were dropped after 1 attempt: TypeError: nope$/);
  });

  it('starts a latest subscription after the records so far, a trim-horizon one at the oldest kept record', async () => {
    const { deliver, recordsOf } = recordingDeliver();
    const feed = subscriber('feed-job', onTable('posts'));
    const { documents, name, streams, tables } = await startTables({ posts: table({ key: 'id', stream: 'keys' }) }, [feed], deliver);
    await documents.send(new PutCommand({ TableName: name('posts'), Item: { id: 'before' } }));
    await waitFor(() => recordsOf('feed-job').length === 1, 'the first record');
    streams.apply(tables, [feed, subscriber('latest-job', onTable('posts')), subscriber('replay-job', onTable('posts', { startingPosition: 'trim-horizon' }))]);
    await documents.send(new PutCommand({ TableName: name('posts'), Item: { id: 'after' } }));
    await waitFor(() => recordsOf('replay-job').length === 2 && recordsOf('latest-job').length === 1, 'both new subscriptions');
    const keys = (job: string) => recordsOf(job).map((r) => r.dynamodb.Keys.id!.S);
    expect(keys('latest-job')).toEqual(['after']);
    expect(keys('replay-job')).toEqual(['before', 'after']);
    // The subscription that was there all along kept its place: nothing twice.
    expect(keys('feed-job')).toEqual(['before', 'after']);
  });
});
