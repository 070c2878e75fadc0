// Which queues the local SQS service holds for an app, and with which attributes: the declared
// queues (and their dead-letter queues) and each queued job's own queue (`static queue`, fed by
// performLater), all under their deployed names.
import type { ResolvedQueue, ResolvedResource } from '../../config/index.js';
import { SlsError } from '../../shared/errors.js';
import type { LocalSubscriber } from '../deliveries.js';
import { localQueueNames } from '../names.js';
import { LOCAL_ACCOUNT } from './store.js';

/** A declared queue as the service holds it. */
export interface LocalQueueInfo {
  queue: ResolvedQueue;
  physicalName: string;
  url: string;
  arn: string;
  deadLetter?: { physicalName: string; url: string; arn: string };
}

/** A job's own queue. */
export interface LocalJobQueue {
  job: string;
  className: string;
  physicalName: string;
  url: string;
  arn: string;
  deadLetter: { physicalName: string; url: string; arn: string };
}

export interface QueuePlan {
  queues: LocalQueueInfo[];
  jobQueues: LocalJobQueue[];
}

/** SQS's default maxReceives for a job's queue, and its visibility timeout over the job's timeout (AWS's advice for a queue feeding a function). */
const JOB_QUEUE_MAX_RECEIVES = 3;
const VISIBILITY_PER_TIMEOUT = 6;
/** The job's timeout when the host does not say (Lambda's default is 3 s; sls-ts's is 10). */
const DEFAULT_JOB_TIMEOUT = 10;
/** Dead-letter queues keep messages as long as SQS allows: they are there to be looked at. */
const DEAD_LETTER_RETENTION = 1_209_600;

export function queueLocation(endpoint: string, region: string, name: string) {
  return { physicalName: name, url: `${endpoint}/${LOCAL_ACCOUNT}/${name}`, arn: `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${name}` };
}

/** Whether the app needs the service: a declared queue, or a job with its own. */
export function needsQueues(resources: readonly ResolvedResource[], subscribers: readonly LocalSubscriber[]): boolean {
  return resources.some((resource) => resource.kind === 'queue') || subscribers.some((subscriber) => subscriber.queue !== undefined);
}

export function planQueues(app: string, stage: string, region: string, endpoint: string, resources: readonly ResolvedResource[], subscribers: readonly LocalSubscriber[]): QueuePlan {
  const at = (name: string) => queueLocation(endpoint, region, name);
  const queues = resources.filter((r): r is ResolvedQueue => r.kind === 'queue').map((queue): LocalQueueInfo => {
    const names = localQueueNames(app, stage, queue.name, queue.fifo);
    return { queue, ...at(names.name), ...(queue.deadLetter && { deadLetter: at(names.deadLetter) }) };
  });
  const jobQueues = subscribers.filter((subscriber) => subscriber.queue !== undefined).map((subscriber): LocalJobQueue => {
    const names = localQueueNames(app, stage, subscriber.job, false);
    return { job: subscriber.job, className: subscriber.className, ...at(names.name), deadLetter: at(names.deadLetter) };
  });
  // A job's queue is named after the job: a declared queue of the same name would be the same queue.
  for (const jobQueue of jobQueues) {
    const declared = queues.find((info) => info.physicalName === jobQueue.physicalName || info.deadLetter?.physicalName === jobQueue.physicalName);
    if (declared) throw new SlsError({ text: `resources.${declared.queue.name}: its queue would be ${jobQueue.physicalName}, the name of job ${jobQueue.job}'s own queue (static queue)`, hint: 'rename the queue or the job' });
  }
  return { queues, jobQueues };
}

export interface QueueToEnsure {
  name: string;
  attributes: Record<string, string>;
}

/** The queues to create or reconfigure, dead-letter queues first (a redrive policy names an existing one). */
export function queuesToEnsure(plan: QueuePlan, subscribers: readonly LocalSubscriber[]): QueueToEnsure[] {
  const list: QueueToEnsure[] = [];
  const fifo = (on: boolean): Record<string, string> => (on ? { FifoQueue: 'true' } : {});
  for (const { queue, physicalName, deadLetter } of plan.queues) {
    if (deadLetter) list.push({ name: deadLetter.physicalName, attributes: { ...fifo(queue.fifo), MessageRetentionPeriod: String(DEAD_LETTER_RETENTION) } });
    list.push({
      name: physicalName,
      attributes: {
        ...fifo(queue.fifo),
        VisibilityTimeout: String(queue.visibilityTimeout),
        MessageRetentionPeriod: String(queue.retention),
        DelaySeconds: String(queue.delay),
        ...(deadLetter && queue.deadLetter && { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: queue.deadLetter.maxReceives }) }),
      },
    });
  }
  for (const jobQueue of plan.jobQueues) {
    const subscriber = subscribers.find((candidate) => candidate.job === jobQueue.job)!;
    const options = subscriber.queue ?? {};
    list.push({ name: jobQueue.deadLetter.physicalName, attributes: { MessageRetentionPeriod: String(DEAD_LETTER_RETENTION) } });
    list.push({
      name: jobQueue.physicalName,
      attributes: {
        VisibilityTimeout: String(options.visibilityTimeout ?? VISIBILITY_PER_TIMEOUT * (subscriber.timeout ?? DEFAULT_JOB_TIMEOUT)),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: jobQueue.deadLetter.arn, maxReceiveCount: options.maxReceives ?? JOB_QUEUE_MAX_RECEIVES }),
      },
    });
  }
  return list;
}
