// Declared resources (config `resources`) as CloudFormation: a DynamoDB table, an S3 bucket (and
// its policy), an SQS queue (and its dead-letter queue), an SNS topic, or a raw resource as
// written. All live in the root: functions in nested stacks receive what they reference as
// parameters (split.ts), so a resource never moves when the app is split.
import type {
  RemovalPolicy, ResolvedAttribute, ResolvedBucket, ResolvedQueue, ResolvedRawResource, ResolvedResource, ResolvedTable, StreamView,
} from '../config/resources.js';
import { formatKeyPath } from '../config/report.js';
import { SlsError } from '../shared/errors.js';
import { denyInsecureTransport, secureBucketProperties } from './bucket.js';
import { getAtt, POLICY_VERSION, ref, sub, withTags } from './intrinsics.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import { physicalNames, type ResourceIds } from './resource-ids.js';
import { bucketNotification, streamViewOf, streamViewType } from './subscriptions.js';
import type { TemplateResource } from './types.js';

const ATTRIBUTE_TYPES = { string: 'S', number: 'N', binary: 'B' } as const;
/** A dead-letter queue keeps what failed as long as SQS allows, so there is time to look at it. */
const DEAD_LETTER_RETENTION = 1_209_600;
/** Uploads never completed stop costing after a week (as in the artifacts bucket). */
const ABORT_UPLOADS_DAYS = 7;

/** `retain`: kept when the stack is deleted and when an update would replace it. */
function removalPolicies(removal: RemovalPolicy): Pick<TemplateResource, 'DeletionPolicy' | 'UpdateReplacePolicy'> {
  const policy = removal === 'retain' ? 'Retain' : 'Delete';
  return { DeletionPolicy: policy, UpdateReplacePolicy: policy };
}

function keySchema(key: ResolvedAttribute, sort: ResolvedAttribute | undefined): Array<Record<string, string>> {
  return [{ AttributeName: key.name, KeyType: 'HASH' }, ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' }] : [])];
}

/** `stream`: the table's own, or the one a job's subscription turns on (see streamViewOf). */
function tableProperties(table: ResolvedTable, name: string | undefined, stream: StreamView | false): Record<string, unknown> {
  // DynamoDB wants each key attribute declared once, whether the table or an index uses it.
  const attributes = new Map<string, ResolvedAttribute>();
  for (const attribute of [table.key, table.sort, ...table.indexes.flatMap((index) => [index.key, index.sort])]) {
    if (attribute && !attributes.has(attribute.name)) attributes.set(attribute.name, attribute);
  }
  return {
    ...(name ? { TableName: name } : {}),
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()].map((attribute) => ({ AttributeName: attribute.name, AttributeType: ATTRIBUTE_TYPES[attribute.type] })),
    KeySchema: keySchema(table.key, table.sort),
    ...(table.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.key, index.sort),
            Projection: index.projection === 'all' ? { ProjectionType: 'ALL' } : index.projection === 'keys' ? { ProjectionType: 'KEYS_ONLY' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
          })),
        }
      : {}),
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: table.pointInTimeRecovery },
    // KMS with the AWS managed key (aws/dynamodb): the key's use shows in CloudTrail, and the
    // functions need no KMS permission of their own.
    SSESpecification: { SSEEnabled: true },
    ...(table.ttl ? { TimeToLiveSpecification: { AttributeName: table.ttl, Enabled: true } } : {}),
    ...(stream ? { StreamSpecification: { StreamViewType: streamViewType(stream) } } : {}),
  };
}

function bucketProperties(bucket: ResolvedBucket): Record<string, unknown> {
  const secure = secureBucketProperties();
  const rules: Array<Record<string, unknown>> = [{ Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_UPLOADS_DAYS } }];
  if (bucket.expireAfterDays !== undefined) {
    rules.push({
      Id: 'expire-objects',
      Status: 'Enabled',
      ExpirationInDays: bucket.expireAfterDays,
      ...(bucket.versioned ? { NoncurrentVersionExpiration: { NoncurrentDays: bucket.expireAfterDays } } : {}),
    });
  }
  return {
    ...secure,
    // A public bucket keeps ACLs blocked: only its policy (GetObject for everyone) makes it public.
    ...(bucket.public ? { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false, IgnorePublicAcls: true, RestrictPublicBuckets: false } } : {}),
    ...(bucket.versioned ? { VersioningConfiguration: { Status: 'Enabled' } } : {}),
    LifecycleConfiguration: { Rules: rules },
    ...(bucket.cors
      ? {
          CorsConfiguration: {
            CorsRules: [{ AllowedOrigins: [...bucket.cors.origins], AllowedMethods: [...bucket.cors.methods], AllowedHeaders: [...bucket.cors.headers], MaxAge: bucket.cors.maxAge }],
          },
        }
      : {}),
  };
}

function bucketPolicy(bucket: ResolvedBucket, id: string): Record<string, unknown> {
  const statements = [denyInsecureTransport(id)];
  if (bucket.public) statements.push({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: sub(`\${${id}.Arn}/*`) });
  return { Bucket: ref(id), PolicyDocument: { Version: POLICY_VERSION, Statement: statements } };
}

function queueProperties(queue: ResolvedQueue, name: string | undefined, deadLetterId: string | undefined): Record<string, unknown> {
  return {
    ...(name ? { QueueName: name } : {}),
    ...(queue.fifo ? { FifoQueue: true } : {}),
    VisibilityTimeout: queue.visibilityTimeout,
    MessageRetentionPeriod: queue.retention,
    DelaySeconds: queue.delay,
    SqsManagedSseEnabled: true,
    ...(queue.deadLetter && deadLetterId ? { RedrivePolicy: { deadLetterTargetArn: getAtt(deadLetterId, 'Arn'), maxReceiveCount: queue.deadLetter.maxReceives } } : {}),
  };
}

/** A raw resource as written; a Condition has nothing to refer to in sls-ts's templates. */
function rawResource(raw: ResolvedRawResource): TemplateResource {
  const { Type, Properties, DependsOn, DeletionPolicy, UpdateReplacePolicy, Metadata, Condition } = raw.resource;
  if (Condition !== undefined) {
    throw new SlsError({
      text: `${formatKeyPath(['resources', raw.name, 'resource', 'Condition'])}: sls-ts templates have no Conditions section`,
      hint: 'declare the resource only on the stages that need it: `resources` can be built from the stage in defineConfig(({ stage }) => …)',
    });
  }
  return {
    Type,
    Properties: Properties ?? {},
    ...(DependsOn !== undefined ? { DependsOn: typeof DependsOn === 'string' ? [DependsOn] : [...DependsOn] } : {}),
    ...(DeletionPolicy ? { DeletionPolicy } : {}),
    ...(UpdateReplacePolicy ? { UpdateReplacePolicy } : {}),
    ...(Metadata ? { Metadata } : {}),
  };
}

function partsOf(resource: ResolvedResource, ids: ResourceIds, ctx: GenerateContext): Part[] {
  const names = physicalNames(ctx.config, resource);
  const tags = withTags(ctx.tags);
  const part = (id: string, what: string, body: TemplateResource): Part => ({ id, home: ROOT_HOME, source: `${what} ${resource.name} (resources.${resource.name})`, resource: body });
  switch (resource.kind) {
    case 'table':
      return [part(ids.resource, 'table', { Type: 'AWS::DynamoDB::Table', ...removalPolicies(resource.removal), Properties: { ...tableProperties(resource, names.name, streamViewOf(resource, ctx.manifest)), ...tags } })];
    case 'bucket': {
      const notification = bucketNotification(resource.name, ctx);
      return [
        part(ids.resource, 'bucket', {
          Type: 'AWS::S3::Bucket',
          ...removalPolicies(resource.removal),
          // S3 checks its invoke permissions when the notifications are set (see bucketPermission).
          ...(notification.dependsOn.length > 0 ? { DependsOn: notification.dependsOn } : {}),
          Properties: {
            ...(ids.fixedName !== undefined ? { BucketName: sub(ids.fixedName) } : {}),
            ...bucketProperties(resource),
            ...(notification.configuration ? { NotificationConfiguration: notification.configuration } : {}),
            ...tags,
          },
        }),
        part(ids.policy!, 'bucket policy of', { Type: 'AWS::S3::BucketPolicy', Properties: bucketPolicy(resource, ids.resource) }),
      ];
    }
    case 'queue':
      return [
        ...(ids.deadLetter && resource.deadLetter
          ? [part(ids.deadLetter, 'dead-letter queue of', {
              Type: 'AWS::SQS::Queue',
              Properties: { ...(names.deadLetter ? { QueueName: names.deadLetter } : {}), ...(resource.fifo ? { FifoQueue: true } : {}), MessageRetentionPeriod: DEAD_LETTER_RETENTION, SqsManagedSseEnabled: true, ...tags },
            })]
          : []),
        part(ids.resource, 'queue', { Type: 'AWS::SQS::Queue', Properties: { ...queueProperties(resource, names.name, ids.deadLetter), ...tags } }),
      ];
    case 'topic':
      return [part(ids.resource, 'topic', { Type: 'AWS::SNS::Topic', Properties: { ...(names.name ? { TopicName: names.name } : {}), ...(resource.fifo ? { FifoTopic: true } : {}), ...tags } })];
    case 'cloudformation':
      return [part(ids.resource, 'resource', rawResource(resource))];
  }
}

/** Every declared resource's parts, in declaration order. */
export function resourceParts(ctx: GenerateContext): Part[] {
  return ctx.config.resources.flatMap((resource) => partsOf(resource, ctx.ids.declared.get(resource.name)!, ctx));
}
