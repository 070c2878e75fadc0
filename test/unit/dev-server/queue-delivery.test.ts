// The dev server delivers local queue messages to subscribed jobs through their worker pools, and
// reports each delivery like a request (#18): POST → the controller sends with unmodified SDK code
// → the job runs; partial failures come back and end in the dead-letter queue; a job given its own
// queue on a reload gets it without a restart.
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { DevServer, DevServerEvent } from '../../../src/dev-server/index.js';
import { startDevServer } from './support.js';

const queueApp = fileURLToPath(new URL('../../fixtures/queue-app', import.meta.url));
// Copies stay inside this package, so their `import 'sls-ts'` resolves to this repo by self-reference.
const fixturesDir = fileURLToPath(new URL('../../fixtures', import.meta.url));

// Servers closed and copies removed after each test, last first.
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(root = queueApp): Promise<{ server: DevServer; events: DevServerEvent[]; sqs: SQSClient }> {
  const { server, events, close } = await startDevServer({ root });
  cleanups.push(close);
  await server.ready();
  const endpoint = server.engines().find((engine) => engine.service === 'SQS')!.endpoint;
  return { server, events, sqs: new SQSClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) };
}

const REPORT_JOB = "import { Job } from 'sls-ts';\n\nexport default class ReportJob extends Job {\n  static override queue = true as const;\n\n  perform() {\n    return null;\n  }\n}\n";

function copyApp(): string {
  const root = mkdtempSync(join(fixturesDir, '.tmp-queue-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  cpSync(queueApp, root, { recursive: true, filter: (source) => !source.includes(`${queueApp}/.sls-ts`) });
  return root;
}

type Delivered = Extract<DevServerEvent, { type: 'delivery' }>;
const deliveries = (events: DevServerEvent[]) => events.filter((event): event is Delivered => event.type === 'delivery');

async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('dev server: queue messages delivered to subscribed jobs', () => {
  it('POST → the controller sends to the queue → the subscribed job runs, reported as a delivery', async () => {
    const { server, events } = await start();
    expect(server.engines()).toEqual([{ service: 'SQS', endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), kind: 'queues', names: ['emails'] }]);
    const response = await fetch(`${server.url}/mail`, { method: 'POST', body: JSON.stringify({ to: 'ada' }), headers: { 'Content-Type': 'application/json' } });
    expect(response.status).toBe(202);
    const delivered = await eventually(() => deliveries(events)[0], 'a delivery');
    expect(delivered).toMatchObject({ functionName: 'queue-app-dev-send-email-job', kind: 'queue', source: 'emails', records: 1, status: 'ok' });
    expect(delivered.failed).toBeUndefined();
  });

  it('a record the job refuses is a partial delivery, comes back after its visibility timeout, and ends in the dead-letter queue', async () => {
    const { events, sqs } = await start();
    const QueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'queue-app-dev-emails' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bounce me' }));
    const dlq = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'queue-app-dev-emails-dlq' }))).QueueUrl!;
    const dead = await eventually(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, VisibilityTimeout: 0 }))).Messages?.[0], 'the message in the dead-letter queue');
    expect(dead.Body).toBe('bounce me');
    // maxReceives is 2: delivered twice, never again.
    expect(deliveries(events).map((d) => [d.status, d.failed])).toEqual([['partial', 1], ['partial', 1]]);
  });

  it('a job given its own queue on a reload gets it, and messages sent there run it as `later`', async () => {
    const root = copyApp();
    const { server, events, sqs } = await start(root);
    expect(await (await fetch(`${server.url}/job-queue`)).json()).toEqual({ url: null });
    writeFileSync(join(root, 'app/jobs/report-job.ts'), REPORT_JOB);
    await server.reload();
    expect(events.filter((event) => event.type === 'reload-error')).toEqual([]);
    expect(server.engines()[0]!.names).toEqual(['emails', 'report-job (job)']);
    const QueueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'queue-app-dev-report-job' }))).QueueUrl!;
    // Every function gets it as SLS_TS_JOB_QUEUE_REPORT_JOB (what performLater reads).
    expect(await (await fetch(`${server.url}/job-queue`)).json()).toEqual({ url: QueueUrl });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"month":"2026-12"}' }));
    const delivered = await eventually(() => deliveries(events).find((d) => d.kind === 'later'), 'a later delivery');
    expect(delivered).toMatchObject({ functionName: 'queue-app-dev-report-job', source: 'queue-app-dev-report-job', records: 1, status: 'ok' });
  });

  it("an app whose only queue is a job's own starts the SQS service for it, and every function has its URL from the first request", async () => {
    const root = copyApp();
    writeFileSync(join(root, 'sls-ts.config.ts'), "import { defineConfig } from 'sls-ts/config';\n\nexport default defineConfig({ name: 'queue-app', region: 'eu-west-1' });\n");
    unlinkSync(join(root, 'app/jobs/send-email-job.ts'));
    writeFileSync(join(root, 'app/jobs/report-job.ts'), REPORT_JOB);
    const { server } = await start(root);
    expect(server.engines()).toEqual([{ service: 'SQS', endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), kind: 'queues', names: ['report-job (job)'] }]);
    expect(await (await fetch(`${server.url}/job-queue`)).json()).toEqual({ url: `${server.engines()[0]!.endpoint}/000000000000/queue-app-dev-report-job` });
  });
});
