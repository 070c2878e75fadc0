// The engines that run jobs as Lambda's asynchronous invoke does: the SNS service for the app's
// topics (started once one is declared) and the EventBridge bus for the jobs' rules (started once
// a job has one). Both hand their jobs to the engines' delivery hub; SNS hands messages for a
// subscribed queue to the local SQS service.
import type { ResolvedResource } from '../config/index.js';
import type { Diagnostic } from '../shared/errors.js';
import type { Deliver, LocalSubscriber } from './deliveries.js';
import type { DeliveryHub } from './delivery-hub.js';
import { declaredAs, jobsAs, startEngine } from './engine-errors.js';
import { needsEventBus, startEventBus, type EventBus } from './events/event-bus.js';
import { LOCAL_ACCOUNT, localFunctionName } from './names.js';
import { localTopics } from './sns/local-topics.js';
import type { SendToQueue } from './sns/sns-publish.js';
import { startSnsService, type SnsService } from './sns/sns-service.js';
import type { LocalTopic } from './sns/sns-topics.js';

export interface AsyncServicesOptions {
  app: string;
  stage: string;
  region: string;
  host: string;
  hub: DeliveryHub;
  /** The local SQS service's send, for queues subscribed to a topic. */
  sendToQueue: SendToQueue;
  /** Waits before a failed job's retries (default AWS's one and two minutes). */
  retryDelaysMs?: readonly number[];
}

export interface AsyncServices {
  readonly endpoints: { readonly sns?: string; readonly events?: string };
  /** The declared topics, once the SNS service serves them. */
  readonly topics: readonly LocalTopic[];
  /** What the jobs' topic subscriptions and rules cannot do locally. */
  readonly warnings: readonly Diagnostic[];
  /** Starts what the app now needs (on the given ports, if any) and gives the running ones its topics and jobs. */
  bringUp(resources: readonly ResolvedResource[], subscribers: readonly LocalSubscriber[], ports?: { sns?: number; events?: number }): Promise<void>;
  /** Resolves once the hub and both services are idle, retries included. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const SNS_ENGINE = 'SNS engine (sls-ts)';
const EVENTS_ENGINE = 'EventBridge bus (sls-ts)';

export function createAsyncServices(options: AsyncServicesOptions): AsyncServices {
  const { hub } = options;
  let sns: SnsService | undefined;
  let bus: EventBus | undefined;
  let topics: LocalTopic[] = [];
  // Each job a topic or the bus runs, and each message SNS puts in a queue, is activity:
  // settled() goes round again until a round started none (a job may publish as it runs).
  let activity = 0;
  const deliver: Deliver = (delivery) => {
    activity += 1;
    return hub.deliver(delivery);
  };
  const sendToQueue: SendToQueue = (...message) => {
    activity += 1;
    return options.sendToQueue(...message);
  };
  const settings = {
    host: options.host, region: options.region, account: LOCAL_ACCOUNT, deliver,
    ...(options.retryDelaysMs !== undefined && { retryDelaysMs: options.retryDelaysMs }),
  };
  // Without a host no job runs: topics and the bus then see no job subscriber, rather than
  // failing, retrying and dropping every event with a warning.
  const jobsOf = (subscribers: readonly LocalSubscriber[]) => (hub.active ? subscribers : []);

  async function bringUpTopics(resources: readonly ResolvedResource[], subscribers: readonly LocalSubscriber[], port: number | undefined): Promise<void> {
    const next = localTopics(options.app, options.stage, resources);
    if (sns) sns.update(next, jobsOf(subscribers));
    else if (next.length > 0) {
      sns = await startEngine(SNS_ENGINE, declaredAs(next.map((topic) => topic.name)), undefined, () => startSnsService({
        ...settings, ...(port !== undefined && { port }), topics: next, subscribers: jobsOf(subscribers), sendToQueue,
        functionName: (job) => localFunctionName(options.app, options.stage, job),
      }));
    }
    topics = next;
  }

  async function bringUpBus(subscribers: readonly LocalSubscriber[], port: number | undefined): Promise<void> {
    if (bus) bus.update(jobsOf(subscribers));
    else if (needsEventBus(subscribers)) {
      const ruled = subscribers.filter((subscriber) => needsEventBus([subscriber])).map((subscriber) => subscriber.job);
      bus = await startEngine(EVENTS_ENGINE, jobsAs(ruled), undefined, () => startEventBus({ ...settings, ...(port !== undefined && { port }), subscribers: jobsOf(subscribers) }));
    }
  }

  return {
    get endpoints() {
      return { ...(sns && { sns: sns.endpoint }), ...(bus && { events: bus.endpoint }) };
    },
    get topics() {
      return sns ? topics : [];
    },
    get warnings() {
      return [...(sns?.warnings ?? []), ...(bus?.warnings ?? [])];
    },
    async bringUp(resources, subscribers, ports = {}) {
      // Settled, not Promise.all: when one fails, the other must have finished starting before stop() runs.
      const results = await Promise.allSettled([bringUpTopics(resources, subscribers, ports.sns), bringUpBus(subscribers, ports.events)]);
      for (const result of results) if (result.status === 'rejected') throw result.reason;
    },
    async settled() {
      for (;;) {
        const before = activity;
        await Promise.all([sns?.settled(), bus?.settled()]);
        await hub.settled();
        if (activity === before) return;
      }
    },
    async stop() {
      await Promise.all([sns?.stop(), bus?.stop()]);
      sns = undefined;
      bus = undefined;
    },
  };
}
