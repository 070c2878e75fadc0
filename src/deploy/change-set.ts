// Every update goes through a change set: it shows what will change before anything does, and an
// empty one ends the deploy as a success without touching the stack.
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  type Capability,
  type Change,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import type { BuildManifest } from '../build/types.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { failureError } from './failure.js';
import { changeSetExecution } from './execution.js';
import { startAndFollow } from './monitor.js';
import { pollUntil } from './poll.js';
import { SUCCESS_STATUSES } from './stack.js';
import type { ChangeAction, ResourceChange } from './types.js';

export const CAPABILITIES: Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

/** CloudFormation's two ways of saying "this change set is empty". */
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

export interface ChangeSetPlan {
  name: string;
  /** The change set's ARN once created. */
  id: string;
  noChanges: boolean;
  changes: ResourceChange[];
}

export function changeSetName(now = new Date()): string {
  return `sls-ts-${now.toISOString().replace(/[-:.TZ]/g, '')}`;
}

export function tagsOf(tags: Readonly<Record<string, string>>): Array<{ Key: string; Value: string }> {
  return Object.keys(tags).sort().map((key) => ({ Key: key, Value: tags[key]! }));
}

/** Creates the change set, waits for CloudFormation to work it out, and reads what it would do. */
export async function planChangeSet(
  ctx: DeployContext,
  options: { templateUrl: string; nested: boolean; sources: Record<string, string> },
): Promise<ChangeSetPlan> {
  const name = changeSetName();
  const tags = tagsOf(ctx.config.tags);
  ctx.emit({ type: 'changeset-start', name });
  const created = await ctx.clients.cloudformation.send(
    new CreateChangeSetCommand({
      StackName: ctx.stackName,
      ChangeSetName: name,
      ChangeSetType: 'UPDATE',
      TemplateURL: options.templateUrl,
      Capabilities: CAPABILITIES,
      Description: `sls-ts deploy of ${ctx.config.name} (${ctx.stage})`,
      ...(options.nested && { IncludeNestedStacks: true }),
      ...(tags.length > 0 && { Tags: tags }),
    }),
  );
  const id = created.Id ?? name;

  const described = await pollUntil(ctx, { delayMs: ctx.delays.changeSet, what: `change set ${name}` }, async () => {
    const result = await ctx.clients.cloudformation.send(new DescribeChangeSetCommand({ StackName: ctx.stackName, ChangeSetName: id }));
    return result.Status === 'CREATE_COMPLETE' || result.Status === 'FAILED' || result.Status === 'DELETE_FAILED' ? result : undefined;
  });

  if (described.Status !== 'CREATE_COMPLETE') {
    const reason = described.StatusReason ?? '';
    if (NO_CHANGES.test(reason)) {
      await deleteChangeSet(ctx, id);
      return { name, id, noChanges: true, changes: [] };
    }
    // Read before the root goes: deleting it deletes its nested change sets too.
    const nested = await nestedFailure(ctx, reason);
    await deleteChangeSet(ctx, id).catch(() => undefined);
    const cause = nested?.reason ?? reason;
    const what = nested ? ` of nested stack ${nested.stack}` : '';
    throw new SlsError({ text: `CloudFormation rejected the change set${what}: ${cause || described.Status}`, hint: hintForReason(cause) ?? 'see the change set in the CloudFormation console' });
  }
  // A complete change set is executed even with no resource changes: outputs alone may differ.
  const changes = await readChanges(ctx, id, described, [], options.sources);
  return { name, id, noChanges: false, changes };
}

/** How AWS reports a root change set that failed only because one of its nested change sets did. */
const NESTED_FAILED = /Nested change set (arn:\S+?) was not successfully created/;

/**
 * The nested change set (the deepest, when nested stacks nest) that a failed root points at, with
 * the stack it was for and its own reason; undefined when the reason points nowhere or cannot be read.
 */
async function nestedFailure(ctx: DeployContext, reason: string): Promise<{ stack: string; reason: string } | undefined> {
  let found: { stack: string; reason: string } | undefined;
  let next = NESTED_FAILED.exec(reason)?.[1];
  for (let depth = 0; next && depth < 5; depth++) {
    const nested = await describeNested(ctx, next);
    if (!nested?.StatusReason) break;
    found = { stack: nestedStackLabel(ctx, nested.StackName ?? nested.StackId ?? next), reason: nested.StatusReason };
    next = NESTED_FAILED.exec(nested.StatusReason)?.[1];
  }
  return found;
}

/** Only explains a failure already on its way to the user: one it cannot read changes nothing. */
async function describeNested(ctx: DeployContext, changeSetId: string): Promise<DescribeChangeSetCommandOutput | undefined> {
  try {
    return await ctx.clients.cloudformation.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
  } catch {
    return undefined;
  }
}

/** `PostsControllerStack (example-app-dev-PostsControllerStack-1X2Y…)`: CloudFormation names a nested stack `<parent>-<logical id>-<suffix>`. */
function nestedStackLabel(ctx: DeployContext, stackName: string): string {
  const logicalId = stackName.startsWith(`${ctx.stackName}-`) ? /^(.+)-[A-Z0-9]+$/.exec(stackName.slice(ctx.stackName.length + 1))?.[1] : undefined;
  return logicalId ? `${logicalId} (${stackName})` : stackName;
}

export function hintForReason(reason: string): string | undefined {
  if (/Requires capabilities/i.test(reason)) return 'the template needs an IAM capability sls-ts did not pass; please report this';
  if (/Template format error|Unresolved resource dependencies/i.test(reason)) return 'the generated template is invalid; please report this with `sls-ts build` output';
  if (/S3 error|Access Denied|AccessDenied/i.test(reason)) return 'CloudFormation could not read the template from the artifacts bucket; check the bucket policy and your permissions';
  return undefined;
}

/** Every page of the change set, descending into nested stacks' change sets (IncludeNestedStacks). */
async function readChanges(
  ctx: DeployContext,
  changeSetId: string,
  first: DescribeChangeSetCommandOutput,
  stackPath: string[],
  sources: Record<string, string>,
): Promise<ResourceChange[]> {
  const changes: ResourceChange[] = [];
  let page: DescribeChangeSetCommandOutput = first;
  for (;;) {
    for (const change of page.Changes ?? []) {
      const resource = toResourceChange(change, stackPath, sources);
      if (!resource) continue;
      const nestedId = change.ResourceChange?.ChangeSetId;
      if (nestedId && change.ResourceChange?.ResourceType === 'AWS::CloudFormation::Stack' && stackPath.length < 5) {
        const nested = await ctx.clients.cloudformation.send(new DescribeChangeSetCommand({ ChangeSetName: nestedId }));
        const inner = await readChanges(ctx, nestedId, nested, [...stackPath, resource.logicalId], sources);
        // AWS lists every nested stack as modified, automatically, whether or not anything in it
        // changes: one whose own change set is empty changes nothing and is not shown as a change.
        if (inner.length === 0 && isAutomaticOnly(change)) continue;
        changes.push(resource, ...inner);
      } else {
        changes.push(resource);
      }
    }
    if (!page.NextToken) return changes;
    page = await ctx.clients.cloudformation.send(
      new DescribeChangeSetCommand({ ...(stackPath.length === 0 && { StackName: ctx.stackName }), ChangeSetName: changeSetId, NextToken: page.NextToken }),
    );
  }
}

/** A Modify that CloudFormation made up itself: none of the resource's own properties or parameters changed. */
function isAutomaticOnly(change: Change): boolean {
  const rc = change.ResourceChange;
  return rc?.Action === 'Modify' && (rc.Details ?? []).every((detail) => detail.ChangeSource === 'Automatic');
}

const ACTIONS: Record<string, ChangeAction> = { Add: 'add', Modify: 'modify', Remove: 'remove', Import: 'import', Dynamic: 'dynamic' };

function toResourceChange(change: Change, stackPath: string[], sources: Record<string, string>): ResourceChange | undefined {
  const rc = change.ResourceChange;
  if (!rc?.LogicalResourceId) return undefined;
  let action = ACTIONS[rc.Action ?? ''] ?? 'modify';
  if (action === 'modify' && rc.Replacement === 'True') action = 'replace';
  const source = sources[rc.LogicalResourceId];
  return {
    action,
    logicalId: rc.LogicalResourceId,
    type: rc.ResourceType ?? 'unknown',
    stackPath,
    ...((rc.Replacement === 'True' || rc.Replacement === 'Conditional') && rc.Action === 'Modify' && { replacement: rc.Replacement }),
    ...(source && { source }),
  };
}

export async function deleteChangeSet(ctx: DeployContext, id: string): Promise<void> {
  await ctx.clients.cloudformation.send(new DeleteChangeSetCommand({ StackName: ctx.stackName, ChangeSetName: id }));
}

export async function executeChangeSet(ctx: DeployContext, id: string): Promise<void> {
  await ctx.clients.cloudformation.send(new ExecuteChangeSetCommand({ StackName: ctx.stackName, ChangeSetName: id }));
}

/** Executes a planned change set and follows it to the end; a failed update throws what failed first. */
export async function applyChangeSet(ctx: DeployContext, plan: ChangeSetPlan, what: string, sources: Record<string, string>, manifest: BuildManifest): Promise<void> {
  const total = plan.changes.length;
  const result = await startAndFollow(ctx, {
    start: () => executeChangeSet(ctx, plan.id),
    onStarted: () => ctx.emit({ type: 'execute-start', total }),
    total,
    execution: changeSetExecution(ctx, plan),
  });
  if (!SUCCESS_STATUSES.has(result.status)) throw await failureError(ctx, what, result, sources, manifest);
}
