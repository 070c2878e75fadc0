// bench/deploy-polling.ts (`npx tsx bench/deploy-polling.ts`): DescribeStackEvents calls made while
// following a deploy of 100 nested stacks (one per controller) against the CloudFormation double
// on a virtual clock (test/unit/deploy/scale-sim.ts): each nested stack busy 15-45 s, staggered
// starts, the default 3 s poll delay. Then the same with 40 minutes of throttled reads.
// Target (issue #15): at most 2 calls per nested stack per 5 s of its own activity.
import { followStack } from '../src/deploy/monitor.js';
import { callsPerFiveSeconds, simulateScale } from '../test/unit/deploy/scale-sim.js';

async function measure(label: string, options: Parameters<typeof simulateScale>[0]): Promise<void> {
  const run = simulateScale(options);
  try {
    const result = await followStack(run.ctx, { seen: new Set() }, 0);
    const activity = run.activity();
    const total = activity.reduce((sum, stack) => sum + stack.calls, 0);
    const rate = callsPerFiveSeconds(activity);
    console.log(`${label}: ${result.status}`);
    console.log(`  DescribeStackEvents: ${total} on ${activity.length} nested stacks (${(total / activity.length).toFixed(1)} each), ${run.rootCalls()} on the root`);
    console.log(`  per nested stack per 5 s of its activity: worst ${rate.worst.toFixed(2)}, mean ${rate.mean.toFixed(2)} (target ≤ 2)`);
    if (run.throttledCalls() > 0) console.log(`  throttled calls survived: ${run.throttledCalls()}`);
  } finally {
    run.restore();
  }
}

await measure('100 nested stacks', { nested: 100 });
await measure('100 nested stacks, 40 min of throttling', { nested: 100, throttled: { fromMs: 5000, toMs: 5000 + 40 * 60_000 } });
