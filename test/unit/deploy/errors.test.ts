import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { createDeployContext, describeAwsError, status } from '../../../src/deploy/index.js';
import { startAwsDouble, type AwsDouble } from '../../support/aws-double/index.js';
import { awsError, createFakeAws } from './fake-aws.js';
import { captureOutput, scratchExampleApp, type ScratchApp } from './support.js';

let app: ScratchApp;

beforeAll(async () => {
  app = await scratchExampleApp();
});
afterAll(() => app.cleanup());

function credentialsError(): Error {
  // What @aws-sdk/credential-provider-node throws at the end of the default chain.
  const error = new Error('Could not load credentials from any providers');
  error.name = 'CredentialsProviderError';
  return error;
}

describe('missing credentials', () => {
  it('is one line with a hint, from any command', async () => {
    const aws = createFakeAws();
    aws.cfn.on(DescribeStacksCommand).rejects(credentialsError());
    try {
      for (const command of [['deploy', '--yes'], ['status'], ['url'], ['delete', '--yes']]) {
        const output = captureOutput();
        const code = await run(['node', 'sls-ts', ...command, '-C', app.root], output);
        expect(code).toBe(1);
        expect(output.stderr).toHaveLength(1);
        expect(output.stderr[0]).toMatch(/^error no AWS credentials found \(\w+\): Could not load credentials from any providers — set AWS_PROFILE or pass --profile/);
      }
    } finally {
      aws.restore();
    }
  });

  it('maps the SDK errors a user can fix to one clear line', () => {
    expect(describeAwsError(Object.assign(new Error('Region is missing'), { name: 'Error' }))?.hint).toMatch(/--region/);
    expect(describeAwsError(awsError('ExpiredToken', 'The security token included in the request is expired'))?.message).toMatch(/expired/);
    expect(describeAwsError(awsError('AccessDenied', 'User: x is not authorized to perform: cloudformation:CreateStack'), 'deploy')?.message).toBe('access denied (deploy): User: x is not authorized to perform: cloudformation:CreateStack');
    expect(describeAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))?.hint).toMatch(/AWS_ENDPOINT_URL/);
    expect(describeAwsError(new TypeError('a bug'))).toBeUndefined();
    // A parsed CloudFormation answer that merely mentions parsing is not an unreadable answer.
    expect(describeAwsError(awsError('ValidationError', 'Template format error: JSON parse error at line 3'))).toBeUndefined();
  });
});

describe('throttling (real SDK clients against the wire double)', () => {
  let double: AwsDouble;
  beforeAll(async () => {
    double = await startAwsDouble();
  });
  afterAll(() => double.close());

  const context = () =>
    createDeployContext({
      config: app.config,
      pollDelayMs: 0,
      env: { AWS_ENDPOINT_URL: double.url },
    });

  it('is retried by the SDK: a Throttling answer, then success', async () => {
    // The clients read credentials and the endpoint from the environment, as a user's would.
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: double.url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' });
    try {
      double.failNext({ service: 'cloudformation', action: 'DescribeStacks', code: 'ThrottlingException', message: 'Rate exceeded' });
      const result = await status(context());
      expect(result.exists).toBe(false);
      expect(double.calls('cloudformation', 'DescribeStacks')).toHaveLength(2);
    } finally {
      process.env = saved;
    }
  });

  it('names the operation and what was answered when the body is not the protocol AWS speaks', async () => {
    // moto answers some CloudFormation (query/XML) calls with a JSON error body; the SDK then
    // throws "XML parse error: unexpected content", which tells a user nothing.
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: double.url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' });
    try {
      const body = JSON.stringify({ __type: 'InternalFailure', message: 'The action ExecuteChangeSet is not implemented' });
      double.failNext({ service: 'cloudformation', action: 'DescribeStacks', code: 'raw', status: 501, raw: { contentType: 'application/json', body } });
      const output = captureOutput();
      const code = await run(['node', 'sls-ts', 'status', '-C', app.root], output);
      expect(code).toBe(1);
      expect(output.stderr).toHaveLength(1);
      expect(output.stderr[0]).toMatch(/^error status failed: CloudFormation DescribeStacks answered HTTP 501 with a body the AWS SDK could not read: \{"__type":"InternalFailure","message":"The action ExecuteChangeSet is not implemented"\}/);
      expect(output.stderr[0]).not.toMatch(/XML parse error|\$response/);
    } finally {
      process.env = saved;
    }
  });

  it('names the operation that failed for any other AWS error', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: double.url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' });
    try {
      double.failNext({ service: 'cloudformation', action: 'DescribeStacks', code: 'InvalidInput', message: 'Stack name is malformed' });
      const output = captureOutput();
      const code = await run(['node', 'sls-ts', 'status', '-C', app.root], output);
      expect(code).toBe(1);
      expect(output.stderr).toEqual(['error status failed: CloudFormation DescribeStacks: InvalidInput: Stack name is malformed']);
    } finally {
      process.env = saved;
    }
  });

  it('outlasts the SDK retries while polling a stack', async () => {
    const aws = createFakeAws();
    try {
      aws.setStack('UPDATE_COMPLETE', ['UPDATE_IN_PROGRESS'], { ArtifactsBucketName: 'bucket' });
      // aws-sdk-client-mock skips the SDK's retry middleware, so these reach the poll loop itself.
      aws.cfn.on(DescribeStacksCommand)
        .resolvesOnce({ Stacks: [{ StackName: 'example-app-dev', StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: new Date() }] })
        .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
        .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
        .resolves({ Stacks: [{ StackName: 'example-app-dev', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
      const { preflight } = await import('../../../src/deploy/preflight.js');
      const ctx = createDeployContext({ config: app.config, pollDelayMs: 0, env: {} });
      const result = await preflight(ctx);
      expect(result.stack?.StackStatus).toBe('UPDATE_COMPLETE');
      expect(aws.cfn.commandCalls(DescribeStacksCommand).length).toBeGreaterThanOrEqual(4);
    } finally {
      aws.restore();
    }
  });
});
