// API keys and usage plans under `sls-ts server`: each key a deterministic local value (API Gateway
// picks real ones at deploy time, which `sls-ts status` prints), and each plan's throttle and quota
// metered per key, as API Gateway meters them.
import type { ResolvedConfig, ResolvedUsagePlan } from '../config/types.js';
import type { GatewayResponse } from '../runtime/emulation/index.js';
import { SlsError } from '../shared/errors.js';

/** A key of a usage plan, as a request's `x-api-key` value finds it. */
export interface LocalApiKey {
  plan: string;
  key: string;
  /** Where the value came from: the environment variable `envName`, or the built-in default. */
  from: 'env' | 'default';
  /** `SLS_TS_API_KEY_<NAME>`: the variable that sets this key's local value. */
  envName: string;
}

// doc: API Gateway Dev Guide, "Usage plans and API keys" — a key's value is "between 20 and 128
// characters". Local values keep to it, so none works locally that API Gateway would refuse.
const VALUE_MIN = 20;
const VALUE_MAX = 128;
// Sent in a header: visible ASCII, no spaces.
const VALUE = /^[\x21-\x7e]+$/;

/** `SLS_TS_API_KEY_<NAME>`: the key's name upper-cased, with `-` as `_` (key names are letters, digits, - and _). */
export function localApiKeyEnvName(key: string): string {
  return `SLS_TS_API_KEY_${key.toUpperCase().replace(/-/g, '_')}`;
}

/** `local-<name>-key`, padded with `-0…` to API Gateway's 20-character minimum: `local-acme-key-00000`. */
export function defaultLocalApiKey(key: string): string {
  const value = `local-${key}-key`;
  return value.length >= VALUE_MIN ? value : `${value}-`.padEnd(VALUE_MIN, '0');
}

/**
 * Every key of every usage plan by its local value: `SLS_TS_API_KEY_<NAME>` from `env` (the app's
 * .env files, e.g. ResolvedConfig.env) when set, else defaultLocalApiKey. Deterministic, so the
 * banner, tests and curl lines keep working across restarts. Throws an SlsError naming the variable
 * for a value API Gateway would refuse, or one shared by two keys.
 */
export function localApiKeys(config: Pick<ResolvedConfig, 'usagePlans'>, env: Readonly<Record<string, string | undefined>>): Map<string, LocalApiKey> {
  const keys = new Map<string, LocalApiKey>();
  for (const plan of config.usagePlans) {
    for (const key of plan.keys) {
      const envName = localApiKeyEnvName(key);
      const given = env[envName];
      const value = given || defaultLocalApiKey(key);
      const from = given ? 'env' : 'default';
      if (from === 'env' && (value.length < VALUE_MIN || value.length > VALUE_MAX || !VALUE.test(value))) {
        throw new SlsError({
          text: `${envName} must be ${VALUE_MIN} to ${VALUE_MAX} visible characters without spaces (got ${value.length} characters)`,
          hint: `API Gateway refuses other API key values: set ${envName} in .env to e.g. ${defaultLocalApiKey(key)}, or unset it for that default`,
        });
      }
      const taken = keys.get(value);
      if (taken) {
        // doc: API Gateway Dev Guide — "API key values must be unique"; two keys sharing one would be one key.
        const where = (entry: LocalApiKey) => (entry.from === 'env' ? entry.envName : 'the default value');
        throw new SlsError({
          text: `API keys ${taken.key} (plan ${taken.plan}) and ${key} (plan ${plan.name}) have the same local value, from ${where(taken)} and ${where({ plan: plan.name, key, from, envName })}`,
          hint: 'give each key its own value: API Gateway treats keys with one value as one key',
        });
      }
      keys.set(value, { plan: plan.name, key, from, envName });
    }
  }
  return keys;
}

/** One line per key for the dev server's banner: `acme (plan free): local-acme-key-00000`. */
export function describeLocalApiKeys(keys: ReadonlyMap<string, LocalApiKey>): string[] {
  return [...keys].map(([value, entry]) => `${entry.key} (plan ${entry.plan}): ${value}${entry.from === 'env' ? ` (from ${entry.envName})` : ''}`);
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
  admit(entry: Pick<LocalApiKey, 'plan' | 'key'>): GatewayResponse | undefined;
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
export function createUsageMeter(plans: readonly ResolvedUsagePlan[], now: () => number = Date.now): UsageMeter {
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
