// Removing routes takes two stack updates. CloudFormation creates a new API Deployment before it
// deletes the methods an update removes (deletions wait for the cleanup phase), so a Deployment
// created in that same update snapshots the removed methods and the removed routes keep answering.
// The first update is the deployed templates minus those methods: the stage, the functions and
// their permissions keep serving exactly as before. The second, the deploy's own, creates the
// Deployment of the new routes. Every Deployment the stage ever serves belongs to the stack, so a
// rollback never brings back a snapshot with removed routes, and nothing is deployed behind
// CloudFormation's back.
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { BuildManifest } from '../build/types.js';
import { findDeployment, keepDeployment, serializeTemplate, templateKey, withoutMethods, type GeneratedTemplates, type Template } from '../cloudformation/index.js';
import { applyChangeSet, deleteChangeSet, planChangeSet, type ChangeSetPlan } from './change-set.js';
import type { DeployContext } from './context.js';
import type { ResourceChange } from './types.js';
import { isNotFound } from './errors.js';
import { objectUrl, uploadItems, type UploadItem } from './upload.js';

const METHOD = 'AWS::ApiGateway::Method';
const STACK = 'AWS::CloudFormation::Stack';
/** The key of the root template in the removal map. */
const ROOT = '';

/** Removed and replaced resources: their old selves are deleted in the cleanup phase. */
function deletesLater(change: ResourceChange): boolean {
  return change.action === 'remove' || change.action === 'replace' || change.replacement !== undefined;
}

function mayRemoveRoutes(change: ResourceChange): boolean {
  return deletesLater(change) && (change.type === METHOD || (change.type === STACK && change.action === 'remove'));
}

/**
 * The methods deleted only at cleanup, by the stack holding them (ROOT or a nested stack's logical
 * id): methods removed or replaced, and every method of a removed nested stack the deployed
 * Deployment waited for.
 */
function methodsToRemove(changes: readonly ResourceChange[], deployed: Template | undefined): Map<string, Set<string> | 'all'> {
  const gates = new Set([(deployed && findDeployment(deployed)?.resource.DependsOn) ?? []].flat());
  const removals = new Map<string, Set<string> | 'all'>();
  for (const change of changes.filter(mayRemoveRoutes)) {
    if (change.type === STACK) {
      if (change.stackPath.length === 0 && gates.has(change.logicalId)) removals.set(change.logicalId, 'all');
      continue;
    }
    const stack = change.stackPath.join('/') || ROOT;
    const known = removals.get(stack) ?? new Set<string>();
    if (known !== 'all') removals.set(stack, known.add(change.logicalId));
  }
  return removals;
}

/** The root template the stack runs now, as sls-ts uploaded it; undefined when it is not ours to read. */
async function deployedTemplate(ctx: DeployContext): Promise<Template | undefined> {
  const { TemplateBody } = await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: ctx.stackName, TemplateStage: 'Original' }));
  return parseTemplate(TemplateBody);
}

function parseTemplate(body: string | undefined): Template | undefined {
  try {
    const template = JSON.parse(body ?? '') as Template;
    return template && typeof template.Resources === 'object' ? template : undefined;
  } catch {
    return undefined;
  }
}

type TemplateResourceLike = { Properties?: Record<string, unknown> };

/**
 * A nested stack's template as deployed: the bucket object its TemplateURL names. Keys carry the
 * sha256 of the body, so a body that matches its key is exactly what the nested stack runs.
 */
async function deployedChild(ctx: DeployContext, bucket: string, stack: TemplateResourceLike | undefined): Promise<{ key: string; template: Template } | undefined> {
  const key = /templates\/[0-9a-f]{64}\.json/.exec(JSON.stringify(stack?.Properties?.['TemplateURL'] ?? ''))?.[0];
  if (!key) return undefined;
  try {
    const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = (await object.Body?.transformToString('utf8')) ?? '';
    const template = templateKey(body) === key ? parseTemplate(body) : undefined;
    return template && { key, template };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const templateItem = (template: Template): UploadItem => {
  const body = serializeTemplate(template);
  return { key: templateKey(body), body, contentType: 'application/json' };
};

/** The first update's templates (root last): the deployed ones minus the methods that go. */
async function deployedWithoutMethods(ctx: DeployContext, bucket: string, deployed: Template, removals: Map<string, Set<string> | 'all'>): Promise<UploadItem[] | undefined> {
  let root = deployed;
  const items: UploadItem[] = [];
  for (const [stack, methods] of removals) {
    if (stack === ROOT) continue;
    const child = await deployedChild(ctx, bucket, root.Resources[stack]);
    const trimmed = child && withoutMethods(child.template, methods);
    if (!child || !trimmed) return undefined;
    const item = templateItem(trimmed);
    items.push(item);
    // The same URL with the new key: the nested stack updates to its template minus the methods.
    const resource = root.Resources[stack]!;
    const url = JSON.parse(JSON.stringify(resource.Properties['TemplateURL']).replace(child.key, item.key)) as unknown;
    root = { ...root, Resources: { ...root.Resources, [stack]: { ...resource, Properties: { ...resource.Properties, TemplateURL: url } } } };
  }
  const rootMethods = removals.get(ROOT);
  const trimmedRoot = rootMethods ? withoutMethods(root, rootMethods) : root;
  return trimmedRoot && [...items, templateItem(trimmedRoot)];
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
 * When the deploy's change set removes routes, deletes its change set and runs the first update.
 * True when it did: the caller then plans the deploy's own update again, against the stack as it
 * is now.
 */
export async function removeRoutesFirst(ctx: DeployContext, input: RouteRemovalInput): Promise<boolean> {
  // Without an API after the deploy, the RestApi goes as a whole, its stage and snapshots with it.
  if (!input.plan.changes.some(mayRemoveRoutes) || !findDeployment(input.templates.root)) return false;
  const deployed = await deployedTemplate(ctx);
  const removals = methodsToRemove(input.plan.changes, deployed);
  if (removals.size === 0) return false;
  const kept = deployed && findDeployment(deployed);
  let items = deployed && kept ? await deployedWithoutMethods(ctx, input.bucket, deployed, removals) : undefined;
  if (!items && deployed) {
    // The deployed templates cannot be trimmed: the new ones, with the stage kept on its Deployment.
    const fallback = keepDeployment(input.templates.root, deployed);
    items = fallback && [templateItem(fallback)];
  }
  if (!items || !kept) {
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
  await uploadItems(ctx, input.bucket, items);
  const removed = [...removals].flatMap(([stack, methods]) => (methods === 'all' ? [stack] : [...methods].map((id) => (stack === ROOT ? id : `${stack}/${id}`))));
  ctx.emit({ type: 'routes-removing', removed, deploymentId: kept.id });
  const plan = await planChangeSet(ctx, { templateUrl: objectUrl(ctx, input.bucket, items.at(-1)!.key), nested: input.nested, sources: input.templates.sources });
  if (!plan.noChanges) await applyChangeSet(ctx, plan, `removing routes from ${ctx.stackName} (the first of two updates)`, input.templates.sources, input.manifest);
  return true;
}
