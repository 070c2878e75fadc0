// guard()'s options: their types, defaults, and the checks that reject impossible values when the
// guard is created (module load in a Lambda), not on the first call under load.
import { GuardOptionError } from './guard-errors.js';
import type { GuardOptions } from './guard.js';

export type RetryOptions = {
  /** Total attempts including the first (default 3; 1 = no retry). */
  attempts?: number;
  /** Exponential backoff with full jitter: wait random() × min(maxMs, baseMs × 2^(n-1)) before attempt n+1. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Whether an attempt's error is worth retrying (default: every error). */
  on?: (error: unknown) => boolean;
};

export type BreakerOptions = {
  /** Opens when failed / recorded calls in the window reaches this rate, in (0, 1] (default 0.5). */
  failureRate?: number;
  /** Calls the window must hold before the rate counts (default 10). */
  minimumCalls?: number;
  /** How many of the latest calls the rate is taken over (default: minimumCalls). */
  windowSize?: number;
  /** How long an open breaker rejects before letting trial calls through (default 30,000 ms). */
  openMs?: number;
  /** Trial calls let through while half-open; all must succeed to close (default 1). */
  halfOpenCalls?: number;
  /**
   * Whether the error that ended a call counts as a failure (default: every error). An error it
   * refuses counts as a success: the dependency answered (a 404, a validation error), so it is up.
   */
  on?: (error: unknown) => boolean;
};

export type ResolvedRetry = { attempts: number; baseMs: number; maxMs: number; on: (error: unknown) => boolean };
export type ResolvedBreaker = { failureRate: number; minimumCalls: number; windowSize: number; openMs: number; halfOpenCalls: number; on: ((error: unknown) => boolean) | undefined };
export type ResolvedGuardOptions = {
  name: string | undefined;
  timeoutMs: number | undefined;
  deadlineMarginMs: number;
  maxConcurrent: number;
  retry: ResolvedRetry;
  breaker: ResolvedBreaker | undefined;
  random: () => number;
};

// setTimeout fires at once for delays above 2^31-1 ms, so a larger timeout would be no timeout at all.
const MAX_DELAY = 2_147_483_647;

// What `within` keeps back from the invocation's remaining time: the fallback and the response
// still have to run after a guarded call gives up, before Lambda's own timeout ends everything.
const DEFAULT_DEADLINE_MARGIN = 250;

const FUNCTION_EXAMPLES: Record<string, string> = {
  'retry.on': '(error) => true',
  'breaker.on': '(error) => !(error instanceof HttpError)',
  random: 'Math.random',
  fallback: '(error) => cached',
  onEvent: '(event) => console.log(event)',
};

/** guard()'s options, with the functions checked here only for being functions (their types are guard's). */
type UncheckedGuardOptions = Omit<GuardOptions<unknown[], unknown>, 'fallback' | 'onEvent'> & { fallback?: unknown; onEvent?: unknown };

export function resolveGuardOptions(options: UncheckedGuardOptions): ResolvedGuardOptions {
  const name = options.name;
  const number = (option: string, value: number | undefined, fallback: number, check: { min: number; minOpen?: boolean; max?: number; integer?: boolean }, hint: string): number => {
    if (value === undefined) return fallback;
    const range = `${check.minOpen ? '>' : '≥'} ${check.min}${check.max === undefined ? '' : ` and ≤ ${check.max}`}`;
    const ok = typeof value === 'number' && !Number.isNaN(value) && (check.minOpen ? value > check.min : value >= check.min) && value <= (check.max ?? Infinity) && (!check.integer || Number.isInteger(value));
    if (!ok) throw new GuardOptionError(name, option, `must be ${check.integer ? 'an integer ' : 'a number '}${range}, got ${String(value)}`, hint);
    return value;
  };
  const fn = <T>(option: string, value: T | undefined, fallback: T): T => {
    if (value !== undefined && typeof value !== 'function') throw new GuardOptionError(name, option, `must be a function, got ${typeof value}`, `pass e.g. ${FUNCTION_EXAMPLES[option]}`);
    return value ?? fallback;
  };

  const timeoutMs = options.timeoutMs === undefined ? undefined : number('timeoutMs', options.timeoutMs, 0, { min: 0, minOpen: true, max: MAX_DELAY }, 'e.g. 2000; keep it below the Lambda function timeout');
  const deadlineMarginMs = number('deadlineMarginMs', options.deadlineMarginMs, DEFAULT_DEADLINE_MARGIN, { min: 0, max: MAX_DELAY }, 'e.g. 250, kept for the fallback and the response');
  const maxConcurrent = number('maxConcurrent', options.maxConcurrent, Infinity, { min: 1, integer: true }, 'e.g. 10; leave it out for no cap');
  const r = options.retry ?? {};
  const attempts = number('retry.attempts', r.attempts, options.retry ? 3 : 1, { min: 1, integer: true }, 'attempts counts the first call: 1 = no retry, 3 = two retries');
  const baseMs = number('retry.backoff.baseMs', r.backoff?.baseMs, 100, { min: 0, max: MAX_DELAY }, 'e.g. 100');
  const maxMs = number('retry.backoff.maxMs', r.backoff?.maxMs, Math.max(2000, baseMs), { min: baseMs, max: MAX_DELAY }, `the longest wait, at least baseMs (${baseMs})`);
  const retry = { attempts, baseMs, maxMs, on: fn('retry.on', r.on, () => true) };

  let breaker: ResolvedBreaker | undefined;
  if (options.breaker) {
    const b = options.breaker;
    const failureRate = number('breaker.failureRate', b.failureRate, 0.5, { min: 0, minOpen: true, max: 1 }, 'a fraction in (0, 1]: 0.5 opens when half the calls fail');
    const minimumCalls = number('breaker.minimumCalls', b.minimumCalls, 10, { min: 1, integer: true }, 'e.g. 10 calls before a failure rate means anything');
    const windowSize = number('breaker.windowSize', b.windowSize, minimumCalls, { min: minimumCalls, integer: true }, `the window must hold at least minimumCalls (${minimumCalls}) calls`);
    const openMs = number('breaker.openMs', b.openMs, 30_000, { min: 0, max: MAX_DELAY }, 'e.g. 30000');
    const halfOpenCalls = number('breaker.halfOpenCalls', b.halfOpenCalls, 1, { min: 1, integer: true }, 'at least one trial call must get through to close the breaker');
    breaker = { failureRate, minimumCalls, windowSize, openMs, halfOpenCalls, on: fn('breaker.on', b.on, undefined) };
  }
  fn('fallback', options.fallback, undefined);
  fn('onEvent', options.onEvent, undefined);
  return { name, timeoutMs, deadlineMarginMs, maxConcurrent, retry, breaker, random: fn('random', options.random, Math.random) };
}
