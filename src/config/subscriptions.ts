// What a job subscribes to (`static events = [queue('emails'), …]` in app code, issue #18), as
// the tooling reads it: the build extracts it from the job class, validates it, cloudformation/
// turns it into event source mappings, subscriptions, notifications and rules, and the dev server
// delivers local events by it. The runtime's helpers (src/runtime/subscriptions.ts) build these
// same shapes; it cannot import this room, so its declarations mirror these (a test checks that
// they stay assignable).

/** A declared resource's name (`emails`) or an external resource's ARN (`arn:aws:sqs:…`). */
export type SourceName = string;

export interface QueueSubscription {
  kind: 'queue';
  source: SourceName;
  /** Records per invocation: 1–10 for FIFO queues; up to 10,000 for standard ones (over 10 needs a batching window). Default 10. */
  batchSize?: number;
  /** Seconds Lambda's poller gathers records before invoking (0–300). */
  maxBatchingWindow?: number;
  /** At most this many concurrent invocations from this queue (2–1000). */
  maxConcurrency?: number;
}

export interface TopicSubscription {
  kind: 'topic';
  source: SourceName;
  /** An SNS filter policy: only matching messages are delivered. */
  filter?: Record<string, unknown>;
  /** Whether `filter` applies to message attributes (default) or to the JSON message body. */
  filterScope?: 'attributes' | 'body';
}

/** `created`, `removed`, `restored` (every event of that family), or an S3 event type like `s3:ObjectCreated:Put`. */
export type BucketEventName = 'created' | 'removed' | 'restored' | `s3:${string}`;

export interface BucketSubscription {
  kind: 'bucket';
  source: SourceName;
  /** Default `['created']`. */
  on?: BucketEventName[];
  /** Only keys starting with this. */
  prefix?: string;
  /** Only keys ending with this. */
  suffix?: string;
}

export type StreamViewName = 'new-and-old' | 'new' | 'old' | 'keys';

export interface TableSubscription {
  kind: 'table';
  source: SourceName;
  /** What each record carries; turns the table's stream on when it declares none. Default: the table's, else `new-and-old`. */
  stream?: StreamViewName;
  /** Records per invocation, 1–10,000. Default 100. */
  batchSize?: number;
  maxBatchingWindow?: number;
  /** Where a new mapping starts reading. Default `latest`. */
  startingPosition?: 'latest' | 'trim-horizon';
  /** Retries of a failing batch before it goes to `onFailure` (-1 = until the record expires). Default 3. */
  retries?: number;
  /** A declared queue or topic (or an ARN) that receives the records of batches that kept failing. */
  onFailure?: SourceName;
}

export interface RuleSubscription {
  kind: 'rule';
  /** The EventBridge event pattern, as the template writes it (`source`, `detail-type`, `detail` …). */
  pattern: Record<string, unknown>;
  /** An event bus name or ARN; default the account's default bus. */
  bus?: string;
}

export type JobSubscription = QueueSubscription | TopicSubscription | BucketSubscription | TableSubscription | RuleSubscription;
export type SubscriptionKind = JobSubscription['kind'];

/** `static queue = true | {…}` on a job: its own SQS queue, fed by `SomeJob.performLater(payload)`. */
export interface JobQueueOptions {
  batchSize?: number;
  maxBatchingWindow?: number;
  /** Seconds; default 6 × the job's timeout, as AWS advises for a queue feeding a function. */
  visibilityTimeout?: number;
  /** Failed receives before a message moves to the dead-letter queue. Default 3. */
  maxReceives?: number;
  /**
   * Most concurrent invocations the queue's mapping makes (2–1000; default: as Lambda scales): a
   * cap on what the job sends downstream, the SQS-backed bulkhead (README "Resilience"). Messages
   * wait in the queue instead of being throttled (doc: lambda/latest/dg/services-sqs-scaling.html,
   * "maximum concurrency"; CloudFormation ScalingConfig.MaximumConcurrency, minimum 2, maximum 1000).
   */
  maxConcurrency?: number;
}

/**
 * The environment variable holding a queued job's queue URL, in every function of the app (the
 * runtime's `performLater` spells the same rule again): `EmailJob` → `SLS_TS_JOB_QUEUE_EMAIL_JOB`.
 */
export function jobQueueEnvName(className: string): string {
  return `SLS_TS_JOB_QUEUE_${className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}
