// A CloudFormation double on a virtual clock for polling at scale: a root stack updating many
// nested stacks, each busy for its own stretch of time, whose events appear only once their time
// has come. `ctx.sleep` moves the clock, so a run of minutes takes milliseconds. Used by
// monitor-scale.test.ts and bench/deploy-polling.ts.
import {
  CloudFormationClient, DescribeStackEventsCommand, DescribeStacksCommand, type DescribeStackEventsCommandInput, type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import type { ResolvedConfig } from '../../../src/config/index.js';
import { createDeployContext, type DeployContext } from '../../../src/deploy/index.js';

const ROOT = 'example-app-dev';
const ROOT_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${ROOT}/1`;
const EPOCH = Date.parse('2030-01-01T00:00:00Z');
const config = { name: 'example-app', stage: 'dev', region: 'us-east-1', tags: {} } as unknown as ResolvedConfig;

export interface ScaleOptions {
  nested: number;
  /** Every DescribeStackEvents and DescribeStacks call in this window of virtual time is throttled. */
  throttled?: { fromMs: number; toMs: number };
}

export interface NestedActivity {
  stackId: string;
  /** Virtual ms from its first event to its last. */
  activeMs: number;
  calls: number;
}

export interface ScaleRun {
  ctx: DeployContext;
  /** Per nested stack: how long it was busy and how often its events were read. */
  activity: () => NestedActivity[];
  rootCalls: () => number;
  throttledCalls: () => number;
  restore: () => void;
}

interface Timed {
  at: number;
  event: StackEvent;
}

export function simulateScale(options: ScaleOptions): ScaleRun {
  let now = 0;
  let counter = 0;
  const events = new Map<string, Timed[]>();
  const add = (stackId: string, at: number, fields: Partial<StackEvent> & { LogicalResourceId: string; ResourceStatus: string }) => {
    const event = { EventId: `e${++counter}`, StackId: stackId, ResourceType: 'AWS::Lambda::Function', Timestamp: new Date(EPOCH + at), ...fields } as StackEvent;
    events.set(stackId, [...(events.get(stackId) ?? []), { at, event }]);
  };
  const self = (stackId: string, name: string, at: number, status: string) =>
    add(stackId, at, { LogicalResourceId: name, PhysicalResourceId: stackId, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: status as never });

  self(ROOT_ID, ROOT, 0, 'UPDATE_IN_PROGRESS');
  let end = 0;
  const nestedIds: string[] = [];
  for (let i = 0; i < options.nested; i++) {
    const id = `arn:aws:cloudformation:us-east-1:123456789012:stack/${ROOT}-C${i}Stack-X/${i}`;
    nestedIds.push(id);
    const start = 1000 + (i % 10) * 2000;
    const busy = 15000 + (i % 7) * 5000;
    const nested = { ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: id, LogicalResourceId: `C${i}Stack` };
    add(ROOT_ID, start, { ...nested, ResourceStatus: 'UPDATE_IN_PROGRESS' });
    self(id, `${ROOT}-C${i}Stack-X`, start + 100, 'UPDATE_IN_PROGRESS');
    for (let r = 1; r <= 3; r++) {
      add(id, start + (busy * r) / 4, { LogicalResourceId: `C${i}Fn${r}`, ResourceStatus: 'UPDATE_IN_PROGRESS' });
      add(id, start + (busy * r) / 4 + 500, { LogicalResourceId: `C${i}Fn${r}`, ResourceStatus: 'UPDATE_COMPLETE' });
    }
    self(id, `${ROOT}-C${i}Stack-X`, start + busy, 'UPDATE_COMPLETE');
    add(ROOT_ID, start + busy + 200, { ...nested, ResourceStatus: 'UPDATE_COMPLETE' });
    end = Math.max(end, start + busy + 200);
  }
  self(ROOT_ID, ROOT, end + 1000, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  self(ROOT_ID, ROOT, end + 3000, 'UPDATE_COMPLETE');

  const calls = new Map<string, number>();
  let throttledCalls = 0;
  const throttle = () => {
    const window = options.throttled;
    if (window && now >= window.fromMs && now < window.toMs) {
      throttledCalls++;
      throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    }
  };
  const cfn = mockClient(CloudFormationClient);
  cfn.on(DescribeStackEventsCommand).callsFake((input: DescribeStackEventsCommandInput) => {
    const id = input.StackName === ROOT ? ROOT_ID : input.StackName!;
    calls.set(id, (calls.get(id) ?? 0) + 1);
    throttle();
    // Newest first, as CloudFormation pages them.
    const visible = (events.get(id) ?? []).filter((timed) => timed.at <= now).sort((a, b) => b.at - a.at);
    return { StackEvents: visible.map((timed) => timed.event) };
  });
  cfn.on(DescribeStacksCommand).callsFake(() => {
    throttle();
    const status = now >= end + 3000 ? 'UPDATE_COMPLETE' : now >= end + 1000 ? 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    return { Stacks: [{ StackName: ROOT, StackId: ROOT_ID, StackStatus: status, CreationTime: new Date(EPOCH) }] };
  });

  const ctx = createDeployContext({
    config,
    env: {},
    pollDelayMs: { stack: 3000 },
    sleep: async (ms) => {
      now += ms;
    },
  });
  return {
    ctx,
    activity: () =>
      nestedIds.map((stackId) => {
        const times = (events.get(stackId) ?? []).map((timed) => timed.at);
        return { stackId, activeMs: Math.max(...times) - Math.min(...times), calls: calls.get(stackId) ?? 0 };
      }),
    rootCalls: () => calls.get(ROOT_ID) ?? 0,
    throttledCalls: () => throttledCalls,
    restore: () => cfn.restore(),
  };
}

/** DescribeStackEvents calls per nested stack per 5 s of its own activity: the worst stack, and the mean. */
export function callsPerFiveSeconds(activity: readonly NestedActivity[]): { worst: number; mean: number } {
  const rates = activity.map((stack) => stack.calls / Math.max(stack.activeMs / 5000, 1));
  return { worst: Math.max(...rates), mean: rates.reduce((sum, rate) => sum + rate, 0) / rates.length };
}
