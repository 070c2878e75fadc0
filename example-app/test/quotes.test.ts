// GET /quotes/today calls a flaky downstream (app/lib/quotes-feed.ts) through guard(). The guard
// lives at module scope, as in Lambda, so these tests share it in order: a cold failure, success,
// a retry that recovers, fallbacks (error, timeout), the breaker opening, and closing after openMs.
// A fake clock drives timeouts, backoff and the breaker's openMs: nothing here waits for real.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loadApp, request, type TestResponse } from 'sls-ts/testing';
import { feedCalls, resetFeed, simulateFeed } from '../app/lib/quotes-feed';

const app = request(loadApp(new URL('..', import.meta.url), { stage: 'dev' }));
const TODAY = '2026-12-07';

let log: MockInstance<typeof console.log>;
beforeAll(() => {
  vi.useFakeTimers({ now: new Date(`${TODAY}T09:00:00Z`), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  // Backoff waits random() × the cap: 0.5 makes them 25 ms then 50 ms, visible in the retry events.
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});
beforeEach(() => {
  resetFeed();
  log.mockClear();
});
afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/**
 * Sends the request and, while it is pending, moves the fake clock to each timer it sets (attempt
 * timeouts, backoff waits) — never further, so the breaker's clock only moves by what the guard waited.
 */
async function getQuote(): Promise<TestResponse> {
  let answered = false;
  const pending = Promise.resolve(app.get('/quotes/today')).finally(() => (answered = true));
  while (!answered) {
    // The first request imports the controller: real I/O, which fake timers do not drive.
    await new Promise((resolve) => setImmediate(resolve));
    if (vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
  }
  return pending;
}

/** The guard's events as the controller logged them, one JSON line each. */
function guardEvents(): Record<string, unknown>[] {
  return log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>).filter((entry) => entry.guard === 'quotes-feed');
}

describe('GET /quotes/today, guarded', () => {
  it('answers the house quote, stale, when the feed fails before it ever answered (a cold instance)', async () => {
    simulateFeed({ fail: 3 });
    const res = await getQuote();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stale: true, reason: 'error', day: null, quote: { text: expect.stringMatching(/^Be conservative/), author: 'Jon Postel' } });
    expect(feedCalls()).toBe(3);
  });

  it('answers the feed\'s quote, cacheable, when the feed is up', async () => {
    const res = await getQuote();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ day: TODAY, quote: { text: expect.any(String), author: expect.any(String) }, stale: false });
    expect(res.headers['cache-control']).toBe('max-age=60');
    expect(feedCalls()).toBe(1);
    expect(guardEvents()).toEqual([]);
  });

  it('retries a failing feed with backoff and answers fresh when a later attempt succeeds', async () => {
    const fresh = (await getQuote()).body;
    resetFeed();
    simulateFeed({ fail: 2 });
    const res = await getQuote();
    expect(res.body).toEqual(fresh);
    expect(feedCalls()).toBe(3);
    expect(guardEvents()).toEqual([
      { guard: 'quotes-feed', event: 'retry', attempt: 1, delayMs: 25 },
      { guard: 'quotes-feed', event: 'retry', attempt: 2, delayMs: 50 },
    ]);
  });

  it('retries a hanging feed after its 1 s timeout', async () => {
    simulateFeed({ hang: 1 });
    const res = await getQuote();
    expect(res.body.stale).toBe(false);
    expect(guardEvents().map((e) => e.event)).toEqual(['timeout', 'retry']);
  });

  it('answers the last good quote, marked stale and not cached, when every attempt fails', async () => {
    const fresh = (await getQuote()).body;
    simulateFeed({ fail: 3 });
    const res = await getQuote();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...fresh, stale: true, reason: 'error' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(feedCalls()).toBe(1 + 3);
    expect(guardEvents().at(-1)).toEqual({ guard: 'quotes-feed', event: 'fallback', reason: 'error' });
  });

  it('says `timeout` when every attempt hangs past its timeout', async () => {
    simulateFeed({ hang: 3 });
    const res = await getQuote();
    expect(res.body).toMatchObject({ stale: true, reason: 'timeout' });
    expect(guardEvents().filter((e) => e.event === 'timeout')).toHaveLength(3);
  });

  it('opens the breaker after four failed requests in a row: then answers stale at once, without calling the feed', async () => {
    // The previous two requests failed; two more fill the breaker's window of four with failures.
    simulateFeed({ fail: 6 });
    await getQuote();
    await getQuote();
    expect(guardEvents()).toContainEqual({ guard: 'quotes-feed', event: 'open', failureRate: 1, calls: 4 });
    expect(feedCalls()).toBe(6);

    const rejected = await getQuote();
    expect(rejected.body).toMatchObject({ stale: true, reason: 'open' });
    expect(feedCalls()).toBe(6);
    expect(guardEvents().slice(-2)).toEqual([
      { guard: 'quotes-feed', event: 'rejected', reason: 'open' },
      { guard: 'quotes-feed', event: 'fallback', reason: 'open' },
    ]);
  });

  it('lets one trial call through after 30 s and closes when the feed answers', async () => {
    vi.advanceTimersByTime(29_999);
    expect((await getQuote()).body.reason).toBe('open');
    vi.advanceTimersByTime(1);
    const res = await getQuote();
    expect(res.body.stale).toBe(false);
    expect(feedCalls()).toBe(1);
    expect(guardEvents().map((e) => e.event)).toEqual(['rejected', 'fallback', 'half-open', 'close']);
  });
});
