import { guard, type GuardEvent } from 'sls-ts';
import { fetchQuote, type Quote } from '../lib/quotes-feed';
import ApplicationController from './application-controller';

/** What GET /quotes/today answers: `stale` with the guard's reason when the feed did not. */
export type TodaysQuote = { stale: boolean; reason?: string; day: string | null; quote: Quote };

// What the page shows when the feed has never answered in this execution environment.
const HOUSE_QUOTE: Quote = { text: 'Be conservative in what you send, be liberal in what you accept.', author: 'Jon Postel' };
// The last quote the feed gave, per execution environment: the fallback answers it, marked stale.
let lastGood: { day: string; quote: Quote } | undefined;

// At module scope, so the breaker and the in-flight count live as long as the Lambda environment.
// Budget: 3 attempts × 1 s + at most 50 + 100 ms of backoff stays well inside the function's 10 s
// timeout (sls-ts.config.ts), which would otherwise end the invocation before the fallback answers.
const todaysQuote = guard(async ({ signal }, day: string): Promise<TodaysQuote> => ({ stale: false, day, quote: await fetchQuote(day, signal) }), {
  name: 'quotes-feed',
  timeoutMs: 1_000,
  retry: { attempts: 3, backoff: { baseMs: 50, maxMs: 200 } },
  // Four failed requests in a row (each after its 3 attempts) open it: the feed is then left alone
  // for 30 s and every request answers the fallback at once instead of waiting through retries.
  breaker: { failureRate: 1, minimumCalls: 4, openMs: 30_000 },
  fallback: (_error, { reason }) => ({ stale: true, reason, ...(lastGood ?? { day: null, quote: HOUSE_QUOTE }) }),
  onEvent: logGuardEvent,
});

export default class QuotesController extends ApplicationController {
  async today() {
    const day = new Date().toISOString().slice(0, 10);
    // within(): no attempt outlives the invocation (its 10 s timeout), so the fallback always gets to answer.
    const answer = await todaysQuote.within(this.context, day);
    if (!answer.stale) lastGood = { day, quote: answer.quote };
    // A stale answer is not cached: the next request may find the feed back.
    this.setHeader('Cache-Control', answer.stale ? 'no-store' : 'max-age=60');
    return this.json(answer);
  }
}

// One JSON line per event, so CloudWatch Logs Insights can count retries and breaker trips.
function logGuardEvent(event: GuardEvent): void {
  const { type, guard: name } = event;
  const detail =
    type === 'retry' ? { attempt: event.attempt, delayMs: event.delayMs }
    : type === 'timeout' ? { attempt: event.attempt, timeoutMs: event.timeoutMs }
    : type === 'open' ? { failureRate: event.failureRate, calls: event.calls }
    : type === 'rejected' || type === 'fallback' ? { reason: event.reason }
    : {};
  console.log(JSON.stringify({ guard: name, event: type, ...detail }));
}
