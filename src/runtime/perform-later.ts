// `SomeJob.performLater(payload)`: one SQS SendMessage to the job's own queue, whose URL the build
// puts in every function's environment (SLS_TS_JOB_QUEUE_<JOB>).
import { callJsonApi, type AwsCredentials } from './aws-request.js';
import { LATER_ATTRIBUTE } from './job-records.js';

export interface PerformLaterOptions {
  /** Seconds (0–900) before the message becomes visible to the job. */
  delaySeconds?: number;
  /** A FIFO queue's message group: messages of one group are performed in order. */
  groupId?: string;
}

export interface SentMessage {
  messageId: string;
}

interface QueuedJobClass {
  name: string;
  queue?: unknown;
}

/**
 * `EmailJob` → `SLS_TS_JOB_QUEUE_EMAIL_JOB`. The build names the variable with config's
 * jobQueueEnvName, which the runtime may not import: a test keeps the two rules equal.
 */
export function jobQueueEnvName(className: string): string {
  return `SLS_TS_JOB_QUEUE_${className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}

export async function enqueueJob(JobClass: QueuedJobClass, payload: unknown, options: PerformLaterOptions): Promise<SentMessage> {
  const job = JobClass.name || 'Job';
  const fail = (why: string) => new Error(`${job}.performLater: ${why}`);
  if (!JobClass.queue) throw fail(`${job} has no queue of its own — add \`static queue = true\` to the class, and deploy (or restart sls-ts server)`);
  const env = globalThis.process?.env ?? {};
  const variable = jobQueueEnvName(job);
  const queueUrl = env[variable];
  if (!queueUrl) {
    // Minifying renames classes (EmailJob → e), and the variable is named after the class.
    const queued = Object.keys(env).filter((name) => name.startsWith('SLS_TS_JOB_QUEUE_') && name !== variable && env[name]);
    const renamed = queued.length > 0 ? ` (there are ${queued.join(', ')}: if minifying renamed the class, set build.keepNames: true in sls-ts.config.ts)` : '';
    throw fail(`${variable} (the queue's URL) is not set — sls-ts sets it in deployed functions and in sls-ts server; in a test, start the app with useLocalResources(app, { jobs: true }) from sls-ts/testing; elsewhere (a script) set it yourself${renamed}`);
  }
  const body = JSON.stringify(payload);
  if (body === undefined) throw fail(`the payload must be JSON-serializable, got ${typeof payload}`);
  const { delaySeconds, groupId } = options;
  if (delaySeconds !== undefined && !(Number.isInteger(delaySeconds) && delaySeconds >= 0 && delaySeconds <= 900)) throw fail(`delaySeconds must be a whole number from 0 to 900, got ${delaySeconds}`);

  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) throw fail('AWS_REGION is not set');
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) throw fail('no AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) in the environment');
  const credentials: AwsCredentials = { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };

  const answer = await callJsonApi({
    service: 'sqs',
    target: 'AmazonSQS.SendMessage',
    contentType: 'application/x-amz-json-1.0',
    endpoint: env.AWS_ENDPOINT_URL_SQS || env.AWS_ENDPOINT_URL || `https://sqs.${region}.amazonaws.com`,
    region,
    credentials,
    body: {
      QueueUrl: queueUrl,
      MessageBody: body,
      MessageAttributes: { [LATER_ATTRIBUTE]: { DataType: 'String', StringValue: job } },
      ...(delaySeconds !== undefined && { DelaySeconds: delaySeconds }),
      ...(groupId !== undefined && { MessageGroupId: groupId }),
    },
  });
  return { messageId: String(answer.MessageId) };
}
