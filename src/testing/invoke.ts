import { createLambdaContext, type LambdaContextOptions } from '../runtime/context.js';
import type { LambdaContext } from '../runtime/types.js';

type AnyHandler = (event: any, context: LambdaContext, callback?: (error: unknown, result?: unknown) => void) => unknown;

/**
 * Invokes a Lambda handler (async or callback style) with `event` and a real-shaped context, as
 * Lambda would: the first completion wins and errors reject.
 */
export function invoke<R = unknown>(handler: AnyHandler | { handler: AnyHandler }, event: unknown = {}, options: Partial<LambdaContextOptions> = {}): Promise<R> {
  const fn = typeof handler === 'function' ? handler : handler.handler;
  return runHandler(fn, event, createLambdaContext({ functionName: 'test-function', ...options })) as Promise<R>;
}

/** Runs `fn` once with `context`; the callback, the returned promise and context.succeed/fail/done race, first wins. */
export function runHandler(fn: AnyHandler, event: unknown, context: LambdaContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const succeed = (result?: unknown) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error ?? new Error('handler failed without an error value'));
    };
    // As the Node.js runtime: any error value but null/undefined fails the invocation (item 81).
    const callback = (error: unknown, result?: unknown) => (error === null || error === undefined ? succeed(result) : fail(error));
    // The deprecated context methods still complete an invocation (item 81).
    const live: LambdaContext = { ...context, succeed, fail, done: callback };
    try {
      const returned = fn(event, live, callback);
      if (fn.length < 3 || (returned && typeof (returned as Promise<unknown>).then === 'function')) {
        Promise.resolve(returned).then(succeed, fail);
      }
    } catch (error) {
      fail(error);
    }
  });
}
