// The rules behind subscription-checks.ts, one family per subscription kind: the numbers Lambda's
// event source mappings accept (Lambda developer guide, "parameters for Amazon SQS / DynamoDB
// event source mappings"), what S3, SNS and EventBridge accept, and which declared settings must
// agree with a subscription.
import type { ResolvedResource } from '../config/resources.js';
import { bucketEventTypes, eventTypesOverlap, isBucketEventName, isFifoArn, keyFiltersOverlap, parseArn } from '../config/subscription-sources.js';
import type { BucketSubscription, QueueSubscription, RuleSubscription, TableSubscription, TopicSubscription } from '../config/subscriptions.js';
import type { Diagnostic } from '../shared/errors.js';
import type { JobSubscriptions } from './subscription-checks.js';

export type Report = (at: string, text: string, hint?: string, level?: 'warning') => void;

const STREAM_VIEWS = ['new-and-old', 'new', 'old', 'keys'];
const STARTING_POSITIONS = ['latest', 'trim-horizon'];
const FILTER_SCOPES = ['attributes', 'body'];
/** S3's longest key filter value. */
const KEY_FILTER_LIMIT = 1024;

const SERVICE_NAMES: Record<string, string> = { sqs: 'an SQS queue', sns: 'an SNS topic', s3: 'an S3 bucket', dynamodb: 'a DynamoDB table stream' };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with an external source's ARN, if anything. */
export function arnProblem(kind: 'queue' | 'topic' | 'bucket' | 'table', arn: string, service: string): { text: string; hint?: string } | undefined {
  const parsed = parseArn(arn);
  if (!parsed) return { text: `'${arn}' is no well-formed ARN`, hint: `an ARN reads arn:<partition>:${service}:<region>:<account>:<resource>` };
  if (parsed.service !== service) return { text: `'${arn}' is an ARN of ${parsed.service}, not of ${SERVICE_NAMES[service]}`, hint: `a ${kind} subscription reads from ${SERVICE_NAMES[service]}` };
  if (kind === 'bucket') {
    return {
      text: `'${arn}': a bucket sls-ts does not declare cannot be subscribed to, because S3 keeps its notifications on the bucket itself`,
      hint: 'declare the bucket under `resources` (bucket()), or have its owner send its notifications to a declared topic or queue and subscribe to that',
    };
  }
  if (!parsed.region || !parsed.account) return { text: `'${arn}' names no region or no account`, hint: `${SERVICE_NAMES[service]}'s ARN reads arn:<partition>:${service}:<region>:<account>:<name>` };
  if (kind === 'table' && !/^table\/[^/]+\/stream\/[^/]+$/.test(parsed.resource)) {
    return { text: `'${arn}' is no table stream ARN`, hint: 'a table subscription reads the stream: arn:<partition>:dynamodb:<region>:<account>:table/<name>/stream/<label> (the table\'s LatestStreamArn)' };
  }
  return undefined;
}

function checkRange(value: unknown, at: string, [min, max]: readonly [number, number], what: string, report: Report, hint = `a whole number from ${min} to ${max}, or leave it out for Lambda's default`): boolean {
  if (value === undefined) return true;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return true;
  report(at, `${JSON.stringify(value)} is outside ${min}–${max}, ${what}`, hint);
  return false;
}

function isFifoQueue(subscription: QueueSubscription, source: ResolvedResource | undefined): boolean {
  return source ? source.kind === 'queue' && source.fifo : isFifoArn(subscription.source);
}

/** Batch sizes, batching windows, concurrency and retries within what Lambda accepts for the source. */
export function checkNumbers(subscription: QueueSubscription | TopicSubscription | BucketSubscription | TableSubscription, at: string, source: ResolvedResource | undefined, timeout: number, report: Report): void {
  if (subscription.kind === 'queue') {
    const fifo = isFifoQueue(subscription, source);
    const { batchSize, maxBatchingWindow, maxConcurrency } = subscription;
    checkRange(batchSize, `${at}.batchSize`, fifo ? [1, 10] : [1, 10_000], fifo ? 'the records Lambda takes from a FIFO queue at once' : 'the records Lambda takes from a standard queue at once', report, fifo ? 'at most 10 for a FIFO queue; bigger batches need a standard queue' : undefined);
    checkRange(maxBatchingWindow, `${at}.maxBatchingWindow`, [0, 300], 'the seconds Lambda may gather records', report);
    checkRange(maxConcurrency, `${at}.maxConcurrency`, [2, 1000], "Lambda's limits on a queue's concurrency", report);
    if (fifo && maxBatchingWindow !== undefined) report(`${at}.maxBatchingWindow`, 'Lambda has no batching window for FIFO queues', 'remove it: a FIFO queue\'s batches are taken as they come, in order');
    if (!fifo && typeof batchSize === 'number' && batchSize > 10 && !(typeof maxBatchingWindow === 'number' && maxBatchingWindow >= 1)) {
      report(`${at}.batchSize`, `a batch of ${batchSize} needs a batching window: Lambda takes more than 10 records from a queue only while it waits for them`, 'set maxBatchingWindow to at least 1 (seconds), or a batchSize of 10 at most');
    }
    if (source?.kind === 'queue' && source.visibilityTimeout < timeout) {
      report(at, `queue '${source.name}' hides a received message for ${source.visibilityTimeout} s, under the job's timeout (${timeout} s): Lambda refuses to read from it`, `set resources.${source.name}'s visibilityTimeout to at least ${timeout} (AWS advises ${6 * timeout}, 6 × the timeout)`);
    }
  } else if (subscription.kind === 'table') {
    checkRange(subscription.batchSize, `${at}.batchSize`, [1, 10_000], 'the records Lambda takes from a stream at once', report);
    checkRange(subscription.maxBatchingWindow, `${at}.maxBatchingWindow`, [0, 300], 'the seconds Lambda may gather records', report);
    checkRange(subscription.retries, `${at}.retries`, [-1, 10_000], "Lambda's retries of a stream batch (-1: until the record expires)", report);
  }
}

/** A declared queue or topic (standard: Lambda's on-failure destinations take no FIFO), or an SQS / SNS ARN. */
function checkOnFailure(destination: unknown, at: string, resources: readonly ResolvedResource[], report: Report): void {
  if (destination === undefined) return;
  const targets = resources.filter((resource) => resource.kind === 'queue' || resource.kind === 'topic');
  const list = targets.length > 0 ? `declared queues and topics: ${targets.map((resource) => resource.name).join(', ')}` : 'declare a queue or topic under `resources`';
  if (typeof destination !== 'string' || destination === '') {
    report(at, `${JSON.stringify(destination)} names no queue or topic`, list);
    return;
  }
  if (destination.startsWith('arn:')) {
    const parsed = parseArn(destination);
    if (!parsed || (parsed.service !== 'sqs' && parsed.service !== 'sns') || !parsed.region || !parsed.account) {
      report(at, `'${destination}' is no SQS queue or SNS topic ARN`, 'an on-failure destination is a queue or a topic');
    } else if (isFifoArn(destination)) {
      report(at, `'${destination}' is a FIFO ${parsed.service === 'sqs' ? 'queue' : 'topic'}: Lambda sends failed stream batches to standard ones only`, 'name a standard queue or topic');
    }
    return;
  }
  const declared = resources.find((resource) => resource.name === destination);
  if (!declared || (declared.kind !== 'queue' && declared.kind !== 'topic')) {
    report(at, declared ? `'${destination}' is a declared ${declared.kind}, not a queue or topic` : `'${destination}' names no declared queue or topic`, list);
  } else if (declared.fifo) {
    report(at, `'${destination}' is a FIFO ${declared.kind}: Lambda sends failed stream batches to standard ones only`, `use a standard ${declared.kind}`);
  }
}

function checkTopic(subscription: TopicSubscription, at: string, source: ResolvedResource | undefined, report: Report): void {
  const fifo = source ? source.kind === 'topic' && source.fifo : isFifoArn(subscription.source);
  if (fifo) report(at, `topic '${subscription.source}' is a FIFO topic: SNS delivers FIFO topics to SQS queues only, never to a function`, 'subscribe a FIFO queue to the topic and the job to that queue');
  if (subscription.filterScope !== undefined && !FILTER_SCOPES.includes(subscription.filterScope)) {
    report(`${at}.filterScope`, `${JSON.stringify(subscription.filterScope)} is no filter scope`, "'attributes' (the message attributes, the default) or 'body' (the JSON message)");
  }
  if (subscription.filter !== undefined && !isPlainObject(subscription.filter)) {
    report(`${at}.filter`, `${JSON.stringify(subscription.filter)} is no SNS filter policy`, 'a filter policy is an object: { store: ["example_corp"], price: [{ numeric: [">", 10] }] }');
  }
}

function checkBucket(subscription: BucketSubscription, at: string, _source: ResolvedResource | undefined, report: Report): void {
  const { on, prefix, suffix } = subscription;
  if (on !== undefined && (!Array.isArray(on) || on.length === 0)) {
    report(`${at}.on`, `${JSON.stringify(on)} is no list of S3 events`, "e.g. on: ['created', 'removed'] or ['s3:ObjectCreated:Put']");
  } else {
    (on ?? []).forEach((name, index) => {
      if (typeof name !== 'string' || !isBucketEventName(name)) {
        report(`${at}.on[${index}]`, `${JSON.stringify(name)} is no S3 event type`, "'created', 'removed', 'restored', or an S3 event type such as 's3:ObjectCreated:Put' or 's3:ObjectRemoved:*'");
      }
    });
  }
  for (const [key, value] of [['prefix', prefix], ['suffix', suffix]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > KEY_FILTER_LIMIT)) {
      report(`${at}.${key}`, `${JSON.stringify(value)} is no key ${key}: S3 wants 1–${KEY_FILTER_LIMIT} characters`, `e.g. ${key === 'prefix' ? "'images/'" : "'.jpg'"}, or leave it out for every key`);
    }
  }
}

function checkTable(subscription: TableSubscription, at: string, source: ResolvedResource | undefined, report: Report, resources: readonly ResolvedResource[]): void {
  const { stream, startingPosition } = subscription;
  if (stream !== undefined && !STREAM_VIEWS.includes(stream)) report(`${at}.stream`, `${JSON.stringify(stream)} is no stream view`, `one of ${STREAM_VIEWS.join(', ')}`);
  else if (stream !== undefined && source?.kind === 'table' && source.stream && source.stream !== stream) {
    report(`${at}.stream`, `'${stream}' disagrees with table '${source.name}', whose stream carries '${source.stream}': a table has one stream`, `leave \`stream\` out (the table's is used), or change resources.${source.name}.stream`);
  } else if (stream !== undefined && !source) {
    report(`${at}.stream`, 'an external table\'s stream is what its owner set it to', 'leave `stream` out');
  }
  if (startingPosition !== undefined && !STARTING_POSITIONS.includes(startingPosition)) {
    report(`${at}.startingPosition`, `${JSON.stringify(startingPosition)} is no starting position`, "'latest' (new records) or 'trim-horizon' (every record the stream still keeps)");
  }
  checkOnFailure(subscription.onFailure, `${at}.onFailure`, resources, report);
}

function checkRule(subscription: RuleSubscription, at: string, _source: undefined, report: Report): void {
  if (!isPlainObject(subscription.pattern) || Object.keys(subscription.pattern).length === 0) {
    report(`${at}.pattern`, 'an EventBridge rule needs an event pattern', "e.g. rule({ source: 'shop', detailType: 'order.paid' })");
  }
  if (subscription.bus !== undefined && (typeof subscription.bus !== 'string' || !/^(arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[A-Za-z0-9._\-/]{1,256}$/.test(subscription.bus))) {
    report(`${at}.bus`, `${JSON.stringify(subscription.bus)} is no event bus name or ARN`, "a bus name ('orders') or its ARN (arn:aws:events:<region>:<account>:event-bus/orders)");
  }
}

export const kindProblems = {
  queue: (_subscription: QueueSubscription, _at: string, _source: ResolvedResource | undefined, _report: Report) => undefined,
  topic: checkTopic,
  bucket: checkBucket,
  table: checkTable,
  rule: checkRule,
};

/**
 * S3 refuses a bucket's notification configuration when two of its entries could both match one
 * object event (overlapping types and overlapping key filters), even for two different functions:
 * checked across every job, since each bucket has one configuration.
 */
export function bucketOverlaps(jobs: readonly JobSubscriptions[]): Diagnostic[] {
  const entries: Array<{ bucket: string; type: string; prefix?: string; suffix?: string; label: string; file?: string }> = [];
  for (const job of jobs) {
    job.events.forEach((subscription, index) => {
      if (subscription?.kind !== 'bucket' || typeof subscription.source !== 'string') return;
      const on = Array.isArray(subscription.on) ? subscription.on.filter((name) => typeof name === 'string' && isBucketEventName(name)) : undefined;
      for (const type of bucketEventTypes(on)) {
        entries.push({ bucket: subscription.source, type, ...(typeof subscription.prefix === 'string' && { prefix: subscription.prefix }), ...(typeof subscription.suffix === 'string' && { suffix: subscription.suffix }), label: `${job.className}.events[${index}]`, ...(job.file && { file: job.file }) });
      }
    });
  }
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [a, b] = [entries[i]!, entries[j]!];
      if (a.bucket !== b.bucket || !eventTypesOverlap(a.type, b.type) || !keyFiltersOverlap(a, b)) continue;
      const same = a.label === b.label;
      diagnostics.push({
        text: `${a.label}: ${same ? `its events ${a.type} and ${b.type} overlap` : `${a.type} on bucket '${a.bucket}' overlaps ${b.label} (${b.type})`} for keys both filters match: S3 refuses overlapping notifications on one bucket`,
        hint: 'give them prefixes or suffixes no key can match both ways (images/ and docs/), or one subscription whose job handles both',
        ...(a.file && { file: a.file }),
      });
    }
  }
  return diagnostics;
}

/**
 * A table has one stream, so subscriptions that turn on an undeclared one must agree on what it
 * carries (one with no `stream` takes the others', or `new-and-old`). Checked across every job.
 */
export function streamViewConflicts(jobs: readonly JobSubscriptions[]): Diagnostic[] {
  const first = new Map<string, { view: string; label: string }>();
  const diagnostics: Diagnostic[] = [];
  for (const job of jobs) {
    job.events.forEach((subscription, index) => {
      if (subscription?.kind !== 'table' || typeof subscription.stream !== 'string' || !STREAM_VIEWS.includes(subscription.stream)) return;
      const label = `${job.className}.events[${index}]`;
      const seen = first.get(subscription.source);
      if (!seen) first.set(subscription.source, { view: subscription.stream, label });
      else if (seen.view !== subscription.stream) {
        diagnostics.push({
          text: `${label}.stream: '${subscription.stream}' disagrees with ${seen.label}, which reads table '${subscription.source}' as '${seen.view}': a table has one stream`,
          hint: `declare the view once, as resources.${subscription.source}.stream, and leave \`stream\` out of the subscriptions`,
          ...(job.file && { file: job.file }),
        });
      }
    });
  }
  return diagnostics;
}
