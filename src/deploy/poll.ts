// One polling loop for stacks, change sets and functions: an explicit delay (injectable, so tests
// run instantly), a deadline, and patience with throttling that outlasts the SDK's own retries.
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { isThrottling } from './errors.js';

export interface PollOptions {
  delayMs: number;
  /** What is being waited for, for the timeout message: `stack example-app-dev`. */
  what: string;
  timeoutMs?: number;
  /** Throttled calls never end the wait (only the deadline does): for following an operation that goes on regardless. */
  patient?: boolean;
}

/** Long enough for the slowest CloudFormation resources (CloudFront, RDS) in a nested stack. */
export const DEFAULT_TIMEOUT_MS = 2 * 60 * 60 * 1000;
const MAX_THROTTLED_POLLS = 20;

/**
 * Calls `check` until it returns a value (not undefined), sleeping `delayMs` between calls. A
 * throttled call is just another round; any other error ends the wait.
 */
export async function pollUntil<T>(ctx: DeployContext, options: PollOptions, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let throttled = 0;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined) return result;
      throttled = 0;
    } catch (error) {
      if (!isThrottling(error) || (++throttled > MAX_THROTTLED_POLLS && !options.patient)) throw error;
    }
    if (Date.now() > deadline) {
      throw new SlsError({ text: `timed out waiting for ${options.what}`, hint: 'see the AWS console for what it is doing; run the command again to keep waiting' });
    }
    await ctx.sleep(throttled > 0 ? Math.max(options.delayMs, 1) * 2 ** Math.min(throttled, 5) : options.delayMs);
  }
}

/** Runs `task` over `items` with at most `limit` running at once; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
