import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../deploy/support.js';
import { createFakeAws, type FakeAws } from '../deploy/fake-aws.js';
import { exampleApp } from '../build/support.js';

// Before these checks some of the commands went on to AWS: the fake answers, so none reaches it.
let aws: FakeAws;
beforeEach(() => {
  aws = createFakeAws();
});
afterEach(() => aws.restore());

const cli = (...args: string[]) => runCli(exampleApp, ...args);

describe('bad flag values are bad usage: exit 2, one line naming the flag (#16.12)', () => {
  it.each([
    [['server', '--port', 'abc'], '--port'],
    [['server', '--port', '0', '--max-workers', '0'], '--max-workers'],
    [['logs', '--since', 'yesterday'], '--since'],
    [['routes', '--stage', 'bad stage!'], '--stage'],
    [['status', '--events', '-3'], '--events'],
    [['deploy', '--plan', '--code-only'], '--code-only'],
  ])('sls-ts %j', async (args, flag) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^error /);
    expect(result.stderr[0]).toContain(flag);
  });

  it('every error starts the same way, usage errors and app errors alike', async () => {
    const unknown = await cli('routes', '--no-such-flag');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toEqual([expect.stringMatching(/^error unknown option '--no-such-flag' — /)]);
    const command = await cli('rotues');
    expect(command.code).toBe(2);
    expect(command.stderr).toEqual([expect.stringMatching(/^error unknown command 'rotues' \(Did you mean routes\?\) — /)]);
    const conflict = await cli('invoke', 'hello', '--local', '--remote');
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toEqual([expect.stringMatching(/^error choose one of --local and --remote — /)]);
  });

  it('good values still pass', async () => {
    const result = await cli('routes', '--stage', 'pr-42', '--json');
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
  });
});
