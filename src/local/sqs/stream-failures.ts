// What Lambda sends a stream subscription's on-failure queue when it gives up on a batch: an
// invocation record naming the function, why it stopped, and where the batch lies in the stream
// (DDBStreamBatchInfo) — the records themselves stay in the stream, as on AWS.
import { randomUUID } from 'node:crypto';
import type { StreamFailure } from '../table-streams.js';
import { LOCAL_ACCOUNT, localFunctionName } from '../names.js';

export function streamFailureMessage(failure: StreamFailure, context: { region: string; app: string; stage: string }): string {
  const functionName = localFunctionName(context.app, context.stage, failure.job);
  return JSON.stringify({
    requestContext: {
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:${context.region}:${LOCAL_ACCOUNT}:function:${functionName}`,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 1,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: failure.batchInfo,
  });
}
