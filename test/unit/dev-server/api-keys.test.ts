// Local API keys for `sls-ts server`: deterministic values (from .env or a fixed default) and the
// usage plans' throttle and quota per key, answered as API Gateway answers, on an injected clock.
import { describe, expect, it } from 'vitest';
import { resolveConfig, type UserConfig } from '../../../src/index.js';
import { createUsageMeter, defaultLocalApiKey, describeLocalApiKeys, localApiKeys } from '../../../src/dev-server/api-keys.js';
import type { GatewayResponse } from '../../../src/runtime/emulation/index.js';

const configOf = (usagePlans: UserConfig['usagePlans']) => resolveConfig({ name: 'blog', usagePlans }, { stage: 'dev', root: '/app', processEnv: {} });

function fakeClock(start = Date.UTC(2030, 0, 2, 12)) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms), set: (ms: number) => (at = ms) };
}

/** What each of `n` requests gets: 'ok', or the 429's message. */
function outcomes(admit: () => GatewayResponse | undefined, n: number): string[] {
  return Array.from({ length: n }, () => {
    const refused = admit();
    if (!refused) return 'ok';
    expect(refused.status).toBe(429);
    return (JSON.parse(refused.body.toString('utf8')) as { message: string }).message;
  });
}

describe('localApiKeys()', () => {
  it('gives each key a deterministic value of at least 20 characters, or the one .env sets', () => {
    const config = configOf({ free: { keys: ['acme', 'a-much-longer-key-name'] }, pro: { keys: ['initech'] } });
    const keys = localApiKeys(config, { SLS_TS_API_KEY_INITECH: 'initech-local-secret-123' });
    expect([...keys]).toEqual([
      ['local-acme-key-00000', { plan: 'free', key: 'acme', from: 'default', envName: 'SLS_TS_API_KEY_ACME' }],
      ['local-a-much-longer-key-name-key', { plan: 'free', key: 'a-much-longer-key-name', from: 'default', envName: 'SLS_TS_API_KEY_A_MUCH_LONGER_KEY_NAME' }],
      ['initech-local-secret-123', { plan: 'pro', key: 'initech', from: 'env', envName: 'SLS_TS_API_KEY_INITECH' }],
    ]);
    expect(localApiKeys(config, {})).toEqual(localApiKeys(config, {}));
    for (const key of ['a', 'abcdefg', 'abcdefghi']) expect(defaultLocalApiKey(key)).toHaveLength(20);
    expect(defaultLocalApiKey('abcdefghijkl')).toBe('local-abcdefghijkl-key');
    expect(describeLocalApiKeys(keys)).toEqual([
      'acme (plan free): local-acme-key-00000',
      'a-much-longer-key-name (plan free): local-a-much-longer-key-name-key',
      'initech (plan pro): initech-local-secret-123 (from SLS_TS_API_KEY_INITECH)',
    ]);
    expect(localApiKeys(configOf(undefined), {}).size).toBe(0);
  });

  it('refuses a value API Gateway would refuse, or one two keys share, naming the variable', () => {
    const config = configOf({ free: { keys: ['acme'] }, pro: { keys: ['initech'] } });
    expect(() => localApiKeys(config, { SLS_TS_API_KEY_ACME: 'too-short' })).toThrow(/SLS_TS_API_KEY_ACME must be 20 to 128 visible characters without spaces \(got 9 characters\)/);
    expect(() => localApiKeys(config, { SLS_TS_API_KEY_ACME: 'has a space in the middle' })).toThrow(/SLS_TS_API_KEY_ACME/);
    expect(() => localApiKeys(config, { SLS_TS_API_KEY_ACME: 'x'.repeat(129) })).toThrow(/got 129 characters/);
    expect(() => localApiKeys(config, { SLS_TS_API_KEY_INITECH: 'local-acme-key-00000' })).toThrow(/acme \(plan free\) and initech \(plan pro\) have the same local value, from the default value and SLS_TS_API_KEY_INITECH/);
  });
});

describe('createUsageMeter()', () => {
  it('throttles a key past its burst with 429 Too Many Requests, refilling at the rate', () => {
    const clock = fakeClock();
    const meter = createUsageMeter(configOf({ free: { keys: ['acme', 'globex'], throttle: { rate: 2, burst: 3 } } }).usagePlans, clock.now);
    const acme = () => meter.admit({ plan: 'free', key: 'acme' });
    expect(outcomes(acme, 4)).toEqual(['ok', 'ok', 'ok', 'Too Many Requests']);
    expect(acme()?.headers).toContainEqual(['x-amzn-ErrorType', 'TooManyRequestsException']);
    // Each key has its own bucket.
    expect(outcomes(() => meter.admit({ plan: 'free', key: 'globex' }), 3)).toEqual(['ok', 'ok', 'ok']);
    clock.advance(499);
    expect(outcomes(acme, 1)).toEqual(['Too Many Requests']);
    clock.advance(1);
    expect(outcomes(acme, 2)).toEqual(['ok', 'Too Many Requests']);
    // Refills stop at the burst.
    clock.advance(60_000);
    expect(outcomes(acme, 4)).toEqual(['ok', 'ok', 'ok', 'Too Many Requests']);
  });

  it('holds one second of the rate without a burst, handles fractional rates and a clock stepping back', () => {
    const clock = fakeClock();
    const meter = createUsageMeter(configOf({ steady: { keys: ['a'], throttle: { rate: 10 } }, slow: { keys: ['b'], throttle: { rate: 0.5, burst: 1 } }, shut: { keys: ['c'], throttle: { rate: 5, burst: 0 } } }).usagePlans, clock.now);
    expect(outcomes(() => meter.admit({ plan: 'steady', key: 'a' }), 11).filter((o) => o === 'ok')).toHaveLength(10);
    clock.advance(100);
    expect(outcomes(() => meter.admit({ plan: 'steady', key: 'a' }), 2)).toEqual(['ok', 'Too Many Requests']);
    expect(outcomes(() => meter.admit({ plan: 'slow', key: 'b' }), 2)).toEqual(['ok', 'Too Many Requests']);
    clock.advance(-5_000);
    expect(outcomes(() => meter.admit({ plan: 'slow', key: 'b' }), 1)).toEqual(['Too Many Requests']);
    clock.advance(7_000);
    expect(outcomes(() => meter.admit({ plan: 'slow', key: 'b' }), 1)).toEqual(['ok']);
    // A burst of 0 lets nothing through, as a bucket that holds no token.
    expect(outcomes(() => meter.admit({ plan: 'shut', key: 'c' }), 1)).toEqual(['Too Many Requests']);
  });

  it('answers 429 Limit Exceeded past the quota until the next UTC day', () => {
    const clock = fakeClock(Date.UTC(2030, 0, 2, 23, 59));
    const meter = createUsageMeter(configOf({ free: { keys: ['acme', 'globex'], quota: { limit: 2, period: 'DAY' } } }).usagePlans, clock.now);
    const acme = () => meter.admit({ plan: 'free', key: 'acme' });
    expect(outcomes(acme, 3)).toEqual(['ok', 'ok', 'Limit Exceeded']);
    expect(acme()?.headers).toEqual([['Content-Type', 'application/json'], ['x-amzn-ErrorType', 'LimitExceededException']]);
    expect(outcomes(() => meter.admit({ plan: 'free', key: 'globex' }), 1)).toEqual(['ok']);
    clock.set(Date.UTC(2030, 0, 3, 0, 0));
    expect(outcomes(acme, 3)).toEqual(['ok', 'ok', 'Limit Exceeded']);
  });

  it('counts weeks from Sunday and months from the 1st, taking the offset off the first period only', () => {
    // 2030-01-02 is a Wednesday.
    const clock = fakeClock(Date.UTC(2030, 0, 2, 8));
    const meter = createUsageMeter(configOf({
      weekly: { keys: ['w'], quota: { limit: 3, period: 'WEEK', offset: 2 } },
      monthly: { keys: ['m'], quota: { limit: 1, period: 'MONTH' } },
    }).usagePlans, clock.now);
    const weekly = () => meter.admit({ plan: 'weekly', key: 'w' });
    const monthly = () => meter.admit({ plan: 'monthly', key: 'm' });
    expect(outcomes(weekly, 2)).toEqual(['ok', 'Limit Exceeded']);
    expect(outcomes(monthly, 2)).toEqual(['ok', 'Limit Exceeded']);
    clock.set(Date.UTC(2030, 0, 5, 23, 59)); // Saturday: the same week
    expect(outcomes(weekly, 1)).toEqual(['Limit Exceeded']);
    clock.set(Date.UTC(2030, 0, 6)); // Sunday: a new week, the whole limit
    expect(outcomes(weekly, 4)).toEqual(['ok', 'ok', 'ok', 'Limit Exceeded']);
    clock.set(Date.UTC(2030, 0, 31, 23, 59));
    expect(outcomes(monthly, 1)).toEqual(['Limit Exceeded']);
    clock.set(Date.UTC(2030, 1, 1));
    expect(outcomes(monthly, 2)).toEqual(['ok', 'Limit Exceeded']);
  });

  it('reports the quota before the throttle, counts only admitted requests, and leaves plans without limits alone', () => {
    const clock = fakeClock();
    const meter = createUsageMeter(configOf({ both: { keys: ['k'], throttle: { rate: 1, burst: 1 }, quota: { limit: 2, period: 'DAY' } }, open: { keys: ['o'] } }).usagePlans, clock.now);
    const both = () => meter.admit({ plan: 'both', key: 'k' });
    expect(outcomes(both, 3)).toEqual(['ok', 'Too Many Requests', 'Too Many Requests']);
    clock.advance(1000);
    expect(outcomes(both, 2)).toEqual(['ok', 'Limit Exceeded']);
    clock.advance(1000);
    expect(outcomes(both, 1)).toEqual(['Limit Exceeded']);
    expect(outcomes(() => meter.admit({ plan: 'open', key: 'o' }), 50).every((o) => o === 'ok')).toBe(true);
    expect(meter.admit({ plan: 'unknown', key: 'x' })).toBeUndefined();
  });
});
