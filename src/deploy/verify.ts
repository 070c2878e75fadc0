// After a deploy: confirm the API stage serves the routes just deployed, and put any hot-swapped
// code (from the code-only path) back in line with the template.
import { GetDeploymentCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import type { BuildManifest } from '../build/types.js';
import type { DeployContext } from './context.js';
import { errorMessage } from './errors.js';
import { deployedCodeSha, updateFunctionCode } from './functions.js';
import { OUTPUTS } from './stack.js';
import { emptyState, readState, writeState } from './state.js';

/**
 * The stage's deployment must be the one whose description carries the RouteHash output: if not,
 * the routes in the template are not what the stage serves. A mismatch is a warning, not a
 * failure: the stack itself deployed fine.
 */
export async function verifyStage(ctx: DeployContext, outputs: Record<string, string>): Promise<void> {
  const restApiId = outputs[OUTPUTS.restApiId];
  const stage = outputs[OUTPUTS.stageName];
  const hash = outputs[OUTPUTS.routeHash];
  if (!restApiId || !stage || !hash) return;
  try {
    const { deploymentId } = await ctx.clients.apiGateway.send(new GetStageCommand({ restApiId, stageName: stage }));
    if (!deploymentId) throw new Error(`stage ${stage} has no deployment`);
    const deployment = await ctx.clients.apiGateway.send(new GetDeploymentCommand({ restApiId, deploymentId }));
    const matches = (deployment.description ?? '').includes(hash);
    ctx.emit({ type: 'stage-verified', restApiId, stage, deploymentId, matches });
    if (!matches) {
      ctx.emit({
        type: 'warning',
        diagnostic: { level: 'warning', text: `API stage ${stage} serves deployment ${deploymentId}, not the one for routes ${hash}`, hint: 'deploy again; if it persists, check the stage in the API Gateway console' },
      });
    }
  } catch (error) {
    ctx.emit({ type: 'warning', diagnostic: { level: 'warning', text: `could not confirm the API stage's deployment: ${errorMessage(error)}` } });
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
