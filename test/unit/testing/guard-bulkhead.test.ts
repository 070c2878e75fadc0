// The SQS-backed bulkhead (README "Resilience"): calls over a guard's maxConcurrent go to a queued
// job (`fallback` → `SomeJob.performLater`) instead of failing; the job's queue mapping caps how
// many run at once (`static queue = { maxConcurrency }`). Run on the local SQS engine with the
// runtime's own performLater (a signed SendMessage), so the recipe as written is what is tested.
// The cap itself is the mapping's (test/unit/cloudformation/subscriptions.test.ts): the local
// engine delivers one batch at a time per queue anyway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard, Job, type LaterRecord } from '../../../src/runtime/index.js';
import { useLocalResources, type LocalResources } from '../../../src/testing/index.js';

type Report = { id: string };

class RenderReportJob extends Job {
  static override queue = { maxConcurrency: 2 };
  static rendered: unknown[] = [];
  perform(record: LaterRecord) {
    RenderReportJob.rendered.push(record.payload);
  }
}

describe('guard + a queued job: the SQS-backed bulkhead', () => {
  let local: LocalResources;
  beforeAll(async () => {
    local = await useLocalResources({ name: 'reports' }, { jobs: [RenderReportJob] });
  });
  afterAll(() => local.stop());

  it('sends what the cap rejects to the job\'s queue, and lets other failures through', async () => {
    let release!: () => void;
    const busy = new Promise<void>((resolve) => (release = resolve));
    const downstream: string[] = [];
    const render = guard(
      async (_call, report: Report) => {
        downstream.push(report.id);
        if (report.id === 'broken') throw new Error('renderer said 400');
        await busy;
        return 'rendered';
      },
      {
        name: 'renderer',
        maxConcurrent: 1,
        fallback: async (error, { reason, args: [report] }) => {
          if (reason !== 'bulkhead') throw error;
          await RenderReportJob.performLater(report);
          return 'queued';
        },
      },
    );

    const first = render({ id: 'r-1' });
    await expect(render({ id: 'r-2' })).resolves.toBe('queued');
    expect(downstream).toEqual(['r-1']); // the overflow never reached the downstream here
    expect(await local.settled()).toEqual([{ job: 'render-report-job', kind: 'later', source: 'reports-test-render-report-job', records: 1, outcome: { ok: true, result: { batchItemFailures: [] } } }]);
    expect(RenderReportJob.rendered).toEqual([{ id: 'r-2' }]);

    release();
    await expect(first).resolves.toBe('rendered');
    await expect(render({ id: 'broken' })).rejects.toThrow('renderer said 400');
    expect(await local.settled()).toEqual([]);
  });

});
