// After a deploy: confirm the API stage serves the routes just deployed, and put any hot-swapped
// code (from the code-only path) back in line with the template.
import { GetDeploymentCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import type { BuildManifest } from '../build/types.js';
import type { DeployContext } from './context.js';
import { errorMessage } from './errors.js';
import { deployedCodeSha, updateFunctionCode } from './functions.js';
import { OUTPUTS } from './stack.js';
import { emptyState, readState, writeState } from './state.js';

/** `GET /posts/{id}` for every method a deployment's snapshot holds. */
function snapshotMethods(summary: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(summary).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
}

/**
 * The stage's deployment must be the one whose description carries the RouteHash output, and its
 * snapshot must hold exactly the app's methods: a removed route still in it keeps answering. A
 * mismatch is a warning, not a failure: the stack itself deployed fine.
 */
export async function verifyStage(ctx: DeployContext, outputs: Record<string, string>, expected?: readonly string[]): Promise<void> {
  const restApiId = outputs[OUTPUTS.restApiId];
  const stage = outputs[OUTPUTS.stageName];
  const hash = outputs[OUTPUTS.routeHash];
  if (!restApiId || !stage || !hash) return;
  const warn = (text: string, hint?: string) => ctx.emit({ type: 'warning', diagnostic: { level: 'warning', text, ...(hint && { hint }) } });
  try {
    const { deploymentId } = await ctx.clients.apiGateway.send(new GetStageCommand({ restApiId, stageName: stage }));
    if (!deploymentId) throw new Error(`stage ${stage} has no deployment`);
    const deployment = await ctx.clients.apiGateway.send(new GetDeploymentCommand({ restApiId, deploymentId, embed: ['apisummary'] }));
    const matches = (deployment.description ?? '').includes(hash);
    ctx.emit({ type: 'stage-verified', restApiId, stage, deploymentId, matches });
    if (!matches) warn(`API stage ${stage} serves deployment ${deploymentId}, not the one for routes ${hash}`, 'deploy again; if it persists, check the stage in the API Gateway console');
    if (!expected || !deployment.apiSummary) return;
    const served = new Set(snapshotMethods(deployment.apiSummary));
    const wanted = new Set(expected);
    const extra = [...served].filter((method) => !wanted.has(method)).sort();
    const missing = [...wanted].filter((method) => !served.has(method)).sort();
    const hint = 'see the stage\'s deployment history in the API Gateway console; the next deploy that changes routes gives the stage a new deployment';
    if (extra.length > 0) warn(`API stage ${stage} still serves ${extra.length} ${extra.length === 1 ? 'method' : 'methods'} the app no longer has: ${extra.join(', ')}`, hint);
    if (missing.length > 0) warn(`API stage ${stage} does not serve ${missing.length} of the app's methods: ${missing.join(', ')}`, hint);
  } catch (error) {
    warn(`could not confirm the API stage's deployment: ${errorMessage(error)}`);
  }
}

/**
 * Clears the hot-swap record after a full deploy. CloudFormation only updates a function whose
 * S3 key changed, so one hot-swapped back to the template's key still runs the swapped code:
 * those get their template code back here.
 */
export async function reconcileDrift(ctx: DeployContext, bucket: string, manifest: BuildManifest): Promise<string[]> {
  const state = await readState(ctx, bucket);
  const keys = Object.keys(state.hotSwapped);
  if (keys.length === 0) return [];
  for (const key of keys) {
    const fn = manifest.functions.find((candidate) => candidate.key === key);
    if (!fn) continue;
    const live = await deployedCodeSha(ctx, fn.functionName);
    if (live !== undefined && live !== fn.artifact.sha256) await updateFunctionCode(ctx, fn.functionName, bucket, fn.artifact.key);
  }
  await writeState(ctx, bucket, emptyState());
  ctx.emit({ type: 'drift-reconciled', functions: keys });
  return keys;
}
