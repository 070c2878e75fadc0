// How local events reach jobs: the engines (queues, topics, buckets, table streams, the event
// bus) know which job subscribes to what, build the event AWS would send, and hand it to the host
// (the dev server, or a test) through `deliver`, which runs the job and says how it went. The
// engines never run app code themselves: the host's workers do, exactly as for HTTP requests.
import type { JobQueueOptions, JobSubscription, SubscriptionKind } from '../config/subscriptions.js';

/** A job and what it subscribes to, as the engines route local events by. */
export interface LocalSubscriber {
  /** The job function's key (`mail-job`): what `deliver` names. */
  job: string;
  /** The class name (`MailJob`): its own queue's URL variable is `jobQueueEnvName(className)`. */
  className: string;
  events: readonly JobSubscription[];
  /** Its own queue (`static queue`), fed by `performLater`. */
  queue?: JobQueueOptions;
  /** The job's timeout in seconds: its own queue's visibility timeout defaults to 6 × it, as AWS advises. */
  timeout?: number;
}

/** One invocation of a job with a real-shaped event. */
export interface Delivery {
  job: string;
  /** What fired it: its own queue (`later`) or a subscription's kind. */
  kind: SubscriptionKind | 'later';
  /** The declared resource's name (`emails`), the bus for rules (`default`), the job's own queue for `later`. */
  source: string;
  /** The Lambda event, exactly as AWS would send it (SQS/SNS/S3/DynamoDB stream/EventBridge). */
  event: unknown;
  /** Records in the event (1 for EventBridge). */
  records: number;
}

export interface DeliveryOutcome {
  /** The invocation returned (its result may still report batch item failures). */
  ok: boolean;
  /** The job's result, parsed from JSON: `{ batchItemFailures: [{ itemIdentifier }] }` for SQS and streams. */
  result?: unknown;
  /** `ErrorType: message` when the invocation failed. */
  error?: string;
}

/** Runs a job for a delivery; rejects only when the host itself fails (the job's errors are outcomes). */
export type Deliver = (delivery: Delivery) => Promise<DeliveryOutcome>;

/** The identifiers a batch result reports as failed (`batchItemFailures[].itemIdentifier`); everything when the invocation failed. */
export function failedItems(outcome: DeliveryOutcome, all: readonly string[]): string[] {
  if (!outcome.ok) return [...all];
  const failures = (outcome.result as { batchItemFailures?: Array<{ itemIdentifier?: unknown }> } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures)) return [];
  // Lambda's rule: an identifier that is empty or not in the batch fails the whole batch.
  const ids = failures.map((failure) => failure?.itemIdentifier);
  if (ids.some((id) => typeof id !== 'string' || !all.includes(id))) return [...all];
  return ids as string[];
}
