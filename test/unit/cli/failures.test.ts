// How the CLI reports a failed AWS operation: one line with an actionable hint, and with --json
// the failure as JSON on stdout, for scripts.
import { CreateChangeSetCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { awsError, type FakeAws } from '../deploy/fake-aws.js';
import { captureOutput, useDeployFixtures, type ScratchApp } from '../deploy/support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

async function cli(...args: string[]) {
  const output = captureOutput();
  const code = await run(['node', 'sls-ts', ...args, '-C', app.root], output);
  return { code, ...output };
}

function credentialsError(): Error {
  return Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
}

describe('--json on a failure', () => {
  it('deploy prints {ok: false, error} on stdout, the line on stderr, and exits 1', async () => {
    aws.cfn.on(DescribeStacksCommand).rejects(credentialsError());
    const result = await cli('deploy', '--yes', '--json');
    expect(result.code).toBe(1);
    const printed = JSON.parse(result.stdout.join('\n')) as { ok: boolean; error: { text: string; hint?: string } };
    expect(printed).toEqual({ ok: false, error: { text: expect.stringMatching(/^no AWS credentials found \(deploy\)/), hint: expect.stringContaining('--profile') } });
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^error no AWS credentials found/);
  });

  it('status --json does the same; without --json stdout stays empty', async () => {
    aws.cfn.on(DescribeStacksCommand).rejects(credentialsError());
    const json = await cli('status', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.join('\n'))).toMatchObject({ ok: false, error: { text: expect.stringMatching(/^no AWS credentials found/) } });
    const plain = await cli('status');
    expect(plain.code).toBe(1);
    expect(plain.stdout).toEqual([]);
  });
});
