// What a job subscription's `source` stands for, and S3's event names: read by the build's checks
// (src/build/subscription-checks.ts) and by cloudformation/, so both settle a source the same way.
import type { ResolvedResource } from './resources.js';
import type { BucketEventName, JobSubscription } from './subscriptions.js';

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** `arn:partition:service:region:account:resource` (the resource may hold more colons); undefined when it is no ARN. */
export function parseArn(text: string): ParsedArn | undefined {
  const match = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/.exec(text);
  if (!match) return undefined;
  const [, partition, service, region, account, resource] = match as unknown as [string, string, string, string, string | undefined, string];
  return { partition, service, region, account: account ?? '', resource };
}

export function looksLikeArn(text: string): boolean {
  return text.startsWith('arn:');
}

/** The declared resource kind each subscription kind reads from, and the ARN service of an external one. */
export const SOURCE_KINDS = {
  queue: { kind: 'queue', service: 'sqs' },
  topic: { kind: 'topic', service: 'sns' },
  bucket: { kind: 'bucket', service: 's3' },
  table: { kind: 'table', service: 'dynamodb' },
} as const;

export type SourcedSubscription = Exclude<JobSubscription, { kind: 'rule' }>;

/** A source settled: a declared resource of the right kind, or an external ARN (already checked by the build). */
export type SettledSource = { declared: ResolvedResource; arn?: undefined } | { declared?: undefined; arn: string };

/** The declared resource a name stands for (of `kind`), or the ARN as given; undefined for neither. */
export function settleSource(source: string, kind: ResolvedResource['kind'], resources: readonly ResolvedResource[]): SettledSource | undefined {
  if (looksLikeArn(source)) return { arn: source };
  const declared = resources.find((resource) => resource.name === source && resource.kind === kind);
  return declared ? { declared } : undefined;
}

/** A queue or topic ARN names a FIFO one by its `.fifo` ending, as AWS requires of their names. */
export function isFifoArn(arn: string): boolean {
  return arn.endsWith('.fifo');
}

/** Every event type S3 notifications accept (the S3 User Guide's list). */
export const S3_EVENT_TYPES: readonly string[] = [
  's3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectCreated:Post', 's3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*', 's3:ObjectRestore:Post', 's3:ObjectRestore:Completed', 's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*', 's3:Replication:OperationFailedReplication', 's3:Replication:OperationNotTracked', 's3:Replication:OperationMissedThreshold', 's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleExpiration:*', 's3:LifecycleExpiration:Delete', 's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition', 's3:IntelligentTiering',
  's3:ObjectTagging:*', 's3:ObjectTagging:Put', 's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
];

const FAMILIES: Record<string, string> = { created: 's3:ObjectCreated:*', removed: 's3:ObjectRemoved:*', restored: 's3:ObjectRestore:*' };

/** `created` → `s3:ObjectCreated:*`; an S3 event type stays as written. Default `['created']`. */
export function bucketEventTypes(on: readonly BucketEventName[] | undefined): string[] {
  return [...new Set((on ?? ['created']).map((name) => FAMILIES[name] ?? name))];
}

export function isBucketEventName(name: string): boolean {
  return name in FAMILIES || S3_EVENT_TYPES.includes(name);
}

/** `s3:ObjectCreated:*` covers `s3:ObjectCreated:Put`: S3 refuses two configurations whose types overlap and whose filters do too. */
export function eventTypesOverlap(a: string, b: string): boolean {
  const covers = (wide: string, narrow: string) => wide.endsWith(':*') && narrow.startsWith(wide.slice(0, -1));
  return a === b || covers(a, b) || covers(b, a);
}

/** Two key filters overlap when one key could match both: one prefix starts the other, and one suffix ends the other (a missing one matches every key). */
export function keyFiltersOverlap(a: { prefix?: string; suffix?: string }, b: { prefix?: string; suffix?: string }): boolean {
  const prefixes = (a.prefix ?? '').startsWith(b.prefix ?? '') || (b.prefix ?? '').startsWith(a.prefix ?? '');
  const suffixes = (a.suffix ?? '').endsWith(b.suffix ?? '') || (b.suffix ?? '').endsWith(a.suffix ?? '');
  return prefixes && suffixes;
}

/** One line for people: `queue emails (batch 5)`, `bucket uploads (s3:ObjectCreated:*, images/…)`, `rule {"source":["shop"]}`. */
export function describeSubscription(subscription: JobSubscription): string {
  switch (subscription.kind) {
    case 'queue':
      return `queue ${subscription.source}${subscription.batchSize !== undefined ? ` (batch ${subscription.batchSize})` : ''}`;
    case 'topic':
      return `topic ${subscription.source}${subscription.filter !== undefined ? ' (filtered)' : ''}`;
    case 'bucket': {
      const keys = subscription.prefix !== undefined || subscription.suffix !== undefined ? `, ${subscription.prefix ?? ''}…${subscription.suffix ?? ''}` : '';
      return `bucket ${subscription.source} (${bucketEventTypes(subscription.on).join(', ')}${keys})`;
    }
    case 'table':
      return `table ${subscription.source} stream`;
    case 'rule':
      return `rule ${JSON.stringify(subscription.pattern)}${subscription.bus !== undefined ? ` on ${subscription.bus}` : ''}`;
  }
}
