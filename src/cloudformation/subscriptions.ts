// A job's `static events` as CloudFormation (issue #18): event source mappings for queues and
// table streams (with partial batch responses), SNS subscriptions, S3 notifications on the
// bucket, EventBridge rules, each with its invoke permission, and the least-privilege IAM the
// job's role needs to read its sources. A job with provisioned concurrency is invoked, and
// permitted, through its `live` alias (live-alias.ts). The build has checked every subscription already
// (src/build/subscription-checks.ts): sources here are declared resources or well-formed ARNs.
import type { BuiltFunction, BuildManifest } from '../build/types.js';
import type { ResolvedResource, ResolvedTable, StreamView } from '../config/resources.js';
import { bucketEventTypes, parseArn, settleSource, SOURCE_KINDS, type SourcedSubscription } from '../config/subscription-sources.js';
import type { JobSubscription, QueueSubscription, TableSubscription, TopicSubscription } from '../config/subscriptions.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import type { FunctionIds } from './ids.js';
import { getAtt, ref } from './intrinsics.js';
import { invokedArn, invokedPermission, mappedFunction } from './live-alias.js';
import { functionGroup } from './model.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import { bucketNameFor, fixedBucketArn } from './resource-ids.js';
import type { TemplateResource } from './types.js';

type Statement = Record<string, unknown>;

/** What Lambda's poller needs of a queue it reads for a function (AWSLambdaSQSQueueExecutionRole, on one queue). */
export const QUEUE_CONSUMER_ACTIONS = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'];
/** What it needs of a DynamoDB stream (AWSLambdaDynamoDBExecutionRole, on one stream). */
const STREAM_CONSUMER_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
const STREAM_VIEW_TYPES: Record<StreamView, string> = { 'new-and-old': 'NEW_AND_OLD_IMAGES', new: 'NEW_IMAGE', old: 'OLD_IMAGE', keys: 'KEYS_ONLY' };
/** EventBridge's limit on a rule description. */
const RULE_DESCRIPTION_LIMIT = 512;
/** Lambda's defaults, written out so the template says what runs. */
const DEFAULTS = { queueBatch: 10, streamBatch: 100, retries: 3 } as const;
/** AWS advises a queue that feeds a function to hide a received message for 6 × the function's timeout. */
export const VISIBILITY_FACTOR = 6;

/** The subscribed functions by key, so no template depends on the order the build listed them in. */
const jobs = (manifest: BuildManifest): BuiltFunction[] => manifest.functions.filter((fn) => fn.events.length > 0).sort((a, b) => (a.key < b.key ? -1 : 1));

function declaredOf(subscription: SourcedSubscription, resources: readonly ResolvedResource[]): ResolvedResource | undefined {
  return settleSource(subscription.source, SOURCE_KINDS[subscription.kind].kind, resources)?.declared;
}

/** The template's value for a source's ARN (a stream's for a table): Fn::GetAtt / Ref of a declared resource, or the ARN as written. */
function sourceArn(subscription: SourcedSubscription, ctx: GenerateContext): unknown {
  const declared = declaredOf(subscription, ctx.config.resources);
  if (!declared) return subscription.source;
  const id = ctx.ids.declared.get(declared.name)!.resource;
  switch (subscription.kind) {
    case 'queue': return getAtt(id, 'Arn');
    case 'topic': return ref(id);
    case 'table': return getAtt(id, 'StreamArn');
    case 'bucket': return fixedBucketArn(ctx.ids.declared.get(declared.name)!.fixedName!);
  }
}

/** An on-failure destination's ARN, and whether it is a queue (SendMessage) or a topic (Publish). */
function destinationOf(name: string, ctx: GenerateContext): { arn: unknown; kind: 'queue' | 'topic' } {
  if (name.startsWith('arn:')) return { arn: name, kind: parseArn(name)?.service === 'sns' ? 'topic' : 'queue' };
  const declared = ctx.config.resources.find((resource) => resource.name === name)!;
  const id = ctx.ids.declared.get(name)!.resource;
  return declared.kind === 'topic' ? { arn: ref(id), kind: 'topic' } : { arn: getAtt(id, 'Arn'), kind: 'queue' };
}

/** The names every bucket a job subscribes to gets (see ResourceIds.fixedName), by resource name. */
export function subscribedBucketNames(config: ResolvedConfig, manifest: BuildManifest): Map<string, string> {
  const names = new Map<string, string>();
  for (const fn of jobs(manifest)) {
    for (const subscription of fn.events) {
      if (subscription.kind === 'bucket' && declaredOf(subscription, config.resources)) names.set(subscription.source, bucketNameFor(config, subscription.source));
    }
  }
  return names;
}

/** A table's stream: as declared, else as its subscriptions ask (the build made them agree; default new-and-old), else none. */
export function streamViewOf(table: ResolvedTable, manifest: BuildManifest): StreamView | false {
  if (table.stream) return table.stream;
  const subscriptions = jobs(manifest).flatMap((fn) => fn.events).filter((subscription): subscription is TableSubscription => subscription.kind === 'table' && subscription.source === table.name);
  return subscriptions.length === 0 ? false : subscriptions.find((subscription) => subscription.stream !== undefined)?.stream ?? 'new-and-old';
}

export function streamViewType(view: StreamView): string {
  return STREAM_VIEW_TYPES[view];
}

function queueMapping(fnIds: FunctionIds, eventSourceArn: unknown, subscription: Pick<QueueSubscription, 'batchSize' | 'maxBatchingWindow' | 'maxConcurrency'>): TemplateResource {
  return {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      EventSourceArn: eventSourceArn,
      FunctionName: mappedFunction(fnIds),
      Enabled: true,
      BatchSize: subscription.batchSize ?? DEFAULTS.queueBatch,
      ...(subscription.maxBatchingWindow !== undefined ? { MaximumBatchingWindowInSeconds: subscription.maxBatchingWindow } : {}),
      ...(subscription.maxConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: subscription.maxConcurrency } } : {}),
      // The runtime answers with the records that failed: only those come back to the queue.
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    },
  };
}

/** An event source mapping reading a queue, for a subscription or a job's own queue. */
export function queueMappingPart(fn: BuiltFunction, id: string, eventSourceArn: unknown, subscription: Pick<QueueSubscription, 'batchSize' | 'maxBatchingWindow' | 'maxConcurrency'>, ctx: GenerateContext): Part {
  return { id, home: functionGroup(fn).key, source: fn.source, resource: queueMapping(ctx.ids.functions.get(fn.key)!, eventSourceArn, subscription) };
}

function tableMapping(fnIds: FunctionIds, subscription: TableSubscription, ctx: GenerateContext): TemplateResource {
  return {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      EventSourceArn: sourceArn(subscription, ctx),
      FunctionName: mappedFunction(fnIds),
      Enabled: true,
      StartingPosition: subscription.startingPosition === 'trim-horizon' ? 'TRIM_HORIZON' : 'LATEST',
      BatchSize: subscription.batchSize ?? DEFAULTS.streamBatch,
      ...(subscription.maxBatchingWindow !== undefined ? { MaximumBatchingWindowInSeconds: subscription.maxBatchingWindow } : {}),
      MaximumRetryAttempts: subscription.retries ?? DEFAULTS.retries,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ...(subscription.onFailure !== undefined ? { DestinationConfig: { OnFailure: { Destination: destinationOf(subscription.onFailure, ctx).arn } } } : {}),
    },
  };
}

function topicSubscription(fnIds: FunctionIds, subscription: TopicSubscription, ctx: GenerateContext): TemplateResource {
  const external = declaredOf(subscription, ctx.config.resources) ? undefined : parseArn(subscription.source);
  return {
    Type: 'AWS::SNS::Subscription',
    Properties: {
      TopicArn: sourceArn(subscription, ctx),
      Protocol: 'lambda',
      Endpoint: invokedArn(fnIds),
      // A topic of another region is subscribed to in its own region.
      ...(external && external.region !== ctx.config.region ? { Region: external.region } : {}),
      ...(subscription.filter !== undefined ? { FilterPolicy: subscription.filter, FilterPolicyScope: subscription.filterScope === 'body' ? 'MessageBody' : 'MessageAttributes' } : {}),
    },
  };
}

function eventParts(fn: BuiltFunction, subscription: JobSubscription, index: number, ctx: GenerateContext): Part[] {
  const fnIds = ctx.ids.functions.get(fn.key)!;
  const { main, permission } = fnIds.events[index]!;
  const home = functionGroup(fn).key;
  const part = (id: string, resource: TemplateResource, where = home): Part => ({ id, home: where, source: `${fn.source} (events[${index}])`, resource });
  switch (subscription.kind) {
    case 'queue':
      return [queueMappingPart(fn, main!, sourceArn(subscription, ctx), subscription, ctx)];
    case 'table':
      return [part(main!, tableMapping(fnIds, subscription, ctx))];
    case 'topic':
      return [part(main!, topicSubscription(fnIds, subscription, ctx)), part(permission!, invokedPermission(fnIds, 'sns.amazonaws.com', sourceArn(subscription, ctx)))];
    case 'bucket':
      // In the root, beside the bucket that waits for it (see bucketNotification).
      return [part(permission!, bucketPermission(fnIds, sourceArn(subscription, ctx)), ROOT_HOME)];
    case 'rule':
      return [
        part(main!, {
          Type: 'AWS::Events::Rule',
          // No Name: CloudFormation's generated one fits EventBridge's 64 characters.
          Properties: {
            Description: `${fn.source}: events[${index}]`.slice(0, RULE_DESCRIPTION_LIMIT),
            EventPattern: subscription.pattern,
            ...(subscription.bus !== undefined ? { EventBusName: subscription.bus } : {}),
            State: 'ENABLED',
            Targets: [{ Id: 'job', Arn: invokedArn(fnIds) }],
          },
        }),
        part(permission!, invokedPermission(fnIds, 'events.amazonaws.com', getAtt(main!, 'Arn'))),
      ];
  }
}

/**
 * S3 checks that it may invoke the function when the bucket's notifications are set, so the bucket
 * must wait for this permission — and a permission naming the bucket by Ref would wait for the
 * bucket: the well-known circular dependency. The bucket's name is fixed in advance instead
 * (bucketNameFor), so the permission's SourceArn is built from it, SourceAccount keeps a bucket of
 * the same name in another account out, and the bucket DependsOn the permission.
 */
function bucketPermission(fnIds: FunctionIds, bucketArn: unknown): TemplateResource {
  const permission = invokedPermission(fnIds, 's3.amazonaws.com', bucketArn);
  return { ...permission, Properties: { ...permission.Properties, SourceAccount: ref('AWS::AccountId') } };
}

/** Every part a function's `static events` add, in the order they are written. */
export function subscriptionParts(fn: BuiltFunction, ctx: GenerateContext): Part[] {
  return fn.events.flatMap((subscription, index) => eventParts(fn, subscription, index, ctx));
}

/** A declared bucket's NotificationConfiguration for the jobs subscribed to it, and the permissions it must wait for. */
export function bucketNotification(bucket: string, ctx: GenerateContext): { configuration?: Record<string, unknown>; dependsOn: string[] } {
  const configurations: Array<Record<string, unknown>> = [];
  const dependsOn: string[] = [];
  for (const fn of jobs(ctx.manifest)) {
    const fnIds = ctx.ids.functions.get(fn.key)!;
    fn.events.forEach((subscription, index) => {
      if (subscription.kind !== 'bucket' || subscription.source !== bucket) return;
      dependsOn.push(fnIds.events[index]!.permission!);
      const rules = [
        ...(subscription.prefix !== undefined ? [{ Name: 'prefix', Value: subscription.prefix }] : []),
        ...(subscription.suffix !== undefined ? [{ Name: 'suffix', Value: subscription.suffix }] : []),
      ];
      for (const event of bucketEventTypes(subscription.on)) {
        configurations.push({ Event: event, Function: invokedArn(fnIds), ...(rules.length > 0 ? { Filter: { S3Key: { Rules: rules } } } : {}) });
      }
    });
  }
  return configurations.length === 0 ? { dependsOn } : { configuration: { LambdaConfigurations: configurations }, dependsOn: dependsOn.sort() };
}

/** What a function's role needs to read its sources and write to its on-failure destinations. */
export function subscriptionStatements(fn: BuiltFunction, ctx: GenerateContext): Statement[] {
  const allow = (action: string[], resource: unknown): Statement => ({ Effect: 'Allow', Action: action, Resource: resource });
  return fn.events.flatMap((subscription): Statement[] => {
    if (subscription.kind === 'queue') return [allow(QUEUE_CONSUMER_ACTIONS, sourceArn(subscription, ctx))];
    if (subscription.kind !== 'table') return [];
    const statements = [allow(STREAM_CONSUMER_ACTIONS, sourceArn(subscription, ctx))];
    if (subscription.onFailure !== undefined) {
      const destination = destinationOf(subscription.onFailure, ctx);
      statements.push(allow(destination.kind === 'topic' ? ['sns:Publish'] : ['sqs:SendMessage'], destination.arn));
    }
    return statements;
  });
}

/** A declared queue hiding messages for less than 6 × the timeout of a job reading it: AWS advises against it (retries come too soon). */
export function subscriptionWarnings(functions: readonly BuiltFunction[], config: ResolvedConfig): Diagnostic[] {
  return functions.flatMap((fn) => fn.events.flatMap((subscription, index): Diagnostic[] => {
    if (subscription.kind !== 'queue') return [];
    const queue = declaredOf(subscription, config.resources);
    if (queue?.kind !== 'queue' || queue.visibilityTimeout >= VISIBILITY_FACTOR * fn.timeout) return [];
    return [{
      level: 'warning',
      text: `${fn.source}.events[${index}]: queue '${queue.name}' hides a received message for ${queue.visibilityTimeout} s, under 6 × the job's timeout (${VISIBILITY_FACTOR * fn.timeout} s), as AWS advises for a queue feeding a function`,
      hint: `set resources.${queue.name}'s visibilityTimeout to ${VISIBILITY_FACTOR * fn.timeout}: otherwise a message may come back while a throttled batch still waits to run`,
    }];
  }));
}
