// Tables, buckets, queues and topics as AWS names them: the physical id CloudFormation records
// (table name, bucket name, queue URL, topic ARN), what Ref and Fn::GetAtt return, and which
// property changes replace them (from the CloudFormation resource reference: "Update requires:
// Replacement"). They live in the account, not in a stack: a retained one outlives its stack.
import type { DoubleState, FakeResource, FakeStack } from './state.js';

export const TABLE = 'AWS::DynamoDB::Table';
export const BUCKET = 'AWS::S3::Bucket';
export const QUEUE = 'AWS::SQS::Queue';
export const TOPIC = 'AWS::SNS::Topic';

/** The property holding a resource's custom name, per type. */
const NAME_PROPERTY: Record<string, string> = { [TABLE]: 'TableName', [BUCKET]: 'BucketName', [QUEUE]: 'QueueName', [TOPIC]: 'TopicName' };

/** Properties whose change makes CloudFormation create a new resource and delete the old one. */
const REPLACING: Record<string, readonly string[]> = {
  [TABLE]: ['TableName', 'KeySchema'],
  [BUCKET]: ['BucketName'],
  [QUEUE]: ['QueueName', 'FifoQueue'],
  [TOPIC]: ['TopicName', 'FifoTopic'],
};

export function isDataType(type: string): boolean {
  return type in NAME_PROPERTY;
}

/** The name the template gives it, if any: CloudFormation refuses to replace a custom-named resource in place. */
export function customName(type: string, properties: Record<string, unknown> | undefined): string | undefined {
  const property = NAME_PROPERTY[type];
  const name = property ? properties?.[property] : undefined;
  return name === undefined ? undefined : JSON.stringify(name);
}

export function requiresReplacement(type: string, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): boolean {
  return (REPLACING[type] ?? []).some((property) => JSON.stringify(before?.[property]) !== JSON.stringify(after?.[property]));
}

/** `<stack>-<LogicalId>-<SUFFIX>`, as CloudFormation makes up a name the template does not give. */
function generatedName(state: DoubleState, stack: FakeStack, id: string): string {
  return `${stack.name}-${id}-${state.id(12).toUpperCase()}`;
}

/** The physical id of a new table, bucket, queue or topic; undefined for other types. */
export function dataPhysicalId(state: DoubleState, stack: FakeStack, id: string, type: string, properties: Record<string, unknown>): string | undefined {
  const given = properties[NAME_PROPERTY[type] ?? ''] as string | undefined;
  switch (type) {
    case TABLE:
      return given ?? generatedName(state, stack, id);
    case BUCKET:
      return given ?? generatedName(state, stack, id).toLowerCase();
    case QUEUE:
      return `https://sqs.${state.region}.amazonaws.com/${state.account}/${given ?? `${generatedName(state, stack, id)}${properties.FifoQueue ? '.fifo' : ''}`}`;
    case TOPIC:
      return `arn:aws:sns:${state.region}:${state.account}:${given ?? `${generatedName(state, stack, id)}${properties.FifoTopic ? '.fifo' : ''}`}`;
    default:
      return undefined;
  }
}

/** Fn::GetAtt of a table, bucket, queue or topic, as AWS answers it; undefined for other types or attributes. */
export function dataAttribute(state: DoubleState, resource: FakeResource, attribute: string): string | undefined {
  const physical = resource.physicalId;
  const arn = (service: string, name: string) => `arn:aws:${service}:${state.region}:${state.account}:${name}`;
  switch (resource.type) {
    case TABLE:
      if (attribute === 'Arn') return arn('dynamodb', `table/${physical}`);
      if (attribute === 'StreamArn') return arn('dynamodb', `table/${physical}/stream/2030-01-01T00:00:00.000`);
      return undefined;
    case BUCKET:
      if (attribute === 'Arn') return `arn:aws:s3:::${physical}`;
      if (attribute === 'DomainName') return `${physical}.s3.amazonaws.com`;
      if (attribute === 'RegionalDomainName') return `${physical}.s3.${state.region}.amazonaws.com`;
      return undefined;
    case QUEUE: {
      const name = physical.split('/').pop()!;
      return { Arn: arn('sqs', name), QueueName: name, QueueUrl: physical }[attribute];
    }
    case TOPIC:
      return { TopicArn: physical, TopicName: physical.split(':').pop()! }[attribute];
    default:
      return undefined;
  }
}
