// Removing routes takes two stack updates. CloudFormation creates a new API Deployment before it
// deletes the methods an update removes (deletions wait for the cleanup phase), so a Deployment
// created in that same update snapshots the removed methods and the removed routes keep answering.
// The first update deletes them while the stage stays on the Deployment it serves; the second, the
// deploy's own, creates the Deployment of the new routes. Every Deployment the stage ever serves
// belongs to the stack, so a rollback never brings back a snapshot with removed routes, and
// nothing is deployed behind CloudFormation's back.
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import type { BuildManifest } from '../build/types.js';
import { findDeployment, keepDeployment, serializeTemplate, templateKey, type GeneratedTemplates, type Template } from '../cloudformation/index.js';
import { applyChangeSet, deleteChangeSet, planChangeSet, type ChangeSetPlan } from './change-set.js';
import type { DeployContext } from './context.js';
import type { ResourceChange } from './types.js';
import { objectUrl, uploadItems } from './upload.js';

const API_PARTS = new Set(['AWS::ApiGateway::Method', 'AWS::ApiGateway::Resource']);
const STACK = 'AWS::CloudFormation::Stack';

/** Removed and replaced resources: their old selves are deleted in the cleanup phase. */
function deletesLater(change: ResourceChange): boolean {
  return change.action === 'remove' || change.action === 'replace' || change.replacement !== undefined;
}

function mayRemoveRoutes(change: ResourceChange): boolean {
  return deletesLater(change) && (API_PARTS.has(change.type) || change.type === STACK);
}

/**
 * The changes that delete API methods only at cleanup: methods and path parts removed or replaced,
 * and removed nested stacks the deployed Deployment waited for (so they held methods).
 */
function apiRemovals(changes: readonly ResourceChange[], deployed: Template | undefined): ResourceChange[] {
  const gates = new Set([(deployed && findDeployment(deployed)?.resource.DependsOn) ?? []].flat());
  return changes.filter((change) => mayRemoveRoutes(change) && (API_PARTS.has(change.type) || (change.stackPath.length === 0 && gates.has(change.logicalId))));
}

/** The root template the stack runs now, as sls-ts uploaded it; undefined when it is not ours to read. */
async function deployedTemplate(ctx: DeployContext): Promise<Template | undefined> {
  const { TemplateBody } = await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: ctx.stackName, TemplateStage: 'Original' }));
  try {
    const template = JSON.parse(TemplateBody ?? '') as Template;
    return template && typeof template.Resources === 'object' ? template : undefined;
  } catch {
    return undefined;
  }
}

export interface RouteRemovalInput {
  /** The deploy's change set: what decides whether routes go, superseded when they do. */
  plan: ChangeSetPlan;
  templates: GeneratedTemplates;
  bucket: string;
  nested: boolean;
  manifest: BuildManifest;
}

/**
 * When the deploy's change set removes routes, deletes its change set and runs the first update
 * (the new templates with the stage kept on its Deployment). True when it did: the caller then
 * plans the deploy's own update again, against the stack as it is now.
 */
export async function removeRoutesFirst(ctx: DeployContext, input: RouteRemovalInput): Promise<boolean> {
  if (!input.plan.changes.some(mayRemoveRoutes)) return false;
  const deployed = await deployedTemplate(ctx);
  const removals = apiRemovals(input.plan.changes, deployed);
  if (removals.length === 0) return false;
  const interim = deployed && keepDeployment(input.templates.root, deployed);
  const kept = deployed && findDeployment(deployed);
  if (!interim || !kept) {
    ctx.emit({
      type: 'warning',
      diagnostic: {
        level: 'warning',
        text: `stack ${ctx.stackName}: the routes this deploy removes may keep answering, because its deployed template has no API Deployment sls-ts can keep while they go`,
        hint: 'they stop answering with the next deploy that changes routes; if the stack was not made by sls-ts, please report this',
      },
    });
    return false;
  }

  await deleteChangeSet(ctx, input.plan.id);
  const body = serializeTemplate(interim);
  const key = templateKey(body);
  await uploadItems(ctx, input.bucket, [{ key, body, contentType: 'application/json' }]);
  ctx.emit({ type: 'routes-removing', removed: removals.map((change) => [...change.stackPath, change.logicalId].join('/')), deploymentId: kept.id });
  const plan = await planChangeSet(ctx, { templateUrl: objectUrl(ctx, input.bucket, key), nested: input.nested, sources: input.templates.sources });
  if (!plan.noChanges) await applyChangeSet(ctx, plan, `removing routes from ${ctx.stackName} (the first of two updates)`, input.templates.sources, input.manifest);
  return true;
}
