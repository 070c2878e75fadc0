// The local SNS service's topics and subscriptions: the app's declared topics under their deployed
// names, topics made through the API (CreateTopic), the jobs' topic subscriptions (rebuilt from
// the app at each update) and the queue subscriptions made through the API (Subscribe).
import { createHash } from 'node:crypto';
import { validateFilterPolicy, formatFilterProblem, type FilterPolicyScope } from '../../config/event-filters/index.js';
import type { Diagnostic } from '../../shared/errors.js';
import type { LocalSubscriber } from '../deliveries.js';

/** A declared topic: `alerts` in the config, `blog-dev-alerts` on AWS and here. */
export interface LocalTopic {
  name: string;
  physicalName: string;
  fifo: boolean;
}

export interface Topic {
  arn: string;
  physicalName: string;
  /** The declared resource's name; none for a topic made through the API. */
  declared?: string;
  fifo: boolean;
  attributes: Record<string, string>;
}

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: 'lambda' | 'sqs';
  /** The job's function name (`lambda`) or the queue's ARN (`sqs`). */
  endpoint: string;
  /** The job a `lambda` subscription runs. */
  job?: string;
  raw: boolean;
  filter?: object;
  scope: FilterPolicyScope;
  attributes: Record<string, string>;
}

export interface TopicStore {
  readonly region: string;
  readonly account: string;
  topics: Map<string, Topic>;
  /** Subscriptions made through Subscribe; the jobs' ones are in `jobSubscriptions`. */
  subscriptions: Map<string, Subscription>;
  jobSubscriptions: Subscription[];
}

export const topicArn = (store: Pick<TopicStore, 'region' | 'account'>, physicalName: string) => `arn:aws:sns:${store.region}:${store.account}:${physicalName}`;

/** A UUID-shaped id that stays the same for the same input, so a job's subscription ARN survives reloads. */
export function stableId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function createTopicStore(region: string, account: string): TopicStore {
  return { region, account, topics: new Map(), subscriptions: new Map(), jobSubscriptions: [] };
}

export function topicAttributes(fifo: boolean, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(fifo && { FifoTopic: 'true', ContentBasedDeduplication: 'false' }), ...extra };
}

/** Makes the declared topics exist (topics made through the API stay) and rebuilds the jobs' subscriptions; returns what is not delivered locally. */
export function applyApp(store: TopicStore, topics: readonly LocalTopic[], subscribers: readonly LocalSubscriber[], functionName: (job: string) => string): Diagnostic[] {
  for (const { name, physicalName, fifo } of topics) {
    const arn = topicArn(store, physicalName);
    const existing = store.topics.get(arn);
    store.topics.set(arn, { arn, physicalName, declared: name, fifo, attributes: existing?.attributes ?? topicAttributes(fifo) });
  }
  const notes: Diagnostic[] = [];
  const jobSubscriptions: Subscription[] = [];
  for (const subscriber of subscribers) {
    subscriber.events.forEach((event, index) => {
      if (event.kind !== 'topic') return;
      const at = `job ${subscriber.job}: topic('${event.source}')`;
      const topic = [...store.topics.values()].find((candidate) => candidate.declared === event.source || candidate.arn === event.source);
      if (!topic) {
        notes.push({ level: 'warning', text: `${at} is not a declared topic, so nothing delivers it locally` });
        return;
      }
      if (topic.fifo) {
        notes.push({ level: 'warning', text: `${at} is a FIFO topic, which delivers to SQS queues only; the job is not run for it`, hint: 'subscribe a FIFO queue to the topic and the job to the queue' });
        return;
      }
      const scope: FilterPolicyScope = event.filterScope === 'body' ? 'MessageBody' : 'MessageAttributes';
      const problems = event.filter === undefined ? [] : validateFilterPolicy(event.filter, scope);
      if (problems.length > 0) {
        notes.push({ level: 'warning', text: `${at}: its filter is not a valid SNS filter policy (${problems.map(formatFilterProblem).join('; ')}), so nothing delivers it locally` });
        return;
      }
      jobSubscriptions.push({
        arn: `${topic.arn}:${stableId(`${subscriber.job}\0${index}\0${topic.arn}`)}`,
        topicArn: topic.arn,
        protocol: 'lambda',
        endpoint: functionName(subscriber.job),
        job: subscriber.job,
        raw: false,
        ...(event.filter !== undefined && { filter: event.filter }),
        scope,
        attributes: {},
      });
    });
  }
  store.jobSubscriptions = jobSubscriptions;
  return notes;
}

export function subscriptionsOf(store: TopicStore, arn: string): Subscription[] {
  return [...store.jobSubscriptions, ...store.subscriptions.values()].filter((subscription) => subscription.topicArn === arn);
}
