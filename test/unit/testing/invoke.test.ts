import { describe, expect, it, vi } from 'vitest';
import type { LambdaContext } from '../../../src/runtime/types.js';
import { invoke, scheduledEvent } from '../../../src/testing/index.js';

type Callback = (error: unknown, result?: unknown) => void;

describe('invoke()', () => {
  it('calls an async handler with the event and a Lambda-shaped context', async () => {
    const handler = vi.fn(async (event: { n: number }, context: LambdaContext) => ({ doubled: event.n * 2, name: context.functionName, left: context.getRemainingTimeInMillis() }));
    const result = await invoke<{ doubled: number; name: string; left: number }>(handler, { n: 21 });
    expect(result.doubled).toBe(42);
    expect(result.name).toBe('test-function');
    expect(result.left).toBeGreaterThan(0);
    expect(result.left).toBeLessThanOrEqual(3000);

    const context = handler.mock.calls[0]![1];
    expect(context.memoryLimitInMB).toBe('1024');
    expect(context.logGroupName).toBe('/aws/lambda/test-function');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes context options through', async () => {
    const context = await invoke<LambdaContext>(async (_event: unknown, ctx: LambdaContext) => ctx, {}, { functionName: 'blog-dev-hello', timeoutSeconds: 30, memoryMB: 256 });
    expect(context.functionName).toBe('blog-dev-hello');
    expect(context.memoryLimitInMB).toBe('256');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(3000);
  });

  it('accepts a module with a handler export, and defaults the event to {}', async () => {
    const module = { handler: async (event: unknown) => event };
    expect(await invoke(module)).toEqual({});
    const event = scheduledEvent();
    expect(await invoke(module, event)).toBe(event);
  });

  it('resolves a plain synchronous handler with what it returns', async () => {
    expect(await invoke((event: { a: number }) => event.a + 1, { a: 1 })).toBe(2);
  });

  it('resolves a callback-style handler with its callback result', async () => {
    const handler = (event: { v: string }, _context: LambdaContext, callback?: Callback) => {
      setTimeout(() => callback!(null, `got ${event.v}`), 2);
    };
    expect(await invoke(handler, { v: 'x' })).toBe('got x');
  });

  it('the first completion wins', async () => {
    const twice = (_event: unknown, _context: LambdaContext, callback?: Callback) => {
      callback!(null, 'first');
      callback!(null, 'second');
      callback!(new Error('too late'));
    };
    expect(await invoke(twice)).toBe('first');

    const callbackBeforePromise = async (_event: unknown, _context: LambdaContext, callback?: Callback) => {
      callback!(null, 'callback');
      return 'promise';
    };
    expect(await invoke(callbackBeforePromise)).toBe('callback');

    const promiseBeforeCallback = (_event: unknown, _context: LambdaContext, callback?: Callback) => {
      setTimeout(() => callback!(null, 'late callback'), 20);
      return Promise.resolve('promise');
    };
    expect(await invoke(promiseBeforeCallback)).toBe('promise');
  });

  it('rejects with the error of a throwing, rejecting or failing-callback handler', async () => {
    const error = new Error('nope');
    await expect(invoke(() => { throw error; })).rejects.toBe(error);
    await expect(invoke(async () => { throw error; })).rejects.toBe(error);
    await expect(invoke((_event: unknown, _context: LambdaContext, callback?: Callback) => callback!(error))).rejects.toBe(error);
    await expect(invoke((_event: unknown, _context: LambdaContext, callback?: Callback) => callback!('a string error'))).rejects.toBe('a string error');
  });

  it('treats any error value but null/undefined as a failure, as the Node.js runtime does', async () => {
    await expect(invoke((_event: unknown, _context: LambdaContext, callback?: Callback) => callback!(0, 'result'))).rejects.toBe(0);
    await expect(invoke(() => Promise.reject(false))).rejects.toBe(false);
    await expect(invoke(() => Promise.reject(undefined))).rejects.toThrow(/without an error value/);
    expect(await invoke((_event: unknown, _context: LambdaContext, callback?: Callback) => callback!(undefined, 'ok'))).toBe('ok');
  });

  it('honours the deprecated context.succeed / fail / done', async () => {
    const succeed = (_event: unknown, context: LambdaContext, _callback?: Callback) => context.succeed!('via succeed');
    expect(await invoke(succeed)).toBe('via succeed');
    const fail = (_event: unknown, context: LambdaContext, _callback?: Callback) => context.fail!(new Error('via fail'));
    await expect(invoke(fail)).rejects.toThrow('via fail');
    const done = (_event: unknown, context: LambdaContext, _callback?: Callback) => context.done!(null, 'via done');
    expect(await invoke(done)).toBe('via done');
  });
});
