// Jobs' `static events` and `static queue` are checked when the app builds: each rule broken is one
// line naming the job's file and the subscription, with a hint, and the build fails before it
// bundles or writes anything. Through build() and the CLI, on a copy of the notes-data fixture.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { bucket, queue, table, topic } from '../../../src/config/define-config.js';
import { build, buildDirectory, resolveConfig, SlsError, type UserConfig } from '../../../src/index.js';
import { captureOutput } from '../deploy/support.js';
import { copyApp, createScratch, fixture } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const RESOURCES: UserConfig['resources'] = {
  emails: queue({ visibilityTimeout: 30 }),
  orders: queue({ fifo: true, visibilityTimeout: 60 }),
  receipts: topic({ fifo: true }),
  alerts: topic(),
  uploads: bucket(),
  posts: table({ key: 'id', stream: 'keys' }),
};

let copies = 0;
/** notes-data with `jobs` written into app/jobs (file name → class body lines) and the resources above. */
function appWithJobs(jobs: Record<string, string>, timeout?: number): { root: string; config: ReturnType<typeof resolveConfig> } {
  const root = copyApp(fixture('notes-data'), scratch.dir, `notes-events-${++copies}`);
  mkdirSync(join(root, 'app', 'jobs'), { recursive: true });
  for (const [name, body] of Object.entries(jobs)) {
    const className = name.replace(/(^|-)([a-z])/g, (_, _dash, letter: string) => letter.toUpperCase());
    writeFileSync(join(root, 'app', 'jobs', `${name}.ts`), `import { Job, queue, topic, bucket, table, rule } from 'sls-ts';\n\nexport default class ${className} extends Job {\n${body}\n  perform() {}\n}\n`);
  }
  const config = resolveConfig({ name: 'notes', resources: { notes: table({ key: 'id' }), ...RESOURCES }, ...(timeout ? { timeout } : {}) }, { stage: 'dev', root, processEnv: {} });
  return { root, config };
}

async function buildFailure(config: ReturnType<typeof resolveConfig>): Promise<SlsError> {
  const failure = await build({ config, cache: false }).then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(SlsError);
  return failure as SlsError;
}

describe('subscriptions the build refuses', () => {
  it('one line per rule broken, naming the job file, the subscription and what is wrong, each with a hint; nothing is written', async () => {
    const { root, config } = appWithJobs({
      'mail-job': [
        "  static events = [queue('emals'), queue('alerts'), topic('nothing'), queue('arn:aws:sns:us-east-1:123456789012:x'), queue('arn:aws:sqs:nowhere'),",
        "    queue('orders', { batchSize: 20 }), queue('orders', { maxBatchingWindow: 2 }), queue('emails', { batchSize: 20 }), queue('emails', { maxBatchingWindow: 301, maxConcurrency: 1, batchSze: 5 } as never),",
        "    topic('receipts'), bucket('arn:aws:s3:::theirs'), bucket('uploads', { on: ['created', 'uploaded' as never] }),",
        "    table('posts', { stream: 'new', batchSize: 0, retries: -2, onFailure: 'uploads' }), table('posts', { onFailure: 'orders' })];",
        '  static queue = { visibilityTimeout: 1, maxReceives: 0, maxConcurrency: 1001 };',
      ].join('\n'),
    });
    const failure = await buildFailure(config);
    const file = join(root, 'app', 'jobs', 'mail-job.ts');
    for (const diagnostic of failure.diagnostics) {
      expect(diagnostic.file).toBe(file);
      expect(diagnostic.hint ?? '', diagnostic.text).not.toBe('');
      expect(diagnostic.text).not.toContain('\n');
    }
    const texts = failure.diagnostics.map((d) => d.text);
    expect(texts).toEqual([
      "MailJob.events[0].source: 'emals' names no declared queue",
      "MailJob.events[1].source: 'alerts' is a declared topic, not a queue",
      "MailJob.events[2].source: 'nothing' names no declared topic",
      "MailJob.events[3].source: 'arn:aws:sns:us-east-1:123456789012:x' is an ARN of sns, not of an SQS queue",
      "MailJob.events[4].source: 'arn:aws:sqs:nowhere' is no well-formed ARN",
      'MailJob.events[5].batchSize: 20 is outside 1–10, the records Lambda takes from a FIFO queue at once',
      'MailJob.events[6].maxBatchingWindow: Lambda has no batching window for FIFO queues',
      'MailJob.events[7].batchSize: a batch of 20 needs a batching window: Lambda takes more than 10 records from a queue only while it waits for them',
      'MailJob.events[8].batchSze: is no setting of this subscription, so it would do nothing',
      'MailJob.events[8].maxBatchingWindow: 301 is outside 0–300, the seconds Lambda may gather records',
      "MailJob.events[8].maxConcurrency: 1 is outside 2–1000, Lambda's limits on a queue's concurrency",
      "MailJob.events[9]: topic 'receipts' is a FIFO topic: SNS delivers FIFO topics to SQS queues only, never to a function",
      "MailJob.events[10].source: 'arn:aws:s3:::theirs': a bucket sls-ts does not declare cannot be subscribed to, because S3 keeps its notifications on the bucket itself",
      'MailJob.events[11].on[1]: "uploaded" is no S3 event type',
      'MailJob.events[12].batchSize: 0 is outside 1–10000, the records Lambda takes from a stream at once',
      "MailJob.events[12].retries: -2 is outside -1–10000, Lambda's retries of a stream batch (-1: until the record expires)",
      "MailJob.events[12].stream: 'new' disagrees with table 'posts', whose stream carries 'keys': a table has one stream",
      "MailJob.events[12].onFailure: 'uploads' is a declared bucket, not a queue or topic",
      "MailJob.events[13].onFailure: 'orders' is a FIFO queue: Lambda sends failed stream batches to standard ones only",
      "MailJob.queue.maxConcurrency: 1001 is outside 2–1000, Lambda's limits on a queue's concurrency",
      'MailJob.queue.visibilityTimeout: 1 is outside 10–43200 seconds: SQS allows up to 12 hours, and Lambda refuses a queue whose visibility timeout is under the function\'s timeout (10 s)',
      "MailJob.queue.maxReceives: 0 is outside 1–1000, SQS's limits on receives before the dead-letter queue",
    ]);
    const hint = (start: string) => failure.diagnostics.find((d) => d.text.startsWith(start))?.hint;
    expect(hint('MailJob.events[0].source')).toBe('did you mean `emails`?');
    expect(hint('MailJob.events[2].source')).toBe('declared topics: receipts, alerts');
    expect(hint('MailJob.events[8].batchSze')).toBe('did you mean `batchSize`?');
    expect(existsSync(buildDirectory(config))).toBe(false);
  }, 60_000);

  it('a filter policy SNS would refuse and an event pattern EventBridge would refuse, each named by its path', async () => {
    const { root, config } = appWithJobs({
      'alert-job': [
        "  static events = [topic('alerts', { filter: { level: 'error' } }), topic('alerts', { filter: { price: [{ numeric: ['>>', 5] }] }, filterScope: 'body' }),",
        "    rule({ source: 'shop', detail: { total: [{ between: [1, 2] }] } }), rule({ detailType: 'ok', detail: { total: [{ numeric: ['>', 1] }] } })];",
      ].join('\n'),
    });
    const failure = await buildFailure(config);
    const texts = failure.diagnostics.map((d) => d.text);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^AlertJob\.events\[0\]\.filter: level: /);
    expect(texts[1]).toMatch(/^AlertJob\.events\[1\]\.filter: price\[0\]\.numeric/);
    expect(texts[2]).toMatch(/^AlertJob\.events\[2\]\.pattern: detail\.total\[0\]/);
    for (const diagnostic of failure.diagnostics) expect(diagnostic.file).toBe(join(root, 'app', 'jobs', 'alert-job.ts'));
  }, 60_000);

  it('overlapping notifications on one bucket, across jobs and within one; two views of one table\'s stream; a queue hiding messages for less than the job\'s timeout', async () => {
    const { root, config } = appWithJobs({
      'thumbs-job': "  static events = [bucket('uploads', { prefix: 'images/' }), queue('emails'), table('notes', { stream: 'new' })];",
      'audit-job': "  static events = [bucket('uploads', { on: ['s3:ObjectCreated:Put'], prefix: 'images/raw/', suffix: '.png' }), bucket('uploads', { on: ['removed', 's3:ObjectRemoved:Delete'], prefix: 'docs/' }), table('notes', { stream: 'old' })];",
    }, 60);
    const failure = await buildFailure(config);
    expect(failure.diagnostics.map((d) => [d.text, d.file])).toEqual([
      ["ThumbsJob.events[1]: queue 'emails' hides a received message for 30 s, under the job's timeout (60 s): Lambda refuses to read from it", join(root, 'app', 'jobs', 'thumbs-job.ts')],
      ["AuditJob.events[0]: s3:ObjectCreated:Put on bucket 'uploads' overlaps ThumbsJob.events[0] (s3:ObjectCreated:*) for keys both filters match: S3 refuses overlapping notifications on one bucket", join(root, 'app', 'jobs', 'audit-job.ts')],
      ['AuditJob.events[1]: its events s3:ObjectRemoved:* and s3:ObjectRemoved:Delete overlap for keys both filters match: S3 refuses overlapping notifications on one bucket', join(root, 'app', 'jobs', 'audit-job.ts')],
      ["ThumbsJob.events[2].stream: 'new' disagrees with AuditJob.events[2], which reads table 'notes' as 'old': a table has one stream", join(root, 'app', 'jobs', 'thumbs-job.ts')],
    ]);
  }, 60_000);
});

describe('subscriptions the build accepts', () => {
  it("warns when the job's queues' maxConcurrency add up to more than its reservedConcurrency, and not at the sum", async () => {
    const { root } = appWithJobs({ 'mail-job': "  static events = [queue('emails', { maxConcurrency: 3 }), queue('orders')];\n  static queue = { maxConcurrency: 2 };" });
    const reserving = (reservedConcurrency: number) => resolveConfig({ name: 'notes', resources: { notes: table({ key: 'id' }), ...RESOURCES }, jobs: { mail: { reservedConcurrency } } }, { stage: 'dev', root, processEnv: {} });
    const over = await build({ config: reserving(4), cache: false });
    expect(over.warnings.filter((w) => w.text.startsWith('MailJob'))).toEqual([
      {
        level: 'warning',
        file: join(root, 'app', 'jobs', 'mail-job.ts'),
        text: "MailJob: its queues' maxConcurrency add up to 5, over the job's reservedConcurrency (4): Lambda throttles the batches above it, and they come back only after their visibility timeout",
        hint: "keep the sum at most 4, or raise the job's reservedConcurrency (AWS advises reserved ≥ the sum)",
      },
    ]);
    const enough = await build({ config: reserving(5), cache: false });
    expect(enough.warnings.filter((w) => w.text.startsWith('MailJob'))).toEqual([]);
  }, 120_000);

  it('declared sources and ARNs within every limit build, and the manifest keeps them', async () => {
    const { config } = appWithJobs({
      'mail-job': [
        "  static events = [queue('emails', { batchSize: 100, maxBatchingWindow: 1, maxConcurrency: 2 }), queue('orders', { batchSize: 10 }), queue('arn:aws:sqs:us-east-1:123456789012:legacy'),",
        "    topic('alerts', { filter: { level: ['error'] }, filterScope: 'body' }), bucket('uploads', { prefix: 'images/' }), bucket('uploads', { prefix: 'docs/' }),",
        "    table('posts', { stream: 'keys', onFailure: 'alerts', retries: -1 }), rule({ source: 'shop', bus: 'orders' })];",
        '  static queue = { batchSize: 10, maxReceives: 5, maxConcurrency: 1000 };',
      ].join('\n'),
    });
    const result = await build({ config, cache: false });
    const job = result.manifest.functions.find((fn) => fn.key === 'mail-job')!;
    expect(job.events).toHaveLength(8);
    expect(job.jobQueue).toEqual({ batchSize: 10, maxReceives: 5, maxConcurrency: 1000 });
    expect(result.warnings.filter((w) => w.text.startsWith('MailJob'))).toEqual([]);
  }, 120_000);
});

describe('on the CLI', () => {
  it('sls-ts build prints the subscription error with its file and exits 1', async () => {
    const { root } = appWithJobs({ 'mail-job': "  static events = [queue('emals')];" });
    writeFileSync(join(root, 'sls-ts.config.ts'), "import { defineConfig, queue } from 'sls-ts/config';\n\nexport default defineConfig({ name: 'notes', resources: { emails: queue() } });\n");
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'build', '-C', root], output);
    expect(code).toBe(1);
    const text = output.stderr.join('');
    expect(text).toContain("MailJob.events[0].source: 'emals' names no declared queue");
    expect(text).toContain('mail-job.ts');
    expect(text).toContain('did you mean `emails`?');
  }, 60_000);

  it('sls-ts build lists what runs each job beside its schedules: its event sources and its own queue', async () => {
    const { root } = appWithJobs({
      'mail-job': "  static events = [queue('emails', { batchSize: 5 }), bucket('uploads', { on: ['created'], prefix: 'images/' }), rule({ source: 'shop' })];\n  static queue = true as const;",
    });
    writeFileSync(join(root, 'sls-ts.config.ts'), "import { bucket, defineConfig, queue } from 'sls-ts/config';\n\nexport default defineConfig({ name: 'notes', resources: { emails: queue(), uploads: bucket() } });\n");
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'build', '-C', root], output);
    expect(code, output.stderr.join('')).toBe(0);
    expect(output.stdout.join('\n')).toContain('MailJob ← queue emails (batch 5); bucket uploads (s3:ObjectCreated:*, images/…); rule {"source":["shop"]}; its own queue (performLater)');
  }, 120_000);
});
