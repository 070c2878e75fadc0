// When to read each followed stack's events. DescribeStackEvents is rate-limited per account, and a
// deploy of 100 controllers follows 100 nested stacks: reading every one each round was thousands
// of calls and "Rate exceeded". So a stack is read only while it is busy, less often while it is
// quiet, and not at all once its own terminal event arrived (until its parent wakes it again).

/** A quiet stack is read at least every this many rounds (12 s at the default 3 s delay). */
const MAX_QUIET_ROUNDS = 4;
/** A throttled stack waits up to this many rounds before the next try. */
const MAX_THROTTLED_ROUNDS = 8;

interface Plan {
  every: number;
  due: number;
  finished: boolean;
  /** The root is read every round: its events discover nested stacks and end the operation. */
  steady: boolean;
}

export class ReadSchedule {
  private round = 0;
  private readonly plans = new Map<string, Plan>();

  /** Starts following a stack from the next round. */
  follow(name: string, steady = false): void {
    this.plans.set(name, { every: 1, due: this.round + 1, finished: false, steady });
  }

  startRound(): void {
    this.round++;
  }

  /** Whether to read the stack this round; `all` ignores the back-off (the last read of an operation). */
  isDue(name: string, all = false): boolean {
    const plan = this.plans.get(name);
    return plan !== undefined && !plan.finished && (all || this.round >= plan.due);
  }

  /** After a read: busy stacks are read every round, quiet ones less and less often. */
  wasRead(name: string, freshEvents: number): void {
    const plan = this.plans.get(name);
    if (!plan) return;
    plan.every = plan.steady || freshEvents > 0 ? 1 : Math.min(plan.every * 2, MAX_QUIET_ROUNDS);
    plan.due = this.round + plan.every;
  }

  wasThrottled(name: string): void {
    const plan = this.plans.get(name);
    if (!plan) return;
    plan.every = Math.min(plan.every * 2, MAX_THROTTLED_ROUNDS);
    plan.due = this.round + plan.every;
  }

  /** The stack's own terminal event arrived: nothing more to read. */
  finish(name: string): void {
    const plan = this.plans.get(name);
    if (plan && !plan.steady) plan.finished = true;
  }

  /** Its parent shows it in progress again (a rollback): read it from the next round. */
  wake(name: string): void {
    const plan = this.plans.get(name);
    if (plan?.finished) Object.assign(plan, { finished: false, every: 1, due: this.round + 1 });
  }
}
