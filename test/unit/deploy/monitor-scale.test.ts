// Polling at scale (issue #15, defect 8): on AWS, DescribeStackEvents is rate-limited per account,
// so a deploy of many nested stacks must read each one only while it is busy, back off when it is
// quiet, and keep following an operation through throttled reads.
import { afterEach, describe, expect, it } from 'vitest';
import { followStack } from '../../../src/deploy/monitor.js';
import { callsPerFiveSeconds, simulateScale, type ScaleRun } from './scale-sim.js';

let run: ScaleRun | undefined;
afterEach(() => run?.restore());

describe('following a deploy of many nested stacks', () => {
  it('reads each nested stack at most twice per 5 s of its own activity, and never once it finished', async () => {
    run = simulateScale({ nested: 40 });
    const result = await followStack(run.ctx, { seen: new Set() }, 0);
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(callsPerFiveSeconds(run.activity()).worst).toBeLessThanOrEqual(2);
  });

  it('keeps following through a long stretch of throttled reads instead of giving up', async () => {
    run = simulateScale({ nested: 5, throttled: { fromMs: 5000, toMs: 5000 + 40 * 60_000 } });
    const result = await followStack(run.ctx, { seen: new Set() }, 0);
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(run.throttledCalls()).toBeGreaterThan(20);
  });
});
