// Non-HTTP event shapes (reference section J, cited as "item N"): what a job or plain function
// receives from EventBridge (schedules and rules), SQS, SNS, S3 and DynamoDB streams, for
// `invoke --local` and tests.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { marshallItem } from '../dynamodb-json.js';
import type {
  DynamoDBStreamEvent,
  DynamoDBStreamRecord,
  EventBridgeEvent,
  S3Event,
  ScheduledEvent,
  SnsEvent,
  SnsMessageAttribute,
  SqsEvent,
  SqsMessageAttribute,
  SqsRecordAttributes,
} from '../types.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, DEFAULT_SOURCE_IP } from './api-gateway.js';

interface AccountOptions {
  region?: string;
  accountId?: string;
}

export interface ScheduledEventOptions extends AccountOptions {
  ruleName?: string;
  time?: Date;
  id?: string;
  detail?: Record<string, unknown>;
}

/** Item 95. */
export function scheduledEvent(options: ScheduledEventOptions = {}): ScheduledEvent {
  const region = options.region ?? DEFAULT_REGION;
  const account = options.accountId ?? DEFAULT_ACCOUNT_ID;
  return eventBridgeEvent({
    ...options,
    source: 'aws.events',
    detailType: 'Scheduled Event',
    resources: [`arn:aws:events:${region}:${account}:rule/${options.ruleName ?? 'sls-ts-schedule'}`],
  });
}

export interface EventBridgeEventOptions<Detail> extends AccountOptions {
  source: string;
  detailType: string;
  detail?: Detail;
  /** ARNs the event is about; EventBridge sends `[]` for events put without any. */
  resources?: string[];
  time?: Date;
  id?: string;
}

/** An event put on a bus (PutEvents) as a matching rule's target receives it. */
export function eventBridgeEvent<Detail extends object = Record<string, unknown>>(options: EventBridgeEventOptions<Detail>): EventBridgeEvent<Detail> {
  return {
    version: '0',
    id: options.id ?? randomUUID(),
    'detail-type': options.detailType,
    source: options.source,
    account: options.accountId ?? DEFAULT_ACCOUNT_ID,
    // Seconds precision: EventBridge never sends milliseconds here.
    time: (options.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region ?? DEFAULT_REGION,
    resources: [...(options.resources ?? [])],
    detail: { ...options.detail } as Detail,
  };
}

/** A string or number is a String/Number attribute, a Buffer a Binary one (sent base64, as SQS does). */
export type SqsMessageAttributeInput = string | number | Buffer | SqsMessageAttribute;

export interface SqsMessageSpec {
  body: string;
  attributes?: Partial<SqsRecordAttributes>;
  messageAttributes?: Record<string, SqsMessageAttributeInput>;
}

export interface SqsEventOptions extends AccountOptions {
  /** A name ending in `.fifo` adds the FIFO attributes (item 97). */
  queueName?: string;
  sentAt?: Date;
  messageGroupId?: string;
}

/**
 * Item 97. Each entry is a string body, a `{ body, attributes?, messageAttributes? }` spec (a string
 * `body` and no other keys), or any other value, which is sent as its JSON.
 */
export function sqsEvent(bodies: ReadonlyArray<string | object>, options: SqsEventOptions = {}): SqsEvent {
  const region = options.region ?? DEFAULT_REGION;
  const queueName = options.queueName ?? 'sls-ts-queue';
  const sent = String((options.sentAt ?? new Date()).getTime());
  const fifo = queueName.endsWith('.fifo');
  return {
    Records: bodies.map((entry, index) => {
      const spec = toSqsSpec(entry);
      const attributes: SqsRecordAttributes = {
        ApproximateReceiveCount: '1',
        SentTimestamp: sent,
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: sent,
        ...(fifo
          ? {
              SequenceNumber: String(18849496460467696000n + BigInt(index)),
              MessageGroupId: options.messageGroupId ?? 'default',
              MessageDeduplicationId: createHash('sha256').update(spec.body).digest('hex'),
            }
          : {}),
      };
      const messageAttributes = mapValues(spec.messageAttributes ?? {}, toSqsMessageAttribute);
      return {
        messageId: randomUUID(),
        receiptHandle: randomBytes(48).toString('base64'),
        body: spec.body,
        attributes: { ...attributes, ...definedOnly(spec.attributes ?? {}) },
        messageAttributes,
        md5OfBody: createHash('md5').update(spec.body, 'utf8').digest('hex'),
        // SQS sends it only for a message that has attributes.
        ...(Object.keys(messageAttributes).length > 0 && { md5OfMessageAttributes: md5OfMessageAttributes(messageAttributes) }),
        eventSource: 'aws:sqs' as const,
        eventSourceARN: `arn:aws:sqs:${region}:${options.accountId ?? DEFAULT_ACCOUNT_ID}:${queueName}`,
        awsRegion: region,
      };
    }),
  };
}

export interface SnsMessageSpec {
  message: string;
  subject?: string;
  messageAttributes?: Record<string, string | number | SnsMessageAttribute>;
}

export interface SnsEventOptions extends AccountOptions {
  topicName?: string;
  time?: Date;
}

/** Item 98. Entries follow the same rules as `sqsEvent`, with `message` in place of `body`. */
export function snsEvent(messages: ReadonlyArray<string | object>, options: SnsEventOptions = {}): SnsEvent {
  const region = options.region ?? DEFAULT_REGION;
  const topicArn = `arn:aws:sns:${region}:${options.accountId ?? DEFAULT_ACCOUNT_ID}:${options.topicName ?? 'sls-ts-topic'}`;
  const subscriptionArn = `${topicArn}:${randomUUID()}`;
  const snsHost = `https://sns.${region}.amazonaws.com`;
  return {
    Records: messages.map((entry) => {
      const spec = toSnsSpec(entry);
      return {
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        EventSource: 'aws:sns' as const,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Subject: spec.subject ?? null,
          Message: spec.message,
          Timestamp: (options.time ?? new Date()).toISOString(),
          SignatureVersion: '1',
          Signature: randomBytes(256).toString('base64'),
          SigningCertUrl: `${snsHost}/SimpleNotificationService-${randomBytes(16).toString('hex')}.pem`,
          UnsubscribeUrl: `${snsHost}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          MessageAttributes: mapValues(spec.messageAttributes ?? {}, (value) =>
            typeof value === 'object' ? value : { Type: typeof value === 'number' ? 'Number' : 'String', Value: String(value) },
          ),
        },
      };
    }),
  };
}

export interface S3EventOptions extends AccountOptions {
  bucket: string;
  /** The object key as stored (unencoded); the event carries it URL-encoded (item 99). */
  key: string;
  eventName?: string;
  size?: number;
  eTag?: string;
  /** The object's version, for a bucket with versioning on (S3 omits the key otherwise). */
  versionId?: string;
  time?: Date;
  sourceIp?: string;
}

/** Item 99. */
export function s3Event(options: S3EventOptions): S3Event {
  const eventName = options.eventName ?? 'ObjectCreated:Put';
  // Delete notifications describe an object that no longer has a size or an ETag.
  const removed = eventName.startsWith('ObjectRemoved');
  const principalId = `AWS:${randomBytes(10).toString('hex').toUpperCase()}`;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: options.region ?? DEFAULT_REGION,
        eventTime: (options.time ?? new Date()).toISOString(),
        eventName,
        userIdentity: { principalId },
        requestParameters: { sourceIPAddress: options.sourceIp ?? DEFAULT_SOURCE_IP },
        responseElements: {
          'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
          'x-amz-id-2': randomBytes(48).toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'sls-ts-notification',
          bucket: { name: options.bucket, ownerIdentity: { principalId }, arn: `arn:aws:s3:::${options.bucket}` },
          object: {
            key: encodeS3Key(options.key),
            ...(removed ? {} : { size: options.size ?? 0, eTag: options.eTag ?? createHash('md5').digest('hex') }),
            ...(options.versionId !== undefined && { versionId: options.versionId }),
            sequencer: randomBytes(8).toString('hex').toUpperCase(),
          },
        },
      },
    ],
  };
}

/** S3 form-encodes keys: `/` kept, space → `+`, a literal `+` → `%2B`. */
export function encodeS3Key(key: string): string {
  // Form encoding, as S3 writes keys in events: `!'()~` are escaped too (encodeURIComponent keeps them), `/` is kept.
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+'))
    .join('/');
}

/** One change: plain values (`{ id: 'a', n: 1 }`), written as DynamoDB's JSON in the event. */
export interface TableChangeSpec {
  /** Default: INSERT with only a new image, REMOVE with only an old one, else MODIFY. */
  event?: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Record<string, unknown>;
  /** The item after the change (its keys are added, as DynamoDB's images include them). */
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
}

export interface DynamodbStreamEventOptions extends AccountOptions {
  tableName?: string;
  /** What the stream carries (default NEW_AND_OLD_IMAGES): images it does not carry are left out. */
  streamViewType?: DynamoDBStreamRecord['dynamodb']['StreamViewType'];
  time?: Date;
}

/** A DynamoDB stream batch as Lambda's event source mapping delivers it, one record per change. */
export function dynamodbStreamEvent(changes: ReadonlyArray<TableChangeSpec>, options: DynamodbStreamEventOptions = {}): DynamoDBStreamEvent {
  const region = options.region ?? DEFAULT_REGION;
  const view = options.streamViewType ?? 'NEW_AND_OLD_IMAGES';
  const time = options.time ?? new Date();
  // The stream's label is the time it was enabled, without the zone: an hour earlier will do.
  const label = new Date(time.getTime() - 3_600_000).toISOString().replace(/Z$/, '');
  const firstSequence = BigInt(time.getTime()) * 10n ** 12n;
  return {
    Records: changes.map((change, index) => {
      const event = change.event ?? (change.oldImage ? (change.newImage ? 'MODIFY' : 'REMOVE') : 'INSERT');
      const Keys = marshallItem(change.keys);
      const NewImage = change.newImage && view !== 'KEYS_ONLY' && view !== 'OLD_IMAGE' ? marshallItem({ ...change.newImage, ...change.keys }) : undefined;
      const OldImage = change.oldImage && view !== 'KEYS_ONLY' && view !== 'NEW_IMAGE' ? marshallItem({ ...change.oldImage, ...change.keys }) : undefined;
      return {
        eventID: randomBytes(16).toString('hex'),
        eventName: event,
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb' as const,
        awsRegion: region,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(time.getTime() / 1000),
          Keys,
          ...(NewImage && { NewImage }),
          ...(OldImage && { OldImage }),
          SequenceNumber: String(firstSequence + BigInt(index)),
          SizeBytes: Buffer.byteLength(JSON.stringify([Keys, NewImage, OldImage])),
          StreamViewType: view,
        },
        eventSourceARN: `arn:aws:dynamodb:${region}:${options.accountId ?? DEFAULT_ACCOUNT_ID}:table/${options.tableName ?? 'sls-ts-table'}/stream/${label}`,
      };
    }),
  };
}

function toSqsSpec(entry: string | object): SqsMessageSpec {
  if (typeof entry === 'string') return { body: entry };
  if (isSpec(entry, 'body', ['attributes', 'messageAttributes'])) return entry as SqsMessageSpec;
  return { body: JSON.stringify(entry) };
}

function toSnsSpec(entry: string | object): SnsMessageSpec {
  if (typeof entry === 'string') return { message: entry };
  if (isSpec(entry, 'message', ['subject', 'messageAttributes'])) return entry as SnsMessageSpec;
  return { message: JSON.stringify(entry) };
}

// A payload that merely happens to have a `body` key must still be sent as JSON, so a spec is
// recognised only by a string main field and nothing but the known optional keys.
function isSpec(entry: object, main: string, optional: readonly string[]): boolean {
  const record = entry as Record<string, unknown>;
  return typeof record[main] === 'string' && Object.keys(record).every((key) => key === main || optional.includes(key));
}

function toSqsMessageAttribute(value: SqsMessageAttributeInput): SqsMessageAttribute {
  if (Buffer.isBuffer(value)) return { binaryValue: value.toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' };
  if (typeof value === 'object') return value;
  return {
    stringValue: String(value),
    stringListValues: [],
    binaryListValues: [],
    dataType: typeof value === 'number' ? 'Number' : 'String',
  };
}

/**
 * SQS's MD5 of message attributes, as SQS computes it and SDKs check it: for each attribute in
 * name order, the name, the data type (each as a 4-byte big-endian length then UTF-8 bytes), a
 * transport byte (1 string, 2 binary) and the value (length-prefixed: UTF-8 text, or the binary
 * bytes decoded from base64). Checked against the SDKs' published test vectors (test/unit/runtime).
 */
export function md5OfMessageAttributes(attributes: Record<string, SqsMessageAttribute>): string {
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const { dataType, stringValue, binaryValue } = attributes[name]!;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(dataType, 'utf8'));
    const binary = stringValue === undefined && binaryValue !== undefined;
    hash.update(Buffer.of(binary ? 2 : 1));
    field(binary ? Buffer.from(binaryValue, 'base64') : Buffer.from(stringValue ?? '', 'utf8'));
  }
  return hash.digest('hex');
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

function definedOnly(record: Partial<SqsRecordAttributes>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
