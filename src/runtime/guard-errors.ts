// The errors a guard raises itself (fn's own errors pass through untouched). Each names the guard
// so a log line says which downstream dependency misbehaved.

/** `guard "prices"` when the guard has a name, else just `guard`. */
export function guardLabel(name: string | undefined): string {
  return name ? `guard "${name}"` : 'guard';
}

/**
 * An attempt ran longer than `timeoutMs`, or than the time left before the invocation's deadline
 * (`within`; then `deadline` is true): its promise was abandoned and `call.signal` aborted. With
 * attempt 0, no time was left at all and fn was not called.
 */
export class GuardTimeoutError extends Error {
  override name = 'GuardTimeoutError';
  readonly guard: string | undefined;
  readonly timeoutMs: number;
  readonly attempt: number;
  /** The invocation's deadline, not `timeoutMs`, set the limit. */
  readonly deadline: boolean;

  constructor(guard: string | undefined, timeoutMs: number, attempt: number, deadline = false) {
    super(
      attempt === 0
        ? `${guardLabel(guard)}: no time left before the invocation's deadline — not called`
        : `${guardLabel(guard)}: attempt ${attempt} timed out after ${timeoutMs} ms${deadline ? " (the invocation's deadline)" : ''} — abandoned; the work only stops if fn honours call.signal`,
    );
    this.guard = guard;
    this.timeoutMs = timeoutMs;
    this.attempt = attempt;
    this.deadline = deadline;
  }
}

/** `maxConcurrent` calls were already in flight in this execution environment; fn was not called. */
export class BulkheadFullError extends Error {
  override name = 'BulkheadFullError';
  readonly guard: string | undefined;
  readonly maxConcurrent: number;

  constructor(guard: string | undefined, maxConcurrent: number) {
    super(`${guardLabel(guard)}: ${maxConcurrent} call(s) already in flight (maxConcurrent ${maxConcurrent}) — rejected without calling`);
    this.guard = guard;
    this.maxConcurrent = maxConcurrent;
  }
}

/** The circuit breaker is open (or half-open with its trial calls taken); fn was not called. */
export class BreakerOpenError extends Error {
  override name = 'BreakerOpenError';
  readonly guard: string | undefined;
  /** Milliseconds until the breaker lets a trial call through (0 when half-open). */
  readonly retryAfterMs: number;

  constructor(guard: string | undefined, retryAfterMs: number) {
    const why = retryAfterMs > 0 ? `is open for another ${retryAfterMs} ms` : 'is half-open and its trial calls are taken';
    super(`${guardLabel(guard)}: circuit breaker ${why} — rejected without calling`);
    this.guard = guard;
    this.retryAfterMs = retryAfterMs;
  }
}

/** An impossible guard option, thrown by guard() itself so the mistake surfaces at module load. */
export class GuardOptionError extends Error {
  override name = 'GuardOptionError';
  /** The option at fault, e.g. `breaker.failureRate`. */
  readonly option: string;

  constructor(guard: string | undefined, option: string, problem: string, hint: string) {
    super(`${guardLabel(guard)}: ${option} ${problem} — ${hint}`);
    this.option = option;
  }
}
