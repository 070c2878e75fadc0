// The environment that points unmodified AWS SDK v3 code at the local engines, and names the
// declared resources under the variables a deployed function reads.
import { linkEnvName } from '../config/resources.js';
import type { LocalTable } from './dynamo-engine.js';
import type { LocalBucket } from './s3-engine.js';

export interface EngineState {
  readonly endpoints: { readonly dynamodb?: string; readonly s3?: string };
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
}

const DEFAULT_REGION = 'us-east-1';
// s3rver's built-in account: requests signed with it match its signature checks too.
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const LOCAL_ACCOUNT = '000000000000';

/** Endpoints, region, dummy credentials and the resources' names (only `linked` ones when given); empty without engines. */
export function localEnv(state: EngineState, region = DEFAULT_REGION, linked?: Iterable<string>): Record<string, string> {
  const { dynamodb, s3 } = state.endpoints;
  // Without an engine there is nothing to point the SDK at: the app keeps its own credentials.
  if (!dynamodb && !s3) return {};
  const env: Record<string, string> = { AWS_REGION: region, ...DUMMY_CREDENTIALS };
  if (dynamodb) env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb;
  if (s3) env.AWS_ENDPOINT_URL_S3 = s3;
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
  return env;
}
