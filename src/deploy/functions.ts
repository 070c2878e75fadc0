// Lambda calls shared by the code-only path, drift reconciliation, invoke and logs.
import { GetFunctionConfigurationCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { appCheckEnv, inspectApp, planFunctions } from '../build/index.js';
import type { BuiltFunction } from '../build/types.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { errorName, isNotFound } from './errors.js';
import { pollUntil } from './poll.js';
import { base64ToHex } from './state.js';

/** What functions of the app are called; just enough of a built function to find and name it. */
export type FunctionRef = Pick<BuiltFunction, 'key' | 'functionName' | 'source' | 'kind'> & Partial<Pick<BuiltFunction, 'controller' | 'job' | 'function'>>;

/** sha256 (hex) of the code the function runs, or undefined when there is no such function. */
export async function deployedCodeSha(ctx: DeployContext, functionName: string): Promise<string | undefined> {
  try {
    const config = await ctx.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return config.CodeSha256 ? base64ToHex(config.CodeSha256) : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** How long to wait for an update someone else started (another code-only deploy, the console). */
const BUSY_TIMEOUT_MS = 10 * 60 * 1000;
/** UpdateFunctionCode calls refused because another update slipped in between the wait and the call. */
const MAX_CONFLICTS = 3;

/** Lambda refuses a change while another is in progress (ResourceConflictException): wait it out first. */
async function waitUntilIdle(ctx: DeployContext, functionName: string): Promise<void> {
  await pollUntil(ctx, { delayMs: ctx.delays.function, what: `function ${functionName} to finish the update another deploy started`, timeoutMs: BUSY_TIMEOUT_MS }, async () => {
    const config = await ctx.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return config.LastUpdateStatus === 'InProgress' || config.State === 'Pending' ? undefined : true;
  });
}

/** Points the function at a zip in the bucket and waits until Lambda has switched to it. */
export async function updateFunctionCode(ctx: DeployContext, functionName: string, bucket: string, key: string): Promise<void> {
  for (let conflicts = 0; ; conflicts++) {
    await waitUntilIdle(ctx, functionName);
    try {
      await ctx.clients.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, S3Bucket: bucket, S3Key: key }));
      break;
    } catch (error) {
      if (errorName(error) !== 'ResourceConflictException') throw error;
      if (conflicts + 1 >= MAX_CONFLICTS) {
        throw new SlsError({ text: `${functionName} is being updated by someone else: Lambda refused ${MAX_CONFLICTS} times (ResourceConflictException)`, hint: 'another deploy of this stage (or the console) keeps changing it; run again when it has finished' }, { cause: error });
      }
    }
  }
  await pollUntil(ctx, { delayMs: ctx.delays.function, what: `function ${functionName} to update`, timeoutMs: 15 * 60 * 1000 }, async () => {
    const config = await ctx.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    if (config.LastUpdateStatus === 'Failed') {
      throw new SlsError({ text: `updating ${functionName} failed: ${config.LastUpdateStatusReason ?? 'no reason given'}`, hint: 'see the function in the Lambda console; a full `sls-ts deploy` puts the template\'s code back' });
    }
    return config.LastUpdateStatus === 'InProgress' ? undefined : true;
  });
}

/** The function a user means: its key, its AWS name, or a short name (`posts` for posts-controller, `cleanup` for cleanup-job). */
export function findFunction<T extends FunctionRef>(functions: readonly T[], name: string, app: string): T {
  const found =
    functions.find((fn) => fn.key === name || fn.functionName === name) ??
    functions.find((fn) => fn.key === `${name}-controller` || fn.key === `${name}-job` || fn.controller === name || fn.job === name || fn.function === name);
  if (!found) {
    throw new SlsError({ text: `no function "${name}" in ${app}`, hint: `choose one of: ${functions.map((fn) => fn.key).join(', ') || '(none)'}` });
  }
  return found;
}

/** The app's functions and their AWS names, worked out from the sources without bundling anything. */
export async function listFunctions(ctx: DeployContext): Promise<FunctionRef[]> {
  const { app, diagnostics } = await inspectApp(ctx.config.root, { env: appCheckEnv(ctx.config) });
  if (!app) throw new SlsError(diagnostics.filter((d) => (d.level ?? 'error') === 'error'));
  return planFunctions(ctx.config, app).map(({ key, functionName, source, kind, controller, job, function: fn }) => ({
    key, functionName, source, kind,
    ...(controller !== undefined && { controller }),
    ...(job !== undefined && { job }),
    ...(fn !== undefined && { function: fn }),
  }));
}
