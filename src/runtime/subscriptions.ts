// What a job subscribes to, beside its schedule: `static events = [queue('emails', { batchSize: 5 }),
// topic('alerts', { filter }), bucket('uploads', { on: ['created'], prefix: 'images/' }),
// table('posts', { stream: 'new-and-old' }), rule({ source: 'shop', detailType: 'order.paid' })]`.
// The helpers only tag plain data: the build reads it from the class (src/config/subscriptions.ts
// holds the tooling's declarations of these same shapes; the runtime may not import them).

export type SourceName = string;

export interface QueueSubscription { kind: 'queue'; source: SourceName; batchSize?: number; maxBatchingWindow?: number; maxConcurrency?: number }
export interface TopicSubscription { kind: 'topic'; source: SourceName; filter?: Record<string, unknown>; filterScope?: 'attributes' | 'body' }
export type BucketEventName = 'created' | 'removed' | 'restored' | `s3:${string}`;
export interface BucketSubscription { kind: 'bucket'; source: SourceName; on?: BucketEventName[]; prefix?: string; suffix?: string }
export type StreamViewName = 'new-and-old' | 'new' | 'old' | 'keys';
export interface TableSubscription {
  kind: 'table';
  source: SourceName;
  stream?: StreamViewName;
  batchSize?: number;
  maxBatchingWindow?: number;
  startingPosition?: 'latest' | 'trim-horizon';
  retries?: number;
  onFailure?: SourceName;
}
export interface RuleSubscription { kind: 'rule'; pattern: Record<string, unknown>; bus?: string }
export type JobSubscription = QueueSubscription | TopicSubscription | BucketSubscription | TableSubscription | RuleSubscription;

export interface JobQueueOptions { batchSize?: number; maxBatchingWindow?: number; visibilityTimeout?: number; maxReceives?: number; maxConcurrency?: number }

type Options<T> = Omit<T, 'kind' | 'source'>;

/** Records of a declared queue (or a queue ARN), in batches; a record that throws is retried alone. */
export function queue(source: SourceName, options: Options<QueueSubscription> = {}): QueueSubscription {
  return { kind: 'queue', source, ...options };
}

/** Messages published to a declared topic (or a topic ARN), optionally filtered by an SNS filter policy. */
export function topic(source: SourceName, options: Options<TopicSubscription> = {}): TopicSubscription {
  return { kind: 'topic', source, ...options };
}

/** Object events of a declared bucket (default: objects created). */
export function bucket(source: SourceName, options: Options<BucketSubscription> = {}): BucketSubscription {
  return { kind: 'bucket', source, ...options };
}

/** Changes to a declared table, from its DynamoDB stream. */
export function table(source: SourceName, options: Options<TableSubscription> = {}): TableSubscription {
  return { kind: 'table', source, ...options };
}

type PatternValue = string | string[];
export interface RuleOptions {
  source?: PatternValue;
  detailType?: PatternValue;
  /** Matched as an EventBridge pattern: leaves are arrays of values or operators (`[{ prefix: 'a' }]`). */
  detail?: Record<string, unknown>;
  /** Any other top-level pattern fields (`account`, `resources` …), as EventBridge spells them. */
  pattern?: Record<string, unknown>;
  bus?: string;
}

const list = (value: PatternValue): string[] => (Array.isArray(value) ? [...value] : [value]);

/** Events on an EventBridge bus matching a pattern: `rule({ source: 'shop', detailType: 'order.paid', detail: { total: [{ numeric: ['>', 100] }] } })`. */
export function rule(options: RuleOptions): RuleSubscription {
  const { source, detailType, detail, pattern, bus } = options;
  return {
    kind: 'rule',
    pattern: {
      ...pattern,
      ...(source !== undefined && { source: list(source) }),
      ...(detailType !== undefined && { 'detail-type': list(detailType) }),
      ...(detail !== undefined && { detail }),
    },
    ...(bus !== undefined && { bus }),
  };
}
