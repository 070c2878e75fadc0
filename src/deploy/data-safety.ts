// Data safety on deploy: a change set that replaces or removes a table or a bucket can take its
// data with it. Such changes are called out in the plan and need `--yes` (or a "yes" at the
// prompt) even when nothing else would; a retained one (DeletionPolicy / UpdateReplacePolicy
// Retain) stays in the account, and the plan says so.
import { ARTIFACTS_BUCKET_ID, declaredResourceOutputs, type GeneratedTemplates } from '../cloudformation/index.js';
import type { ResolvedResource } from '../config/resources.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { configPathOf, describeDataChange } from './data-lines.js';
import { hintFor } from './failure.js';
import { listStackResources } from './resources.js';
import { isRetainPolicy, readDeployedResources } from './stack.js';
import type { DataChange, ResourceChange } from './types.js';

const DATA_TYPES: Record<string, DataChange['kind']> = { 'AWS::DynamoDB::Table': 'table', 'AWS::S3::Bucket': 'bucket' };
type TemplateResources = Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string; Properties?: Record<string, unknown> }>;
const NAME_PROPERTY: Record<DataChange['kind'], string> = { table: 'TableName', bucket: 'BucketName' };

/**
 * The declared name behind a logical id: from the config, or (for a resource that left it) the
 * name whose id it is (`PostsTable` → `posts`), checked by computing that name's id again.
 */
function declaredName(ctx: DeployContext, logicalId: string, kind: DataChange['kind']): string | undefined {
  const declared = declaredResourceOutputs(ctx.config.resources).find((resource) => resource.logicalId === logicalId);
  if (declared) return declared.name;
  const stem = logicalId.replace(kind === 'table' ? /Table$/ : /Bucket$/, '');
  const guess = stem.charAt(0).toLowerCase() + stem.slice(1);
  // Ids depend on the name and kind alone (resource-ids.ts), so a bare resolved shape is enough here.
  const [again] = declaredResourceOutputs([{ kind, name: guess } as ResolvedResource]);
  return again?.logicalId === logicalId ? guess : undefined;
}

/** The tables and buckets a planned change set replaces or removes (the artifacts bucket aside: it holds no app data). */
export async function findDataChanges(ctx: DeployContext, changes: readonly ResourceChange[], templates: GeneratedTemplates): Promise<DataChange[]> {
  const risky = changes.filter((change) => (change.action === 'replace' || change.action === 'remove') && DATA_TYPES[change.type] && change.logicalId !== ARTIFACTS_BUCKET_ID);
  if (risky.length === 0) return [];
  // A template that cannot be read counts as no policy (Delete): the reading that asks.
  const [deployed = {}, summaries] = await Promise.all([readDeployedResources(ctx), listStackResources(ctx)]);
  const physical = new Map(summaries.map((summary) => [summary.LogicalResourceId, summary.PhysicalResourceId]));
  const next = templates.root.Resources as TemplateResources;
  return risky.map((change) => {
    const kind = DATA_TYPES[change.type]!;
    const inRoot = change.stackPath.length === 0;
    const policy = change.action === 'remove' ? deployed[change.logicalId]?.DeletionPolicy : next[change.logicalId]?.UpdateReplacePolicy;
    const name = declaredName(ctx, change.logicalId, kind);
    const physicalId = inRoot ? physical.get(change.logicalId) : undefined;
    const keepsName = change.action === 'replace' && physicalId !== undefined && next[change.logicalId]?.Properties?.[NAME_PROPERTY[kind]] === physicalId;
    return {
      logicalId: change.logicalId,
      kind,
      action: change.action as DataChange['action'],
      retained: inRoot && isRetainPolicy(policy),
      stackPath: change.stackPath,
      ...(name && { name }),
      ...(physicalId && { physicalId }),
      ...(keepsName && { keepsName }),
    };
  });
}

/**
 * Goes on with `yes`, or once the person at the terminal agrees; otherwise an error naming what
 * would be lost. A retained resource asks too: the app loses it, though the account keeps it.
 */
export async function confirmDataChanges(changes: readonly DataChange[], options: { yes?: boolean; confirm?: (question: string) => Promise<boolean> }): Promise<void> {
  // No answer makes CloudFormation replace a resource under the name it keeps: say so before it fails the update.
  const stuck = changes.find((change) => change.keepsName);
  if (stuck) {
    throw new SlsError({ text: `${configPathOf(stuck)}: ${describeDataChange(stuck)}; nothing was deployed`, hint: hintFor('custom-named resource requires replacing')! });
  }
  if (changes.length === 0 || options.yes) return;
  const lines = changes.map(describeDataChange);
  if (options.confirm && (await options.confirm(`This deploy changes stored data:\n  ${lines.join('\n  ')}\nDeploy anyway?`))) return;
  // The error leads with data that would be lost, not with a retained resource.
  const first = changes.find((change) => !change.retained) ?? changes[0]!;
  const more = changes.length > 1 ? ` (and ${changes.length - 1} more ${changes.length === 2 ? 'table or bucket' : 'tables or buckets'})` : '';
  throw new SlsError({
    text: `${configPathOf(first)}: ${describeDataChange(first)}${more}; nothing was deployed`,
    hint: first.retained
      ? 'run `sls-ts deploy --yes` to deploy anyway (`--plan` lists every change)'
      : "run `sls-ts deploy --yes` if the data may go (`--plan` lists every change); to keep it, give the resource removal: 'retain' (still declared as deployed) and deploy that first",
  });
}
