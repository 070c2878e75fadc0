// Physical names of declared resources on the local engines: `<app>-<stage>-<name>`, as a
// deployed app names them (cloudformation/resource-ids.ts, through the same fitName), so logs
// and env vars read the same locally and in the cloud.
import { fitName } from '../shared/names.js';

/** The one account every local engine puts in its ARNs and URLs (queues, topics, the bus, tables). */
export const LOCAL_ACCOUNT = '000000000000';

const BUCKET_NAME_MAX = 63;
const TABLE_NAME_MAX = 255;

/** DynamoDB table names allow letters, digits, `_`, `-` and `.`: the app, stage and resource names already fit. */
export function localTableName(app: string, stage: string, resource: string): string {
  return fitName(`${app}-${stage}-${resource}`, TABLE_NAME_MAX);
}

/** S3 bucket names are lowercase, 3 to 63 characters: `blog-dev-userUploads` → `blog-dev-useruploads`. */
export function localBucketName(app: string, stage: string, resource: string): string {
  return fitName(`${app}-${stage}-${resource}`.toLowerCase(), BUCKET_NAME_MAX);
}

const QUEUE_NAME_MAX = 80;
const FIFO = '.fifo';

/** A queue and its dead-letter queue, `<app>-<stage>-<name>` and `…-dlq`, `.fifo` kept last (cloudformation/resource-ids.ts's physicalNames, the same rule). */
export function localQueueNames(app: string, stage: string, resource: string, fifo: boolean): { name: string; deadLetter: string } {
  const base = `${app}-${stage}-${resource}`;
  const suffix = fifo ? FIFO : '';
  const limit = QUEUE_NAME_MAX - suffix.length;
  return { name: `${fitName(base, limit)}${suffix}`, deadLetter: `${fitName(`${base}-dlq`, limit)}${suffix}` };
}

const FUNCTION_NAME_MAX = 64;

/** A function's deployed name, `<app>-<stage>-<key>`, as the events and records that name it show it. */
export function localFunctionName(app: string, stage: string, key: string): string {
  return fitName(`${app}-${stage}-${key}`, FUNCTION_NAME_MAX);
}
