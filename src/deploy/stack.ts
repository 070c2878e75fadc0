// Reading the stack: its status and outputs, waiting for it to settle, and where its bucket is.
import {
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { ARTIFACTS_BUCKET_ID, OUTPUT_NAMES } from '../cloudformation/index.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { isStackMissing } from './errors.js';
import { pollUntil } from './poll.js';
import { redactSecrets } from './redact.js';

/** The bucket's logical id, the same in the bootstrap template and the full one. */
export const BUCKET_LOGICAL_ID = ARTIFACTS_BUCKET_ID;
export const OUTPUTS = OUTPUT_NAMES;

/** A stack that can take an update right now. */
export const STABLE_STATUSES = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);
export const SUCCESS_STATUSES = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE']);

export function isInProgress(status: string | undefined): boolean {
  return status !== undefined && status.endsWith('_IN_PROGRESS');
}

/** The stack, or undefined when there is none (a deleted stack counts as none). */
export async function describeStack(ctx: DeployContext, stackName = ctx.stackName): Promise<Stack | undefined> {
  try {
    const { Stacks } = await ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
    // Redacted here, where every reader gets it (status, pre-flight, the monitor): Lambda's 4 KB
    // error quotes every environment value.
    return stack.StackStatusReason ? { ...stack, StackStatusReason: redactSecrets(stack.StackStatusReason) } : stack;
  } catch (error) {
    if (isStackMissing(error)) return undefined;
    throw error;
  }
}

export function outputsOf(stack: Stack | undefined): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const output of stack?.Outputs ?? []) {
    if (output.OutputKey && output.OutputValue !== undefined) outputs[output.OutputKey] = output.OutputValue;
  }
  return outputs;
}

/**
 * Waits while the stack is `*_IN_PROGRESS` (REVIEW_IN_PROGRESS excepted: it never moves on its own)
 * and returns it settled, or undefined once it is gone.
 */
export async function waitForSettled(ctx: DeployContext): Promise<Stack | undefined> {
  const stackName = ctx.stackName;
  let last: string | undefined;
  // Throttled reads never end the wait: the operation goes on whether or not it is watched.
  const result = await pollUntil(ctx, { delayMs: ctx.delays.stack, what: `stack ${stackName}`, patient: true }, async () => {
    const stack = await describeStack(ctx, stackName);
    const status = stack?.StackStatus;
    if (!stack) return { stack: undefined };
    if (!isInProgress(status) || status === 'REVIEW_IN_PROGRESS') return { stack };
    if (status !== last) ctx.emit({ type: 'stack-waiting', stackName, status: status!, phase: 'waiting' });
    last = status;
    return undefined;
  });
  return result.stack;
}

/** The artifacts bucket: from the stack's output, or from the bucket resource when outputs are missing. */
export async function findBucket(ctx: DeployContext, stack: Stack | undefined): Promise<string | undefined> {
  const fromOutput = outputsOf(stack)[OUTPUTS.artifactsBucketName];
  if (fromOutput) return fromOutput;
  try {
    const { StackResourceDetail } = await ctx.clients.cloudformation.send(
      new DescribeStackResourceCommand({ StackName: ctx.stackName, LogicalResourceId: BUCKET_LOGICAL_ID }),
    );
    return StackResourceDetail?.PhysicalResourceId || undefined;
  } catch (error) {
    if ((error as { name?: string }).name === 'ValidationError') return undefined;
    throw error;
  }
}

export async function requireBucket(ctx: DeployContext, stack: Stack | undefined): Promise<string> {
  const bucket = await findBucket(ctx, stack);
  if (!bucket) {
    throw new SlsError({
      text: `stack ${ctx.stackName} has no artifacts bucket (no ${OUTPUTS.artifactsBucketName} output and no ${BUCKET_LOGICAL_ID} resource)`,
      hint: 'was it created by sls-ts? delete it with `sls-ts delete` and deploy again',
    });
  }
  return bucket;
}

/** A deployed template's resources, as far as their policies go. */
export type DeployedResources = Record<string, { Type?: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

/** The template the stack runs (root only), or undefined when it cannot be read. */
export async function readDeployedResources(ctx: DeployContext, stackRef = ctx.stackName): Promise<DeployedResources | undefined> {
  try {
    const { TemplateBody } = await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: stackRef, TemplateStage: 'Original' }));
    return TemplateBody === undefined ? undefined : ((JSON.parse(TemplateBody) as { Resources?: DeployedResources }).Resources ?? {});
  } catch {
    return undefined;
  }
}

/** DeletionPolicy / UpdateReplacePolicy values under which CloudFormation leaves the resource in the account. */
export function isRetainPolicy(policy: string | undefined): boolean {
  return policy === 'Retain' || policy === 'RetainExceptOnCreate';
}
