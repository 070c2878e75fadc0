// The environment that points unmodified AWS SDK v3 code at the local engines, and names the
// declared resources under the variables a deployed function reads.
import { linkEnvName } from '../config/resources.js';
import { jobQueueEnvName } from '../config/subscriptions.js';
import type { LocalTable } from './dynamo-engine.js';
import type { LocalBucket } from './s3-engine.js';
import type { LocalJobQueue, LocalQueueInfo } from './sqs/local-queues.js';

export interface EngineState {
  readonly endpoints: { readonly dynamodb?: string; readonly s3?: string; readonly sqs?: string };
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  readonly queues: readonly LocalQueueInfo[];
  readonly jobQueues: readonly LocalJobQueue[];
}

const DEFAULT_REGION = 'us-east-1';
// s3rver's built-in account: requests signed with it match its signature checks too.
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const LOCAL_ACCOUNT = '000000000000';

/**
 * Endpoints, region, dummy credentials, the resources' names (only `linked` ones when given) and
 * every queued job's queue URL (any function may call performLater); empty without engines.
 */
export function localEnv(state: EngineState, region = DEFAULT_REGION, linked?: Iterable<string>): Record<string, string> {
  const { dynamodb, s3, sqs } = state.endpoints;
  // Without an engine there is nothing to point the SDK at: the app keeps its own credentials.
  if (!dynamodb && !s3 && !sqs) return {};
  const env: Record<string, string> = { AWS_REGION: region, ...DUMMY_CREDENTIALS };
  if (dynamodb) env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb;
  if (s3) env.AWS_ENDPOINT_URL_S3 = s3;
  if (sqs) env.AWS_ENDPOINT_URL_SQS = sqs;
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
  // Queues exist only while the service runs: without it their URLs would lead nowhere.
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
