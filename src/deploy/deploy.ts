// `sls-ts deploy`: pre-flight, build, bootstrap on the first deploy, upload, change set, execute,
// follow, verify. Each step is its own module; this one only decides the order and the outcome.
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { build } from '../build/index.js';
import type { BuildManifest } from '../build/types.js';
import { apiMethods, bootstrapTemplate, generateTemplates, serializeTemplate, templateKey, type GeneratedTemplates } from '../cloudformation/index.js';
import type { Layout } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { applyChangeSet, CAPABILITIES, deleteChangeSet, planChangeSet, tagsOf } from './change-set.js';
import type { DeployContext } from './context.js';
import { confirmDataChanges, findDataChanges } from './data-safety.js';
import { withAwsErrors } from './errors.js';
import { failureError } from './failure.js';
import { followStack } from './monitor.js';
import { preflight, type PreflightOptions } from './preflight.js';
import { removeRoutesFirst } from './route-removal.js';
import { assertLayoutKept, deployedLayout, layoutInput } from './layout.js';
import { channelUrls } from './info.js';
import { isAlreadyDeployed } from './no-op.js';
import { assertNoRenames } from './renames.js';
import { OUTPUTS, SUCCESS_STATUSES, describeStack, outputsOf, requireBucket } from './stack.js';
import type { DeployedRoute, DeployResult, ResourceChange } from './types.js';
import { artifactItems, objectUrl, uploadItems, type UploadItem } from './upload.js';
import { reconcileDrift, verifyStage } from './verify.js';

export interface DeployOptions extends PreflightOptions {
  /** Overrides config.layout. */
  layout?: Layout;
}

export async function deploy(ctx: DeployContext, options: DeployOptions = {}): Promise<DeployResult> {
  const started = performance.now();
  return withAwsErrors('deploy', async () => {
    const { stack } = await preflight(ctx, options);

    ctx.emit({ type: 'build-start' });
    const built = await build({ config: ctx.config, ...(options.layout && { layout: options.layout }) });
    ctx.emit({ type: 'build-done', functions: built.manifest.functions.length, durationMs: built.durationMs, warnings: built.warnings });
    const warnings: Diagnostic[] = [...built.warnings];

    // Once nested, always nested; a one-template app that outgrows it is refused before any upload.
    const deployed = await deployedLayout(ctx, stack);
    const nested = deployed.startsWith('nested');
    const templates = generateTemplates({ config: ctx.config, manifest: built.manifest, ...layoutInput(deployed) });
    assertLayoutKept(ctx, deployed, templates);
    if (stack) await assertNoRenames(ctx, stack, templates);
    warnings.push(...templates.warnings);
    ctx.emit({ type: 'templates-ready', resources: templates.stats.resources, nestedStacks: templates.children.length, warnings: templates.warnings });

    const finish = (fields: Pick<DeployResult, 'outcome' | 'changes' | 'outputs' | 'uploaded' | 'skipped'> & Partial<Pick<DeployResult, 'dataChanges'>>): DeployResult => {
      const apiUrl = fields.outputs[OUTPUTS.apiUrl];
      const domainUrl = fields.outputs[OUTPUTS.domainUrl];
      const channels = channelUrls(fields.outputs);
      return {
        stackName: ctx.stackName,
        firstDeploy: !stack,
        dataChanges: [],
        ...fields,
        ...(apiUrl && { apiUrl }),
        ...(domainUrl && { domainUrl }),
        routes: apiUrl ? routesOf(built.manifest, apiUrl) : [],
        ...(channels.length > 0 && { channels }),
        durationMs: performance.now() - started,
        warnings,
      };
    };

    // A plan of a first deploy creates nothing, not even the bucket: everything would be added.
    if (!stack && options.plan) return finish({ outcome: 'plan', changes: allAdded(templates), outputs: {}, uploaded: 0, skipped: 0 });

    const current = stack ?? (await bootstrap(ctx));
    const bucket = await requireBucket(ctx, current);
    const rootBody = serializeTemplate(templates.root);
    const rootKey = templateKey(rootBody);
    const items: UploadItem[] = [
      ...artifactItems(built.manifest, built.outDir),
      ...templates.children.map((child) => ({ key: child.key, body: child.body, contentType: 'application/json' })),
      { key: rootKey, body: rootBody, contentType: 'application/json' },
    ];
    const uploads = await uploadItems(ctx, bucket, items);
    const counts = { uploaded: uploads.uploaded, skipped: uploads.skipped };

    const planInput = { templateUrl: objectUrl(ctx, bucket, rootKey), nested: nested || templates.children.length > 0, sources: templates.sources };
    // Only nested apps ask first: one template's change set is exact, so the extra call would buy nothing there.
    const unchanged = planInput.nested && (await isAlreadyDeployed(ctx, { rootBody, tags: tagsOf(ctx.config.tags) }));
    let plan = unchanged ? undefined : await planChangeSet(ctx, planInput);
    if (!plan || plan.noChanges) {
      ctx.emit({ type: 'no-changes' });
      if (!options.plan) await reconcileDrift(ctx, bucket, built.manifest);
      return finish({ outcome: 'no-changes', changes: [], outputs: outputsOf(current), ...counts });
    }
    ctx.emit({ type: 'changeset-ready', name: plan.name, changes: plan.changes });
    const dataChanges = await findDataChanges(ctx, plan.changes, templates);
    if (dataChanges.length > 0) ctx.emit({ type: 'data-changes', changes: dataChanges });
    if (options.plan) {
      await deleteChangeSet(ctx, plan.id);
      return finish({ outcome: 'plan', changes: plan.changes, dataChanges, outputs: outputsOf(current), ...counts });
    }
    try {
      await confirmDataChanges(dataChanges, options);
    } catch (error) {
      await deleteChangeSet(ctx, plan.id).catch(() => undefined);
      throw error;
    }

    // The result lists every change of the deploy, whether it takes one update or two.
    const { changes } = plan;
    if (await removeRoutesFirst(ctx, { plan, templates, bucket, nested: planInput.nested, manifest: built.manifest })) plan = await planChangeSet(ctx, planInput);
    if (!plan.noChanges) await applyChangeSet(ctx, plan, `deploy of ${ctx.stackName}`, templates.sources, built.manifest);

    const outputs = outputsOf(await describeStack(ctx));
    await reconcileDrift(ctx, bucket, built.manifest);
    await verifyStage(ctx, outputs, apiMethods(built.manifest, ctx.config));
    return finish({ outcome: 'deployed', changes, dataChanges, outputs, ...counts });
  });
}

/** The first deploy creates the stack with the bucket only: the artifacts need somewhere to go first. */
async function bootstrap(ctx: DeployContext) {
  ctx.emit({ type: 'bootstrap-start', stackName: ctx.stackName });
  const tags = tagsOf(ctx.config.tags);
  const created = await ctx.clients.cloudformation.send(
    new CreateStackCommand({
      StackName: ctx.stackName,
      TemplateBody: serializeTemplate(bootstrapTemplate(ctx.config)),
      Capabilities: CAPABILITIES,
      ...(tags.length > 0 && { Tags: tags }),
    }),
  );
  // By ARN: only this stack's events, never those of an earlier stack of the same name.
  const result = await followStack(ctx, { seen: new Set() }, 2, created.StackId ?? ctx.stackName);
  if (result.status !== 'CREATE_COMPLETE') throw await failureError(ctx, `creating the artifacts bucket of ${ctx.stackName}`, result, {});
  const stack = await describeStack(ctx);
  ctx.emit({ type: 'bootstrap-done', stackName: ctx.stackName, bucket: outputsOf(stack)[OUTPUTS.artifactsBucketName] ?? '' });
  return stack;
}

function allAdded(templates: GeneratedTemplates): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const add = (resources: Record<string, { Type: string }>, stackPath: string[]) => {
    for (const [logicalId, resource] of Object.entries(resources)) {
      const source = templates.sources[logicalId];
      changes.push({ action: 'add', logicalId, type: resource.Type, stackPath, ...(source && { source }) });
    }
  };
  add(templates.root.Resources, []);
  for (const child of templates.children) add(child.template.Resources, [child.logicalId]);
  return changes;
}

/** Every route of the build with the URL it answers on: API Gateway paths under the stage URL. */
export function routesOf(manifest: BuildManifest, apiUrl: string): DeployedRoute[] {
  const base = apiUrl.replace(/\/+$/, '');
  const routes = manifest.functions.flatMap((fn) =>
    fn.routes.map((route) => ({ method: route.method, path: route.resource, url: `${base}${route.resource === '/' ? '/' : route.resource}`, source: fn.source })),
  );
  return routes.sort((a, b) => (a.path === b.path ? (a.method < b.method ? -1 : 1) : a.path < b.path ? -1 : 1));
}
