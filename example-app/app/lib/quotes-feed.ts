// A stand-in for a third-party "quote of the day" API, flaky on demand and deterministic, so the
// example (and its tests) can show what guard() does when a downstream fails or hangs without a
// network or a random number in sight. A real app would call fetch() here, passing `signal`.
//
// Failing it: tests call `simulateFeed({ fail: 2 })` (the next 2 calls throw) or `{ hang: 1 }` (the
// next call never answers until its signal aborts); under `sls-ts server`, where the controller
// runs in a worker a test cannot reach, QUOTES_FEED=down (every call throws) or =slow (every call
// hangs) in example-app/.env.local does the same.

export type Quote = { text: string; author: string };

/** Raised by the feed when it "fails": what a 5xx from a real API would become. */
export class FeedUnavailable extends Error {
  constructor(readonly call: number) {
    super(`quotes feed unavailable (call ${call})`);
    this.name = 'FeedUnavailable';
  }
}

const QUOTES: readonly Quote[] = [
  { text: 'Simplicity is prerequisite for reliability.', author: 'Edsger W. Dijkstra' },
  { text: 'Everything fails, all the time.', author: 'Werner Vogels' },
  { text: 'Hope is not a strategy.', author: 'Traditional SRE saying' },
  { text: 'The network is reliable.', author: 'The first fallacy of distributed computing' },
];

let failNext = 0;
let hangNext = 0;
let calls = 0;

/** Makes the next `fail` calls throw FeedUnavailable and the `hang` calls after them never answer. */
export function simulateFeed(behaviour: { fail?: number; hang?: number }): void {
  failNext = behaviour.fail ?? 0;
  hangNext = behaviour.hang ?? 0;
}

/** A healthy feed again, its call count back to zero. */
export function resetFeed(): void {
  failNext = 0;
  hangNext = 0;
  calls = 0;
}

/** How many times the feed was called since the last reset: retries show up here. */
export function feedCalls(): number {
  return calls;
}

/** The quote for a day (YYYY-MM-DD); rejects as a failing API would, honours signal as fetch does. */
export async function fetchQuote(day: string, signal: AbortSignal): Promise<Quote> {
  const call = ++calls;
  const mode = process.env.QUOTES_FEED;
  if (failNext > 0 || mode === 'down') {
    if (failNext > 0) failNext--;
    throw new FeedUnavailable(call);
  }
  if (hangNext > 0 || mode === 'slow') {
    if (hangNext > 0) hangNext--;
    // Never answers; gives up when the caller's signal aborts, as fetch() does, so nothing is left running.
    return new Promise<Quote>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
  const index = [...day].reduce((sum, c) => sum + c.charCodeAt(0), 0) % QUOTES.length;
  return QUOTES[index]!;
}
