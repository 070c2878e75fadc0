// AWS's own sample events (shared/reference/aws-events beside the repo, byte for byte as AWS
// publishes them): tests feed them unchanged, so a shape our factories get wrong cannot hide.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const awsEventsDir = join(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'reference', 'aws-events');

/** A fresh copy of the sample each call (tests may not share a mutated one). */
export function awsSample<T = any>(name: string): T {
  const file = join(awsEventsDir, name);
  if (!existsSync(file)) throw new Error(`AWS sample event ${file} is missing: the repo expects shared/reference/aws-events/ beside it`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
