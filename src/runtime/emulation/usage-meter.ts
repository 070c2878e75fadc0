// Usage plans' throttle and quota, metered per API key as API Gateway meters them: shared by the
// dev server and sls-ts/testing. The plan's shape restates ResolvedUsagePlan (config/), which
// runtime/ may not import (DESIGN.md §2); callers pass the resolved plans straight in.
import type { GatewayResponse } from './gateway-responses.js';

/** A usage plan's limits (ResolvedUsagePlan). */
export interface MeteredPlan {
  readonly name: string;
  readonly throttle?: { readonly rate: number; readonly burst?: number };
  readonly quota?: { readonly limit: number; readonly period: 'DAY' | 'WEEK' | 'MONTH'; readonly offset?: number };
}

function refusal(body: string, errorType: string): GatewayResponse {
  return { status: 429, headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', errorType]], body: Buffer.from(body) };
}

// doc: API Gateway Dev Guide, "Throttle requests to your REST APIs" — past the rate and burst,
// clients "receive 429 Too Many Requests"; body and error type as the THROTTLED gateway response
// (doc: "Gateway response types"), x-amzn-ErrorType inf.
export const tooManyRequests = (): GatewayResponse => refusal('{"message":"Too Many Requests"}', 'TooManyRequestsException');
// obs: usage-plan quotas answer 429 `{"message":"Limit Exceeded"}` with x-amzn-ErrorType
// LimitExceededException (captures of API Gateway-fronted APIs: setlist.fm, GemRate).
export const limitExceeded = (): GatewayResponse => refusal('{"message":"Limit Exceeded"}', 'LimitExceededException');

export interface UsageMeter {
  /** Counts one request of `entry`'s key: undefined when it may go on, else API Gateway's 429. */
  admit(entry: { plan: string; key: string }): GatewayResponse | undefined;
}

interface KeyUsage {
  tokens: number;
  refilledAt: number;
  period: number;
  used: number;
}

const DAY_MS = 86_400_000;

/**
 * The quota period `at` falls in, as its start in ms (UTC): the day, the week from Sunday, or the
 * month. inf: API Gateway documents no boundaries; calendar periods in UTC are the natural reading
 * (the older QuotaSettings doc: "with a time period of WEEK, an offset of 0 starts on Sunday").
 */
function periodStart(period: 'DAY' | 'WEEK' | 'MONTH', at: number): number {
  const day = Math.floor(at / DAY_MS) * DAY_MS;
  if (period === 'DAY') return day;
  const date = new Date(day);
  if (period === 'WEEK') return day - date.getUTCDay() * DAY_MS;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * Throttle and quota per API key, as API Gateway applies a usage plan's limits ("to requests for
 * individual API keys", doc: Dev Guide "Usage plans and API keys"). The throttle is a token bucket
 * (doc: "Throttle requests to your REST APIs"): `burst` tokens, refilled at `rate` a second; a plan
 * with a rate and no burst holds one second's worth (inf). The quota counts admitted requests per
 * calendar period; `offset` requests are taken off the limit of the first period the meter sees
 * (doc: API Reference QuotaSettings, "subtracted from the given limit in the initial time period").
 * A key past its quota gets Limit Exceeded before its throttle is consulted (inf). `now` is injected
 * so tests run on a fake clock.
 */
export function createUsageMeter(plans: readonly MeteredPlan[], now: () => number = Date.now): UsageMeter {
  const byName = new Map(plans.map((plan) => [plan.name, plan]));
  const usage = new Map<string, KeyUsage>();
  const firstPeriod = new Map<string, number>();
  return {
    admit({ plan: planName, key }) {
      const plan = byName.get(planName);
      if (!plan || (!plan.throttle && !plan.quota)) return undefined;
      const at = now();
      const id = `${planName}\u0000${key}`;
      const capacity = plan.throttle ? (plan.throttle.burst ?? Math.max(1, Math.ceil(plan.throttle.rate))) : 0;
      let state = usage.get(id);
      if (!state) {
        state = { tokens: capacity, refilledAt: at, period: -1, used: 0 };
        usage.set(id, state);
      }
      if (plan.quota) {
        const period = periodStart(plan.quota.period, at);
        if (period !== state.period) {
          state.period = period;
          state.used = 0;
        }
        if (!firstPeriod.has(id)) firstPeriod.set(id, period);
        const limit = plan.quota.limit - (firstPeriod.get(id) === period ? plan.quota.offset ?? 0 : 0);
        if (state.used >= limit) return limitExceeded();
      }
      if (plan.throttle) {
        // A clock that steps back (a test's, or NTP) refills nothing rather than draining the bucket.
        const elapsed = Math.max(0, at - state.refilledAt);
        state.tokens = Math.min(capacity, state.tokens + (elapsed / 1000) * plan.throttle.rate);
        state.refilledAt = at;
        // A hair under one token is float rounding of a whole refill (0.1 s at 10/s), not a missing token.
        if (state.tokens < 1 - 1e-9) return tooManyRequests();
        state.tokens = Math.max(0, state.tokens - 1);
      }
      state.used += 1;
      return undefined;
    },
  };
}
