// The code-only fast path (`deploy --code-only`, `deploy function <name>`): ship changed zips
// straight to Lambda, skipping CloudFormation, and record the drift this creates so `status`
// shows it and the next full deploy reconciles it.
import { build } from '../build/index.js';
import type { BuiltFunction } from '../build/types.js';
import type { Layout } from '../config/types.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { withAwsErrors } from './errors.js';
import { deployedCodeSha, findFunction, updateFunctionCode } from './functions.js';
import { mapLimit } from './poll.js';
import { STABLE_STATUSES, describeStack, isInProgress, requireBucket, waitForSettled } from './stack.js';
import { readState, writeState } from './state.js';
import type { CodeDeployResult, HotSwap } from './types.js';
import { artifactItems, uploadItems } from './upload.js';

export interface CodeDeployOptions {
  /** Only these functions (keys or short names); every function otherwise. */
  functions?: string[];
  /** False (`--no-wait`): stop instead of waiting for a running stack operation. */
  wait?: boolean;
  layout?: Layout;
}

const FULL_DEPLOY_HINT = 'run a full `sls-ts deploy`: the code-only path only updates the code of functions that exist';

export async function deployCode(ctx: DeployContext, options: CodeDeployOptions = {}): Promise<CodeDeployResult> {
  const started = performance.now();
  return withAwsErrors('code-only deploy', async () => {
    let stack = await describeStack(ctx);
    if (stack && isInProgress(stack.StackStatus) && options.wait !== false) stack = await waitForSettled(ctx);
    if (!stack) throw new SlsError({ text: `stack ${ctx.stackName} does not exist yet`, hint: FULL_DEPLOY_HINT });
    if (!STABLE_STATUSES.has(stack.StackStatus ?? '')) {
      throw new SlsError({ text: `stack ${ctx.stackName} is ${stack.StackStatus}`, hint: 'wait for it to settle, or run a full `sls-ts deploy`' });
    }

    ctx.emit({ type: 'build-start' });
    const built = await build({ config: ctx.config, ...(options.layout && { layout: options.layout }) });
    ctx.emit({ type: 'build-done', functions: built.manifest.functions.length, durationMs: built.durationMs, warnings: built.warnings });
    const selected = options.functions?.length
      ? [...new Set(options.functions.map((name) => findFunction(built.manifest.functions, name, ctx.config.name)))]
      : built.manifest.functions;

    const checked = await mapLimit(selected, 4, async (fn) => {
      const live = await deployedCodeSha(ctx, fn.functionName);
      if (live === undefined) throw new SlsError({ text: `${fn.functionName} (${fn.source}) is not deployed yet`, hint: FULL_DEPLOY_HINT });
      const changed = live !== fn.artifact.sha256;
      ctx.emit({ type: 'function-checked', key: fn.key, functionName: fn.functionName, changed });
      return { fn, live, changed };
    });
    const changed = checked.filter((entry) => entry.changed);
    if (changed.length === 0) {
      return { stackName: ctx.stackName, updated: [], unchanged: selected.map((fn) => fn.key), durationMs: performance.now() - started, warnings: built.warnings };
    }

    // Lambda serves a warm function's `live` alias from a published version: new code on $LATEST
    // reaches it only when a full deploy publishes a version and moves the alias.
    const warm = changed.filter((entry) => entry.fn.provisionedConcurrency).map(({ fn }) => ({
      level: 'warning' as const,
      text: `${fn.functionName} (${fn.source}) has provisioned concurrency: its \`live\` alias, which everything the app deploys invokes, keeps its previous code`,
      hint: 'run a full `sls-ts deploy` to publish a version and move the alias to it',
    }));
    const bucket = await requireBucket(ctx, stack);
    const onlyChanged = { ...built.manifest, functions: changed.map((entry) => entry.fn) };
    await uploadItems(ctx, bucket, artifactItems(onlyChanged, built.outDir));
    // Every swap is on record before Lambda gets any code, so an interrupted or partly failed run
    // still leaves its drift (a record of a swap that did not happen only makes the next full
    // deploy put the template's code back); one write before, and one after to take back what
    // never changed.
    const state = await readState(ctx, bucket);
    const previous = new Map(changed.map(({ fn }) => [fn.key, state.hotSwapped[fn.key]] as const));
    for (const { fn, live } of changed) recordSwap(state.hotSwapped, fn, live);
    await writeState(ctx, bucket, state);
    const notSwapped: string[] = [];
    let failure: { error: unknown } | undefined;
    await mapLimit(changed, 4, async ({ fn, live }) => {
      // After one function failed no other is started; those already running finish.
      if (failure) return void notSwapped.push(fn.key);
      try {
        await updateFunctionCode(ctx, fn.functionName, bucket, fn.artifact.key);
        ctx.emit({ type: 'function-updated', key: fn.key, functionName: fn.functionName });
      } catch (error) {
        failure ??= { error };
        const running = await deployedCodeSha(ctx, fn.functionName).catch(() => undefined);
        if (running === live) notSwapped.push(fn.key);
      }
    });
    if (notSwapped.length > 0) {
      for (const key of notSwapped) {
        const before = previous.get(key);
        if (before) state.hotSwapped[key] = before;
        else delete state.hotSwapped[key];
      }
      await writeState(ctx, bucket, state).catch(() => undefined);
    }
    if (failure) throw failure.error;

    return {
      stackName: ctx.stackName,
      updated: changed.map((entry) => entry.fn.key),
      unchanged: checked.filter((entry) => !entry.changed).map((entry) => entry.fn.key),
      durationMs: performance.now() - started,
      warnings: [...built.warnings, ...warm],
    };
  });
}

/**
 * Before the first swap the live code is the template's; a swap back to it ends the drift, so the
 * record keeps the template's hash from that first swap.
 */
function recordSwap(record: Record<string, HotSwap>, fn: BuiltFunction, live: string): void {
  const templateSha256 = record[fn.key]?.templateSha256 ?? live;
  if (fn.artifact.sha256 === templateSha256) {
    delete record[fn.key];
    return;
  }
  record[fn.key] = { functionName: fn.functionName, sha256: fn.artifact.sha256, templateSha256, at: new Date().toISOString() };
}
