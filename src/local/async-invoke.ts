// Lambda's asynchronous invocation, the way SNS and EventBridge run a function: the caller does
// not wait, a failed run is retried twice (about one, then two minutes later), and an event that
// keeps failing is dropped, as it is on AWS for a function without a failure destination.
import type { Diagnostic } from '../shared/errors.js';
import type { Deliver, Delivery } from './deliveries.js';

/** AWS's waits before the second and the third attempt. */
export const ASYNC_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];

export interface AsyncInvokeOptions {
  /** One wait per retry (default AWS's one and two minutes); tests pass short ones. */
  retryDelaysMs?: readonly number[];
  /** Told of each event that failed every attempt; default a warning on stderr. */
  onDropped?: (warning: Diagnostic) => void;
}

export interface AsyncRunner {
  /** Runs a job with the event, retrying as Lambda does; returns at once. */
  invoke(delivery: Delivery): void;
  /** Runs `attempt` (it throws to fail), retried after each of `retryDelaysMs`; `what` names it when dropped. */
  run(what: string, attempt: () => Promise<void>, retryDelaysMs: readonly number[]): void;
  /** Resolves once every run has succeeded or been dropped, retries included. */
  settled(): Promise<void>;
  /** Cancels the retries still waiting. */
  stop(): void;
}

/** A job's own failure, already described as `ErrorType: message`. */
class JobFailed extends Error {}

const describeError = (error: unknown) => {
  if (error instanceof JobFailed) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
};

export function createAsyncRunner(deliver: Deliver, options: AsyncInvokeOptions = {}): AsyncRunner {
  const delays = options.retryDelaysMs ?? ASYNC_RETRY_DELAYS_MS;
  const onDropped = options.onDropped ?? ((warning: Diagnostic) => console.warn(`warning: ${warning.text}`));
  const timers = new Set<NodeJS.Timeout>();
  let pending = 0;
  let waiters: Array<() => void> = [];
  let stopped = false;

  const finish = () => {
    pending -= 1;
    if (pending === 0) for (const wake of waiters.splice(0)) wake();
  };

  function attemptFrom(what: string, attempt: () => Promise<void>, retryDelaysMs: readonly number[], done: number): void {
    attempt().then(finish, (error: unknown) => {
      const wait = retryDelaysMs[done];
      if (stopped || wait === undefined) {
        if (!stopped) onDropped({ level: 'warning', text: `${what} failed ${done + 1} time${done === 0 ? '' : 's'} (last: ${describeError(error)}); the event is dropped` });
        finish();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        attemptFrom(what, attempt, retryDelaysMs, done + 1);
      }, wait);
      timers.add(timer);
    });
  }

  const run = (what: string, attempt: () => Promise<void>, retryDelaysMs: readonly number[]) => {
    if (stopped) return;
    pending += 1;
    attemptFrom(what, attempt, retryDelaysMs, 0);
  };

  return {
    run,
    invoke(delivery) {
      run(`job ${delivery.job} (${delivery.kind} ${delivery.source})`, async () => {
        const outcome = await deliver(delivery);
        if (!outcome.ok) throw new JobFailed(outcome.error ?? 'the invocation failed');
      }, delays);
    },
    settled() {
      return pending === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      // Their runs end here: nothing will retry them.
      for (let i = 0; i < timers.size; i += 1) finish();
      timers.clear();
    },
  };
}
