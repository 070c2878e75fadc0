import { createLambdaContext, type LambdaContextOptions } from '../runtime/context.js';
import type { LambdaContext } from '../runtime/types.js';

type AnyHandler = (event: any, context: LambdaContext, callback?: (error: unknown, result?: unknown) => void) => unknown;

/**
 * Invokes a Lambda handler (async or callback style) with `event` and a real-shaped context, as
 * Lambda would: the first completion wins and errors reject.
 */
export function invoke<R = unknown>(handler: AnyHandler | { handler: AnyHandler }, event: unknown = {}, options: Partial<LambdaContextOptions> = {}): Promise<R> {
  const fn = typeof handler === 'function' ? handler : handler.handler;
  const context = createLambdaContext({ functionName: 'test-function', ...options });
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result as R);
    };
    try {
      const returned = fn(event, context, finish);
      if (fn.length < 3 || (returned && typeof (returned as Promise<unknown>).then === 'function')) {
        Promise.resolve(returned).then((result) => finish(undefined, result), (error) => finish(error ?? new Error('handler rejected')));
      }
    } catch (error) {
      finish(error);
    }
  });
}
