// Tests on the same engines as the dev server: a test file starts its app's declared tables,
// buckets and queues on fresh, in-memory engines, empties them between tests, and stops them at
// the end. No mocks of the data layer: the app's AWS SDK code runs unmodified against real
// implementations. With `jobs`, the app's subscribed jobs run in the test process as messages arrive.
import { fileURLToPath } from 'node:url';
import { startLocalEngines, type DeliveryOutcome, type LocalBucket, type LocalEngines, type LocalQueueInfo, type LocalTable } from '../local/index.js';
import { resolveLocalApp, type LocalAppInput } from '../local/local-app.js';
import type { JobClass } from '../runtime/job.js';
import { LATER_ATTRIBUTE } from '../runtime/job-records.js';
import { deliverInProcess, jobsOf, loadJobs, subscribersOf, type LocalJob } from './local-jobs.js';

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
  /** `queue` (a subscribed queue), `later` (its own queue) … */
  kind: string;
  /** The declared queue's name, or the job's own queue's physical name. */
  source: string;
  records: number;
  outcome: DeliveryOutcome;
}

/** A message attribute: a string or number (String/Number), or a Buffer (Binary). */
export type MessageAttributeInput = string | number | Buffer;

export interface LocalResources {
  /** AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, AWS_REGION, dummy credentials, SLS_TS_RESOURCE_<NAME>_NAME … */
  readonly env: Readonly<Record<string, string>>;
  /** Physical name of each declared table and bucket: `names.posts` → `blog-test-posts`. */
  readonly names: Readonly<Record<string, string>>;
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  readonly queues: readonly LocalQueueInfo[];
  /**
   * Sends a message as app code would: to a declared queue (`'emails'`), or to a queued job's own
   * queue (its class name, `'ReportJob'`, or key) as `ReportJob.performLater(body)` does. A
   * non-string body is sent as JSON.
   */
  send(queue: string, body: unknown, attributes?: Record<string, MessageAttributeInput>): Promise<{ messageId: string }>;
  /**
   * Resolves once no job is running and no subscribed queue has a message ready for one (messages
   * a failed job left to come back after their visibility timeout are not waited for); returns the
   * job runs finished since the previous call.
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
  ]);
  return {
    env,
    names,
    tables: engines.tables,
    buckets: engines.buckets,
    queues: engines.queues,
    send: (queue, body, attributes) => sendMessage(engines, queue, body, attributes),
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

/** SendMessage over SQS's JSON protocol, as the SDK would send it (no SDK needed in the test). */
async function sendMessage(engines: LocalEngines, target: string, body: unknown, attributes: Record<string, MessageAttributeInput> = {}): Promise<{ messageId: string }> {
  const jobQueue = engines.jobQueues.find((q) => q.className === target || q.job === target);
  const url = engines.queues.find((q) => q.queue.name === target)?.url ?? jobQueue?.url;
  if (!url || !engines.endpoints.sqs) {
    const known = [...engines.queues.map((q) => q.queue.name), ...engines.jobQueues.map((q) => q.className)];
    throw new Error(`send(): no queue "${target}" — ${known.length > 0 ? `queues: ${known.join(', ')}` : 'the app declares no queue and no job has its own (static queue)'}`);
  }
  // To a job's own queue, marked as performLater marks its messages: the job gets a `later` record.
  const marked = jobQueue && !engines.queues.some((q) => q.queue.name === target) ? { ...attributes, [LATER_ATTRIBUTE]: jobQueue.className } : attributes;
  const MessageAttributes = Object.fromEntries(Object.entries(marked).map(([name, value]) => [name,
    Buffer.isBuffer(value) ? { DataType: 'Binary', BinaryValue: value.toString('base64') } : { DataType: typeof value === 'number' ? 'Number' : 'String', StringValue: String(value) }]));
  const response = await fetch(engines.endpoints.sqs, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
    body: JSON.stringify({ QueueUrl: url, MessageBody: typeof body === 'string' ? body : JSON.stringify(body), ...(Object.keys(MessageAttributes).length > 0 && { MessageAttributes }) }),
  });
  const reply = (await response.json()) as { MessageId?: string; message?: string };
  if (!response.ok) throw new Error(`send() to ${target}: ${reply.message ?? response.status}`);
  return { messageId: reply.MessageId! };
}
