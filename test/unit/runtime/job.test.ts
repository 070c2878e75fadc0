import { afterEach, describe, it, expect, vi } from 'vitest';
import { createJobHandler, Job, schedulesOf } from '../../../src/runtime/job.js';
import type { LambdaContext, ScheduledEvent } from '../../../src/runtime/job.js';
import { cron, rate } from '../../../src/runtime/schedule.js';
import { createLambdaContext } from '../../../src/runtime/context.js';

// Shaped exactly as EventBridge delivers a scheduled rule's event (reference item 95).
const scheduledEvent: ScheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2019-03-01T01:23:45Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/blog-dev-cleanup-job'],
  detail: {},
};

const context: LambdaContext = createLambdaContext({
  functionName: 'blog-dev-cleanup-job',
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('schedulesOf', () => {
  it('returns no schedules when the job has none', () => {
    class Manual extends Job {
      perform(): void {}
    }
    expect(schedulesOf(Manual)).toEqual([]);
  });

  it('wraps a single schedule', () => {
    class Hourly extends Job {
      static override schedule = rate('1 hour');
      perform(): void {}
    }
    expect(schedulesOf(Hourly)).toEqual([{ kind: 'rate', expression: 'rate(1 hour)' }]);
  });

  it('returns every schedule of a list, as a copy', () => {
    const schedules = [rate('5 minutes'), cron('0 12 * * ? *')];
    class Twice extends Job {
      static override schedule = schedules;
      perform(): void {}
    }
    const result = schedulesOf(Twice);
    expect(result).toEqual([
      { kind: 'rate', expression: 'rate(5 minutes)' },
      { kind: 'cron', expression: 'cron(0 12 * * ? *)' },
    ]);
    result.pop();
    expect(Twice.schedule).toHaveLength(2);
  });

  it('sees a schedule inherited from a parent job', () => {
    class Parent extends Job {
      static override schedule = cron('0 8 ? * MON-FRI *');
      perform(): void {}
    }
    class Child extends Parent {}
    expect(schedulesOf(Child)).toEqual([{ kind: 'cron', expression: 'cron(0 8 ? * MON-FRI *)' }]);
  });
});

describe('createJobHandler', () => {
  it('passes the EventBridge event (as a schedule record keeping all its fields) and the context to perform and returns its result', async () => {
    const seen: unknown[] = [];
    class CleanupJob extends Job {
      static override schedule = rate('1 day');
      perform(event: ScheduledEvent, ctx: LambdaContext) {
        seen.push(event, ctx);
        return { ruleArn: event.resources[0], firedAt: event.time, requestId: ctx.awsRequestId };
      }
    }
    const handler = createJobHandler(CleanupJob);
    const result = await handler(scheduledEvent, context);
    // Jobs written before typed records read the event's own fields: the record keeps them all.
    expect(seen[0]).toMatchObject({ ...scheduledEvent, kind: 'schedule', rule: 'blog-dev-cleanup-job' });
    expect((seen[0] as { raw: unknown }).raw).toBe(scheduledEvent);
    expect(seen[1]).toBe(context);
    expect(result).toEqual({
      ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/blog-dev-cleanup-job',
      firedAt: '2019-03-01T01:23:45Z',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('awaits an async perform', async () => {
    class SlowJob extends Job {
      async perform(event: ScheduledEvent) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return `done at ${event.time}`;
      }
    }
    await expect(createJobHandler(SlowJob)(scheduledEvent, context)).resolves.toBe('done at 2019-03-01T01:23:45Z');
  });

  it('returns a promise even when perform is synchronous', () => {
    class SyncJob extends Job {
      perform() {
        return 42;
      }
    }
    const pending = createJobHandler(SyncJob)(scheduledEvent, context);
    expect(pending).toBeInstanceOf(Promise);
    return expect(pending).resolves.toBe(42);
  });

  it('creates a fresh instance for every invocation', async () => {
    class CountingJob extends Job {
      runs = 0;
      perform() {
        this.runs += 1;
        return { runs: this.runs, self: this };
      }
    }
    const handler = createJobHandler(CountingJob);
    const first = (await handler(scheduledEvent, context)) as { runs: number; self: CountingJob };
    const second = (await handler(scheduledEvent, context)) as { runs: number; self: CountingJob };
    expect(first.runs).toBe(1);
    expect(second.runs).toBe(1);
    expect(first.self).not.toBe(second.self);
    expect(first.self).toBeInstanceOf(CountingJob);
  });

  it('rethrows a thrown error after logging it with the job name, so Lambda retries', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = new Error('database unreachable');
    class ReportJob extends Job {
      perform(): never {
        throw failure;
      }
    }
    await expect(createJobHandler(ReportJob)(scheduledEvent, context)).rejects.toBe(failure);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toContain('ReportJob');
    expect(logged.mock.calls[0]).toContain(failure);
  });

  it('rethrows a rejected promise and a non-Error value unchanged', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    class RejectingJob extends Job {
      async perform() {
        await Promise.resolve();
        throw new TypeError('bad payload');
      }
    }
    class StringThrowingJob extends Job {
      perform(): never {
        throw 'plain string';
      }
    }
    await expect(createJobHandler(RejectingJob)(scheduledEvent, context)).rejects.toThrow(TypeError);
    await expect(createJobHandler(StringThrowingJob)(scheduledEvent, context)).rejects.toBe('plain string');
    expect(logged.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringContaining('RejectingJob'),
      expect.stringContaining('StringThrowingJob'),
    ]);
  });

  it('logs under the name it is given, for bundles whose class names are minified', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    class r extends Job {
      perform(): never {
        throw new Error('boom');
      }
    }
    await expect(createJobHandler(r, 'CleanupJob')(scheduledEvent, context)).rejects.toThrow('boom');
    expect(String(logged.mock.calls[0]?.[0])).toContain('job CleanupJob failed');
  });

  it('logs nothing when the job succeeds', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    class QuietJob extends Job {
      perform() {
        return null;
      }
    }
    await expect(createJobHandler(QuietJob)(scheduledEvent, context)).resolves.toBeNull();
    expect(logged).not.toHaveBeenCalled();
  });
});
