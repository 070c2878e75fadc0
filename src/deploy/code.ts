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
import type { CodeDeployResult, DeployState, HotSwap } from './types.js';
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

    const bucket = await requireBucket(ctx, stack);
    const onlyChanged = { ...built.manifest, functions: changed.map((entry) => entry.fn) };
    await uploadItems(ctx, bucket, artifactItems(onlyChanged, built.outDir));
    const state = await readState(ctx, bucket);
    const save = serialSaver(ctx, bucket, state);
    let failure: { error: unknown } | undefined;
    await mapLimit(changed, 4, async ({ fn, live }) => {
      // After one function failed no other is started; those already running finish and are recorded.
      if (failure) return;
      try {
        await swapCode(ctx, bucket, fn, live, state.hotSwapped, save);
      } catch (error) {
        failure ??= { error };
      }
    });
    if (failure) throw failure.error;

    return {
      stackName: ctx.stackName,
      updated: changed.map((entry) => entry.fn.key),
      unchanged: checked.filter((entry) => !entry.changed).map((entry) => entry.fn.key),
      durationMs: performance.now() - started,
      warnings: built.warnings,
    };
  });
}

/**
 * Records the swap before Lambda gets the code, so that an interrupted or partly failed run still
 * leaves its drift on record (a record of a swap that did not happen only makes the next full
 * deploy put the template's code back); takes it back when Lambda still runs the old code.
 */
async function swapCode(ctx: DeployContext, bucket: string, fn: BuiltFunction, live: string, record: Record<string, HotSwap>, save: () => Promise<void>): Promise<void> {
  const previous = record[fn.key];
  recordSwap(record, fn, live);
  await save();
  try {
    await updateFunctionCode(ctx, fn.functionName, bucket, fn.artifact.key);
  } catch (error) {
    const running = await deployedCodeSha(ctx, fn.functionName).catch(() => undefined);
    if (running === live) {
      if (previous) record[fn.key] = previous;
      else delete record[fn.key];
      await save().catch(() => undefined);
    }
    throw error;
  }
  ctx.emit({ type: 'function-updated', key: fn.key, functionName: fn.functionName });
}

/** Writes the state one write at a time, each with the record as it is then: the last write holds every swap. */
function serialSaver(ctx: DeployContext, bucket: string, state: DeployState): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => {
    last = last.catch(() => undefined).then(() => writeState(ctx, bucket, state));
    return last;
  };
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
