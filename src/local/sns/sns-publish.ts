// Publish and PublishBatch: a message checked as SNS checks it (FIFO parameters, attributes, size,
// MessageStructure), then fanned out to every subscription whose filter policy matches: jobs run
// as Lambda's asynchronous invoke runs them, queues receive it through the local SQS service.
import { createHash, randomUUID } from 'node:crypto';
import { matchesFilterPolicy } from '../../config/event-filters/index.js';
import type { AsyncRunner } from '../async-invoke.js';
import { invalidParameter, notFound, SnsError, type Params } from './query-protocol.js';
import {
  checkSubject, lambdaRecord, bodyFor, MAX_MESSAGE_BYTES, messageBytes, readMessageAttributes, readMessageStructure, sqsEnvelope,
  type PublishedMessage, type SubscriptionUrls,
} from './sns-messages.js';
import { subscriptionsOf, type Subscription, type Topic, type TopicStore } from './sns-topics.js';

/** An SQS message attribute as SendMessage takes it (BinaryValue base64). */
export type QueueMessageAttribute = { DataType: string; StringValue?: string; BinaryValue?: string };

/** Sends to a local queue by its ARN; rejects when there is no such queue. */
export type SendToQueue = (
  queueArn: string,
  body: string,
  messageAttributes: Record<string, QueueMessageAttribute>,
  fifo?: { messageGroupId: string; messageDeduplicationId: string },
) => Promise<void>;

export interface PublishContext {
  store: TopicStore;
  runner: AsyncRunner;
  sendToQueue?: SendToQueue;
  urls(subscription: Subscription): SubscriptionUrls;
  fifo: FifoState;
}

type Deduplicated = { at: number; messageId: string; sequenceNumber: string };

/** FIFO topics' memory: the last sequence number, and the deduplication ids seen per topic ARN. */
export interface FifoState {
  sequence: bigint;
  seen: Map<string, Map<string, Deduplicated>>;
}

// SNS's sequence numbers are large and growing, 20 digits and more.
export const createFifoState = (): FifoState => ({ sequence: 10_000_000_000_000_000_000n, seen: new Map() });

/** FIFO topics drop a message whose deduplication id was seen in the last five minutes. */
const DEDUPLICATION_MS = 5 * 60_000;

export function findTopic(store: TopicStore, arn: string): Topic {
  const topic = store.topics.get(arn);
  if (!topic) throw notFound('Topic does not exist');
  return topic;
}

/** The topic a Publish names (TopicArn, or TargetArn as SNS also accepts). */
export function publishTarget(store: TopicStore, params: Params): Topic {
  const arn = params.get('TopicArn') || params.get('TargetArn');
  if (!arn) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  if (!arn.startsWith('arn:')) throw invalidParameter('TopicArn');
  return findTopic(store, arn);
}

function readFifo(topic: Topic, params: Params, prefix: string, message: string) {
  const groupId = params.get(`${prefix}MessageGroupId`) || undefined;
  const dedupId = params.get(`${prefix}MessageDeduplicationId`) || undefined;
  if (!topic.fifo) {
    if (dedupId !== undefined) throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    return {};
  }
  if (groupId === undefined) throw invalidParameter('The request must contain the parameter MessageGroupId.');
  if (dedupId === undefined && topic.attributes.ContentBasedDeduplication !== 'true') {
    throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
  return { messageGroupId: groupId, messageDeduplicationId: dedupId ?? createHash('sha256').update(message).digest('hex') };
}

/** Reads and checks one message (`prefix` is a batch entry's `PublishBatchRequestEntries.member.N.`). */
function readMessage(topic: Topic, params: Params, prefix: string): Omit<PublishedMessage, 'messageId' | 'timestamp'> {
  const message = params.get(`${prefix}Message`);
  if (message === null || message === '') throw invalidParameter('Empty message');
  const subject = params.get(`${prefix}Subject`) ?? undefined;
  if (subject !== undefined) checkSubject(subject);
  const attributes = readMessageAttributes(params, prefix);
  if (messageBytes(message, attributes) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  const structure = params.get(`${prefix}MessageStructure`);
  if (structure !== null && structure !== 'json') throw invalidParameter('MessageStructure Reason: the only accepted value is json');
  return {
    topicArn: topic.arn,
    ...(subject !== undefined && { subject }),
    message,
    ...(structure === 'json' && { perProtocol: readMessageStructure(message) }),
    attributes,
    ...readFifo(topic, params, prefix, message),
  };
}

function matches(subscription: Subscription, message: PublishedMessage): boolean {
  if (subscription.filter === undefined) return true;
  return matchesFilterPolicy(subscription.filter, subscription.scope, { body: bodyFor(message, subscription.protocol), attributes: message.attributes });
}

function queueAttributes(message: PublishedMessage): Record<string, QueueMessageAttribute> {
  return Object.fromEntries(Object.entries(message.attributes).map(([name, { Type, Value }]) => [
    name, Type.startsWith('Binary') ? { DataType: Type, BinaryValue: Value } : { DataType: Type, StringValue: Value },
  ]));
}

function fanOut(context: PublishContext, topic: Topic, message: PublishedMessage): void {
  for (const subscription of subscriptionsOf(context.store, topic.arn)) {
    if (!matches(subscription, message)) continue;
    const urls = context.urls(subscription);
    if (subscription.protocol === 'lambda') {
      context.runner.invoke({ job: subscription.job!, kind: 'topic', source: topic.declared ?? topic.physicalName, event: { Records: [lambdaRecord(message, subscription.arn, urls)] }, records: 1 });
      continue;
    }
    const send = context.sendToQueue!;
    const body = subscription.raw ? bodyFor(message, 'sqs') : sqsEnvelope(message, urls);
    const fifo = message.messageGroupId === undefined ? undefined : { messageGroupId: message.messageGroupId, messageDeduplicationId: message.messageDeduplicationId! };
    // The queue is local and answers at once: a failure (the queue was deleted) does not heal by waiting.
    context.runner.run(`topic ${topic.physicalName} → queue ${subscription.endpoint}`, () => send(subscription.endpoint, body, subscription.raw ? queueAttributes(message) : {}, fifo), []);
  }
}

/** A FIFO topic's number for a new message, or the earlier answer to a deduplication id seen within five minutes. */
function sequenceFor(fifo: FifoState, topic: Topic, deduplicationId: string, now: number): { earlier?: Deduplicated; record(messageId: string): string } {
  const seen = fifo.seen.get(topic.arn) ?? new Map<string, Deduplicated>();
  fifo.seen.set(topic.arn, seen);
  for (const [id, entry] of seen) if (now - entry.at > DEDUPLICATION_MS) seen.delete(id);
  const earlier = seen.get(deduplicationId);
  return {
    ...(earlier && { earlier }),
    record(messageId) {
      fifo.sequence += 1n;
      const sequenceNumber = fifo.sequence.toString();
      seen.set(deduplicationId, { at: now, messageId, sequenceNumber });
      return sequenceNumber;
    },
  };
}

/** Publishes one message: its MessageId, and its SequenceNumber on a FIFO topic. */
export function publish(context: PublishContext, topic: Topic, params: Params, prefix = ''): { messageId: string; sequenceNumber?: string } {
  const read = readMessage(topic, params, prefix);
  const now = Date.now();
  const message: PublishedMessage = { ...read, messageId: randomUUID(), timestamp: new Date(now).toISOString() };
  if (read.messageDeduplicationId !== undefined) {
    const sequence = sequenceFor(context.fifo, topic, read.messageDeduplicationId, now);
    // Accepted again and not delivered again, as SNS does within the deduplication interval.
    if (sequence.earlier) return { messageId: sequence.earlier.messageId, sequenceNumber: sequence.earlier.sequenceNumber };
    message.sequenceNumber = sequence.record(message.messageId);
  }
  fanOut(context, topic, message);
  return { messageId: message.messageId, ...(message.sequenceNumber !== undefined && { sequenceNumber: message.sequenceNumber }) };
}

const BATCH_MAX = 10;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface BatchResult {
  successful: Array<{ id: string; messageId: string; sequenceNumber?: string }>;
  failed: Array<{ id: string; code: string; message: string }>;
}

export function publishBatch(context: PublishContext, topic: Topic, params: Params, members: readonly number[]): BatchResult {
  if (members.length === 0) throw new SnsError('EmptyBatchRequest', 'The batch request doesn\'t contain any entries.');
  if (members.length > BATCH_MAX) throw new SnsError('TooManyEntriesInBatchRequest', `The batch request contains more entries than permissible (${BATCH_MAX}).`);
  const prefixes = members.map((n) => `PublishBatchRequestEntries.member.${n}.`);
  const ids = prefixes.map((prefix) => params.get(`${prefix}Id`) ?? '');
  const bad = ids.find((id) => !BATCH_ID.test(id));
  if (bad !== undefined) throw new SnsError('InvalidBatchEntryId', `The Id of a batch entry in a batch request doesn't abide by the specification: '${bad}' (1 to 80 letters, digits, '-' and '_').`);
  if (new Set(ids).size !== ids.length) throw new SnsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  const total = prefixes.reduce((sum, prefix) => sum + Buffer.byteLength(params.get(`${prefix}Message`) ?? '', 'utf8'), 0);
  if (total > MAX_MESSAGE_BYTES) throw new SnsError('BatchRequestTooLong', `The length of all the messages put together is more than the limit (${MAX_MESSAGE_BYTES} bytes).`);
  const result: BatchResult = { successful: [], failed: [] };
  prefixes.forEach((prefix, i) => {
    const id = ids[i]!;
    try {
      result.successful.push({ id, ...publish(context, topic, params, prefix) });
    } catch (error) {
      if (!(error instanceof SnsError)) throw error;
      result.failed.push({ id, code: error.code, message: error.message });
    }
  });
  return result;
}
