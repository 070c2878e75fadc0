// guard(): timeouts, a concurrency cap, retries with jittered backoff, a circuit breaker and a
// fallback around calls to a downstream dependency. All state lives in the guard instance, i.e. in
// one Lambda execution environment: nothing is shared between instances (see README "Resilience").
// Layering per call: cap → breaker → attempts (each with its own timeout, backoff between) →
// fallback. A call holds its concurrency slot through its retries and their waits. The breaker
// records one outcome per guarded call (after its retries), so one flaky request cannot open it
// alone; rejected calls (cap, open breaker) are not recorded.
// A timeout abandons the attempt, it cannot kill it: fn keeps running unless it honours
// call.signal. Inside Lambda such leftover work is frozen with the environment once the handler
// has answered and may resume during a later invocation (doc: lambda/latest/dg/lambda-runtime-
// environment.html, "Lambda freezes the execution environment when the runtime and each extension
// have completed"), and the function's own timeout still ends the invocation whatever guards say.
import { Breaker, type BreakerState, type BreakerTransition } from './guard-breaker.js';
import { BreakerOpenError, BulkheadFullError, GuardTimeoutError } from './guard-errors.js';
import { resolveGuardOptions, type BreakerOptions, type RetryOptions } from './guard-options.js';

/** What fn receives first: the attempt's abort signal (aborted on timeout) and its number. */
export type GuardCall = { readonly signal: AbortSignal; readonly attempt: number };

export type GuardRejection = 'bulkhead' | 'open';
export type GuardFailure = GuardRejection | 'timeout' | 'error';

/** Everything a guard reports; `guard` is its name. Log them from `onEvent`. */
export type GuardEvent =
  | { type: 'timeout'; guard: string | undefined; attempt: number; timeoutMs: number }
  | { type: 'rejected'; guard: string | undefined; reason: GuardRejection; error: BulkheadFullError | BreakerOpenError }
  | { type: 'retry'; guard: string | undefined; attempt: number; delayMs: number; error: unknown }
  | { type: 'open'; guard: string | undefined; failureRate: number; calls: number }
  | { type: 'half-open'; guard: string | undefined }
  | { type: 'close'; guard: string | undefined }
  | { type: 'fallback'; guard: string | undefined; reason: GuardFailure; error: unknown };

export type FallbackInfo<A extends unknown[]> = { guard: string | undefined; reason: GuardFailure; attempts: number; args: A };

export type GuardOptions<A extends unknown[], R> = {
  /** Named in errors and events; say which dependency this guards. */
  name?: string;
  /** Per attempt. Aborts call.signal and rejects with GuardTimeoutError; fn itself is not killed. */
  timeoutMs?: number;
  /** Calls in flight at once in this execution environment; more are rejected (BulkheadFullError). */
  maxConcurrent?: number;
  retry?: RetryOptions;
  breaker?: BreakerOptions;
  /** Answers instead of throwing when the call fails for any reason; its own errors propagate. */
  fallback?: (error: unknown, info: FallbackInfo<A>) => R | PromiseLike<R>;
  onEvent?: (event: GuardEvent) => void;
  /** Random source in [0, 1) for the backoff jitter (tests inject one; default Math.random). */
  random?: () => number;
};

export type GuardState = { breaker: BreakerState | undefined; inFlight: number };

/** fn's arguments after the GuardCall, answered as a promise. */
export type Guarded<A extends unknown[], R> = ((...args: A) => Promise<R>) & { readonly guardName: string | undefined; state(): GuardState };

/**
 * Wraps fn, called as `fn(call, ...args)`, so that `guarded(...args)` runs it under the options.
 * Create guards at module scope: their state (in-flight count, breaker) is per execution environment.
 */
export function guard<A extends unknown[], R>(fn: (call: GuardCall, ...args: A) => R | PromiseLike<R>, options: GuardOptions<A, R> = {}): Guarded<A, R> {
  if (typeof fn !== 'function') throw new TypeError(`guard(fn): fn must be a function, got ${typeof fn}`);
  const o = resolveGuardOptions(options);
  const { name, timeoutMs, maxConcurrent, retry, random } = o;
  const { fallback, onEvent } = options;
  // A logging hook must never change a call's outcome, so its errors are dropped.
  const emit = (event: GuardEvent): void => {
    if (onEvent) {
      try {
        onEvent(event);
      } catch {
        /* ignored, see above */
      }
    }
  };
  const breaker = o.breaker && new Breaker(o.breaker, (t: BreakerTransition) => emit(t.to === 'open' ? { type: 'open', guard: name, failureRate: t.failureRate, calls: t.calls } : { type: t.to, guard: name }));
  let inFlight = 0;

  const attempt = (args: A, n: number): Promise<R> => {
    const call = new Call(n);
    if (timeoutMs === undefined) return invoke(fn, call, args);
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new GuardTimeoutError(name, timeoutMs, n);
        emit({ type: 'timeout', guard: name, attempt: n, timeoutMs });
        call.abort(error);
        reject(error);
      }, timeoutMs);
      invoke(fn, call, args).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  };

  const fail = async (error: unknown, reason: GuardFailure, attempts: number, args: A): Promise<R> => {
    if (!fallback) throw error;
    emit({ type: 'fallback', guard: name, reason, error });
    return fallback(error, { guard: name, reason, attempts, args });
  };

  const reject = (error: BulkheadFullError | BreakerOpenError, reason: GuardRejection, args: A): Promise<R> => {
    emit({ type: 'rejected', guard: name, reason, error });
    return fail(error, reason, 0, args);
  };

  const guarded = async (...args: A): Promise<R> => {
    if (inFlight >= maxConcurrent) return reject(new BulkheadFullError(name, maxConcurrent), 'bulkhead', args);
    let epoch = 0;
    if (breaker) {
      const admitted = breaker.admit(Date.now());
      if ('retryAfterMs' in admitted) return reject(new BreakerOpenError(name, admitted.retryAfterMs), 'open', args);
      epoch = admitted.epoch;
    }
    inFlight++;
    let n = 1;
    let value: R;
    try {
      for (;;) {
        try {
          value = await attempt(args, n);
          break;
        } catch (error) {
          if (n >= retry.attempts || !retry.on(error)) throw error;
          const delayMs = Math.floor(random() * Math.min(retry.maxMs, retry.baseMs * 2 ** (n - 1)));
          emit({ type: 'retry', guard: name, attempt: n, delayMs, error });
          await sleep(delayMs);
          n++;
        }
      }
    } catch (error) {
      inFlight--;
      breaker?.record(epoch, false, Date.now());
      return fail(error, error instanceof GuardTimeoutError ? 'timeout' : 'error', n, args);
    }
    inFlight--;
    breaker?.record(epoch, true, Date.now());
    return value;
  };

  return Object.assign(guarded, { guardName: name, state: (): GuardState => ({ breaker: breaker?.state, inFlight }) });
}

// The AbortController is made only when fn reads the signal: it is most of a guard's cost per call
// when nothing fails (bench:guard). A class, not an object literal with a getter, because V8
// creates those on a slow path.
class Call implements GuardCall {
  private controller: AbortController | undefined;
  private reason: GuardTimeoutError | undefined;

  constructor(readonly attempt: number) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: GuardTimeoutError): void {
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

// fn may throw synchronously or return a plain value; both become a promise here.
function invoke<A extends unknown[], R>(fn: (call: GuardCall, ...args: A) => R | PromiseLike<R>, call: GuardCall, args: A): Promise<R> {
  try {
    return Promise.resolve(fn(call, ...args));
  } catch (error) {
    return Promise.reject(error);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
