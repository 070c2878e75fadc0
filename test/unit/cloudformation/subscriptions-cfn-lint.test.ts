// Every shape jobs' subscriptions give a template, through AWS's cfn-lint in one run: each kind on
// declared resources and on external ARNs, a job's own queue, a bucket both subscribed to and
// linked, a shared app role, a nested app, and every job (the scheduled one too) with provisioned
// concurrency, invoked through its `live` alias, in one template and nested. A broken raw resource rides along to prove the run
// looked at the files.
import { describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { bucket, cloudformation, queue, table, topic } from '../../../src/config/define-config.js';
import type { JobQueueOptions, JobSubscription } from '../../../src/config/subscriptions.js';
import type { UserConfig } from '../../../src/config/types.js';
import { bucket as onBucket, queue as onQueue, rule, table as onTable, topic as onTopic } from '../../../src/runtime/subscriptions.js';
import { cfnLint, formatFindings, templatesOf, type NamedTemplate } from '../../support/cfn-lint.js';
import { assertAllValid, builtFunction, makeConfig, makeManifest, SMALL_APP } from './fixtures.js';

const RESOURCES: UserConfig['resources'] = {
  emails: queue({ visibilityTimeout: 180 }),
  orders: queue({ fifo: true }),
  alerts: topic(),
  failures: queue(),
  uploads: bucket({ versioned: true }),
  posts: table({ key: 'id' }),
  comments: table({ key: 'id', stream: 'new-and-old' }),
};

const JOBS: Array<{ name: string; events?: JobSubscription[]; jobQueue?: JobQueueOptions }> = [
  { name: 'mailer', events: [onQueue('emails', { batchSize: 100, maxBatchingWindow: 5, maxConcurrency: 5 }), onQueue('orders', { batchSize: 10 }), onQueue('arn:aws:sqs:us-east-1:123456789012:legacy')] },
  { name: 'pager', events: [onTopic('alerts', { filter: { severity: ['high'] } }), onTopic('arn:aws:sns:eu-west-1:123456789012:ops', { filter: { kind: ['x'] }, filterScope: 'body' })] },
  { name: 'thumbs', events: [onBucket('uploads', { on: ['created'], prefix: 'images/', suffix: '.jpg' }), onBucket('uploads', { on: ['s3:ObjectRemoved:Delete'] })] },
  { name: 'indexer', events: [onTable('posts', { stream: 'new', startingPosition: 'trim-horizon', onFailure: 'failures' }), onTable('comments', { onFailure: 'alerts', retries: -1 }), onTable('arn:aws:dynamodb:us-east-1:123456789012:table/legacy/stream/2024-01-01T00:00:00.000')] },
  { name: 'billing', events: [rule({ source: 'shop', detailType: 'order.paid' }), rule({ pattern: { source: ['aws.s3'] }, bus: 'orders' })] },
  { name: 'email', jobQueue: { maxReceives: 5, maxConcurrency: 2 } },
];

function shape(name: string, user: Partial<UserConfig>, split?: 'always'): NamedTemplate[] {
  const config = makeConfig({ resources: RESOURCES, ...user });
  const manifest = makeManifest(config, SMALL_APP);
  for (const job of JOBS) {
    manifest.functions.push(builtFunction(config, { key: `${job.name}-job`, kind: 'job', source: `${job.name[0]!.toUpperCase()}${job.name.slice(1)}Job`, job: job.name, events: job.events ?? [], ...(job.jobQueue && { jobQueue: job.jobQueue }) }));
  }
  const generated = generateTemplates({ config, manifest, ...(split ? { split } : {}) });
  assertAllValid(generated);
  return templatesOf(name, generated);
}

/** Every job warm: each invoker names, and each permission is on, the job's `live` alias. */
const WARM_JOBS: UserConfig['jobs'] = Object.fromEntries([...JOBS.map((job) => job.name), 'cleanup'].map((name) => [name, { provisionedConcurrency: 1, ...(name === 'thumbs' ? { link: ['uploads'] } : {}) }]));

const CANARY_CONFIG = makeConfig({ resources: { broken: cloudformation({ Type: 'AWS::SNS::Topic', Properties: { TopicName: 'x', Bogus: true } }) } });

describe('cfn-lint over templates with jobs\' subscriptions', () => {
  it('finds no warning or error in any shape, while it flags the broken raw resource in the same run', async () => {
    const templates = [
      ...shape('subscriptions', { jobs: { thumbs: { link: ['uploads'] } } }),
      ...shape('subscriptions-app-role', { iamRoles: 'app', link: ['uploads'] }),
      ...shape('subscriptions-nested', { jobs: { thumbs: { link: ['uploads'] } } }, 'always'),
      ...shape('subscriptions-provisioned', { jobs: WARM_JOBS }),
      ...shape('subscriptions-provisioned-nested', { jobs: WARM_JOBS }, 'always'),
      ...templatesOf('canary', generateTemplates({ config: CANARY_CONFIG, manifest: makeManifest(CANARY_CONFIG, { routes: [] }) })),
    ];
    expect(templates.filter((t) => t.name.startsWith('subscriptions-nested/')).length).toBeGreaterThan(3);
    expect(templates.filter((t) => t.name.startsWith('subscriptions-provisioned')).map((t) => JSON.stringify(t.template)).join()).toContain('"Ref":"ThumbsJobLiveAlias"');
    const findings = await cfnLint(templates);
    expect(findings).toContainEqual(expect.objectContaining({ file: 'canary/root', rule: 'E3002', level: 'Error' }));
    const problems = findings.filter((finding) => !finding.file.startsWith('canary/') && finding.level !== 'Informational');
    expect(formatFindings(problems)).toBe('');
  }, 240_000);
});
