import { nextRun, type Schedule } from '../runtime/schedule.js';
import { scheduledEvent } from '../runtime/events/index.js';
import type { AppState } from './app-state.js';
import type { DevServerEvent } from './events.js';
import type { InvokeOutcome } from './pool.js';

export interface JobRunner {
  update(state: AppState): void;
  stop(): void;
}

// setTimeout cannot wait longer than ~24.8 days; longer waits are re-armed in steps.
const MAX_DELAY = 2 ** 31 - 1;

/**
 * `sls-ts server --jobs`: runs each job on its rate()/cron() schedule (UTC, like EventBridge) with
 * a real scheduled event, through the job function's own worker pool.
 */
export function startJobs(initial: AppState, invoke: (key: string, event: unknown) => Promise<InvokeOutcome>, emit: (event: DevServerEvent) => void): JobRunner {
  let timers: NodeJS.Timeout[] = [];
  // Bumped by update() and stop(): a run still in flight from before must not re-arm its schedule.
  let generation = 0;
  const arm = (state: AppState) => {
    for (const fn of state.functions.filter((candidate) => candidate.kind === 'job')) {
      for (const schedule of fn.schedules) schedule && armOne(state, fn.key, fn.functionName, schedule as Schedule);
    }
  };
  const armOne = (state: AppState, key: string, functionName: string, schedule: Schedule) => {
    const at = nextRun(schedule, new Date());
    const armedIn = generation;
    const wait = () => {
      const delay = at.getTime() - Date.now();
      if (delay > MAX_DELAY) {
        timers.push(setTimeout(wait, MAX_DELAY).unref());
        return;
      }
      timers.push(setTimeout(async () => {
        const started = performance.now();
        const event = scheduledEvent({ time: at, ruleName: `${functionName}-schedule`, region: state.config.region });
        const outcome = await invoke(key, event).catch((error: Error) => ({ kind: 'error' as const, error: { errorType: 'Error', errorMessage: error.message, trace: [] } }));
        emit({
          type: 'job', functionName, schedule: schedule.expression, status: outcome.kind === 'result' ? 'ok' : 'error', durationMs: performance.now() - started,
          detail: outcome.kind === 'result' ? outcome.payload.slice(0, 200) : `${outcome.error.errorType}: ${outcome.error.errorMessage}`,
        });
        if (armedIn === generation) armOne(state, key, functionName, schedule);
      }, Math.max(0, delay)).unref());
    };
    wait();
  };
  arm(initial);
  return {
    update(state) {
      generation += 1;
      for (const timer of timers) clearTimeout(timer);
      timers = [];
      arm(state);
    },
    stop() {
      generation += 1;
      for (const timer of timers) clearTimeout(timer);
      timers = [];
    },
  };
}
