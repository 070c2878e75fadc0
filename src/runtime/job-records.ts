// The typed records a job's perform() receives, one per record of the raw Lambda event (SQS,
// SNS, S3, DynamoDB stream, EventBridge), each with its raw record and a fail() that marks it
// failed without throwing. Anything else (a direct invoke) is no record: perform gets it as it is.
import { decodeOrKeep } from './decode.js';
import { unmarshallItem, type DynamoValue } from './dynamodb-json.js';
import type { DynamoDBStreamRecord, EventBridgeEvent, S3EventRecord, ScheduledEvent, SnsRecord, SqsRecord } from './types.js';

/** The message attribute performLater sets (the job's name), by which its messages are told apart. */
export const LATER_ATTRIBUTE = 'sls-ts-job';

interface Failable {
  /** Marks this record failed (retried by its source, as if perform had thrown) without throwing. */
  fail(reason?: string): void;
}

export interface QueueRecord extends Failable {
  kind: 'queue';
  messageId: string;
  body: string;
  /** The body parsed as JSON (a SyntaxError when it is not, which fails the record). */
  json<T = unknown>(): T;
  /** Message attributes by name: String and Number values as text, Binary values base64-encoded. */
  attributes: Record<string, string>;
  receiveCount: number;
  sentAt: Date;
  /** FIFO queues only. */
  groupId?: string;
  /** The queue's name (`emails`, `orders.fifo`), from its ARN. */
  queue: string;
  raw: SqsRecord;
}

/** A message sent by `SomeJob.performLater(payload)`. */
export interface LaterRecord<Payload = unknown> extends Failable {
  kind: 'later';
  payload: Payload;
  messageId: string;
  receiveCount: number;
  raw: SqsRecord;
}

export interface TopicRecord extends Failable {
  kind: 'topic';
  messageId: string;
  message: string;
  json<T = unknown>(): T;
  subject?: string;
  /** Message attributes by name, as SNS sends them (Binary values base64-encoded). */
  attributes: Record<string, string>;
  /** The topic's name, from its ARN. */
  topic: string;
  timestamp: Date;
  raw: SnsRecord;
}

export interface BucketRecord extends Failable {
  kind: 'bucket';
  /** `ObjectCreated:Put`, `ObjectRemoved:Delete` … */
  event: string;
  bucket: string;
  /** The object key as stored (S3 sends it form-encoded). */
  key: string;
  /** Absent on removals. */
  size?: number;
  etag?: string;
  versionId?: string;
  raw: S3EventRecord;
}

export interface TableRecord extends Failable {
  kind: 'table';
  event: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Record<string, DynamoValue>;
  /** Per the stream's view type: absent on a REMOVE and with KEYS_ONLY / OLD_IMAGE. */
  newImage?: Record<string, DynamoValue>;
  oldImage?: Record<string, DynamoValue>;
  sequenceNumber: string;
  /** The table's name, from the stream's ARN. */
  table: string;
  raw: DynamoDBStreamRecord;
}

/** An EventBridge event matched by a `rule(…)`: the event's own fields, plus these. */
export interface RuleRecord extends Failable, Omit<EventBridgeEvent, 'time'> {
  kind: 'rule';
  detailType: string;
  time: Date;
  raw: EventBridgeEvent;
}

/**
 * A schedule firing: the ScheduledEvent's own fields (`time` stays EventBridge's ISO text, as jobs
 * written before records read it), plus these.
 */
export interface ScheduleRecord extends Failable, ScheduledEvent {
  kind: 'schedule';
  /** The rule's (or schedule's) name, from the event's resource ARN. */
  rule: string;
  raw: ScheduledEvent;
}

export type JobRecord<Payload = unknown> = QueueRecord | LaterRecord<Payload> | TopicRecord | BucketRecord | TableRecord | RuleRecord | ScheduleRecord;

/** How the source retries: `batch` reports failed items back, `stream` checkpoints, `async` retries the invocation. */
export type RecordSource = { kind: 'queue'; fifo: boolean } | { kind: 'stream' } | { kind: 'async'; eventBridge: boolean };

export interface Entry {
  /** What batchItemFailures and the logs name the record by. */
  id: string;
  /** Made when its turn comes, so a record that cannot be read (a broken performLater payload) fails alone. */
  build(): JobRecord;
  failure?: { reason: unknown };
}

/** The records of a raw event, or undefined for anything that is not an event source's. */
export function recordsOf(event: unknown): { source: RecordSource; entries: Entry[] } | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const records = (event as { Records?: unknown }).Records;
  if (Array.isArray(records) && records.length > 0) {
    const first = records[0] as { eventSource?: string; EventSource?: string };
    const origin = first.eventSource ?? first.EventSource;
    if (origin === 'aws:sqs') return { source: { kind: 'queue', fifo: (first as SqsRecord).eventSourceARN.endsWith('.fifo') }, entries: records.map((raw: SqsRecord) => entry(raw.messageId, (fail) => queueRecord(raw, fail))) };
    if (origin === 'aws:dynamodb') return { source: { kind: 'stream' }, entries: records.map((raw: DynamoDBStreamRecord) => entry(raw.dynamodb.SequenceNumber, (fail) => tableRecord(raw, fail))) };
    if (origin === 'aws:sns') return { source: { kind: 'async', eventBridge: false }, entries: records.map((raw: SnsRecord) => entry(raw.Sns.MessageId, (fail) => topicRecord(raw, fail))) };
    if (origin === 'aws:s3') return { source: { kind: 'async', eventBridge: false }, entries: records.map((raw: S3EventRecord) => entry(`${raw.s3.bucket.name}/${raw.s3.object.key}`, (fail) => bucketRecord(raw, fail))) };
    return undefined;
  }
  const bridged = event as Partial<EventBridgeEvent>;
  if (typeof bridged['detail-type'] === 'string' && typeof bridged.source === 'string' && typeof bridged.id === 'string' && 'detail' in bridged) {
    const raw = bridged as EventBridgeEvent;
    return { source: { kind: 'async', eventBridge: true }, entries: [entry(raw.id, (fail) => (isSchedule(raw) ? scheduleRecord(raw, fail) : ruleRecord(raw, fail)))] };
  }
  return undefined;
}

function entry(id: string, make: (fail: Failable['fail']) => JobRecord): Entry {
  const made: Entry = {
    id,
    build: () =>
      make((reason) => {
        made.failure = { reason: reason ?? 'marked failed' };
      }),
  };
  return made;
}

function queueRecord(raw: SqsRecord, fail: Failable['fail']): QueueRecord | LaterRecord {
  const receiveCount = Number(raw.attributes.ApproximateReceiveCount);
  if (raw.messageAttributes?.[LATER_ATTRIBUTE]) {
    // performLater always sends JSON: a payload that does not parse fails its record.
    return { kind: 'later', payload: JSON.parse(raw.body), messageId: raw.messageId, receiveCount, raw, fail };
  }
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.messageAttributes ?? {})) attributes[name] = value.stringValue ?? value.binaryValue ?? '';
  const groupId = raw.attributes.MessageGroupId;
  return {
    kind: 'queue',
    messageId: raw.messageId,
    body: raw.body,
    json: () => JSON.parse(raw.body),
    attributes,
    receiveCount,
    sentAt: new Date(Number(raw.attributes.SentTimestamp)),
    ...(groupId !== undefined && { groupId }),
    queue: arnName(raw.eventSourceARN),
    raw,
    fail,
  };
}

function topicRecord(raw: SnsRecord, fail: Failable['fail']): TopicRecord {
  const { Sns: sns } = raw;
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(sns.MessageAttributes ?? {})) attributes[name] = value.Value;
  return {
    kind: 'topic',
    messageId: sns.MessageId,
    message: sns.Message,
    json: () => JSON.parse(sns.Message),
    ...(typeof sns.Subject === 'string' && { subject: sns.Subject }),
    attributes,
    topic: arnName(sns.TopicArn),
    timestamp: new Date(sns.Timestamp),
    raw,
    fail,
  };
}

function bucketRecord(raw: S3EventRecord, fail: Failable['fail']): BucketRecord {
  const { object } = raw.s3;
  return {
    kind: 'bucket',
    event: raw.eventName,
    bucket: raw.s3.bucket.name,
    // S3 form-encodes keys: `+` is a space, and a literal `+` arrives as %2B.
    key: decodeOrKeep(object.key.replace(/\+/g, ' ')),
    ...(object.size !== undefined && { size: object.size }),
    ...(object.eTag !== undefined && { etag: object.eTag }),
    ...(object.versionId !== undefined && { versionId: object.versionId }),
    raw,
    fail,
  };
}

function tableRecord(raw: DynamoDBStreamRecord, fail: Failable['fail']): TableRecord {
  const { dynamodb: change } = raw;
  return {
    kind: 'table',
    event: raw.eventName,
    keys: unmarshallItem(change.Keys),
    ...(change.NewImage && { newImage: unmarshallItem(change.NewImage) }),
    ...(change.OldImage && { oldImage: unmarshallItem(change.OldImage) }),
    sequenceNumber: change.SequenceNumber,
    // arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
    table: raw.eventSourceARN.split('/')[1] ?? raw.eventSourceARN,
    raw,
    fail,
  };
}

// The raw event's fields first: scheduled jobs written before records read event.time, event['detail-type'] …
function ruleRecord(raw: EventBridgeEvent, fail: Failable['fail']): RuleRecord {
  return { ...raw, kind: 'rule', detailType: raw['detail-type'], time: new Date(raw.time), raw, fail };
}

function scheduleRecord(raw: ScheduledEvent, fail: Failable['fail']): ScheduleRecord {
  return { ...raw, kind: 'schedule', rule: arnName(raw.resources[0] ?? ''), raw, fail };
}

function isSchedule(event: EventBridgeEvent): boolean {
  return event['detail-type'] === 'Scheduled Event' && (event.source === 'aws.events' || event.source === 'aws.scheduler');
}

/** The last name of an ARN: `…:queue-name`, `…:rule/bus/rule-name` → `rule-name`. */
function arnName(arn: string): string {
  return arn.slice(Math.max(arn.lastIndexOf(':'), arn.lastIndexOf('/')) + 1);
}
