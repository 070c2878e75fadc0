// The app's queues on the local SQS service, kept in line with its declarations and its jobs:
// the service starts when the first queue is needed, declared and job queues are created (or
// reconfigured) under their deployed names, and each subscribed job gets a poller.
import { randomUUID } from 'node:crypto';
import type { ResolvedResource } from '../../config/index.js';
import type { Diagnostic } from '../../shared/errors.js';
import type { LocalSubscriber } from '../deliveries.js';
import type { DeliveryHub } from '../delivery-hub.js';
import type { SendToQueue } from '../sns/sns-publish.js';
import { needsQueues, planQueues, queuesToEnsure, type QueuePlan } from './local-queues.js';
import { createQueuePollers, DEFAULT_BATCH_SIZE, type QueueRoute } from './pollers.js';
import { startSqsEngine, type SqsEngine } from './sqs-engine.js';

export interface QueueService {
  readonly endpoint: string | undefined;
  readonly plan: QueuePlan;
  /** Starts the service if the app now needs it, creates its queues and re-routes the pollers; returns what is not delivered locally. */
  bringUp(resources: readonly ResolvedResource[], subscribers: readonly LocalSubscriber[], port?: number): Promise<Diagnostic[]>;
  /** Deletes every message of the app's queues. */
  purge(): void;
  /** Sends a message to a declared queue (by name or ARN), as another AWS service would; false when there is no such queue here. */
  sendTo(queue: string, body: string): boolean;
  /**
   * Sends to any queue of the service by ARN (a declared one, a job's own, one made through the
   * API), as SNS does for a queue subscription; rejects when there is no such queue.
   */
  sendToArn: SendToQueue;
  stop(): Promise<void>;
}

// The sender a queue sees for messages SNS delivers (AWS shows its own principal's id there).
const SNS_SENDER_ID = 'AIDALOCALSNS000000000';

const EMPTY_PLAN: QueuePlan = { queues: [], jobQueues: [] };

/** The pollers' routes, and a warning for each queue subscription the service cannot serve (an external queue's ARN). */
function routesOf(engine: SqsEngine, plan: QueuePlan, subscribers: readonly LocalSubscriber[]): { routes: QueueRoute[]; notes: Diagnostic[] } {
  const routes: QueueRoute[] = [];
  const notes: Diagnostic[] = [];
  for (const subscriber of subscribers) {
    for (const event of subscriber.events) {
      if (event.kind !== 'queue') continue;
      const declared = plan.queues.find((candidate) => candidate.queue.name === event.source);
      const queue = declared && engine.store.byName(declared.physicalName);
      if (!queue) {
        notes.push({ level: 'warning', text: `job ${subscriber.job}: queue('${event.source}') is not a declared queue, so nothing delivers it locally` });
        continue;
      }
      routes.push({ job: subscriber.job, kind: 'queue', source: event.source, queue, batchSize: event.batchSize ?? DEFAULT_BATCH_SIZE, maxBatchingWindow: event.maxBatchingWindow ?? 0 });
    }
    const own = plan.jobQueues.find((candidate) => candidate.job === subscriber.job);
    const queue = own && engine.store.byName(own.physicalName);
    if (own && queue) routes.push({ job: subscriber.job, kind: 'later', source: own.physicalName, queue, batchSize: subscriber.queue?.batchSize ?? DEFAULT_BATCH_SIZE, maxBatchingWindow: subscriber.queue?.maxBatchingWindow ?? 0 });
  }
  return { routes, notes };
}

export function createQueueService(options: { app: string; stage: string; region: string; host: string; hub: DeliveryHub }): QueueService {
  let engine: SqsEngine | undefined;
  let plan = EMPTY_PLAN;
  let pollers: ReturnType<typeof createQueuePollers> | undefined;
  return {
    get endpoint() {
      return engine?.endpoint;
    },
    get plan() {
      return plan;
    },
    async bringUp(resources, subscribers, port) {
      if (!engine && !needsQueues(resources, subscribers)) return [];
      engine ??= await startSqsEngine({ host: options.host, region: options.region, ...(port !== undefined && { port }) });
      const next = planQueues(options.app, options.stage, options.region, engine.endpoint, resources, subscribers);
      for (const { name, attributes } of queuesToEnsure(next, subscribers)) engine.store.ensure(name, attributes);
      plan = next;
      const { routes, notes } = routesOf(engine, plan, subscribers);
      // Without a host to run jobs, messages simply wait in their queues.
      if (options.hub.active) {
        pollers ??= createQueuePollers(options.hub, options.region);
        await pollers.route(routes);
      }
      return notes;
    },
    sendTo(queue, body) {
      const info = plan.queues.find((candidate) => candidate.queue.name === queue || candidate.arn === queue);
      const target = info && engine?.store.byName(info.physicalName);
      if (!target) return false;
      target.send({ body, senderId: 'AIDALOCALLAMBDA000000', ...(target.settings.fifo && { groupId: 'lambda', deduplicationId: randomUUID() }) });
      return true;
    },
    async sendToArn(queueArn, body, attributes, fifo) {
      const target = engine?.store.byArn(queueArn);
      if (!target) throw new Error(`The specified queue does not exist: ${queueArn}`);
      // A FIFO topic may feed a standard queue too: it keeps the group id, SQS refuses a deduplication id there.
      const ordering = fifo && (target.settings.fifo ? { groupId: fifo.messageGroupId, deduplicationId: fifo.messageDeduplicationId } : { groupId: fifo.messageGroupId });
      target.send({ body, attributes, senderId: SNS_SENDER_ID, ...ordering });
    },
    purge() {
      if (!engine) return;
      for (const info of [...plan.queues, ...plan.jobQueues]) {
        engine.store.byName(info.physicalName)?.purge();
        if (info.deadLetter) engine.store.byName(info.deadLetter.physicalName)?.purge();
      }
    },
    async stop() {
      await pollers?.stop();
      pollers = undefined;
      await engine?.stop();
      engine = undefined;
    },
  };
}
