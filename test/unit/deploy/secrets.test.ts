import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { STACK, envTooLargeReason, selfEvent, stackEvent, type FakeAws } from './fake-aws.js';
import { captureOutput, useDeployFixtures, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures), (fake) => fake.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: 'bucket' }));

const SECRET = 'sk_live_51HxTopSecretValue';
// A value holding JSON of its own, as a config blob would: its inner keys must not pass for variables.
const VARIABLES = { STRIPE_KEY: SECRET, RUNNER_CONFIG: JSON.stringify([{ arn: 'arn:aws:sqs:us-east-1:1:q', token: 'inner-secret' }]), BIG: 'x'.repeat(4000) };
const REASON = envTooLargeReason(VARIABLES);

function failWithOversizedEnvironment(fake: FakeAws): void {
  fake.onExecute = () => {
    fake.addEvents(STACK,
      selfEvent('UPDATE_IN_PROGRESS'),
      stackEvent({ LogicalResourceId: 'PostsControllerFunction', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: REASON }),
      selfEvent('UPDATE_ROLLBACK_IN_PROGRESS'),
      selfEvent('UPDATE_ROLLBACK_COMPLETE'));
    fake.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'], undefined, REASON);
  };
}

function expectRedacted(lines: readonly string[]): void {
  const text = lines.join('\n');
  for (const hidden of [SECRET, 'inner-secret', 'xxxxxxxx', 'arn:aws:sqs']) expect(text).not.toContain(hidden);
  expect(text).toContain('exceeded the 4KB limit');
  expect(text).toContain("variables STRIPE_KEY, RUNNER_CONFIG, BIG (values hidden");
}

describe('Lambda refusing an environment over 4 KB', () => {
  it('deploy prints the variable names but none of their values, and no quota hint', async () => {
    failWithOversizedEnvironment(aws);
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'deploy', '-C', app.root, '--yes'], output)).toBe(1);
    const printed = [...output.stdout, ...output.stderr];
    expect(printed.join('\n')).toContain('PostsControllerFunction');
    expectRedacted(printed);
    expect(printed.join('\n')).not.toMatch(/Service Quotas|request an increase/);
    expect(printed.join('\n')).toMatch(/cannot be raised/);
  });

  it('status shows the stack reason and events without the values', async () => {
    aws.addEvents(STACK, stackEvent({ LogicalResourceId: 'PostsControllerFunction', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: REASON }));
    aws.setStack('UPDATE_ROLLBACK_COMPLETE', [], { ArtifactsBucketName: 'bucket' }, REASON);
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'status', '-C', app.root], output)).toBe(0);
    expectRedacted([...output.stdout, ...output.stderr]);
  });
});
