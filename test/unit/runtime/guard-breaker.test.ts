// guard()'s circuit breaker: closed → open → half-open → closed, and half-open → open on a failed
// trial, with fake timers driving openMs (Date.now is faked with them).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, guard, type BreakerOptions, type GuardEvent } from 'sls-ts';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A guard around a switchable downstream: `down.failing = true` makes every call throw. */
function flakyGuard(breaker: BreakerOptions, extra: { fallback?: () => string } = {}) {
  const down = { failing: false, calls: 0 };
  const events: GuardEvent[] = [];
  const g = guard(
    async () => {
      down.calls++;
      if (down.failing) throw new Error('503 from downstream');
      return 'ok';
    },
    { name: 'inventory', breaker, onEvent: (e) => events.push(e), ...extra },
  );
  const outcome = () => g().then(() => 'ok', (e: unknown) => (e instanceof BreakerOpenError ? 'rejected' : 'failed'));
  return { g, down, events, outcome };
}

describe('circuit breaker', () => {
  it('opens when the failure rate over the window reaches the threshold, not before minimumCalls', async () => {
    const { g, down, events, outcome } = flakyGuard({ failureRate: 0.5, minimumCalls: 4, openMs: 1000 });
    expect(await outcome()).toBe('ok');
    down.failing = true;
    expect(await outcome()).toBe('failed');
    expect(await outcome()).toBe('failed');
    expect(g.state().breaker).toBe('closed'); // 2 failures of 3 calls: under minimumCalls
    expect(await outcome()).toBe('failed');
    expect(g.state().breaker).toBe('open');
    expect(events).toEqual([{ type: 'open', guard: 'inventory', failureRate: 0.75, calls: 4 }]);

    const callsBefore = down.calls;
    const error = await g().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BreakerOpenError);
    expect((error as Error).message).toBe('guard "inventory": circuit breaker is open for another 1000 ms — rejected without calling');
    expect((error as BreakerOpenError).retryAfterMs).toBe(1000);
    expect(down.calls).toBe(callsBefore);
    expect(events.at(-1)).toEqual({ type: 'rejected', guard: 'inventory', reason: 'open', error });
  });

  it('takes the rate over the latest windowSize calls only', async () => {
    const { g, down, outcome } = flakyGuard({ failureRate: 0.5, minimumCalls: 2, windowSize: 4 });
    down.failing = true;
    expect(await outcome()).toBe('failed');
    down.failing = false;
    for (let i = 0; i < 4; i++) expect(await outcome()).toBe('ok'); // the failure slides out
    down.failing = true;
    expect(await outcome()).toBe('failed'); // 1 of the last 4
    expect(g.state().breaker).toBe('closed');
    expect(await outcome()).toBe('failed'); // 2 of the last 4: 0.5
    expect(g.state().breaker).toBe('open');
  });

  it('goes open → half-open after openMs → closed when the trial calls succeed', async () => {
    const { g, down, events, outcome } = flakyGuard({ failureRate: 1, minimumCalls: 2, openMs: 5000, halfOpenCalls: 2 });
    down.failing = true;
    await outcome();
    await outcome();
    expect(g.state().breaker).toBe('open');
    vi.advanceTimersByTime(4999);
    expect(await outcome()).toBe('rejected');
    vi.advanceTimersByTime(1);
    down.failing = false;
    expect(await outcome()).toBe('ok');
    expect(g.state().breaker).toBe('half-open');
    expect(await outcome()).toBe('ok');
    expect(g.state().breaker).toBe('closed');
    expect(events.map((e) => e.type)).toEqual(['open', 'rejected', 'half-open', 'close']);

    // Closing starts a fresh window: one new failure does not reopen it.
    down.failing = true;
    expect(await outcome()).toBe('failed');
    expect(g.state().breaker).toBe('closed');
  });

  it('goes half-open → open again when a trial call fails', async () => {
    const { g, down, events, outcome } = flakyGuard({ failureRate: 1, minimumCalls: 1, openMs: 1000, halfOpenCalls: 1 });
    down.failing = true;
    expect(await outcome()).toBe('failed');
    vi.advanceTimersByTime(1000);
    expect(await outcome()).toBe('failed'); // the trial call
    expect(g.state().breaker).toBe('open');
    expect(events.map((e) => e.type)).toEqual(['open', 'half-open', 'open']);
    // openMs counts again from the failed trial.
    vi.advanceTimersByTime(999);
    expect(await outcome()).toBe('rejected');
  });

  it('rejects calls beyond halfOpenCalls while the trials are in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const g = guard(
      async () => {
        if (++calls > 1) await gate;
        throw new Error('still down');
      },
      { breaker: { failureRate: 1, minimumCalls: 1, openMs: 1000, halfOpenCalls: 1 } },
    );
    await g().catch(() => {});
    vi.advanceTimersByTime(1000);
    const trial = g().catch((e: unknown) => e);
    const extra = await g().catch((e: unknown) => e);
    expect(extra).toBeInstanceOf(BreakerOpenError);
    expect((extra as Error).message).toBe('guard: circuit breaker is half-open and its trial calls are taken — rejected without calling');
    expect(calls).toBe(2);
    release();
    expect(((await trial) as Error).message).toBe('still down');
    expect(g.state().breaker).toBe('open');
  });

  it('ignores the late outcome of a call admitted before the breaker opened', async () => {
    let release!: (v: string) => void;
    let calls = 0;
    const g = guard(
      (): Promise<string> => {
        calls++;
        if (calls === 1) return new Promise((resolve) => (release = resolve));
        return Promise.reject(new Error('down'));
      },
      { breaker: { failureRate: 1, minimumCalls: 1, openMs: 1000 } },
    );
    const early = g();
    await g().catch(() => {});
    expect(g.state().breaker).toBe('open');
    vi.advanceTimersByTime(1000);
    await g().catch(() => {}); // half-open trial fails → open again
    release('late success');
    await expect(early).resolves.toBe('late success');
    expect(g.state().breaker).toBe('open');
  });

  it('falls back while open', async () => {
    const { down, outcome, g } = flakyGuard({ failureRate: 1, minimumCalls: 1 }, { fallback: () => 'stale' });
    down.failing = true;
    await expect(g()).resolves.toBe('stale');
    expect(g.state().breaker).toBe('open');
    const before = down.calls;
    await expect(g()).resolves.toBe('stale');
    expect(down.calls).toBe(before);
    expect(await outcome()).toBe('ok'); // the fallback answered
  });
});

describe('breaker.on: which errors count as failures', () => {
  /** A downstream answering with an HTTP status: `status` ≥ 400 throws an error carrying it. */
  function httpGuard(on: ((error: unknown) => boolean) | undefined, breaker: BreakerOptions = { failureRate: 0.5, minimumCalls: 4, openMs: 1000 }) {
    const down = { status: 200, calls: 0 };
    const g = guard(
      async () => {
        down.calls++;
        if (down.status >= 400) throw Object.assign(new Error(`HTTP ${down.status}`), { status: down.status });
        return 'ok';
      },
      { breaker: { ...breaker, ...(on && { on }) } },
    );
    return { g, down, outcome: () => g().then(() => 'ok', (e: unknown) => (e instanceof BreakerOpenError ? 'rejected' : (e as Error).message)) };
  }
  const serverErrors = (error: unknown) => ((error as { status?: number }).status ?? 500) >= 500;

  it('does not open on errors it refuses (4xx: the dependency answered), which still reach the caller', async () => {
    const { g, down, outcome } = httpGuard(serverErrors);
    down.status = 404;
    for (let i = 0; i < 5; i++) expect(await outcome()).toBe('HTTP 404');
    expect(g.state().breaker).toBe('closed');
    down.status = 503;
    expect(await outcome()).toBe('HTTP 503');
    expect(g.state().breaker).toBe('closed'); // the 404s counted as successes: 1 failure of the last 4
    expect(await outcome()).toBe('HTTP 503');
    expect(g.state().breaker).toBe('open'); // 2 of the last 4
    expect(await outcome()).toBe('rejected');
  });

  it('opens on the same 4xx without it (every error counts by default)', async () => {
    const { g, down, outcome } = httpGuard(undefined);
    down.status = 404;
    for (let i = 0; i < 3; i++) await outcome();
    expect(g.state().breaker).toBe('closed');
    await outcome();
    expect(g.state().breaker).toBe('open');
  });

  it('closes a half-open breaker on a refused error: the trial reached a dependency that answers', async () => {
    const { g, down, outcome } = httpGuard(serverErrors, { failureRate: 1, minimumCalls: 1, openMs: 1000 });
    down.status = 500;
    await outcome();
    expect(g.state().breaker).toBe('open');
    vi.advanceTimersByTime(1000);
    down.status = 422;
    expect(await outcome()).toBe('HTTP 422');
    expect(g.state().breaker).toBe('closed');
  });

  it('counts a failure when `on` itself throws, and sees guard timeouts too', async () => {
    const seen: unknown[] = [];
    const { g, down, outcome } = httpGuard((error) => {
      seen.push(error);
      throw new Error('predicate broke');
    }, { failureRate: 1, minimumCalls: 1 });
    down.status = 400;
    expect(await outcome()).toBe('HTTP 400');
    expect(g.state().breaker).toBe('open');
    expect(seen).toHaveLength(1);

    const timeouts: string[] = [];
    const slow = guard(() => new Promise(() => {}), { timeoutMs: 100, breaker: { minimumCalls: 1, on: (e) => (timeouts.push((e as Error).name), false) } });
    const result = slow().catch(() => 'timed out');
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toBe('timed out');
    expect(timeouts).toEqual(['GuardTimeoutError']);
    expect(slow.state().breaker).toBe('closed');
  });

  it('rejects an `on` that is not a function when the guard is created', () => {
    expect(() => guard(async () => 1, { name: 'dep', breaker: { on: 404 as never } })).toThrow(/^guard "dep": breaker\.on must be a function, got number — pass e\.g\. \(error\) => !\(error instanceof HttpError\)$/);
  });
});
