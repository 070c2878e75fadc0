// The environment that points unmodified AWS SDK v3 code at the local engines, and names the
// declared resources under the variables a deployed function reads.
import { linkEnvName } from '../config/resources.js';
import { jobQueueEnvName } from '../config/subscriptions.js';
import type { LocalTable } from './dynamo-engine.js';
import { LOCAL_ACCOUNT } from './names.js';
import type { LocalBucket } from './s3-engine.js';
import type { LocalTopic } from './sns/sns-topics.js';
import type { LocalJobQueue, LocalQueueInfo } from './sqs/local-queues.js';

export interface EngineState {
  readonly endpoints: { readonly dynamodb?: string; readonly s3?: string; readonly sqs?: string; readonly sns?: string; readonly events?: string };
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  readonly queues: readonly LocalQueueInfo[];
  readonly jobQueues: readonly LocalJobQueue[];
  readonly topics: readonly LocalTopic[];
}

const DEFAULT_REGION = 'us-east-1';
// s3rver's built-in account: requests signed with it match its signature checks too.
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

/**
 * Endpoints, region, dummy credentials, the resources' names (only `linked` ones when given) and
 * every queued job's queue URL (any function may call performLater); empty without engines.
 */
export function localEnv(state: EngineState, region = DEFAULT_REGION, linked?: Iterable<string>): Record<string, string> {
  const { dynamodb, s3, sqs, sns, events } = state.endpoints;
  // Without an engine there is nothing to point the SDK at: the app keeps its own credentials.
  if (!dynamodb && !s3 && !sqs && !sns && !events) return {};
  const env: Record<string, string> = { AWS_REGION: region, ...DUMMY_CREDENTIALS };
  if (dynamodb) env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb;
  if (s3) env.AWS_ENDPOINT_URL_S3 = s3;
  if (sqs) env.AWS_ENDPOINT_URL_SQS = sqs;
  if (sns) env.AWS_ENDPOINT_URL_SNS = sns;
  if (events) env.AWS_ENDPOINT_URL_EVENTBRIDGE = events;
  const wanted = linked === undefined ? undefined : new Set(linked);
  for (const { table, physicalName } of state.tables) {
    if (wanted && !wanted.has(table.name)) continue;
    env[linkEnvName(table.name, 'NAME')] = physicalName;
    env[linkEnvName(table.name, 'ARN')] = `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT}:table/${physicalName}`;
  }
  for (const { bucket, physicalName } of state.buckets) {
    if (wanted && !wanted.has(bucket.name)) continue;
    env[linkEnvName(bucket.name, 'NAME')] = physicalName;
    env[linkEnvName(bucket.name, 'ARN')] = `arn:aws:s3:::${physicalName}`;
  }
  // Topics and queues exist only while their service runs: without it their ARNs would lead nowhere.
  if (sns) {
    for (const { name, physicalName } of state.topics) {
      if (wanted && !wanted.has(name)) continue;
      env[linkEnvName(name, 'NAME')] = physicalName;
      env[linkEnvName(name, 'ARN')] = `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${physicalName}`;
    }
  }
  if (!sqs) return env;
  for (const { queue, physicalName, arn, url } of state.queues) {
    if (wanted && !wanted.has(queue.name)) continue;
    env[linkEnvName(queue.name, 'NAME')] = physicalName;
    env[linkEnvName(queue.name, 'ARN')] = arn;
    env[linkEnvName(queue.name, 'URL')] = url;
  }
  for (const { className, url } of state.jobQueues) env[jobQueueEnvName(className)] = url;
  return env;
}
