// Jobs: classes with a schedule, event subscriptions and a `perform`, each deployed as its own
// Lambda. perform() runs once per record of the event, with a typed record (job-records.ts).
import { recordsOf, type Entry, type RecordSource } from './job-records.js';
import { enqueueJob, type PerformLaterOptions, type SentMessage } from './perform-later.js';
import type { Schedule } from './schedule.js';
import type { JobQueueOptions, JobSubscription } from './subscriptions.js';
import type { LambdaContext, ScheduledEvent } from './types.js';

export type { LambdaContext, ScheduledEvent };

export abstract class Job {
  static schedule?: Schedule | Schedule[];
  /** Event sources: `[queue('emails'), topic('alerts'), bucket('uploads'), table('posts'), rule({…})]`. */
  static events?: JobSubscription[];
  /** `true` (or options): the job gets its own queue, fed by `SomeJob.performLater(payload)`. */
  static queue?: true | JobQueueOptions;

  /**
   * Sends `payload` (as JSON) to this job's own queue; perform() later gets it as a `{ kind: 'later', payload }`
   * record. Needs `static queue = true` on the job.
   */
  static performLater(this: JobClass, payload: unknown, options: PerformLaterOptions = {}): Promise<SentMessage> {
    return enqueueJob(this, payload, options);
  }

  // Subclasses narrow the parameters, e.g. `perform(record: JobRecord)` or `perform(event: ScheduledEvent)`.
  abstract perform(event: unknown, context: LambdaContext): unknown | Promise<unknown>;
}

export type JobClass = (new () => Job) & { schedule?: Schedule | Schedule[]; events?: JobSubscription[]; queue?: true | JobQueueOptions };
export type JobHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

/** What an SQS or DynamoDB-stream invocation answers, so only the failed records are retried. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export function schedulesOf(JobClass: { schedule?: Schedule | Schedule[] | undefined }): Schedule[] {
  const { schedule } = JobClass;
  if (!schedule) return [];
  return Array.isArray(schedule) ? [...schedule] : [schedule];
}

/** `name` defaults to the class name; pass it when bundling minifies class names away. */
export function createJobHandler(JobClass: JobClass, name = JobClass.name || 'Job'): JobHandler {
  return async (event, context) => {
    // A fresh instance per invocation so state set in one run never leaks into the next.
    const job = new JobClass();
    const batch = recordsOf(event);
    if (!batch) {
      try {
        return await job.perform(event, context);
      } catch (error) {
        // Rethrown so the invocation fails and Lambda's async retries (two, ≈1 and ≈2 min later) apply.
        console.error(`[sls-ts] job ${name} failed:`, error);
        throw error;
      }
    }
    const { source, entries } = batch;
    const { result, failed } = await performEach(job, entries, context, name, stopsAtFailure(source));
    if (source.kind !== 'async') return { batchItemFailures: failed.map((entry) => ({ itemIdentifier: entry.id })) } satisfies BatchResponse;
    const [first] = failed;
    if (!first) return result;
    // An EventBridge event is one record: its own error, as scheduled jobs threw before records.
    if (source.eventBridge && !first.marked) throw first.failure?.reason;
    throw new Error(`job ${name} failed on ${failed.map((entry) => `${entry.id} (${describe(entry.failure?.reason)})`).join(', ')}`, { cause: first.failure?.reason });
  };
}

// FIFO queues must keep a group's order, and a stream's checkpoint is its first unprocessed record:
// after a failure, nothing later may run (AWS reports those back as failed too).
function stopsAtFailure(source: RecordSource): boolean {
  return source.kind === 'stream' || (source.kind === 'queue' && source.fifo);
}

interface Outcome extends Entry {
  /** Marked with record.fail() rather than thrown. */
  marked?: boolean;
}

/** Runs perform once per record, in order; gives the failed (and, when stopping, the skipped) entries. */
async function performEach(job: Job, entries: Outcome[], context: LambdaContext, name: string, stop: boolean): Promise<{ result: unknown; failed: Outcome[] }> {
  const failed: Outcome[] = [];
  let result: unknown;
  for (const [index, entry] of entries.entries()) {
    try {
      result = await job.perform(entry.build(), context);
      if (entry.failure) entry.marked = true;
    } catch (error) {
      entry.failure = { reason: error };
    }
    if (!entry.failure) continue;
    console.error(`[sls-ts] job ${name} failed on record ${entry.id}:`, entry.failure.reason);
    failed.push(entry);
    if (stop && index < entries.length - 1) {
      const skipped = entries.slice(index + 1);
      console.error(`[sls-ts] job ${name}: ${skipped.length} later record(s) not run, to keep their order: ${skipped.map((later) => later.id).join(', ')}`);
      failed.push(...skipped);
      break;
    }
  }
  return { result, failed };
}

function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
