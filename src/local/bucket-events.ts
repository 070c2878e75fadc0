// S3 event notifications on the local S3 engine: every object created or removed becomes an S3
// event record as S3 builds it, and reaches the jobs subscribed to its bucket (one record per
// invocation, as S3 sends), asynchronously like Lambda's async invoke: a failing invocation is
// retried twice, then dropped with a notice.
import type { BucketEventName, BucketSubscription } from '../config/subscriptions.js';
import type { Diagnostic } from '../shared/errors.js';
import { ASYNC_RETRY_DELAYS_MS } from './async-invoke.js';
import type { Deliver, Delivery, LocalSubscriber } from './deliveries.js';
import type { ObjectChange } from './s3-changes.js';
import type { LocalBucket, S3Engine } from './s3-engine.js';

/** One record of an S3 event (`event.Records[0]`), field for field as S3 sends it. */
export interface S3EventRecord {
  eventVersion: string;
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
  };
}

const DEFAULT_REGION = 'us-east-1';
// The local account's canonical owner: any stable value, as no real account owns the buckets.
const LOCAL_OWNER = 'SLSTSLOCALOWNER';
// The sequencer only has to grow for a key's successive events; a fixed width keeps it comparable as a string.
const SEQUENCER_DIGITS = 18;

/**
 * Keys are URL-encoded as in an HTML form, '/' kept: `photos/red flower(1).jpg` →
 * `photos/red+flower%281%29.jpg`. Notification filters compare against this form as well.
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

/** Turns the engine's object changes into S3 event records (without a configurationId: that is the subscription's). */
export function watchBucketEvents(engine: S3Engine, onEvent: (bucketPhysicalName: string, record: S3EventRecord) => void, options: { region?: string } = {}): () => void {
  const region = options.region ?? DEFAULT_REGION;
  let sequence = 0n;
  const sequencerOf = (time: Date) => {
    // Time-based like S3's, with a counter so that two changes in one millisecond still order.
    sequence += 1n;
    return (BigInt(time.getTime()) * 1000n + (sequence % 1000n)).toString(16).toUpperCase().padStart(SEQUENCER_DIGITS, '0');
  };
  return engine.watch((change: ObjectChange) => {
    // In S3's order: key, size, eTag, sequencer; a removal has no size or eTag.
    const object: S3EventRecord['s3']['object'] = {
      key: encodeEventKey(change.key),
      ...(change.size !== undefined && { size: change.size }),
      ...(change.eTag !== undefined && { eTag: change.eTag }),
      sequencer: sequencerOf(change.time),
    };
    onEvent(change.bucket, {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventTime: change.time.toISOString(),
      eventName: change.eventName,
      userIdentity: { principalId: change.principal },
      requestParameters: { sourceIPAddress: change.sourceIp },
      responseElements: { 'x-amz-request-id': change.requestId, 'x-amz-id-2': change.hostId },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: '',
        bucket: { name: change.bucket, ownerIdentity: { principalId: LOCAL_OWNER }, arn: `arn:aws:s3:::${change.bucket}` },
        object,
      },
    });
  });
}

const FAMILIES: Record<string, string> = { created: 'ObjectCreated:', removed: 'ObjectRemoved:', restored: 'ObjectRestore:' };

/** `created` covers `ObjectCreated:*`; `s3:ObjectCreated:*` too; `s3:ObjectCreated:Put` only itself. */
function matchesEventName(on: BucketEventName, eventName: string): boolean {
  const family = FAMILIES[on];
  if (family !== undefined) return eventName.startsWith(family);
  const wanted = on.slice('s3:'.length);
  return wanted.endsWith('*') ? eventName.startsWith(wanted.slice(0, -1)) : eventName === wanted;
}

function matchesSubscription(subscription: BucketSubscription, record: S3EventRecord): boolean {
  const key = record.s3.object.key;
  return (subscription.on ?? ['created']).some((on) => matchesEventName(on, record.eventName))
    && key.startsWith(subscription.prefix ?? '')
    && key.endsWith(subscription.suffix ?? '');
}

/**
 * The notification's id, as a configuration of the bucket names it: the job, and the place of the
 * subscription among the job's events (a job may subscribe to one bucket twice, with other filters).
 */
export function bucketConfigurationId(job: string, index: number): string {
  return `${job}-${index + 1}`;
}

export interface BucketDeliveryOptions {
  /** Waits before Lambda's two async retries. Default AWS's, about 1 and 2 minutes (ASYNC_RETRY_DELAYS_MS, as topics and rules). */
  retryDelaysMs?: readonly number[];
  /** Where a dropped event is reported. Default: a warning on stderr. */
  report?: (notice: Diagnostic) => void;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

const warn = (notice: Diagnostic) => console.warn(`[sls-ts] ${notice.text}`);

/** Invokes like Lambda's async invoke: an error (the job's or the host's) is retried after each delay, then dropped. */
async function deliverWithRetries(deliver: Deliver, delivery: Delivery, options: BucketDeliveryOptions): Promise<void> {
  const delays = options.retryDelaysMs ?? ASYNC_RETRY_DELAYS_MS;
  let reason = '';
  for (let attempt = 0; attempt <= delays.length; attempt += 1) {
    if (attempt > 0) await wait(delays[attempt - 1]!);
    try {
      const outcome = await deliver(delivery);
      if (outcome.ok) return;
      reason = outcome.error ?? 'the invocation failed';
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
  }
  const record = (delivery.event as { Records: S3EventRecord[] }).Records[0]!;
  (options.report ?? warn)({
    level: 'warning',
    text: `${delivery.job}: the ${record.eventName} event of ${record.s3.object.key} in resources.${delivery.source} was dropped after ${delays.length + 1} attempts: ${reason}`,
    hint: 'on AWS, configure an on-failure destination to keep events a job could not handle',
  });
}

/**
 * Routes bucket events to the subscribed jobs: `(bucketPhysicalName, record)` finds the jobs whose
 * subscription to that bucket matches the event name, prefix and suffix, and delivers each an S3
 * event of that one record. Returns at once; deliveries run in the background.
 */
export function bucketDeliveries(subscribers: readonly LocalSubscriber[], buckets: readonly LocalBucket[], deliver: Deliver, options: BucketDeliveryOptions = {}) {
  const names = new Map(buckets.map(({ bucket, physicalName }) => [physicalName, bucket.name]));
  return (bucketPhysicalName: string, record: S3EventRecord): void => {
    const source = names.get(bucketPhysicalName);
    if (source === undefined) return;
    for (const subscriber of subscribers) {
      subscriber.events.forEach((subscription, index) => {
        if (subscription.kind !== 'bucket' || subscription.source !== source || !matchesSubscription(subscription, record)) return;
        const event = { Records: [{ ...record, s3: { ...record.s3, configurationId: bucketConfigurationId(subscriber.job, index) } }] };
        // Only the host's report can throw here, and it has nowhere else to go.
        deliverWithRetries(deliver, { job: subscriber.job, kind: 'bucket', source, event, records: 1 }, options).catch(() => {});
      });
    }
  };
}
