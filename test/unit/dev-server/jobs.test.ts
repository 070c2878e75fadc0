// Jobs locally: a job invoked by key through the dev server (as `sls-ts invoke --local` does), and
// the --jobs scheduler (src/dev-server/jobs.ts) under fake timers.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppState } from '../../../src/dev-server/app-state.js';
import type { DevServerEvent } from '../../../src/dev-server/index.js';
import { startJobs } from '../../../src/dev-server/jobs.js';
import type { InvokeOutcome } from '../../../src/dev-server/pool.js';
import { scheduledEvent } from '../../../src/runtime/events/index.js';
import { cron, rate } from '../../../src/runtime/schedule.js';
import { startDevServer, type Started } from './support.js';

describe('a job through the dev server', () => {
  let dev: Started;
  beforeAll(async () => {
    dev = await startDevServer();
  });
  afterAll(() => dev?.close());

  it('server.invoke runs the job\'s perform() with the scheduled event (item 95) in its own warm environment', async () => {
    expect(dev.server.state().functions.find((fn) => fn.key === 'tick-job')).toMatchObject({ kind: 'job', functionName: 'dev-app-dev-tick-job', schedules: [{ kind: 'rate', expression: 'rate(1 minute)' }] });
    const event = scheduledEvent({ time: new Date('2026-03-01T01:23:45.678Z'), ruleName: 'tick', region: 'eu-west-1' });
    const first = await dev.server.invoke('tick-job', event);
    const second = await dev.server.invoke('tick-job', event);
    expect(first.kind).toBe('result');
    expect(first.cold).toBe(true);
    expect(second.cold).toBe(false);
    expect(first.kind === 'result' && JSON.parse(first.payload)).toEqual({
      runs: 1, source: 'aws.events', detailType: 'Scheduled Event', time: '2026-03-01T01:23:45Z', resources: ['arn:aws:events:eu-west-1:123456789012:rule/tick'],
    });
    expect(second.kind === 'result' && (JSON.parse(second.payload) as { runs: number }).runs).toBe(2);
  });

  it('server.invoke on an unknown key names the functions there are', async () => {
    await expect(dev.server.invoke('nope', {})).rejects.toThrow(/no function "nope".*tick-job/);
  });
});

describe('the --jobs scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function stateWith(schedules: Array<{ kind: 'rate' | 'cron'; expression: string }>): AppState {
    return {
      config: { region: 'eu-west-1' },
      functions: [
        { key: 'tick-job', kind: 'job', functionName: 'app-dev-tick-job', schedules },
        { key: 'echo', kind: 'function', functionName: 'app-dev-echo', schedules: [] },
      ],
    } as unknown as AppState;
  }

  const ok = (payload: unknown): InvokeOutcome => ({ kind: 'result', payload: JSON.stringify(payload), cold: false, durationMs: 1 });

  it('runs a rate() job every period with a scheduled event for the firing time, and reports each run', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const invoke = vi.fn(async (_key: string, _event: unknown) => ok({ done: true }));
    const events: DevServerEvent[] = [];
    const runner = startJobs(stateWith([rate('1 minute')]), invoke, (event) => events.push(event));

    await vi.advanceTimersByTimeAsync(59_999);
    expect(invoke).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke.mock.calls[0]![0]).toBe('tick-job');
    expect(invoke.mock.calls[0]![1]).toMatchObject({ source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-01-01T00:01:00Z', region: 'eu-west-1', resources: ['arn:aws:events:eu-west-1:123456789012:rule/app-dev-tick-job-schedule'] });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(invoke).toHaveBeenCalledTimes(2);
    expect((invoke.mock.calls[1]![1] as { time: string }).time).toBe('2026-01-01T00:02:00Z');
    expect(events).toEqual([
      expect.objectContaining({ type: 'job', functionName: 'app-dev-tick-job', schedule: 'rate(1 minute)', status: 'ok', detail: '{"done":true}' }),
      expect.objectContaining({ type: 'job', status: 'ok' }),
    ]);
    runner.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it('runs a cron() job at its next UTC match and reports a failed run as an error', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T11:59:30Z') });
    const invoke = vi.fn(async (): Promise<InvokeOutcome> => ({ kind: 'error', error: { errorType: 'Error', errorMessage: 'job failed', trace: [] }, cold: true, durationMs: 1 }));
    const events: DevServerEvent[] = [];
    const runner = startJobs(stateWith([cron('0 12 * * ? *')]), invoke, (event) => events.push(event));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(invoke).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(events).toEqual([expect.objectContaining({ type: 'job', status: 'error', detail: 'Error: job failed' })]);
    runner.stop();
  });

  it('stop() while a run is in flight: nothing runs afterwards', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    let finish: (outcome: InvokeOutcome) => void = () => {};
    const invoke = vi.fn(() => new Promise<InvokeOutcome>((resolve) => (finish = resolve)));
    const runner = startJobs(stateWith([rate('1 minute')]), invoke, () => {});
    await vi.advanceTimersByTimeAsync(60_000);
    expect(invoke).toHaveBeenCalledTimes(1);
    runner.stop();
    finish(ok({}));
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('update() while a run is in flight: the schedule runs once per period, not twice', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    let finish: (outcome: InvokeOutcome) => void = () => {};
    const invoke = vi.fn(() => new Promise<InvokeOutcome>((resolve) => (finish = resolve)));
    const state = stateWith([rate('1 minute')]);
    const runner = startJobs(state, invoke, () => {});
    await vi.advanceTimersByTimeAsync(60_000);
    runner.update(state);
    finish(ok({}));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(invoke).toHaveBeenCalledTimes(2);
    runner.stop();
  });
});
