// Physical names of declared resources on the local engines: `<app>-<stage>-<name>`, as a
// deployed app names them, so logs and env vars read the same locally and in the cloud.
import { createHash } from 'node:crypto';

const BUCKET_NAME_MAX = 63;
const TABLE_NAME_MAX = 255;

/** Cuts `name` to `max` characters keeping it unique: a stable hash of the whole name replaces the tail. */
function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
}

/** DynamoDB table names allow letters, digits, `_`, `-` and `.`: the app, stage and resource names already fit. */
export function localTableName(app: string, stage: string, resource: string): string {
  return fitName(`${app}-${stage}-${resource}`, TABLE_NAME_MAX);
}

/** S3 bucket names are lowercase, 3 to 63 characters: `blog-dev-userUploads` → `blog-dev-useruploads`. */
export function localBucketName(app: string, stage: string, resource: string): string {
  return fitName(`${app}-${stage}-${resource}`.toLowerCase(), BUCKET_NAME_MAX);
}
