// guard's `within(invocation, ...args)`: a guarded call never outlives the Lambda invocation it runs
// in. Fake timers (and the Date.now they fake) stand for the invocation's clock; the Lambda context
// is the runtime's own (createLambdaContext) and a controller's this.context through the handler.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Controller, createRouteHandler, guard, GuardTimeoutError, routeTable, type GuardEvent } from 'sls-ts';
import { apiGatewayEvent, createLambdaContext } from '../../../src/testing/index.js';

const START = new Date('2026-12-07T12:00:00Z').getTime();

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The Lambda context of an invocation with `ms` left, as the runtime makes it. */
const invocationWith = (ms: number) => createLambdaContext({ functionName: 'app-dev-prices', timeoutSeconds: 900, startedAt: Date.now() - (900_000 - ms) });

const hang = () => new Promise<string>(() => {});

describe('within(invocation): the attempt timeout is capped by the time left', () => {
  it('cuts an attempt at the deadline less deadlineMarginMs when that comes before timeoutMs, and says so', async () => {
    const events: GuardEvent[] = [];
    let signal: AbortSignal | undefined;
    const prices = guard(
      (call) => {
        signal = call.signal;
        return hang();
      },
      { name: 'prices', timeoutMs: 5000, deadlineMarginMs: 300, onEvent: (e) => events.push(e) },
    );
    const result = prices.within(invocationWith(2000)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1699);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = (await result) as GuardTimeoutError;
    expect(error).toBeInstanceOf(GuardTimeoutError);
    expect(error.message).toMatch(/^guard "prices": attempt 1 timed out after 1700 ms \(the invocation's deadline\) — abandoned/);
    expect({ deadline: error.deadline, timeoutMs: error.timeoutMs, aborted: signal?.aborted }).toEqual({ deadline: true, timeoutMs: 1700, aborted: true });
    expect(events).toEqual([{ type: 'timeout', guard: 'prices', attempt: 1, timeoutMs: 1700, deadline: true }]);
  });

  it('keeps timeoutMs when it ends first, and the same guard called plainly is not bounded', async () => {
    const events: GuardEvent[] = [];
    const prices = guard(hang, { timeoutMs: 500, onEvent: (e) => events.push(e) });
    const bounded = prices.within(invocationWith(10_000)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(500);
    expect(((await bounded) as GuardTimeoutError).deadline).toBe(false);
    expect(events).toEqual([{ type: 'timeout', guard: undefined, attempt: 1, timeoutMs: 500 }]);

    const unbounded = guard(hang);
    let settled = false;
    void unbounded().finally(() => (settled = true));
    expect(vi.getTimerCount()).toBe(0);
    const capped = guard(hang).within({ deadline: START + 500 + 10_000 });
    const outcome = capped.catch((e: unknown) => e);
    expect(vi.getTimerCount()).toBe(1); // no timeoutMs: the deadline alone sets the attempt's timer
    await vi.advanceTimersByTimeAsync(10_000); // 250 ms default margin; 500 ms went by above
    expect(await outcome).toBeInstanceOf(GuardTimeoutError);
    expect(settled).toBe(false);
  });

  it('reads a controller\'s this.context through the real route handler', async () => {
    const slow = guard((): Promise<{ stale: boolean; why?: string }> => new Promise(() => {}), { name: 'slow', deadlineMarginMs: 100, fallback: (error) => ({ stale: true, why: (error as Error).message }) });
    class PricesController extends Controller {
      async show() {
        return this.json(await slow.within(this.context));
      }
    }
    const handler = createRouteHandler({ routes: routeTable([{ method: 'GET', path: '/prices', resource: '/prices', target: { controller: 'prices', action: 'show' } }]), controllers: { prices: PricesController } });
    const response = handler(apiGatewayEvent({ method: 'GET', path: '/prices', resource: '/prices' }), invocationWith(1000));
    await vi.advanceTimersByTimeAsync(900);
    const answer = await response;
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body ?? '')).toEqual({ stale: true, why: expect.stringContaining('timed out after 900 ms') });
  });
});

describe('within(invocation): no retry ends past the deadline', () => {
  it('skips a retry whose backoff would end past the deadline and fails fast with the last error', async () => {
    const events: string[] = [];
    let attempts = 0;
    const flaky = guard(
      async () => {
        attempts++;
        await new Promise((resolve) => setTimeout(resolve, 400));
        throw new Error(`503 on attempt ${attempts}`);
      },
      { retry: { attempts: 5, backoff: { baseMs: 300, maxMs: 300 } }, random: () => 0.999, deadlineMarginMs: 200, onEvent: (e) => events.push(e.type) },
    );
    // 2000 ms, less 200: attempt 1 ends at 400, waits 299 (699), attempt 2 ends at 1099, waits 299
    // (1398), attempt 3 ends at 1798: a wait to 2097 would pass 1800, so it stops there.
    const result = flaky.within(invocationWith(2000)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1798);
    expect(((await result) as Error).message).toBe('503 on attempt 3');
    expect(attempts).toBe(3);
    expect(events).toEqual(['retry', 'retry']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers with the fallback, reason and attempts as they were, instead of waiting', async () => {
    const fallback = vi.fn(() => 'cached');
    const down = guard(
      async (_call, _sku: string): Promise<string> => {
        throw new Error('down');
      },
      { name: 'prices', retry: { attempts: 3, backoff: { baseMs: 1000 } }, random: () => 0.5, fallback },
    );
    const answer = down.within({ deadline: START + 600 }, 'sku-1');
    await expect(answer).resolves.toBe('cached'); // no timer advanced: it did not wait 500 ms past 350
    expect(fallback).toHaveBeenCalledWith(expect.objectContaining({ message: 'down' }), { guard: 'prices', reason: 'error', attempts: 1, args: ['sku-1'] });
  });

  it('retries as usual while there is time', async () => {
    let attempts = 0;
    const flaky = guard(
      async () => {
        if (++attempts < 3) throw new Error('once more');
        return 'ok';
      },
      { retry: { attempts: 3, backoff: { baseMs: 100 } }, random: () => 1 - Number.EPSILON },
    );
    const result = flaky.within(invocationWith(3000));
    await vi.advanceTimersByTimeAsync(300);
    await expect(result).resolves.toBe('ok');
  });
});

describe('within(invocation): out of time before it starts', () => {
  it('does not call fn, records nothing in the breaker, and answers with the fallback as a timeout', async () => {
    const fn = vi.fn(async () => 'fresh');
    const events: GuardEvent[] = [];
    const reasons: unknown[] = [];
    const prices = guard(fn, {
      name: 'prices',
      breaker: { minimumCalls: 1 },
      onEvent: (e) => events.push(e),
      fallback: (error, info) => {
        reasons.push([info.reason, info.attempts, (error as Error).message]);
        return 'cached';
      },
    });
    await expect(prices.within(invocationWith(250))).resolves.toBe('cached');
    expect(fn).not.toHaveBeenCalled();
    expect(reasons).toEqual([['timeout', 0, "guard \"prices\": no time left before the invocation's deadline — not called"]]);
    expect(events[0]).toEqual({ type: 'timeout', guard: 'prices', attempt: 0, timeoutMs: 0, deadline: true });
    expect(prices.state()).toEqual({ breaker: 'closed', inFlight: 0 });
  });

  it('rejects what is neither a Lambda context nor { deadline }, naming the guard', async () => {
    const g = guard(async () => 1, { name: 'prices' });
    await expect(g.within(undefined as never)).rejects.toThrow('guard "prices": within() needs the Lambda context or { deadline } (ms since the epoch), got undefined');
    await expect(g.within({ deadline: 'soon' } as never)).rejects.toThrow(/got object$/);
    await expect(g.within({ getRemainingTimeInMillis: () => Number.NaN })).rejects.toThrow(/got getRemainingTimeInMillis\(\) = NaN$/);
    expect(() => guard(async () => 1, { deadlineMarginMs: -1 })).toThrow(/^guard: deadlineMarginMs must be a number ≥ 0 and ≤ 2147483647, got -1 — e\.g\. 250/);
  });
});
