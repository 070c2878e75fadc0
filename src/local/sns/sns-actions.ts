// The SNS actions the local service answers, each reading its Query parameters and returning the
// XML its response carries. Topics and queue subscriptions made here live in memory only.
import { randomUUID } from 'node:crypto';
import { formatFilterProblem, validateFilterPolicy, type FilterPolicyScope } from '../../config/event-filters/index.js';
import type { LocalReply } from '../local-server.js';
import { indices, invalidParameter, notFound, readMap, required, SnsError, xmlField, xmlReply, type Params } from './query-protocol.js';
import { findTopic, publish, publishBatch, publishTarget, type PublishContext } from './sns-publish.js';
import { subscriptionsOf, topicArn, topicAttributes, type Subscription } from './sns-topics.js';

type Action = (context: PublishContext, params: Params) => LocalReply;

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_SUFFIX = '.fifo';
const PAGE = 100;
const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

const attributesXml = (attributes: Record<string, string>) =>
  `<Attributes>${Object.entries(attributes).map(([key, value]) => `<entry>${xmlField('key', key)}${xmlField('value', value)}</entry>`).join('')}</Attributes>`;

/** One page of `items` from NextToken (an offset), and the token of the next page. */
function page<T>(items: readonly T[], params: Params): { items: T[]; next?: string } {
  const token = params.get('NextToken');
  const start = token ? Number(token) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalidParameter('NextToken');
  const end = start + PAGE;
  return { items: items.slice(start, end), ...(end < items.length && { next: String(end) }) };
}

function createTopic(context: PublishContext, params: Params): LocalReply {
  const { store } = context;
  const name = required(params, 'Name');
  const attributes = readMap(params, 'Attributes');
  const fifo = attributes.FifoTopic === 'true';
  const base = fifo && name.endsWith(FIFO_SUFFIX) ? name.slice(0, -FIFO_SUFFIX.length) : name;
  if (fifo !== name.endsWith(FIFO_SUFFIX) || !TOPIC_NAME.test(base)) {
    throw invalidParameter(fifo || name.endsWith(FIFO_SUFFIX)
      ? 'Fifo Topic names must end with .fifo (with the attribute FifoTopic=true) and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
      : 'Topic Name');
  }
  if (attributes.ContentBasedDeduplication !== undefined && !fifo) throw invalidParameter('Attributes Reason: ContentBasedDeduplication applies to FIFO topics only');
  const arn = topicArn(store, name);
  const existing = store.topics.get(arn);
  if (existing) {
    const differs = Object.entries(attributes).some(([key, value]) => existing.attributes[key] !== undefined && existing.attributes[key] !== value);
    if (differs) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
  } else {
    store.topics.set(arn, { arn, physicalName: name, fifo, attributes: topicAttributes(fifo, attributes) });
  }
  return xmlReply('CreateTopic', xmlField('TopicArn', arn));
}

function listTopics(context: PublishContext, params: Params): LocalReply {
  const { items, next } = page([...context.store.topics.keys()].sort(), params);
  return xmlReply('ListTopics', `<Topics>${items.map((arn) => `<member>${xmlField('TopicArn', arn)}</member>`).join('')}</Topics>${xmlField('NextToken', next)}`);
}

function getTopicAttributes(context: PublishContext, params: Params): LocalReply {
  const topic = findTopic(context.store, required(params, 'TopicArn'));
  const subscriptions = subscriptionsOf(context.store, topic.arn).length;
  return xmlReply('GetTopicAttributes', attributesXml({
    TopicArn: topic.arn,
    Owner: context.store.account,
    DisplayName: '',
    SubscriptionsConfirmed: String(subscriptions),
    SubscriptionsPending: '0',
    SubscriptionsDeleted: '0',
    ...topic.attributes,
  }));
}

function setTopicAttributes(context: PublishContext, params: Params): LocalReply {
  const topic = findTopic(context.store, required(params, 'TopicArn'));
  const name = required(params, 'AttributeName');
  const value = params.get('AttributeValue') ?? '';
  if (name === 'FifoTopic') throw invalidParameter('AttributeName Reason: FifoTopic is set when the topic is created');
  if (name === 'ContentBasedDeduplication' && !topic.fifo) throw invalidParameter('AttributeName Reason: ContentBasedDeduplication applies to FIFO topics only');
  topic.attributes[name] = value;
  return xmlReply('SetTopicAttributes', undefined);
}

/** RawMessageDelivery, FilterPolicy and FilterPolicyScope, checked as Subscribe checks them. */
function readSubscriptionAttributes(attributes: Record<string, string>): Pick<Subscription, 'raw' | 'filter' | 'scope'> {
  const raw = attributes.RawMessageDelivery ?? 'false';
  if (raw !== 'true' && raw !== 'false') throw invalidParameter('Attributes Reason: RawMessageDelivery: Invalid value [' + raw + ']. Must be true or false.');
  const scope = (attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') throw invalidParameter(`Attributes Reason: FilterPolicyScope: Invalid value [${String(scope)}]. Please use either MessageBody or MessageAttributes`);
  if (attributes.FilterPolicy === undefined || attributes.FilterPolicy === '') return { raw: raw === 'true', scope };
  let filter: unknown;
  try {
    filter = JSON.parse(attributes.FilterPolicy);
  } catch {
    throw invalidParameter('FilterPolicy: failed to parse JSON');
  }
  const problems = validateFilterPolicy(filter, scope);
  if (problems.length > 0) throw invalidParameter(`FilterPolicy: ${problems.map(formatFilterProblem).join('; ')}`);
  return { raw: raw === 'true', filter: filter as object, scope };
}

function subscribe(context: PublishContext, params: Params): LocalReply {
  const topic = findTopic(context.store, required(params, 'TopicArn'));
  const protocol = required(params, 'Protocol');
  if (protocol !== 'sqs') {
    throw invalidParameter(protocol === 'lambda'
      ? 'Protocol Reason: locally, jobs subscribe to topics in code (static events = [topic(\'…\')]), not through Subscribe'
      : `Protocol Reason: the local SNS service delivers to sqs endpoints only, not ${protocol}`);
  }
  const endpoint = required(params, 'Endpoint');
  if (!QUEUE_ARN.test(endpoint)) throw invalidParameter('SQS endpoint ARN');
  if (!context.sendToQueue) throw invalidParameter('Endpoint Reason: no local SQS service runs to deliver to');
  const attributes = readMap(params, 'Attributes');
  const read = readSubscriptionAttributes(attributes);
  const existing = [...context.store.subscriptions.values()].find((s) => s.topicArn === topic.arn && s.endpoint === endpoint);
  if (existing) {
    if (JSON.stringify(existing.attributes) !== JSON.stringify(attributes)) throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
    return xmlReply('Subscribe', xmlField('SubscriptionArn', existing.arn));
  }
  const arn = `${topic.arn}:${randomUUID()}`;
  context.store.subscriptions.set(arn, { arn, topicArn: topic.arn, protocol: 'sqs', endpoint, ...read, attributes });
  return xmlReply('Subscribe', xmlField('SubscriptionArn', arn));
}

function unsubscribe(context: PublishContext, params: Params): LocalReply {
  const arn = required(params, 'SubscriptionArn');
  const job = context.store.jobSubscriptions.find((subscription) => subscription.arn === arn);
  if (job) throw invalidParameter(`SubscriptionArn Reason: job ${job.job} subscribes to this topic in its code; remove the topic from its events instead`);
  if (!context.store.subscriptions.delete(arn)) throw notFound('Subscription does not exist');
  return xmlReply('Unsubscribe', undefined);
}

function listSubscriptionsByTopic(context: PublishContext, params: Params): LocalReply {
  const topic = findTopic(context.store, required(params, 'TopicArn'));
  const { items, next } = page(subscriptionsOf(context.store, topic.arn), params);
  const members = items.map((s) => `<member>${xmlField('TopicArn', s.topicArn)}${xmlField('Protocol', s.protocol)}${xmlField('SubscriptionArn', s.arn)}${xmlField('Owner', context.store.account)}${xmlField('Endpoint', s.endpoint)}</member>`);
  return xmlReply('ListSubscriptionsByTopic', `<Subscriptions>${members.join('')}</Subscriptions>${xmlField('NextToken', next)}`);
}

function publishAction(context: PublishContext, params: Params): LocalReply {
  const { messageId, sequenceNumber } = publish(context, publishTarget(context.store, params), params);
  return xmlReply('Publish', `${xmlField('MessageId', messageId)}${xmlField('SequenceNumber', sequenceNumber)}`);
}

function publishBatchAction(context: PublishContext, params: Params): LocalReply {
  const topic = findTopic(context.store, required(params, 'TopicArn'));
  const { successful, failed } = publishBatch(context, topic, params, indices(params, 'PublishBatchRequestEntries.member'));
  const ok = successful.map((s) => `<member>${xmlField('Id', s.id)}${xmlField('MessageId', s.messageId)}${xmlField('SequenceNumber', s.sequenceNumber)}</member>`);
  const bad = failed.map((f) => `<member>${xmlField('Id', f.id)}${xmlField('Code', f.code)}${xmlField('Message', f.message)}<SenderFault>true</SenderFault></member>`);
  return xmlReply('PublishBatch', `<Successful>${ok.join('')}</Successful><Failed>${bad.join('')}</Failed>`);
}

const ACTIONS: Record<string, Action> = {
  CreateTopic: createTopic,
  ListTopics: listTopics,
  GetTopicAttributes: getTopicAttributes,
  SetTopicAttributes: setTopicAttributes,
  Subscribe: subscribe,
  Unsubscribe: unsubscribe,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  Publish: publishAction,
  PublishBatch: publishBatchAction,
};

export function runSnsAction(context: PublishContext, params: Params): LocalReply {
  const action = params.get('Action') ?? '';
  const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!run) throw new SnsError('InvalidAction', `The action ${action || '(none)'} is not valid for this endpoint; the local SNS service answers ${Object.keys(ACTIONS).join(', ')}.`);
  return run(context, params);
}
