import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queue as declareQueue } from '../../../src/config/define-config.js';
import { Job, queue, type LaterRecord, type QueueRecord } from '../../../src/runtime/index.js';
import { loadApp, request, useLocalResources, type LocalResources } from '../../../src/testing/index.js';

const root = new URL('../../fixtures/queue-app/', import.meta.url);

describe('useLocalResources(app, { jobs: true })', () => {
  let local: LocalResources;
  const app = loadApp(root);

  beforeAll(async () => {
    local = await useLocalResources(root, { jobs: true });
  });
  beforeEach(() => local.reset());
  afterAll(() => local.stop());

  it('POST → the controller sends to the declared queue → the subscribed job ran in this process', async () => {
    expect(local.names).toEqual({ emails: 'queue-app-test-emails' });
    expect(process.env.SLS_TS_RESOURCE_EMAILS_URL).toBe(local.queues[0]!.url);
    const posted = await request(app).post('/mail').send({ to: 'ada' });
    expect(posted.status).toBe(202);
    expect(await local.settled()).toEqual([
      { job: 'send-email-job', kind: 'queue', source: 'emails', records: 1, outcome: { ok: true, result: { batchItemFailures: [] } } },
    ]);
    // Each call returns the runs since the previous one.
    expect(await local.settled()).toEqual([]);
  });

  it('send() puts a message on a declared queue; a record the job refuses is reported as its result says', async () => {
    const { messageId } = await local.send('emails', 'bounce', { campaign: 'winter', tries: 1 });
    const [run] = await local.settled();
    expect(run).toMatchObject({ job: 'send-email-job', records: 1, outcome: { ok: true, result: { batchItemFailures: [{ itemIdentifier: messageId }] } } });
  });

  it('send() names the queues it knows when given another', async () => {
    await expect(local.send('nope', 'x')).rejects.toThrow(/^send\(\): no queue "nope" — queues: emails$/);
  });
});

describe('useLocalResources(inline app, { jobs: [classes] })', () => {
  class ReportJob extends Job {
    static override queue = true as const;
    static seen: unknown[] = [];
    perform(record: LaterRecord | QueueRecord) {
      ReportJob.seen.push(record.kind === 'later' ? record.payload : record.body);
    }
  }
  class TallyJob extends Job {
    static override events = [queue('counts')];
    perform(): void {
      throw new Error('tally failed');
    }
  }

  it("runs a job's own queue: performLater from the test process, send() as performLater sends; a failing record is reported", async () => {
    const local = await useLocalResources({ name: 'inline', resources: { counts: declareQueue({ visibilityTimeout: 600 }) } }, { jobs: [ReportJob, TallyJob] });
    try {
      expect(process.env.SLS_TS_JOB_QUEUE_REPORT_JOB).toMatch(/\/000000000000\/inline-test-report-job$/);
      // The runtime's own performLater (a signed SendMessage to AWS_ENDPOINT_URL_SQS), unmodified.
      await ReportJob.performLater({ month: '2026-11' });
      expect(await local.settled()).toEqual([{ job: 'report-job', kind: 'later', source: 'inline-test-report-job', records: 1, outcome: { ok: true, result: { batchItemFailures: [] } } }]);
      await local.send('ReportJob', { month: '2026-12' });
      await local.send('counts', '1');
      const runs = await local.settled();
      expect(runs).toHaveLength(2);
      expect(runs).toContainEqual(expect.objectContaining({ job: 'tally-job', kind: 'queue', source: 'counts', outcome: { ok: true, result: { batchItemFailures: [{ itemIdentifier: expect.any(String) }] } } }));
      expect(ReportJob.seen).toEqual([{ month: '2026-11' }, { month: '2026-12' }]);
    } finally {
      await local.stop();
    }
  });
});
