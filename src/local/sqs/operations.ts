// SQS's operations over its AWS JSON 1.0 protocol (what the AWS SDK v3 speaks): each takes the
// request's JSON and returns the reply's, or throws an SqsError.
import { invalidParameter, missingParameter, nonExistentQueue, SqsError } from './errors.js';
import { md5Hex, md5OfAttributes, type WireAttribute } from './md5.js';
import { waitForChange, type LocalQueue, type StoredMessage } from './queue.js';
import type { QueueStore } from './store.js';

type Input = Record<string, unknown>;
export interface CallContext {
  /** Who sent it (the signing key), for SenderId. */
  senderId: string;
  /** Aborted when the client goes away: a long poll stops waiting. */
  signal: AbortSignal;
}

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

const text = (input: Input, name: string): string => {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw missingParameter(name);
  return value;
};
const optionalInt = (input: Input, name: string, min: number, max: number): number | undefined => {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalidParameter(`Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`);
  return value;
};
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function checkAttributes(value: unknown): Record<string, WireAttribute> | undefined {
  if (value === undefined || value === null) return undefined;
  const attributes = value as Record<string, WireAttribute>;
  const names = Object.keys(attributes);
  if (names.length > 10) throw invalidParameter(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  for (const name of names) {
    const { DataType, StringValue, BinaryValue } = attributes[name] ?? ({} as WireAttribute);
    if (typeof DataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(DataType)) throw invalidParameter(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    const binary = DataType.startsWith('Binary');
    if (binary ? BinaryValue === undefined : StringValue === undefined) throw invalidParameter(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${DataType}'.`);
    if (DataType.startsWith('Number') && !Number.isFinite(Number(StringValue))) throw invalidParameter(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
  return attributes;
}

function sendOne(queue: LocalQueue, entry: Input, context: CallContext) {
  const system = entry.MessageSystemAttributes as Record<string, WireAttribute> | undefined;
  const body = typeof entry.MessageBody === 'string' ? entry.MessageBody : '';
  const attributes = checkAttributes(entry.MessageAttributes);
  const { message } = queue.send({
    body,
    ...(attributes && { attributes }),
    ...(system?.AWSTraceHeader?.StringValue !== undefined && { traceHeader: system.AWSTraceHeader.StringValue }),
    ...(optionalInt(entry, 'DelaySeconds', 0, 900) !== undefined && { delaySeconds: entry.DelaySeconds as number }),
    ...(typeof entry.MessageGroupId === 'string' && { groupId: entry.MessageGroupId }),
    ...(typeof entry.MessageDeduplicationId === 'string' && { deduplicationId: entry.MessageDeduplicationId }),
    senderId: context.senderId,
  });
  return {
    MessageId: message.id,
    // Of what this request sent: a deduplicated send returns the first message's id, but the checksums the SDK checks are of its own body.
    MD5OfMessageBody: md5Hex(body),
    ...(attributes && Object.keys(attributes).length > 0 && { MD5OfMessageAttributes: md5OfAttributes(attributes) }),
    ...(message.sequenceNumber && { SequenceNumber: message.sequenceNumber }),
  };
}

/** A batch's entries, checked as SQS does before any of them runs. */
function batchEntries(input: Input): Input[] {
  const entries = Array.isArray(input.Entries) ? (input.Entries as Input[]) : [];
  if (entries.length === 0) throw new SqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.', 'AWS.SimpleQueueService.EmptyBatchRequest');
  if (entries.length > 10) throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest');
  const ids = entries.map((entry) => entry.Id);
  for (const id of ids) if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) throw new SqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.', 'AWS.SimpleQueueService.InvalidBatchEntryId');
  if (new Set(ids).size !== ids.length) throw new SqsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct');
  return entries;
}

/** Runs each entry; an entry's own error is a Failed item, not the request's. */
function runBatch(input: Input, run: (entry: Input) => object) {
  const Successful: object[] = [];
  const Failed: object[] = [];
  for (const entry of batchEntries(input)) {
    try {
      Successful.push({ Id: entry.Id, ...run(entry) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      Failed.push({ Id: entry.Id, SenderFault: error.status < 500, Code: error.code, Message: error.message });
    }
  }
  return { Successful, Failed };
}

function wantedAttribute(patterns: readonly string[]): (name: string) => boolean {
  return (name) => patterns.some((pattern) => pattern === 'All' || pattern === '.*' || pattern === name || (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))));
}

function systemAttributesOf(message: StoredMessage): Record<string, string> {
  return {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    ...(message.sequenceNumber !== undefined && { SequenceNumber: message.sequenceNumber }),
    ...(message.deduplicationId !== undefined && { MessageDeduplicationId: message.deduplicationId }),
    ...(message.groupId !== undefined && { MessageGroupId: message.groupId }),
    ...(message.traceHeader !== undefined && { AWSTraceHeader: message.traceHeader }),
  };
}

function received(message: StoredMessage, systemNames: readonly string[], attributeNames: readonly string[]) {
  const systemWanted = wantedAttribute(systemNames);
  const attributeWanted = wantedAttribute(attributeNames);
  const system = Object.entries(systemAttributesOf(message)).filter(([name]) => systemWanted(name));
  const attributes = Object.entries(message.attributes).filter(([name]) => attributeWanted(name));
  return {
    MessageId: message.id,
    ReceiptHandle: message.receipt,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(system.length > 0 && { Attributes: Object.fromEntries(system) }),
    // SQS sends the checksum of all the message's attributes whenever it returns any of them.
    ...(attributes.length > 0 && { MD5OfMessageAttributes: message.md5OfAttributes, MessageAttributes: Object.fromEntries(attributes) }),
  };
}

async function receiveMessage(store: QueueStore, input: Input, context: CallContext) {
  const queue = store.byUrl(text(input, 'QueueUrl'));
  const max = optionalInt(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
  const visibility = optionalInt(input, 'VisibilityTimeout', 0, 43_200);
  const wait = optionalInt(input, 'WaitTimeSeconds', 0, 20) ?? queue.settings.receiveWaitTime;
  const systemNames = [...strings(input.MessageSystemAttributeNames), ...strings(input.AttributeNames)];
  const attributeNames = strings(input.MessageAttributeNames);
  const deadline = Date.now() + wait * 1000;
  for (;;) {
    const messages = queue.receive(max, visibility);
    if (messages.length > 0) return { Messages: messages.map((message) => received(message, systemNames, attributeNames)) };
    if (Date.now() >= deadline || context.signal.aborted) return {};
    await waitForChange(queue, deadline, context.signal);
  }
}

function listQueues(store: QueueStore, input: Input) {
  const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
  const max = optionalInt(input, 'MaxResults', 1, 1000);
  const urls = store.list().filter((queue) => queue.name.startsWith(prefix)).map((queue) => queue.url).sort();
  const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) || 0 : 0;
  const page = max === undefined ? urls.slice(start) : urls.slice(start, start + max);
  const next = start + page.length;
  return {
    ...(page.length > 0 && { QueueUrls: page }),
    ...(max !== undefined && next < urls.length && { NextToken: Buffer.from(String(next)).toString('base64') }),
  };
}

function listDeadLetterSourceQueues(store: QueueStore, input: Input) {
  const target = store.byUrl(text(input, 'QueueUrl'));
  return { queueUrls: store.list().filter((queue) => queue.settings.redrive?.deadLetterTargetArn === target.arn).map((queue) => queue.url) };
}

const OPERATIONS: Record<string, (store: QueueStore, input: Input, context: CallContext) => unknown> = {
  CreateQueue: (store, input) => ({ QueueUrl: store.create(text(input, 'QueueName'), (input.Attributes ?? {}) as Record<string, string>).url }),
  DeleteQueue: (store, input) => {
    store.delete(store.byUrl(text(input, 'QueueUrl')));
    return {};
  },
  GetQueueUrl: (store, input) => {
    const queue = store.byName(text(input, 'QueueName'));
    if (!queue) throw nonExistentQueue();
    return { QueueUrl: queue.url };
  },
  ListQueues: listQueues,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  GetQueueAttributes: (store, input) => {
    const names = strings(input.AttributeNames);
    return { Attributes: store.attributesOf(store.byUrl(text(input, 'QueueUrl')), names.length === 0 ? [] : names) };
  },
  SetQueueAttributes: (store, input) => {
    store.setAttributes(store.byUrl(text(input, 'QueueUrl')), (input.Attributes ?? {}) as Record<string, string>);
    return {};
  },
  PurgeQueue: (store, input) => {
    store.byUrl(text(input, 'QueueUrl')).purge();
    return {};
  },
  SendMessage: (store, input, context) => sendOne(store.byUrl(text(input, 'QueueUrl')), input, context),
  SendMessageBatch: (store, input, context) => {
    const queue = store.byUrl(text(input, 'QueueUrl'));
    return runBatch(input, (entry) => sendOne(queue, entry, context));
  },
  ReceiveMessage: receiveMessage,
  DeleteMessage: (store, input) => {
    store.byUrl(text(input, 'QueueUrl')).delete(text(input, 'ReceiptHandle'));
    return {};
  },
  DeleteMessageBatch: (store, input) => {
    const queue = store.byUrl(text(input, 'QueueUrl'));
    return runBatch(input, (entry) => {
      queue.delete(text(entry, 'ReceiptHandle'));
      return {};
    });
  },
  ChangeMessageVisibility: (store, input) => {
    store.byUrl(text(input, 'QueueUrl')).changeVisibility(text(input, 'ReceiptHandle'), optionalInt(input, 'VisibilityTimeout', 0, 43_200) ?? 0);
    return {};
  },
  ChangeMessageVisibilityBatch: (store, input) => {
    const queue = store.byUrl(text(input, 'QueueUrl'));
    return runBatch(input, (entry) => {
      queue.changeVisibility(text(entry, 'ReceiptHandle'), optionalInt(entry, 'VisibilityTimeout', 0, 43_200) ?? 0);
      return {};
    });
  },
};

export async function runOperation(store: QueueStore, operation: string, input: Input, context: CallContext): Promise<unknown> {
  const run = OPERATIONS[operation];
  if (!run) throw new SqsError('UnsupportedOperation', `The local SQS service does not support ${operation}.`, 'AWS.SimpleQueueService.UnsupportedOperation');
  return run(store, input, context);
}
