// After a failed operation: the first resource that failed (inside the nested stack where it
// happened), what in the app produced it, and a hint — not the cascade of cancellations after it.
import type { BuildManifest } from '../build/types.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { isSelfEvent, readNewEvents } from './monitor.js';
import type { DeployFailure, StackEventInfo } from './types.js';

/** What a failed deploy throws: an SlsError (one line and a hint) that also carries the data. */
export class DeployFailedError extends SlsError {
  status: string;
  failure?: DeployFailure;

  constructor(text: string, status: string, failure: DeployFailure | undefined, hint?: string) {
    super({ text, ...((failure?.hint ?? hint) && { hint: failure?.hint ?? hint }) });
    this.status = status;
    if (failure) this.failure = failure;
  }
}

const CANCELLED = /cancell?ed/i;

function isRootCause(event: StackEventInfo): boolean {
  return event.status.endsWith('_FAILED') && !isSelfEvent(event) && !CANCELLED.test(event.reason ?? '');
}

/** Hints for the causes a person hits most often. */
export function hintFor(reason: string): string | undefined {
  if (/AccessDenied|Access Denied|not authorized|UnauthorizedOperation|Forbidden/i.test(reason)) {
    return 'a permission is missing: give the identity that deploys (or the role named in the message) the action it names';
  }
  // `api.accessLogs`: API Gateway writes through one role per account and region, which sls-ts leaves to the account.
  if (/CloudWatch Logs role ARN must be set/i.test(reason)) {
    return "API Gateway needs the account's CloudWatch Logs role once per region: create a role trusted by apigateway.amazonaws.com with the AmazonAPIGatewayPushToCloudWatchLogs policy and set it in API Gateway's settings (aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN>), then deploy again";
  }
  // Before limits: Lambda keeps a part of the account's concurrency unreserved, which reservedConcurrency cannot take.
  if (/UnreservedConcurrentExecution below its minimum/i.test(reason)) {
    return "reservedConcurrency takes from the account's concurrency, and Lambda keeps a minimum of it unreserved: lower reservedConcurrency (on the app, a controller, job or function) or request a higher concurrency quota in Service Quotas";
  }
  if (/custom-named resource requires replacing/i.test(reason)) {
    return "a table's key (or a resource's name) cannot change in place: declare a new one under another name and copy the data over, or remove it in one deploy and add it back in the next (its data is lost)";
  }
  if (/already exists/i.test(reason)) {
    return "a resource with this name exists outside this stack (another app or stage, left over from a deleted stack, or kept by removal: 'retain' when it left the config): delete it (or back it up and delete it), or change the app name or stage";
  }
  // Before limits: Lambda's 4 KB environment limit is fixed, no quota request raises it.
  if (/environment variables .*exceeded the 4KB limit/i.test(reason)) {
    return 'Lambda allows 4 KB of environment variables per function and this limit cannot be raised: keep big or secret values in SSM Parameter Store or Secrets Manager and read them at runtime';
  }
  // Before limits: "Rate exceeded" is throttling, not a quota.
  if (/Rate exceeded|Throttl/i.test(reason)) return 'AWS throttled the deploy: run it again in a minute';
  if (/limit|quota|exceeded|maximum number|too many/i.test(reason)) {
    return 'an AWS account limit was reached: remove unused resources or request an increase in Service Quotas';
  }
  if (/NoSuchKey|NoSuchBucket|S3 Error|GetObject/i.test(reason)) return 'a zip or template is missing from the artifacts bucket: run the deploy again to upload it';
  return undefined;
}

/** The controller, job or function behind a logical id: from the templates, else from function names in the message. */
export function sourceOf(event: Pick<StackEventInfo, 'logicalId' | 'physicalId' | 'reason'>, sources: Record<string, string>, manifest?: BuildManifest): string | undefined {
  const known = sources[event.logicalId];
  if (known) return known;
  const text = `${event.physicalId ?? ''} ${event.reason ?? ''}`;
  const fn = [...(manifest?.functions ?? [])].sort((a, b) => b.functionName.length - a.functionName.length).find((f) => text.includes(f.functionName));
  return fn?.source;
}

/**
 * The earliest root-cause event of a stack; when it is a nested stack, the earliest inside it, and
 * so on down. A nested stack is followed only from when its parent named it, which can be after it
 * failed (its followed events then hold only the rollback): without a root cause among them, its
 * events are read again from the start of the operation.
 */
export async function firstFailure(ctx: DeployContext, events: readonly StackEventInfo[], stackId: string | undefined, depth = 0): Promise<StackEventInfo | undefined> {
  const mine = events.filter((event) => (stackId === undefined ? event.stackPath.length === 0 : event.stackId === stackId));
  const first = earliestRootCause(mine);
  if (!first || first.type !== 'AWS::CloudFormation::Stack' || !first.physicalId || depth > 5) return first;
  let all = events;
  if (!earliestRootCause(events.filter((event) => event.stackId === first.physicalId))) {
    const since = operationStart(events);
    const read = await readNewEvents(ctx, first.physicalId, { path: [...first.stackPath, first.logicalId], ...(since && { since }) }, new Set()).catch(() => []);
    const known = new Set(events.map((event) => event.id));
    all = [...events, ...read.filter((event) => !known.has(event.id))];
  }
  return (await firstFailure(ctx, all, first.physicalId, depth + 1)) ?? first;
}

function earliestRootCause(events: readonly StackEventInfo[]): StackEventInfo | undefined {
  return events.filter(isRootCause).sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())[0];
}

/** The first event of the operation (the root stack's own *_IN_PROGRESS): nothing before it belongs to it. */
function operationStart(events: readonly StackEventInfo[]): Date | undefined {
  return events.reduce<Date | undefined>((earliest, event) => (!earliest || event.timestamp < earliest ? event.timestamp : earliest), undefined);
}

export async function explainFailure(
  ctx: DeployContext,
  events: readonly StackEventInfo[],
  sources: Record<string, string>,
  manifest?: BuildManifest,
): Promise<DeployFailure | undefined> {
  const event = await firstFailure(ctx, events, undefined);
  if (!event) return undefined;
  const reason = event.reason ?? 'no reason given';
  const source = sourceOf(event, sources, manifest);
  const hint = hintFor(reason);
  return {
    logicalId: event.logicalId,
    type: event.type,
    status: event.status,
    reason,
    stackPath: event.stackPath,
    ...(event.physicalId && { physicalId: event.physicalId }),
    ...(source && { source }),
    ...(hint && { hint }),
  };
}

/** One line: `PostsControllerFunction (AWS::Lambda::Function, nested stack PostsControllerStack, from PostsController) CREATE_FAILED: reason`. */
export function describeFailure(failure: DeployFailure): string {
  const where = [failure.type, ...(failure.stackPath.length ? [`nested stack ${failure.stackPath.join(' › ')}`] : []), ...(failure.source ? [`from ${failure.source}`] : [])];
  return `${failure.logicalId} (${where.join(', ')}) ${failure.status}: ${failure.reason}`;
}

export async function failureError(
  ctx: DeployContext,
  what: string,
  result: { status: string; reason?: string; events: readonly StackEventInfo[] },
  sources: Record<string, string>,
  manifest?: BuildManifest,
): Promise<DeployFailedError> {
  const failure = await explainFailure(ctx, result.events, sources, manifest);
  const text = failure
    ? `${what} failed (${result.status}): ${describeFailure(failure)}`
    : `${what} failed (${result.status})${result.reason ? `: ${result.reason}` : ''}`;
  const fallback = /ROLLBACK_COMPLETE$/.test(result.status)
    ? 'CloudFormation rolled the stack back to where it was; fix the cause and deploy again'
    : 'see the stack events in the CloudFormation console (`sls-ts status` shows the last ones)';
  return new DeployFailedError(text, result.status, failure, fallback);
}
