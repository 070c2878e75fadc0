// Jobs: classes with a schedule and a `perform`, each deployed as its own Lambda that
// EventBridge invokes asynchronously.
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
  // Subclasses may narrow the parameters, e.g. `perform(event: ScheduledEvent)`.
  abstract perform(event: unknown, context: unknown): unknown | Promise<unknown>;
}

export type JobClass = (new () => Job) & { schedule?: Schedule | Schedule[]; events?: JobSubscription[]; queue?: true | JobQueueOptions };
export type JobHandler = (event: unknown, context: unknown) => Promise<unknown>;

export function schedulesOf(JobClass: { schedule?: Schedule | Schedule[] | undefined }): Schedule[] {
  const { schedule } = JobClass;
  if (!schedule) return [];
  return Array.isArray(schedule) ? [...schedule] : [schedule];
}

/** `name` defaults to the class name; pass it when bundling minifies class names away. */
export function createJobHandler(JobClass: JobClass, name = JobClass.name || 'Job'): JobHandler {
  return async (event, context) => {
    try {
      // A fresh instance per invocation so state set in one run never leaks into the next.
      return await new JobClass().perform(event, context);
    } catch (error) {
      // Rethrown so the invocation fails and Lambda's async retries (two, ≈1 and ≈2 min later) apply.
      console.error(`[sls-ts] job ${name} failed:`, error);
      throw error;
    }
  };
}
