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
// So `within(context, ...args)` gives a call the invocation's deadline: attempts are cut short and
// retries skipped so that the call gives up (fallback included) deadlineMarginMs before Lambda
// stops the function (doc: lambda/latest/dg/nodejs-context.html, getRemainingTimeInMillis). It is
// a method of the guard, not of the runtime's handlers, so bundles without guard pay nothing.
import { Breaker, type BreakerState, type BreakerTransition } from './guard-breaker.js';
import { BreakerOpenError, BulkheadFullError, guardLabel, GuardTimeoutError } from './guard-errors.js';
import { resolveGuardOptions, type BreakerOptions, type RetryOptions } from './guard-options.js';

/** What fn receives first: the attempt's abort signal (aborted on timeout) and its number. */
export type GuardCall = { readonly signal: AbortSignal; readonly attempt: number };

export type GuardRejection = 'bulkhead' | 'open';
export type GuardFailure = GuardRejection | 'timeout' | 'error';

/** Everything a guard reports; `guard` is its name. Log them from `onEvent`. */
export type GuardEvent =
  | { type: 'timeout'; guard: string | undefined; attempt: number; timeoutMs: number; deadline?: true }
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
  /** What `within` keeps back from the invocation's remaining time for the fallback and the response (default 250 ms). */
  deadlineMarginMs?: number;
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

/** The invocation a call runs in: a Lambda context (`this.context`, a handler's `context`) or `{ deadline }` in ms since the epoch. */
export type Invocation = { getRemainingTimeInMillis(): number } | { deadline: number };

/** fn's arguments after the GuardCall, answered as a promise. */
export type Guarded<A extends unknown[], R> = ((...args: A) => Promise<R>) & {
  readonly guardName: string | undefined;
  state(): GuardState;
  /** The same call, bounded by the invocation: no attempt or retry wait outlives its deadline less deadlineMarginMs. */
  within(invocation: Invocation, ...args: A): Promise<R>;
};

/**
 * Wraps fn, called as `fn(call, ...args)`, so that `guarded(...args)` runs it under the options.
 * Create guards at module scope: their state (in-flight count, breaker) is per execution environment.
 */
export function guard<A extends unknown[], R>(fn: (call: GuardCall, ...args: A) => R | PromiseLike<R>, options: GuardOptions<A, R> = {}): Guarded<A, R> {
  if (typeof fn !== 'function') throw new TypeError(`guard(fn): fn must be a function, got ${typeof fn}`);
  const o = resolveGuardOptions(options);
  const { name, timeoutMs, deadlineMarginMs, maxConcurrent, retry, random } = o;
  const countsAsFailure = o.breaker?.on;
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

  // `end`: the invocation's deadline less the margin (ms since the epoch), when called `within` one.
  const attempt = (args: A, n: number, end: number | undefined): Promise<R> => {
    const call = new Call(n);
    let ms = timeoutMs;
    let capped = false;
    if (end !== undefined) {
      const left = Math.max(1, end - Date.now());
      if (ms === undefined || left < ms) {
        ms = left;
        capped = true;
      }
    }
    if (ms === undefined) return invoke(fn, call, args);
    const limit = ms;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new GuardTimeoutError(name, limit, n, capped);
        emit(capped ? { type: 'timeout', guard: name, attempt: n, timeoutMs: limit, deadline: true } : { type: 'timeout', guard: name, attempt: n, timeoutMs: limit });
        call.abort(error);
        reject(error);
      }, limit);
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

  // A breaker.on that throws cannot tell, so the error counts as a failure (the default).
  const failed = (error: unknown): boolean => {
    if (!countsAsFailure) return true;
    try {
      return countsAsFailure(error) !== false;
    } catch {
      return true;
    }
  };

  const run = async (args: A, end: number | undefined): Promise<R> => {
    if (end !== undefined && end <= Date.now()) {
      // Not the dependency's fault: fn is not called and the breaker records nothing.
      emit({ type: 'timeout', guard: name, attempt: 0, timeoutMs: 0, deadline: true });
      return fail(new GuardTimeoutError(name, 0, 0, true), 'timeout', 0, args);
    }
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
          value = await attempt(args, n, end);
          break;
        } catch (error) {
          if (n >= retry.attempts || !retry.on(error)) throw error;
          const delayMs = Math.floor(random() * Math.min(retry.maxMs, retry.baseMs * 2 ** (n - 1)));
          // A retry that could not start before the deadline would only delay the fallback.
          if (end !== undefined && Date.now() + delayMs >= end) throw error;
          emit({ type: 'retry', guard: name, attempt: n, delayMs, error });
          await sleep(delayMs);
          n++;
        }
      }
    } catch (error) {
      inFlight--;
      breaker?.record(epoch, !failed(error), Date.now());
      return fail(error, error instanceof GuardTimeoutError ? 'timeout' : 'error', n, args);
    }
    inFlight--;
    breaker?.record(epoch, true, Date.now());
    return value;
  };

  const guarded = (...args: A): Promise<R> => run(args, undefined);
  const within = (invocation: Invocation, ...args: A): Promise<R> => {
    const given = invocation as { getRemainingTimeInMillis?: () => number; deadline?: number } | null | undefined;
    const remaining = typeof given?.getRemainingTimeInMillis === 'function' ? given.getRemainingTimeInMillis() : undefined;
    const deadline = remaining === undefined ? given?.deadline : Date.now() + remaining;
    if (typeof deadline !== 'number' || Number.isNaN(deadline)) {
      const got = remaining === undefined ? (given === null ? 'null' : typeof given) : `getRemainingTimeInMillis() = ${String(remaining)}`;
      return Promise.reject(new TypeError(`${guardLabel(name)}: within() needs the Lambda context or { deadline } (ms since the epoch), got ${got}`));
    }
    return run(args, deadline - deadlineMarginMs);
  };

  return Object.assign(guarded, { guardName: name, state: (): GuardState => ({ breaker: breaker?.state, inFlight }), within });
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
