// Tests on the same engines as the dev server: a test file starts its app's declared tables,
// buckets, queues and topics on fresh, in-memory engines, empties them between tests, and stops them at
// the end. No mocks of the data layer: the app's AWS SDK code runs unmodified against real
// implementations. With `jobs`, the app's subscribed jobs run in the test process as messages arrive.
import { fileURLToPath } from 'node:url';
import { startLocalEngines, type DeliveryOutcome, type LocalBucket, type LocalQueueInfo, type LocalTable, type LocalTopic } from '../local/index.js';
import { resolveLocalApp, type LocalAppInput } from '../local/local-app.js';
import type { JobClass } from '../runtime/job.js';
import { deliverInProcess, jobsOf, loadJobs, subscribersOf, type LocalJob } from './local-jobs.js';
import { publishMessage, putEvents, sendMessage, type LocalEventInput, type MessageAttributeInput } from './local-messages.js';

export type { LocalEventInput, MessageAttributeInput };

export interface LocalResourcesOptions {
  /** Default `test`: physical names are `<app>-test-<name>`. */
  stage?: string;
  /** Put the engines' endpoints, dummy credentials and resource names in process.env until stop(). Default true. */
  setEnv?: boolean;
  /**
   * Run the app's jobs subscribed to local events in this process: `true` loads app/jobs/ of the
   * app's folder; an inline app passes its job classes. Jobs with `static queue` get their queue.
   */
  jobs?: boolean | readonly JobClass[];
}

/** A job that ran for a local event, and how it went. */
export interface JobRun {
  /** The job's key: `send-email-job`. */
  job: string;
  /** `queue` (a subscribed queue), `later` (its own queue), `topic`, `rule`, `bucket`, `table`. */
  kind: string;
  /** The declared resource's name (the bus's for a rule), or the job's own queue's physical name. */
  source: string;
  records: number;
  outcome: DeliveryOutcome;
}

export interface LocalResources {
  /** AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, AWS_REGION, dummy credentials, SLS_TS_RESOURCE_<NAME>_NAME … */
  readonly env: Readonly<Record<string, string>>;
  /** Physical name of each declared table, bucket, queue and topic: `names.posts` → `blog-test-posts`. */
  readonly names: Readonly<Record<string, string>>;
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  readonly queues: readonly LocalQueueInfo[];
  readonly topics: readonly LocalTopic[];
  /**
   * Sends a message as app code would: to a declared queue (`'emails'`), or to a queued job's own
   * queue (its class name, `'ReportJob'`, or key) as `ReportJob.performLater(body)` does. A
   * non-string body is sent as JSON.
   */
  send(queue: string, body: unknown, attributes?: Record<string, MessageAttributeInput>): Promise<{ messageId: string }>;
  /**
   * Publishes to a declared topic (`'alerts'`) as app code would: the subscribed jobs whose filter
   * policy matches the attributes run, and queues subscribed through the API receive it. A
   * non-string message is sent as JSON; a FIFO topic's messages share one group.
   */
  publish(topic: string, message: unknown, attributes?: Record<string, MessageAttributeInput>): Promise<{ messageId: string }>;
  /**
   * Puts events on the local EventBridge bus (`bus` default `default`): each job whose rule is on
   * that bus and whose pattern matches runs. The bus runs only when a loaded job has a rule.
   */
  putEvents(entries: readonly LocalEventInput[]): Promise<{ eventIds: string[] }>;
  /**
   * Resolves once no job is running, no subscribed queue has a message ready for one, and no
   * published message or put event is still being delivered (messages a failed job left to come
   * back after their visibility timeout are not waited for, nor are a failed topic or rule job's
   * retries, one and two minutes later as on AWS); returns the job runs finished since the previous call.
   */
  settled(): Promise<JobRun[]>;
  /** Deletes every item, object and message; tables, buckets and queues stay. Call it in beforeEach. */
  reset(): Promise<void>;
  /** Deletes the items of tables with a `ttl` that expired before `now` (default: now), as DynamoDB's TTL does; returns how many. */
  expire(now?: Date): Promise<number>;
  /** Stops the engines and restores process.env. Call it in afterAll. */
  stop(): Promise<void>;
}

/** Sets `values` in process.env; returns what puts the earlier values back. */
function setProcessEnv(values: Record<string, string>): () => void {
  const earlier = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(earlier)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Starts the declared resources of an app (its folder, as a path or `new URL('..', import.meta.url)`,
 * or `{ name, resources }`) on fresh engines:
 * `const local = await useLocalResources(new URL('..', import.meta.url))` in beforeAll,
 * `local.reset()` in beforeEach, `local.stop()` in afterAll.
 */
export async function useLocalResources(app: string | URL | LocalAppInput, options: LocalResourcesOptions = {}): Promise<LocalResources> {
  const jobs = await jobsFor(app, options.jobs);
  const runs: JobRun[] = [];
  const deliver = deliverInProcess(jobs);
  const engines = await startLocalEngines({
    ...(await resolveLocalApp(app, options.stage)),
    subscribers: subscribersOf(jobs),
    ...(options.jobs && {
      deliver: async (delivery) => {
        const outcome = await deliver(delivery);
        runs.push({ job: delivery.job, kind: delivery.kind, source: delivery.source, records: delivery.records, outcome });
        return outcome;
      },
    }),
  });
  const env = engines.env();
  const restoreEnv = options.setEnv === false ? () => {} : setProcessEnv(env);
  const names = Object.fromEntries([
    ...engines.tables.map((t) => [t.table.name, t.physicalName]),
    ...engines.buckets.map((b) => [b.bucket.name, b.physicalName]),
    ...engines.queues.map((q) => [q.queue.name, q.physicalName]),
    ...engines.topics.map((t) => [t.name, t.physicalName]),
  ]);
  return {
    env,
    names,
    tables: engines.tables,
    buckets: engines.buckets,
    queues: engines.queues,
    topics: engines.topics,
    send: (queue, body, attributes) => sendMessage(engines, queue, body, attributes),
    publish: (topic, message, attributes) => publishMessage(engines, topic, message, attributes),
    putEvents: (entries) => putEvents(engines, entries),
    async settled() {
      await engines.settled();
      return runs.splice(0);
    },
    reset: async () => {
      await engines.reset();
      runs.length = 0;
    },
    expire: (now) => engines.expire(now),
    async stop() {
      restoreEnv();
      await engines.stop();
    },
  };
}

async function jobsFor(app: string | URL | LocalAppInput, jobs: LocalResourcesOptions['jobs']): Promise<LocalJob[]> {
  if (!jobs) return [];
  if (jobs !== true) return jobsOf(jobs);
  if (typeof app !== 'string' && !(app instanceof URL)) throw new Error('useLocalResources: `jobs: true` loads app/jobs/ of an app folder; for an inline app pass the job classes, `jobs: [SendEmailJob]`');
  return loadJobs(typeof app === 'string' ? app : fileURLToPath(app));
}
