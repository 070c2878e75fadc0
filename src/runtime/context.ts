// The Lambda context object and reserved environment variables (reference items 87–89), built the
// way the Node.js runtime interface client builds them, so code that reads them behaves locally as
// it does on AWS.
import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './events/api-gateway.js';
import type { LambdaContext } from './types.js';

// AWS's own default is 128 MB / 3 s, but frameworks (Serverless, Jets) default memory to 1024 MB.
const DEFAULT_MEMORY_MB = 1024;
const DEFAULT_TIMEOUT_SECONDS = 3;

export interface LambdaContextOptions {
  functionName: string;
  timeoutSeconds?: number;
  memoryMB?: number;
  region?: string;
  accountId?: string;
  requestId?: string;
  /** Epoch ms at which the invocation started; the deadline counts from here. */
  startedAt?: number;
  /** Shared by every invocation of one execution environment; generated when absent. */
  logStreamName?: string;
}

export function createLambdaContext(options: LambdaContextOptions): LambdaContext {
  const startedAt = options.startedAt ?? Date.now();
  const deadline = startedAt + (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  return {
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${options.functionName}`,
    // A string on AWS: the runtime copies it from AWS_LAMBDA_FUNCTION_MEMORY_SIZE.
    memoryLimitInMB: String(options.memoryMB ?? DEFAULT_MEMORY_MB),
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: options.logStreamName ?? createLogStreamName(new Date(startedAt)),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** `2026/11/27/[$LATEST]<32 hex>`: the date the environment started, then a random id. */
export function createLogStreamName(date: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}`;
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

export interface LambdaEnvironmentOptions {
  functionName: string;
  memoryMB?: number;
  region?: string;
  /** Lambda runtime identifier; becomes AWS_EXECUTION_ENV `AWS_Lambda_<runtime>`. */
  runtime?: string;
  /** `file.export` as configured on the function, e.g. `index.handler`. */
  handler?: string;
  logStreamName?: string;
}

/** Reserved variables Lambda sets in every Node.js environment (item 89). */
export function lambdaEnvironment(options: LambdaEnvironmentOptions): Record<string, string> {
  const region = options.region ?? DEFAULT_REGION;
  return {
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMB ?? DEFAULT_MEMORY_MB),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: options.logStreamName ?? createLogStreamName(),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${options.runtime ?? 'nodejs22.x'}`,
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: options.handler ?? 'index.handler',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
  };
}
