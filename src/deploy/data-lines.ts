// What a deploy or a delete does to stored data, in one line each: shared by the deploy room's
// errors and the CLI's progress. No SDK import here: the CLI loads this before the deploy room.
import type { DataChange, RetainedResource } from './types.js';

const KINDS: Record<string, string> = { 'AWS::DynamoDB::Table': 'table', 'AWS::S3::Bucket': 'bucket', 'AWS::SQS::Queue': 'queue', 'AWS::SNS::Topic': 'topic' };

/** `resources.posts`, or the logical id of a resource sls-ts cannot trace to the config. */
export function configPathOf(change: DataChange): string {
  return change.name ? `resources.${change.name}` : [...change.stackPath, change.logicalId].join('.');
}

/** One line: what happens to the resource and to its data. */
export function describeDataChange(change: DataChange): string {
  const what = `${change.name ?? change.logicalId} ${change.kind}`;
  const physical = change.physicalId ?? `the deployed ${change.kind}`;
  if (change.action === 'remove') {
    return change.retained
      ? `${what} is retained: it stays in the account as ${physical}, no longer part of the stack`
      : change.kind === 'bucket'
        ? `${what} is deleted: ${physical} is no longer declared (CloudFormation deletes an empty bucket only: one holding objects stays in the account, out of the stack)`
        : `${what} is deleted with its data: ${physical} is no longer declared`;
  }
  if (change.keepsName) {
    return `${what} would be replaced by a new, empty one, which CloudFormation refuses under the same name (${physical}): a change to ${configPathOf(change)} requires a new ${change.kind}`;
  }
  return change.retained
    ? `${what} is replaced by a new, empty one; the old one is retained: it stays in the account as ${physical}`
    : `${what} is replaced by a new, empty one: ${physical} is deleted with its data (a change to ${configPathOf(change)} requires a new ${change.kind})`;
}

/** One line for a resource a delete left in the account. */
export function describeRetained(resource: RetainedResource): string {
  const what = resource.name ? `${resource.name} ${KINDS[resource.type] ?? 'resource'}` : `${resource.logicalId} (${resource.type})`;
  return `${what} is retained: it stays in the account as ${resource.physicalId ?? resource.logicalId}`;
}
