import { DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { DeployFailedError, deploy, describeFailure, hintFor, type DeployEvent } from '../../../src/deploy/index.js';
import { STACK, selfEvent, stackEvent, type FakeAws } from './fake-aws.js';
import { useDeployFixtures, captureOutput, testContext, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures), (fake) => fake.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: 'bucket' }));

const NESTED_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}-PostsControllerStack-XYZ/2`;
const NESTED_NAME = `${STACK}-PostsControllerStack-XYZ`;
const REASON = 'Resource handler returned message: "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: lambda:CreateFunction" (Service: Lambda, Status Code: 403)';

/** An update whose failure starts inside a nested stack and cascades up as cancellations. */
function failInsideNestedStack(aws: FakeAws): void {
  aws.onExecute = () => {
    const nested = (status: string, fields: { LogicalResourceId: string; ResourceType?: string; ResourceStatusReason?: string }) =>
      stackEvent({ StackId: NESTED_ID, StackName: NESTED_NAME, ...fields, ResourceStatus: status });
    aws.addEvents(STACK,
      selfEvent('UPDATE_IN_PROGRESS'),
      stackEvent({ LogicalResourceId: 'PostsControllerStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: NESTED_ID, ResourceStatus: 'UPDATE_IN_PROGRESS' }),
      stackEvent({ LogicalResourceId: 'HomeControllerFunction', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Resource update cancelled' }),
      stackEvent({ LogicalResourceId: 'PostsControllerStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: NESTED_ID, ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: `Embedded stack ${NESTED_ID} was not successfully updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: The following resource(s) failed to create: [PostsControllerFunction].` }),
      selfEvent('UPDATE_ROLLBACK_IN_PROGRESS'),
      selfEvent('UPDATE_ROLLBACK_COMPLETE'),
    );
    aws.addEvents(NESTED_ID,
      selfEvent('UPDATE_IN_PROGRESS', NESTED_ID, NESTED_NAME),
      nested('CREATE_IN_PROGRESS', { LogicalResourceId: 'PostsControllerRole', ResourceType: 'AWS::IAM::Role' }),
      nested('CREATE_FAILED', { LogicalResourceId: 'PostsControllerFunction', ResourceStatusReason: REASON }),
      nested('CREATE_FAILED', { LogicalResourceId: 'PostsControllerRole', ResourceType: 'AWS::IAM::Role', ResourceStatusReason: 'Resource creation cancelled' }),
    );
    aws.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS']);
  };
}

describe('a failed deploy', () => {
  it('names the first failed resource inside the nested stack, its reason, the controller and a hint', async () => {
    failInsideNestedStack(aws);
    const events: DeployEvent[] = [];
    const error = await deploy(testContext(app.config, events), { yes: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployFailedError);
    const failed = error as DeployFailedError;
    expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(failed.failure).toMatchObject({
      logicalId: 'PostsControllerFunction',
      type: 'AWS::Lambda::Function',
      status: 'CREATE_FAILED',
      reason: REASON,
      stackPath: ['PostsControllerStack'],
      source: 'PostsController',
    });
    expect(failed.message).toContain('PostsControllerFunction');
    expect(failed.message).toContain('not authorized to perform: lambda:CreateFunction');
    expect(failed.message).toContain('from PostsController');
    expect(failed.message).not.toContain('cancelled');
    expect(failed.hint).toMatch(/permission/);
    // The nested stack's events were followed while the deploy ran.
    expect(aws.cfn.commandCalls(DescribeStackEventsCommand).some((call) => call.args[0].input.StackName === NESTED_ID)).toBe(true);
    expect(events.some((event) => event.type === 'resource' && event.event.stackPath[0] === 'PostsControllerStack')).toBe(true);
  });

  it('finds the first failure inside a nested stack whose followed events hold only its rollback', async () => {
    // The parent names the nested stack's physical id only in its UPDATE_FAILED event, so the
    // events followed from then on are the nested rollback; the failure came before them.
    aws.onExecute = () => {
      const nested = (status: string, fields: { LogicalResourceId: string; ResourceType?: string; ResourceStatusReason?: string }) =>
        stackEvent({ StackId: NESTED_ID, StackName: NESTED_NAME, ...fields, ResourceStatus: status });
      aws.addEvents(STACK,
        selfEvent('UPDATE_IN_PROGRESS'),
        stackEvent({ LogicalResourceId: 'PostsControllerStack', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'UPDATE_IN_PROGRESS' }));
      aws.addEvents(NESTED_ID,
        selfEvent('UPDATE_IN_PROGRESS', NESTED_ID, NESTED_NAME),
        nested('CREATE_FAILED', { LogicalResourceId: 'PostsControllerFunction', ResourceStatusReason: REASON }));
      aws.addEvents(STACK,
        stackEvent({ LogicalResourceId: 'PostsControllerStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: NESTED_ID, ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Embedded stack was not successfully updated' }),
        selfEvent('UPDATE_ROLLBACK_IN_PROGRESS'));
      aws.addEvents(NESTED_ID,
        selfEvent('UPDATE_ROLLBACK_IN_PROGRESS', NESTED_ID, NESTED_NAME),
        nested('DELETE_COMPLETE', { LogicalResourceId: 'PostsControllerFunction' }),
        selfEvent('UPDATE_ROLLBACK_COMPLETE', NESTED_ID, NESTED_NAME));
      aws.addEvents(STACK, selfEvent('UPDATE_ROLLBACK_COMPLETE'));
      aws.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS']);
    };
    const error = (await deploy(testContext(app.config), { yes: true }).catch((e: unknown) => e)) as DeployFailedError;
    expect(error).toBeInstanceOf(DeployFailedError);
    expect(error.failure).toMatchObject({ logicalId: 'PostsControllerFunction', status: 'CREATE_FAILED', reason: REASON, stackPath: ['PostsControllerStack'] });
  });

  it('exits 1 from the CLI with one error line and its hint', async () => {
    failInsideNestedStack(aws);
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'deploy', '-C', app.root, '--yes'], output);
    expect(code).toBe(1);
    const errors = output.stderr.filter((line) => line.startsWith('error '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('PostsControllerFunction (AWS::Lambda::Function, nested stack PostsControllerStack, from PostsController) CREATE_FAILED');
    expect(errors[0]).toContain('— a permission is missing');
  });
});

describe('failure helpers', () => {
  it('gives hints for common causes', () => {
    expect(hintFor('posts-fn already exists in stack arn:…')).toMatch(/name/);
    expect(hintFor('Code storage limit exceeded.')).toMatch(/limit/);
    expect(hintFor('API: s3:PutBucketPolicy Access Denied')).toMatch(/permission/);
    expect(hintFor('Properties validation failed')).toBeUndefined();
    expect(hintFor('CloudWatch Logs role ARN must be set in account settings to enable logging (Service: ApiGateway, Status Code: 400)')).toMatch(/AmazonAPIGatewayPushToCloudWatchLogs.*update-account/);
    expect(hintFor("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [10].")).toMatch(/lower reservedConcurrency/);
  });

  it('describes a failure in one line', () => {
    expect(describeFailure({ logicalId: 'A', type: 'AWS::X', status: 'CREATE_FAILED', reason: 'boom', stackPath: [] })).toBe('A (AWS::X) CREATE_FAILED: boom');
  });

  it('falls back to function names in the message when the templates do not know the logical id', async () => {
    aws.onExecute = () => {
      aws.addEvents(STACK, selfEvent('UPDATE_IN_PROGRESS'),
        stackEvent({ LogicalResourceId: 'Mystery', ResourceStatus: 'UPDATE_FAILED', PhysicalResourceId: 'example-app-dev-cleanup-job', ResourceStatusReason: 'Rate exceeded' }),
        selfEvent('UPDATE_ROLLBACK_COMPLETE'));
      aws.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_IN_PROGRESS']);
    };
    const error = (await deploy(testContext(app.config), { yes: true }).catch((e: unknown) => e)) as DeployFailedError;
    expect(error.failure).toMatchObject({ logicalId: 'Mystery', source: 'CleanupJob' });
    expect(error.hint).toMatch(/throttled/);
  });
});
