import { describe, expect, it } from 'vitest';
import { bucket, queue, rule, table, topic, type JobSubscription as RuntimeSubscription, type JobQueueOptions as RuntimeQueueOptions } from '../../../src/runtime/index.js';
import type { JobQueueOptions, JobSubscription } from '../../../src/config/subscriptions.js';
import { jobQueueEnvName } from '../../../src/config/subscriptions.js';

// The runtime declares the shapes again (it may not import config/): these assignments stop
// compiling (`npm run typecheck`) the day the two drift apart.
const toTooling = (value: RuntimeSubscription): JobSubscription => value;
const toRuntime = (value: JobSubscription): RuntimeSubscription => value;
const queueOptions = (value: RuntimeQueueOptions): JobQueueOptions => value;

describe('job subscription helpers', () => {
  it('tag plain data the tooling reads unchanged', () => {
    const made = [queue('emails', { batchSize: 5 }), topic('alerts'), bucket('uploads', { prefix: 'in/' }), table('posts', { startingPosition: 'trim-horizon' })];
    expect(made.map(toTooling).map(toRuntime)).toEqual([
      { kind: 'queue', source: 'emails', batchSize: 5 },
      { kind: 'topic', source: 'alerts' },
      { kind: 'bucket', source: 'uploads', prefix: 'in/' },
      { kind: 'table', source: 'posts', startingPosition: 'trim-horizon' },
    ]);
    expect(queueOptions({ maxReceives: 2 })).toEqual({ maxReceives: 2 });
  });

  it('rule() spells an EventBridge pattern: single values become lists, detailType becomes detail-type', () => {
    expect(rule({ source: 'shop', detailType: 'order.paid', pattern: { account: ['123456789012'] }, bus: 'orders' })).toEqual({
      kind: 'rule',
      pattern: { account: ['123456789012'], source: ['shop'], 'detail-type': ['order.paid'] },
      bus: 'orders',
    });
  });

  it('names the environment variable of a queued job after its class', () => {
    expect(jobQueueEnvName('EmailJob')).toBe('SLS_TS_JOB_QUEUE_EMAIL_JOB');
    expect(jobQueueEnvName('ResizeImageJob')).toBe('SLS_TS_JOB_QUEUE_RESIZE_IMAGE_JOB');
  });
});
