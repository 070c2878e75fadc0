// bench/deploy-polling.ts (`npm run bench:deploy-polling`): DescribeStackEvents calls made while
// following a deploy of 100 nested stacks (one per controller) against the CloudFormation double
// on a virtual clock (test/unit/deploy/scale-sim.ts): each nested stack busy 15-45 s, staggered
// starts, the default 3 s poll delay. Then the same with 40 minutes of throttled reads.
// Baseline, measured in the same run on the same scenario: the naive policy (every followed stack
// read every interval until the root settles, no backoff), which is what sls-ts did before.
// Target (issue #15): at most 2 calls per nested stack per 5 s of its own activity.
import { DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { DeployContext } from '../src/deploy/index.js';
import { followStack } from '../src/deploy/monitor.js';
import { callsPerFiveSeconds, simulateScale, type ScaleOptions, type ScaleRun } from '../test/unit/deploy/scale-sim.js';

interface Figures {
  status: string;
  total: number;
  nested: number;
  root: number;
  worst: number;
  mean: number;
  throttled: number;
}

/** The naive policy: read the root and every nested stack named so far each interval, until the root settles. */
async function followNaively(ctx: DeployContext): Promise<string> {
  const cfn = ctx.clients.cloudformation;
  const nested = new Set<string>();
  for (;;) {
    try {
      for (const stackName of [ctx.stackName, ...nested]) {
        const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }));
        for (const event of StackEvents ?? []) {
          if (event.ResourceType === 'AWS::CloudFormation::Stack' && event.PhysicalResourceId && event.PhysicalResourceId !== event.StackId) nested.add(event.PhysicalResourceId);
        }
      }
      const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: ctx.stackName }));
      const status = Stacks?.[0]?.StackStatus ?? '';
      if (!status.endsWith('_IN_PROGRESS')) return status;
    } catch (error) {
      // Throttled: the round ends and is tried again next interval, no backoff (and, unlike the
      // policy it stands for, never gives up, so both runs follow the same deploy to its end).
      if (!/Rate exceeded/.test((error as Error).message)) throw error;
    }
    await ctx.sleep(ctx.delays.stack);
  }
}

async function measure(options: ScaleOptions, follow: (run: ScaleRun) => Promise<string>): Promise<Figures> {
  const run = simulateScale(options);
  try {
    const status = await follow(run);
    const activity = run.activity();
    const total = activity.reduce((sum, stack) => sum + stack.calls, 0);
    return { status, total, nested: activity.length, root: run.rootCalls(), ...callsPerFiveSeconds(activity), throttled: run.throttledCalls() };
  } finally {
    run.restore();
  }
}

function print(label: string, figures: Figures): void {
  console.log(`  ${label}: ${figures.status}`);
  console.log(`    DescribeStackEvents: ${figures.total} on ${figures.nested} nested stacks (${(figures.total / figures.nested).toFixed(1)} each), ${figures.root} on the root`);
  console.log(`    per nested stack per 5 s of its activity: worst ${figures.worst.toFixed(2)}, mean ${figures.mean.toFixed(2)}`);
  if (figures.throttled > 0) console.log(`    throttled calls survived: ${figures.throttled}`);
}

async function compare(label: string, options: ScaleOptions): Promise<void> {
  const baseline = await measure(options, (run) => followNaively(run.ctx));
  const ours = await measure(options, async (run) => (await followStack(run.ctx, { seen: new Set() }, 0)).status);
  console.log(label);
  print('baseline (naive: every stack every interval, no backoff)', baseline);
  print('sls-ts', ours);
  const all = (figures: Figures) => figures.total + figures.root;
  console.log(`  ratio baseline / sls-ts: ${(baseline.mean / ours.mean).toFixed(2)}x the mean calls per nested stack per 5 s; ${(all(baseline) / all(ours)).toFixed(2)}x all DescribeStackEvents calls (root included)`);
  console.log(`  acceptance (issue #15): worst ${ours.worst.toFixed(2)} calls per nested stack per 5 s (target ≤ 2): ${ours.worst <= 2 ? 'met' : 'NOT met'}`);
}

await compare('100 nested stacks', { nested: 100 });
await compare('100 nested stacks, 40 min of throttling', { nested: 100, throttled: { fromMs: 5000, toMs: 5000 + 40 * 60_000 } });
