// The circuit breaker's state machine: closed → open when the failure rate over the latest calls
// reaches the threshold; open → half-open after openMs; half-open → closed when every trial call
// succeeds, → open again on the first trial failure. Count-based, like resilience4j's default
// sliding window, because calls to one Lambda instance arrive in bursts and pauses: a time window
// would forget the burst that mattered.
import type { ResolvedBreaker } from './guard-options.js';

export type BreakerState = 'closed' | 'open' | 'half-open';
export type BreakerTransition = { to: 'open'; failureRate: number; calls: number } | { to: 'half-open' } | { to: 'close' };

export class Breaker {
  state: BreakerState = 'closed';
  // Bumped on every transition: a call admitted under an older epoch (e.g. still running when the
  // breaker opened) must not count as a half-open trial or refill the fresh window.
  private epoch = 0;
  private readonly window: boolean[] = [];
  private next = 0;
  private failures = 0;
  private openedAt = 0;
  private trials = 0;
  private passed = 0;

  constructor(
    private readonly settings: ResolvedBreaker,
    private readonly emit: (transition: BreakerTransition) => void,
  ) {}

  /** The epoch a let-through call runs under, or how long until a trial call may pass (0: half-open, trials taken). */
  admit(now: number): { epoch: number } | { retryAfterMs: number } {
    if (this.state === 'open') {
      const left = this.openedAt + this.settings.openMs - now;
      if (left > 0) return { retryAfterMs: left };
      this.move('half-open');
      this.emit({ to: 'half-open' });
    }
    if (this.state === 'half-open') {
      if (this.trials >= this.settings.halfOpenCalls) return { retryAfterMs: 0 };
      this.trials++;
    }
    return { epoch: this.epoch };
  }

  record(epoch: number, ok: boolean, now: number): void {
    if (epoch !== this.epoch) return;
    if (this.state === 'half-open') {
      if (!ok) this.open(now, 1, this.trials);
      else if (++this.passed >= this.settings.halfOpenCalls) {
        this.move('closed');
        this.emit({ to: 'close' });
      }
      return;
    }
    const { windowSize, minimumCalls, failureRate } = this.settings;
    if (this.window.length < windowSize) this.window.push(ok);
    else {
      if (!this.window[this.next]) this.failures--;
      this.window[this.next] = ok;
      this.next = (this.next + 1) % windowSize;
    }
    if (!ok) this.failures++;
    const calls = this.window.length;
    if (!ok && calls >= minimumCalls && this.failures / calls >= failureRate) this.open(now, this.failures / calls, calls);
  }

  private open(now: number, rate: number, calls: number): void {
    this.move('open');
    this.openedAt = now;
    this.emit({ to: 'open', failureRate: rate, calls });
  }

  private move(state: BreakerState): void {
    this.state = state;
    this.epoch++;
    this.window.length = 0;
    this.next = 0;
    this.failures = 0;
    this.trials = 0;
    this.passed = 0;
  }
}
