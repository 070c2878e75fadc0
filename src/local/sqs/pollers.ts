// Lambda's SQS poller, locally: for each job subscribed to a queue (and each job's own queue), wait
// for messages (woken by the queue itself, never on a timer), gather up to batchSize of them for
// at most maxBatchingWindow, deliver them as one SQS event, delete the records that succeeded and
// leave the failed ones to come back after their visibility timeout (and move to the dead-letter
// queue after maxReceives). One batch per subscription is in flight at a time: Lambda would scale
// out to more concurrent batches; locally they run one after another.
import { failedItems } from '../deliveries.js';
import type { DeliveryHub } from '../delivery-hub.js';
import { sqsLambdaEvent } from './lambda-event.js';
import { waitForChange, type LocalQueue, type StoredMessage } from './queue.js';

export interface QueueRoute {
  job: string;
  kind: 'queue' | 'later';
  /** The declared queue's name, or the job's own queue's physical name. */
  source: string;
  queue: LocalQueue;
  batchSize: number;
  /** Seconds. */
  maxBatchingWindow: number;
}

interface Poller {
  route: QueueRoute;
  stop(): Promise<void>;
}

/** Lambda's default batch size for SQS. */
export const DEFAULT_BATCH_SIZE = 10;

const routeKey = (route: QueueRoute) => `${route.job}\u0000${route.kind}\u0000${route.queue.name}`;

async function gather(route: QueueRoute, signal: AbortSignal): Promise<StoredMessage[]> {
  const { queue, batchSize } = route;
  const batch = queue.receive(Math.min(batchSize, 10));
  if (batch.length === 0 || route.maxBatchingWindow === 0) return batch;
  const deadline = Date.now() + route.maxBatchingWindow * 1000;
  while (batch.length < batchSize && Date.now() < deadline && !signal.aborted) {
    await waitForChange(queue, deadline, signal);
    batch.push(...queue.receive(Math.min(batchSize - batch.length, 10)));
  }
  return batch;
}

function startPoller(route: QueueRoute, hub: DeliveryHub, region: string): Poller {
  const abort = new AbortController();
  const deliverBatch = async (batch: StoredMessage[]) => {
    const event = sqsLambdaEvent(batch, route.queue.arn, region);
    const outcome = await hub.deliver({ job: route.job, kind: route.kind, source: route.source, event, records: batch.length });
    const failed = new Set(failedItems(outcome, batch.map((message) => message.id)));
    for (const message of batch) if (!failed.has(message.id)) route.queue.delete(message.receipt!);
  };
  const loop = async () => {
    while (!abort.signal.aborted) {
      // Busy from the moment messages are taken until their delivery is done and the successes deleted.
      let batch: StoredMessage[] = [];
      await hub.busy((async () => {
        batch = await gather(route, abort.signal);
        if (batch.length > 0) await deliverBatch(batch);
      })());
      if (batch.length === 0) await waitForChange(route.queue, Infinity, abort.signal);
    }
  };
  const running = loop();
  return {
    route,
    async stop() {
      abort.abort();
      await running;
    },
  };
}

export interface QueuePollers {
  /** Starts pollers for new routes and stops those of routes that are gone; unchanged ones keep running. */
  route(routes: readonly QueueRoute[]): Promise<void>;
  stop(): Promise<void>;
}

export function createQueuePollers(hub: DeliveryHub, region: string): QueuePollers {
  const pollers = new Map<string, Poller>();
  return {
    async route(routes) {
      const wanted = new Map(routes.map((route) => [routeKey(route), route]));
      const stopping: Promise<void>[] = [];
      for (const [key, poller] of pollers) {
        const next = wanted.get(key);
        // Same queue object and settings: leave it running.
        if (next && next.queue === poller.route.queue && next.batchSize === poller.route.batchSize && next.maxBatchingWindow === poller.route.maxBatchingWindow) continue;
        stopping.push(poller.stop());
        pollers.delete(key);
      }
      await Promise.all(stopping);
      for (const [key, route] of wanted) if (!pollers.has(key)) pollers.set(key, startPoller(route, hub, region));
    },
    async stop() {
      await Promise.all([...pollers.values()].map((poller) => poller.stop()));
      pollers.clear();
    },
  };
}
