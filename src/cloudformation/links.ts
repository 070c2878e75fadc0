// What linking a declared resource gives a function: least-privilege IAM statements for exactly
// that resource, and its physical names in the environment (SLS_TS_RESOURCE_<NAME>_NAME / _ARN /
// _URL) as Ref / Fn::GetAtt, which the runtime's `resources` accessor reads.
import { linkEnvName, type LinkEnvField, type ResolvedLink, type ResolvedResource } from '../config/resources.js';
import type { ResolvedConfig } from '../config/types.js';
import { getAtt, ref, sub } from './intrinsics.js';
import { fixedBucketArn, physicalNames, resourceReferences, type ResourceIds } from './resource-ids.js';

/** Read-only links get the read side only; the rest add writing. A raw resource gets no IAM: the app writes its own `iam`. */
export const LINK_ACTIONS = {
  table: {
    read: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
    write: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  bucketObjects: { read: ['s3:GetObject'], write: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'] },
  bucket: { read: ['s3:ListBucket'], write: [] },
  // Read-only receives without deleting: a message comes back once its visibility timeout ends.
  queue: {
    read: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
    write: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:SendMessage'],
  },
  topic: { read: ['sns:GetTopicAttributes'], write: ['sns:Publish'] },
} as const;

type Statement = Record<string, unknown>;

function actions(family: keyof typeof LINK_ACTIONS, readOnly: boolean): string[] {
  const { read, write } = LINK_ACTIONS[family];
  return readOnly ? [...read] : [...read, ...write].sort();
}

function statementsOf(resource: ResolvedResource, ids: ResourceIds, readOnly: boolean): Statement[] {
  const id = ids.resource;
  const allow = (sid: string, family: keyof typeof LINK_ACTIONS, resources: unknown): Statement => ({ Sid: sid, Effect: 'Allow', Action: actions(family, readOnly), Resource: resources });
  switch (resource.kind) {
    case 'table':
      return [allow(id, 'table', [getAtt(id, 'Arn'), sub(`\${${id}.Arn}/index/*`)])];
    case 'bucket':
      // A subscribed bucket is named in advance: its ARN from the name keeps the role off the bucket (see fixedName).
      if (ids.fixedName !== undefined) return [allow(`${id}Objects`, 'bucketObjects', fixedBucketArn(ids.fixedName, '/*')), allow(id, 'bucket', fixedBucketArn(ids.fixedName))];
      return [allow(`${id}Objects`, 'bucketObjects', sub(`\${${id}.Arn}/*`)), allow(id, 'bucket', getAtt(id, 'Arn'))];
    case 'queue':
      return [allow(id, 'queue', getAtt(id, 'Arn'))];
    case 'topic':
      return [allow(id, 'topic', ref(id))];
    case 'cloudformation':
      return [];
  }
}

/** IAM statements for `links`, in the order the resources are declared. */
export function linkStatements(links: readonly ResolvedLink[], resources: readonly ResolvedResource[], ids: ReadonlyMap<string, ResourceIds>): Statement[] {
  const access = new Map(links.map((link) => [link.name, link.readOnly]));
  return resources.flatMap((resource) => {
    const readOnly = access.get(resource.name);
    return readOnly === undefined ? [] : statementsOf(resource, ids.get(resource.name)!, readOnly);
  });
}

export interface LinkVariable {
  name: string;
  /** What the template passes: a Ref or Fn::GetAtt. */
  value: unknown;
  /**
   * The longest the value can be once CloudFormation resolves it, for Lambda's 4 KB check: names
   * sls-ts sets are known; a bucket's generated name counts as 63 characters (S3's longest),
   * a raw resource's Ref as 256.
   */
  estimate: string;
}

const LONGEST_BUCKET_NAME = 'b'.repeat(63);
const LONGEST_REF = 'r'.repeat(256);

/** An ARN as the function will see it, with the longest partition and an account id. */
function arnOf(config: ResolvedConfig, service: string, resource: string): string {
  return `arn:aws-us-gov:${service}:${config.region}:123456789012:${resource}`;
}

/** The longest each of a resource's values can be once resolved. */
function estimatesOf(resource: ResolvedResource, config: ResolvedConfig): Partial<Record<LinkEnvField, string>> {
  const name = physicalNames(config, resource).name ?? '';
  switch (resource.kind) {
    case 'table':
      return { NAME: name, ARN: arnOf(config, 'dynamodb', `table/${name}`) };
    case 'bucket':
      return { NAME: LONGEST_BUCKET_NAME, ARN: `arn:aws-us-gov:s3:::${LONGEST_BUCKET_NAME}` };
    case 'queue':
      return { NAME: name, ARN: arnOf(config, 'sqs', name), URL: `https://sqs.${config.region}.amazonaws.com/123456789012/${name}` };
    case 'topic':
      return { NAME: name, ARN: arnOf(config, 'sns', name) };
    case 'cloudformation':
      return { NAME: LONGEST_REF };
  }
}

const FIELDS: ReadonlyArray<[LinkEnvField, 'name' | 'arn' | 'url']> = [['NAME', 'name'], ['ARN', 'arn'], ['URL', 'url']];

function variablesOf(resource: ResolvedResource, ids: ResourceIds, config: ResolvedConfig): LinkVariable[] {
  const values = resourceReferences(resource, ids);
  const estimates = estimatesOf(resource, config);
  return FIELDS.flatMap(([field, output]) => (values[output] === undefined ? [] : [{ name: linkEnvName(resource.name, field), value: values[output], estimate: estimates[field] ?? LONGEST_REF }]));
}

/** The environment variables a function's links give it, sorted by name. */
export function linkVariables(links: readonly ResolvedLink[], config: ResolvedConfig, ids: ReadonlyMap<string, ResourceIds>): LinkVariable[] {
  const linked = new Set(links.map((link) => link.name));
  return config.resources
    .filter((resource) => linked.has(resource.name))
    .flatMap((resource) => variablesOf(resource, ids.get(resource.name)!, config))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
