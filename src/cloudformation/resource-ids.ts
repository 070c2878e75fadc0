// The names of declared resources: logical ids (`PostsTable`, `EmailsDeadLetterQueue`), the
// physical names sls-ts gives them, and the root outputs that name them once deployed. Each is a
// function of the resource's own name and kind, as every other logical id is (see logical-ids.ts).
import type { ResolvedConfig } from '../config/types.js';
import type { ResolvedResource } from '../config/resources.js';
import { fitName } from '../shared/names.js';
import { getAtt, ref, sub, type Sub } from './intrinsics.js';
import { isPlainName, logicalIdOf, pascalWords, type IdRequest } from './logical-ids.js';

/** The readable suffix of each kind's id; a raw resource's id is its PascalCase name alone. */
const KIND_SUFFIX: Record<ResolvedResource['kind'], string> = { table: 'Table', bucket: 'Bucket', queue: 'Queue', topic: 'Topic', cloudformation: '' };

/** AWS's limits on the names sls-ts sets (buckets are left to CloudFormation: their names are global). */
const NAME_LIMITS = { table: 255, queue: 80, topic: 256 } as const;
const FIFO = '.fifo';

export interface ResourceOutputs {
  name?: string;
  arn?: string;
  url?: string;
  streamArn?: string;
  deadLetterUrl?: string;
  deadLetterArn?: string;
}

export interface ResourceIds {
  /** The resource itself: `PostsTable`, `UploadsBucket`, `EmailsQueue`, `AlertsTopic`, or a raw resource's `EncryptionKey`. */
  resource: string;
  /** A queue's dead-letter queue: `EmailsDeadLetterQueue`. */
  deadLetter?: string;
  /** A bucket's policy: `UploadsBucketPolicy`. */
  policy?: string;
  /** Root output names (their own namespace, checked with the ids all the same). */
  outputs: ResourceOutputs;
  /**
   * A bucket jobs subscribe to has a name fixed in advance (an Fn::Sub template, see bucketNameFor):
   * every reference to it is built from that name, never a Ref, so nothing the bucket waits for
   * (the permission, and so the job) waits for the bucket.
   */
  fixedName?: string;
}

type Part = 'resource' | 'deadLetter' | 'policy' | `output:${keyof ResourceOutputs}`;

/** What each output says, and the suffix of its name after the resource's id. */
const OUTPUT_SUFFIX: Record<keyof ResourceOutputs, string> = {
  name: 'Name', arn: 'Arn', url: 'Url', streamArn: 'StreamArn', deadLetterUrl: 'DeadLetterQueueUrl', deadLetterArn: 'DeadLetterQueueArn',
};

function outputsOf(resource: ResolvedResource): Array<keyof ResourceOutputs> {
  switch (resource.kind) {
    case 'table': return resource.stream ? ['name', 'arn', 'streamArn'] : ['name', 'arn'];
    case 'bucket': return ['name', 'arn'];
    case 'queue': return resource.deadLetter ? ['name', 'arn', 'url', 'deadLetterUrl', 'deadLetterArn'] : ['name', 'arn', 'url'];
    case 'topic': return ['name', 'arn'];
    case 'cloudformation': return ['name'];
  }
}

/** The id requests of one resource, keyed `declared:<name>#<part>`. */
export function resourceIdRequests(resource: ResolvedResource): IdRequest[] {
  const owner = `declared:${resource.name}`;
  const stem = pascalWords(resource.name);
  const plain = isPlainName(resource.name);
  const kind = KIND_SUFFIX[resource.kind];
  const label = `resources.${resource.name}`;
  const request = (part: Part, suffix: string): IdRequest => ({ key: `${owner}#${part}`, owner, stem, suffix, plain, label });
  return [
    request('resource', kind),
    ...(resource.kind === 'queue' && resource.deadLetter ? [request('deadLetter', 'DeadLetterQueue')] : []),
    ...(resource.kind === 'bucket' ? [request('policy', 'BucketPolicy')] : []),
    ...outputsOf(resource).map((output) => request(`output:${output}`, `${kind}${OUTPUT_SUFFIX[output]}`)),
  ];
}

/** The ids of one resource out of assigned ids (see assignIds), or computed alone (the same ids: each depends on its own request only). */
export function resourceIdsOf(resource: ResolvedResource, assigned?: ReadonlyMap<string, string>, fixedName?: string): ResourceIds {
  const ids = new Map(resourceIdRequests(resource).map((request) => [request.key.slice(request.key.indexOf('#') + 1), assigned?.get(request.key) ?? logicalIdOf(request)]));
  const outputs: ResourceOutputs = {};
  for (const output of outputsOf(resource)) outputs[output] = ids.get(`output:${output}`)!;
  return {
    resource: ids.get('resource')!,
    ...(ids.has('deadLetter') ? { deadLetter: ids.get('deadLetter')! } : {}),
    ...(ids.has('policy') ? { policy: ids.get('policy')! } : {}),
    outputs,
    ...(fixedName !== undefined && resource.kind === 'bucket' ? { fixedName } : {}),
  };
}

/** S3's longest bucket name, and what the account id and a region (today's longest are 14 characters; 2 spare for a longer one) take of it. */
const BUCKET_NAME_LIMIT = 63;
const ACCOUNT_AND_REGION = '-123456789012-'.length + 14 + 2;

/**
 * The name of a bucket jobs subscribe to, as an Fn::Sub template: `<app>-<stage>-<name>-<account>-<region>`,
 * lowercase as S3 wants, unique across accounts and regions since bucket names are global.
 */
export function bucketNameFor(config: Pick<ResolvedConfig, 'name' | 'stage'>, name: string): string {
  const kebab = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2');
  const base = fitName(`${config.name}-${config.stage}-${kebab}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-'), BUCKET_NAME_LIMIT - ACCOUNT_AND_REGION).replace(/-+$/, '');
  return `${base}-\${AWS::AccountId}-\${AWS::Region}`;
}

/** A fixed-name bucket's ARN (or its objects' with `/*`), built from the name alone. */
export function fixedBucketArn(fixedName: string, suffix = ''): Sub {
  return sub(`arn:\${AWS::Partition}:s3:::${fixedName}${suffix}`);
}

/**
 * The names sls-ts gives a table, a queue (and its dead-letter queue) or a topic:
 * `<app>-<stage>-<name>`, like its functions, `.fifo` at the end where AWS wants it. Named, a
 * resource CloudFormation would have to replace (a table's new key) fails the update instead of
 * quietly starting empty. Buckets get CloudFormation's generated names: theirs are global.
 */
export function physicalNames(config: Pick<ResolvedConfig, 'name' | 'stage'>, resource: ResolvedResource): { name?: string; deadLetter?: string } {
  const base = `${config.name}-${config.stage}-${resource.name}`;
  switch (resource.kind) {
    case 'table':
      return { name: fitName(base, NAME_LIMITS.table) };
    case 'queue': {
      const suffix = resource.fifo ? FIFO : '';
      const limit = NAME_LIMITS.queue - suffix.length;
      return { name: `${fitName(base, limit)}${suffix}`, ...(resource.deadLetter ? { deadLetter: `${fitName(`${base}-dlq`, limit)}${suffix}` } : {}) };
    }
    case 'topic':
      return { name: `${fitName(base, NAME_LIMITS.topic - (resource.fifo ? FIFO.length : 0))}${resource.fifo ? FIFO : ''}` };
    default:
      return {};
  }
}

/** How the template reads each of a resource's outputs (what its name, ARN, URL are as Ref / Fn::GetAtt). */
export function resourceReferences(resource: ResolvedResource, ids: ResourceIds): Partial<Record<keyof ResourceOutputs, unknown>> {
  const id = ids.resource;
  switch (resource.kind) {
    case 'table':
      return { name: ref(id), arn: getAtt(id, 'Arn'), ...(resource.stream ? { streamArn: getAtt(id, 'StreamArn') } : {}) };
    case 'bucket':
      return ids.fixedName !== undefined ? { name: sub(ids.fixedName), arn: fixedBucketArn(ids.fixedName) } : { name: ref(id), arn: getAtt(id, 'Arn') };
    case 'queue':
      return {
        name: getAtt(id, 'QueueName'),
        arn: getAtt(id, 'Arn'),
        url: ref(id),
        ...(ids.deadLetter ? { deadLetterUrl: ref(ids.deadLetter), deadLetterArn: getAtt(ids.deadLetter, 'Arn') } : {}),
      };
    case 'topic':
      return { name: getAtt(id, 'TopicName'), arn: ref(id) };
    case 'cloudformation':
      return { name: ref(id) };
  }
}

export interface DeclaredResourceOutputs {
  /** The name under `resources`. */
  name: string;
  kind: ResolvedResource['kind'];
  logicalId: string;
  /** The root stack's output names holding its name, ARN, URL…: what `status` / `resources` read after a deploy. */
  outputs: ResourceOutputs;
}

/** Where each declared resource's physical identifiers are found in the root stack's outputs. */
export function declaredResourceOutputs(resources: readonly ResolvedResource[]): DeclaredResourceOutputs[] {
  return resources.map((resource) => {
    const ids = resourceIdsOf(resource);
    return { name: resource.name, kind: resource.kind, logicalId: ids.resource, outputs: ids.outputs };
  });
}
