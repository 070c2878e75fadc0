// guard(): timeouts, the concurrency cap, retries with backoff and jitter, fallback, events and
// bad options, through the public 'sls-ts' export with fake timers (no real waiting).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, BulkheadFullError, guard, GuardOptionError, GuardTimeoutError, type GuardEvent } from 'sls-ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A promise with its settle functions, standing in for a downstream call. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('guard passes calls through', () => {
  it('keeps the arguments and the answer, and gives fn the call context first', async () => {
    const seen: unknown[] = [];
    const add = guard((call, a: number, b: number) => {
      seen.push(call.attempt);
      return a + b;
    });
    await expect(add(2, 3)).resolves.toBe(5);
    expect(seen).toEqual([1]);
    expect(add.state()).toEqual({ breaker: undefined, inFlight: 0 });
  });

  it('passes fn errors through untouched when nothing else is configured', async () => {
    const boom = new Error('downstream said no');
    const call = guard(async () => {
      throw boom;
    });
    await expect(call()).rejects.toBe(boom);
  });
});

describe('timeoutMs', () => {
  it('rejects with GuardTimeoutError naming the guard, aborts the signal, and emits timeout', async () => {
    const events: GuardEvent[] = [];
    let signal: AbortSignal | undefined;
    const slow = guard(
      (call) => {
        signal = call.signal;
        return new Promise<string>(() => {});
      },
      { name: 'prices', timeoutMs: 800, onEvent: (e) => events.push(e) },
    );
    const result = slow();
    const settled = expect(result).rejects.toThrow(/^guard "prices": attempt 1 timed out after 800 ms/);
    await vi.advanceTimersByTimeAsync(799);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await settled;
    await expect(result).rejects.toBeInstanceOf(GuardTimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(GuardTimeoutError);
    expect(events).toEqual([{ type: 'timeout', guard: 'prices', attempt: 1, timeoutMs: 800 }]);
    expect(slow.state().inFlight).toBe(0);
  });

  it('gives an already-aborted signal to fn that reads it after the timeout', async () => {
    const late = deferred<void>();
    let signal: AbortSignal | undefined;
    const slow = guard(
      async (call) => {
        await late.promise;
        signal = call.signal;
      },
      { timeoutMs: 10 },
    );
    const result = slow().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await result).toBeInstanceOf(GuardTimeoutError);
    late.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(signal?.aborted).toBe(true);
  });

  it('answers a fast call and leaves no timer behind', async () => {
    const fast = guard(async (_call, id: string) => `user ${id}`, { timeoutMs: 1000 });
    await expect(fast('7')).resolves.toBe('user 7');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('maxConcurrent', () => {
  it('rejects calls over the cap without calling fn, and frees the slot when a call settles', async () => {
    const pending = [deferred<number>(), deferred<number>()];
    let calls = 0;
    const events: GuardEvent[] = [];
    const capped = guard(() => pending[calls++]!.promise, { name: 'db', maxConcurrent: 2, onEvent: (e) => events.push(e) });
    const first = capped();
    const second = capped();
    expect(capped.state().inFlight).toBe(2);
    const error = await capped().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkheadFullError);
    expect((error as Error).message).toBe('guard "db": 2 call(s) already in flight (maxConcurrent 2) — rejected without calling');
    expect(calls).toBe(2);
    expect(events).toEqual([{ type: 'rejected', guard: 'db', reason: 'bulkhead', error }]);
    pending[0]!.resolve(1);
    await expect(first).resolves.toBe(1);
    expect(capped.state().inFlight).toBe(1);
    pending.push(deferred<number>());
    const third = capped();
    expect(calls).toBe(3);
    pending[1]!.resolve(2);
    pending[2]!.resolve(3);
    await expect(Promise.all([second, third])).resolves.toEqual([2, 3]);
  });
});

describe('retry', () => {
  it('retries with exponential backoff and full jitter from the injected random source', async () => {
    const events: GuardEvent[] = [];
    const randoms = [0.5, 0.25, 0.999];
    let attempts = 0;
    const flaky = guard(
      async (call) => {
        attempts++;
        if (call.attempt < 4) throw new Error(`fail ${call.attempt}`);
        return 'ok';
      },
      { name: 'flaky', retry: { attempts: 4, backoff: { baseMs: 100, maxMs: 300 } }, random: () => randoms.shift()!, onEvent: (e) => events.push(e) },
    );
    const result = flaky();
    // Waits: 0.5 × min(300, 100) = 50, 0.25 × min(300, 200) = 50, 0.999 × min(300, 400) = 299.
    await vi.advanceTimersByTimeAsync(49);
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(50);
    expect(attempts).toBe(3);
    await vi.advanceTimersByTimeAsync(298);
    expect(attempts).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
    expect(events.map((e) => (e.type === 'retry' ? [e.attempt, e.delayMs, (e.error as Error).message] : e.type))).toEqual([
      [1, 50, 'fail 1'],
      [2, 50, 'fail 2'],
      [3, 299, 'fail 3'],
    ]);
  });

  it('gives up after the last attempt with the last error, and skips errors `on` refuses', async () => {
    let attempts = 0;
    const always = guard(
      async () => {
        attempts++;
        throw new Error(`fail ${attempts}`);
      },
      { retry: { attempts: 3, backoff: { baseMs: 10 } }, random: () => 0 },
    );
    const result = always().catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(((await result) as Error).message).toBe('fail 3');
    expect(attempts).toBe(3);

    let picky = 0;
    const notFound = Object.assign(new Error('404'), { status: 404 });
    const selective = guard(
      async () => {
        picky++;
        throw notFound;
      },
      { retry: { attempts: 5, on: (e) => (e as { status?: number }).status !== 404 } },
    );
    await expect(selective()).rejects.toBe(notFound);
    expect(picky).toBe(1);
  });

  it('times out each attempt on its own and retries a timeout', async () => {
    const events: string[] = [];
    const slowThenFast = guard((call) => (call.attempt === 1 ? new Promise<string>(() => {}) : Promise.resolve('second')), {
      timeoutMs: 100,
      retry: { attempts: 2, backoff: { baseMs: 20 } },
      random: () => 0.5,
      onEvent: (e) => events.push(e.type),
    });
    const result = slowThenFast();
    await vi.advanceTimersByTimeAsync(110);
    await expect(result).resolves.toBe('second');
    expect(events).toEqual(['timeout', 'retry']);
  });
});

describe('fallback', () => {
  it('answers instead of the error, with the reason, attempts and arguments', async () => {
    const events: GuardEvent[] = [];
    const boom = new Error('down');
    const fallback = vi.fn((_error: unknown, info: { reason: string; attempts: number; args: [string] }) => `cached ${info.args[0]}`);
    const prices = guard(
      async (_call, sku: string): Promise<string> => {
        throw boom;
      },
      { name: 'prices', retry: { attempts: 2, backoff: { baseMs: 0 } }, fallback, onEvent: (e) => events.push(e) },
    );
    const result = prices('abc');
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('cached abc');
    expect(fallback).toHaveBeenCalledWith(boom, { guard: 'prices', reason: 'error', attempts: 2, args: ['abc'] });
    expect(events.at(-1)).toEqual({ type: 'fallback', guard: 'prices', reason: 'error', error: boom });
  });

  it('covers timeouts and rejections too, and lets its own error through', async () => {
    const reasons: string[] = [];
    const hung = deferred<string>();
    const slow = guard(() => hung.promise, {
      timeoutMs: 50,
      maxConcurrent: 1,
      fallback: (_e, info) => {
        reasons.push(info.reason);
        return 'fallback';
      },
    });
    const first = slow();
    await expect(slow()).resolves.toBe('fallback');
    await vi.advanceTimersByTimeAsync(50);
    await expect(first).resolves.toBe('fallback');
    expect(reasons).toEqual(['bulkhead', 'timeout']);

    const broken = guard(
      async () => {
        throw new Error('primary');
      },
      {
        fallback: () => {
          throw new Error('fallback failed too');
        },
      },
    );
    await expect(broken()).rejects.toThrow('fallback failed too');
  });

  it('ignores an onEvent that throws', async () => {
    const noisy = guard(
      async () => {
        throw new Error('x');
      },
      {
        fallback: () => 'safe',
        onEvent: () => {
          throw new Error('logger broke');
        },
      },
    );
    await expect(noisy()).resolves.toBe('safe');
  });
});

describe('bad options', () => {
  const cases: [string, Parameters<typeof guard>[1], RegExp][] = [
    ['timeoutMs', { timeoutMs: -1 }, /^guard "dep": timeoutMs must be a number > 0 and ≤ 2147483647, got -1 — e\.g\. 2000/],
    ['timeoutMs', { timeoutMs: 0 }, /timeoutMs must be a number > 0/],
    ['maxConcurrent', { maxConcurrent: 0 }, /maxConcurrent must be an integer ≥ 1, got 0/],
    ['retry.attempts', { retry: { attempts: 0 } }, /retry\.attempts must be an integer ≥ 1, got 0 — attempts counts the first call/],
    ['retry.backoff.baseMs', { retry: { backoff: { baseMs: -5 } } }, /retry\.backoff\.baseMs must be a number ≥ 0/],
    ['retry.backoff.maxMs', { retry: { backoff: { baseMs: 500, maxMs: 100 } } }, /retry\.backoff\.maxMs must be a number ≥ 500/],
    ['retry.on', { retry: { on: 'yes' as never } }, /retry\.on must be a function, got string/],
    ['fallback', { fallback: 'cached' as never }, /^guard "dep": fallback must be a function, got string — pass e\.g\. \(error\) => cached$/],
    ['onEvent', { onEvent: {} as never }, /onEvent must be a function, got object/],
    ['breaker.failureRate', { breaker: { failureRate: 0 } }, /breaker\.failureRate must be a number > 0 and ≤ 1, got 0 — a fraction in \(0, 1\]/],
    ['breaker.failureRate', { breaker: { failureRate: 1.5 } }, /breaker\.failureRate must be a number > 0 and ≤ 1, got 1\.5/],
    ['breaker.minimumCalls', { breaker: { minimumCalls: 0 } }, /breaker\.minimumCalls must be an integer ≥ 1, got 0/],
    ['breaker.windowSize', { breaker: { minimumCalls: 10, windowSize: 5 } }, /breaker\.windowSize must be an integer ≥ 10, got 5/],
    ['breaker.openMs', { breaker: { openMs: -1 } }, /breaker\.openMs must be a number ≥ 0/],
    ['breaker.halfOpenCalls', { breaker: { halfOpenCalls: 0 } }, /breaker\.halfOpenCalls must be an integer ≥ 1, got 0 — at least one trial call/],
  ];
  it.each(cases)('rejects %s at creation with a one-line message naming it', (option, options, message) => {
    const fn = vi.fn();
    let error: unknown;
    try {
      guard(fn, { name: 'dep', ...options });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GuardOptionError);
    expect((error as GuardOptionError).option).toBe(option);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(fn).not.toHaveBeenCalled();
  });

  it('names an unnamed guard as plain "guard" and rejects a non-function', () => {
    expect(() => guard(() => 1, { timeoutMs: Number.NaN })).toThrow(/^guard: timeoutMs must be a number > 0/);
    expect(() => guard('nope' as never)).toThrow('guard(fn): fn must be a function, got string');
  });
});

// Typing: these lines fail `tsc` (the suite's typecheck), not at run time, if the types drift.
describe('types', () => {
  it('infers the guarded signature from fn after its GuardCall', async () => {
    const g = guard(async (_call, id: string, n?: number) => ({ id, n }));
    const answer: Promise<{ id: string; n: number | undefined }> = g('a');
    // @ts-expect-error a number is not an id
    void g(1).catch(() => {});
    await expect(answer).resolves.toEqual({ id: 'a', n: undefined });
    expect(BreakerOpenError).toBeTypeOf('function');
  });
});
