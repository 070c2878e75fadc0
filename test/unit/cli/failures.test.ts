// How the CLI reports a failed AWS operation: one line with an actionable hint, and with --json
// the failure as JSON on stdout, for scripts.
import { CreateChangeSetCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { awsError, type FakeAws } from '../deploy/fake-aws.js';
import { useDeployFixtures, type ScratchApp, runCli } from '../deploy/support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

const cli = (...args: string[]) => runCli(app.root, ...args);

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

/** What the SDK throws, with the operation name clients.ts stamps on it (mocked clients skip that middleware). */
function failedCall(operation: string, name: string, message: string, status = 400): Error {
  const error = awsError(name, message, status);
  Object.defineProperty(error, '$operation', { value: operation, enumerable: false });
  return error;
}

describe('throttling and a concurrent operation', () => {
  it('throttling that outlasted the retries: one line naming the call, a hint to wait and retry', async () => {
    aws.setStack('UPDATE_COMPLETE');
    aws.cfn.on(CreateChangeSetCommand).rejects(failedCall('CloudFormation CreateChangeSet', 'ThrottlingException', 'Rate exceeded'));
    const result = await cli('deploy', '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr.filter((line) => line.startsWith('error '))).toEqual([
      expect.stringMatching(/^error AWS throttled the deploy \(CloudFormation CreateChangeSet: Rate exceeded\) — .*wait a minute.*run it again/),
    ]);
  });

  it('a stack another deploy is updating: says so, and how to follow it', async () => {
    aws.setStack('UPDATE_COMPLETE');
    aws.cfn.on(CreateChangeSetCommand).rejects(failedCall('CloudFormation CreateChangeSet', 'ValidationError', 'Stack:arn:aws:cloudformation:us-east-1:123456789012:stack/example-app-dev/1 is in UPDATE_IN_PROGRESS state and can not be updated.'));
    const result = await cli('deploy', '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr.filter((line) => line.startsWith('error '))).toEqual([
      expect.stringMatching(/^error another operation is running on example-app-dev \(UPDATE_IN_PROGRESS\): the deploy cannot start — .*`sls-ts status`.*run it again/),
    ]);
  });

  it('Lambda refusing a change while another is in progress (ResourceConflictException) gets the same kind of hint', async () => {
    aws.setStack('UPDATE_COMPLETE');
    aws.cfn.on(CreateChangeSetCommand).rejects(failedCall('Lambda UpdateFunctionConfiguration', 'ResourceConflictException', 'The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:example-app-dev-hello', 409));
    const result = await cli('deploy', '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr.filter((line) => line.startsWith('error '))).toEqual([
      expect.stringMatching(/^error another operation is changing example-app-dev-hello \(Lambda UpdateFunctionConfiguration: ResourceConflictException\) during the deploy — .*wait for it to finish.*run it again/),
    ]);
  });
});
