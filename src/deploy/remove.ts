// `sls-ts delete`: check CloudFormation will accept the delete (settled, not protected), empty the
// artifacts bucket and the declared buckets it deletes (every version and delete marker:
// CloudFormation cannot delete a bucket that holds anything; retained ones are never touched),
// then delete the stack, follow it to the end, and say what stays in the account.
import { DeleteStackCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { declaredResourceOutputs } from '../cloudformation/index.js';
import { DeleteObjectsCommand, ListObjectVersionsCommand, type ObjectIdentifier } from '@aws-sdk/client-s3';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { isNotFound, withAwsErrors } from './errors.js';
import { failureError } from './failure.js';
import { startAndFollow } from './monitor.js';
import { listStackResources } from './resources.js';
import { BUCKET_LOGICAL_ID, describeStack, findBucket, isInProgress, isRetainPolicy, readDeployedResources, waitForSettled, type DeployedResources } from './stack.js';
import type { RemoveResult, RetainedResource } from './types.js';

export interface RemoveOptions {
  /** False (`--no-wait`): stop instead of waiting for a running stack operation. */
  wait?: boolean;
}

/** S3's limit per DeleteObjects call. */
export const DELETE_BATCH = 1000;

export async function remove(ctx: DeployContext, options: RemoveOptions = {}): Promise<RemoveResult> {
  const started = performance.now();
  return withAwsErrors('delete', async () => {
    let stack = await describeStack(ctx);
    if (stack && isInProgress(stack.StackStatus) && stack.StackStatus !== 'REVIEW_IN_PROGRESS') {
      if (options.wait === false && stack.StackStatus !== 'DELETE_IN_PROGRESS') {
        throw new SlsError({ text: `stack ${ctx.stackName} is ${stack.StackStatus}: another operation is running`, hint: 'wait for it to finish (or run without --no-wait to wait here)' });
      }
      stack = await waitForSettled(ctx);
    }
    if (!stack) return { stackName: ctx.stackName, removed: false, objectsDeleted: 0, emptied: [], retained: [], durationMs: performance.now() - started };
    // CloudFormation refuses DeleteStack on a protected stack; emptying the bucket first would leave
    // a live stack without the code its next rollback needs.
    if (stack.EnableTerminationProtection) {
      throw new SlsError({
        text: `stack ${ctx.stackName} in ${ctx.region} has termination protection on: nothing was deleted`,
        hint: `if it really should go, turn protection off first: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${ctx.stackName} --region ${ctx.region}`,
      });
    }

    const stackId = stack.StackId ?? ctx.stackName;
    const bucket = await findBucket(ctx, stack);
    const objectsDeleted = bucket ? await emptyBucket(ctx, bucket) : 0;
    if (bucket) ctx.emit({ type: 'bucket-emptied', bucket, deleted: objectsDeleted });

    const resources = await listStackResources(ctx, stackId);
    // Unreadable policies: no declared bucket is emptied (it might be retained), and CloudFormation
    // then names a non-empty one it cannot delete.
    const policies = await readDeployedResources(ctx, stackId);
    const emptied: RemoveResult['emptied'] = [];
    for (const declared of bucketsToEmpty(resources, policies)) {
      const deleted = await emptyBucket(ctx, declared);
      emptied.push({ bucket: declared, deleted });
      ctx.emit({ type: 'bucket-emptied', bucket: declared, deleted });
    }
    const retained = retainedResources(ctx, resources, policies ?? {});

    const result = await startAndFollow(ctx, {
      stackRef: stackId,
      // Said before the call: a Ctrl-C from here on is told the delete may be under way.
      start: () => {
        ctx.emit({ type: 'delete-start', stackName: ctx.stackName });
        return ctx.clients.cloudformation.send(new DeleteStackCommand({ StackName: stackId }));
      },
      total: resources.length,
    });
    if (result.status !== 'DELETE_COMPLETE') throw await failureError(ctx, `delete of ${ctx.stackName}`, result, {});
    if (retained.length > 0) ctx.emit({ type: 'retained', resources: retained });
    return { stackName: ctx.stackName, removed: true, ...(bucket && { bucket }), objectsDeleted, emptied, retained, durationMs: performance.now() - started };
  });
}

/** The stack's buckets besides the artifacts bucket that CloudFormation deletes with it (no Retain policy). */
function bucketsToEmpty(resources: readonly StackResourceSummary[], policies: DeployedResources | undefined): string[] {
  if (!policies) return [];
  return resources
    .filter((resource) => resource.ResourceType === 'AWS::S3::Bucket' && resource.LogicalResourceId !== BUCKET_LOGICAL_ID && resource.PhysicalResourceId)
    .filter((resource) => !isRetainPolicy(policies[resource.LogicalResourceId ?? '']?.DeletionPolicy))
    .map((resource) => resource.PhysicalResourceId!);
}

/** What the delete leaves behind, named as the config declares it where it does. */
function retainedResources(ctx: DeployContext, resources: readonly StackResourceSummary[], policies: DeployedResources): RetainedResource[] {
  const names = new Map(declaredResourceOutputs(ctx.config.resources).map((declared) => [declared.logicalId, declared.name]));
  return resources
    .filter((resource) => isRetainPolicy(policies[resource.LogicalResourceId ?? '']?.DeletionPolicy))
    .map((resource) => {
      const logicalId = resource.LogicalResourceId ?? '';
      const name = names.get(logicalId);
      return { logicalId, type: resource.ResourceType ?? 'unknown', ...(resource.PhysicalResourceId && { physicalId: resource.PhysicalResourceId }), ...(name && { name }) };
    });
}

/** Deletes every object version and delete marker, a page (at most 1000) at a time. */
export async function emptyBucket(ctx: DeployContext, bucket: string): Promise<number> {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  try {
    for (;;) {
      const page = await ctx.clients.s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket, ...(keyMarker !== undefined && { KeyMarker: keyMarker }), ...(versionMarker !== undefined && { VersionIdMarker: versionMarker }) }),
      );
      const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((entry) =>
        entry.Key ? [{ Key: entry.Key, ...(entry.VersionId && { VersionId: entry.VersionId }) }] : [],
      );
      for (let start = 0; start < objects.length; start += DELETE_BATCH) {
        const batch = objects.slice(start, start + DELETE_BATCH);
        const result = await ctx.clients.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
        const failed = result.Errors ?? [];
        if (failed.length > 0) {
          const first = failed[0]!;
          throw new SlsError({ text: `could not empty bucket ${bucket}: ${failed.length} objects not deleted (${first.Key}: ${first.Code} ${first.Message ?? ''})`.trim(), hint: 'check your s3:DeleteObjectVersion permission and any object lock on the bucket' });
        }
        deleted += batch.length;
      }
      if (!page.IsTruncated) return deleted;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
  } catch (error) {
    // The bucket was already deleted by hand: nothing to empty.
    if (isNotFound(error) && (error as { name?: string }).name === 'NoSuchBucket') return deleted;
    throw error;
  }
}
