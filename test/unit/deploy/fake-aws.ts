// aws-sdk-client-mock behind a tiny stateful fake: a stack whose status moves on when it is
// described, a bucket that remembers what was put, change sets with the changes a test asks for.
// Tests script the parts they care about (events, failures) and read the recorded calls.
import { APIGatewayClient, GetDeploymentCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import {
  CloudFormationClient, ContinueUpdateRollbackCommand, CreateChangeSetCommand, CreateStackCommand, DeleteChangeSetCommand,
  DeleteStackCommand, DescribeChangeSetCommand, DescribeStackEventsCommand, DescribeStackResourceCommand, DescribeStacksCommand,
  ExecuteChangeSetCommand, ListStackResourcesCommand, type Change, type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

export const STACK = 'example-app-dev';
export const STACK_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}/1`;
export const BUCKET = 'example-app-dev-artifactsbucket-abc';
export const API_URL = 'https://abc123.execute-api.us-east-1.amazonaws.com/dev';

export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

export const FULL_OUTPUTS = { ArtifactsBucketName: BUCKET, ApiUrl: API_URL, RestApiId: 'abc123', StageName: 'dev', RouteHash: 'hash123' };

export interface FakeStackState {
  status: string;
  reason?: string;
  /** Statuses to go through, one per DescribeStacks, before `status` holds. */
  upcoming: string[];
  outputs: Record<string, string>;
}

let eventCounter = 0;
let clock = Date.parse('2030-01-01T00:00:00Z');

export type EventFields = Omit<Partial<StackEvent>, 'ResourceStatus'> & { LogicalResourceId: string; ResourceStatus: string };

export function stackEvent(fields: EventFields): StackEvent {
  return { EventId: `e${++eventCounter}`, StackId: STACK_ID, StackName: STACK, ResourceType: 'AWS::Lambda::Function', Timestamp: new Date((clock += 1000)), ...fields } as StackEvent;
}

export function selfEvent(status: string, stackId = STACK_ID, name = STACK): StackEvent {
  return stackEvent({ LogicalResourceId: name, PhysicalResourceId: stackId, StackId: stackId, StackName: name, ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: status });
}

export function createFakeAws() {
  const cfn = mockClient(CloudFormationClient);
  const s3 = mockClient(S3Client);
  const lambda = mockClient(LambdaClient);
  const apiGateway = mockClient(APIGatewayClient);
  const logs = mockClient(CloudWatchLogsClient);

  const fake = {
    cfn, s3, lambda, apiGateway, logs,
    stack: undefined as FakeStackState | undefined,
    /** Events per stack name or id, oldest first. */
    events: new Map<string, StackEvent[]>(),
    objects: new Map<string, Buffer>(),
    /** What the next change set contains; `undefined` means "no changes". */
    changes: [{ ResourceChange: { Action: 'Add', LogicalResourceId: 'PostsControllerFunction', ResourceType: 'AWS::Lambda::Function' } }] as Change[] | undefined,
    /** What an execution does; the default succeeds with the full outputs. */
    onExecute: (): void => {
      fake.addEvents(STACK, selfEvent('UPDATE_IN_PROGRESS'), stackEvent({ LogicalResourceId: 'PostsControllerFunction', ResourceStatus: 'CREATE_COMPLETE' }), selfEvent('UPDATE_COMPLETE'));
      fake.setStack('UPDATE_COMPLETE', ['UPDATE_IN_PROGRESS'], FULL_OUTPUTS);
    },
    resources: [] as Array<{ LogicalResourceId: string; ResourceType: string; PhysicalResourceId?: string }>,
    deploymentDescription: 'sls-ts routes hash123',

    setStack(status: string, upcoming: string[] = [], outputs?: Record<string, string>, reason?: string) {
      fake.stack = { status, upcoming: [...upcoming], outputs: outputs ?? fake.stack?.outputs ?? {}, ...(reason && { reason }) };
    },
    addEvents(stack: string, ...events: StackEvent[]) {
      fake.events.set(stack, [...(fake.events.get(stack) ?? []), ...events]);
    },
    /** Inputs of every call of one command, in order. */
    calls<T>(mock: { commandCalls: (command: never) => Array<{ args: [{ input: T }] }> }, command: unknown): T[] {
      return mock.commandCalls(command as never).map((call) => call.args[0].input);
    },
    /** Puts the real `send` back; call in afterEach so the next test can mock again. */
    restore() {
      for (const mock of [cfn, s3, lambda, apiGateway, logs]) mock.restore();
    },
  };

  cfn.on(DescribeStacksCommand).callsFake(() => {
    const stack = fake.stack;
    if (!stack) throw awsError('ValidationError', `Stack with id ${STACK} does not exist`);
    const status = stack.upcoming.shift() ?? stack.status;
    if (status === 'GONE') {
      fake.stack = undefined;
      throw awsError('ValidationError', `Stack with id ${STACK} does not exist`);
    }
    const outputs = Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
    return { Stacks: [{ StackName: STACK, StackId: STACK_ID, StackStatus: status, CreationTime: new Date(clock), ...(stack.reason && { StackStatusReason: stack.reason }), Outputs: outputs }] };
  });
  cfn.on(CreateStackCommand).callsFake(() => {
    fake.addEvents(STACK, selfEvent('CREATE_IN_PROGRESS'), stackEvent({ LogicalResourceId: 'ArtifactsBucket', ResourceType: 'AWS::S3::Bucket', ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: BUCKET }), selfEvent('CREATE_COMPLETE'));
    fake.setStack('CREATE_COMPLETE', ['CREATE_IN_PROGRESS'], { ArtifactsBucketName: BUCKET });
    return { StackId: STACK_ID };
  });
  cfn.on(DescribeStackEventsCommand).callsFake((input: { StackName: string }) => {
    const key = input.StackName === STACK_ID ? STACK : input.StackName;
    return { StackEvents: [...(fake.events.get(key) ?? [])].reverse() };
  });
  cfn.on(DescribeStackResourceCommand).callsFake(() => ({ StackResourceDetail: { LogicalResourceId: 'ArtifactsBucket', PhysicalResourceId: BUCKET, ResourceType: 'AWS::S3::Bucket', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() } }));
  cfn.on(ListStackResourcesCommand).callsFake(() => ({ StackResourceSummaries: fake.resources.map((r) => ({ ...r, ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() })) }));
  let describedChangeSet = 0;
  cfn.on(CreateChangeSetCommand).callsFake(() => {
    describedChangeSet = 0;
    return { Id: 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1', StackId: STACK_ID };
  });
  cfn.on(DescribeChangeSetCommand).callsFake(() => {
    // Pending once, so the wait loop polls.
    if (describedChangeSet++ === 0) return { Status: 'CREATE_PENDING' };
    if (!fake.changes) return { Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." };
    return { Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: fake.changes };
  });
  cfn.on(DeleteChangeSetCommand).resolves({});
  cfn.on(ExecuteChangeSetCommand).callsFake(() => {
    fake.onExecute();
    return {};
  });
  cfn.on(DeleteStackCommand).callsFake(() => {
    fake.addEvents(STACK, selfEvent('DELETE_IN_PROGRESS'), selfEvent('DELETE_COMPLETE'));
    fake.setStack('DELETE_COMPLETE', ['DELETE_IN_PROGRESS']);
    return {};
  });
  cfn.on(ContinueUpdateRollbackCommand).callsFake(() => {
    fake.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_ROLLBACK_IN_PROGRESS']);
    return {};
  });

  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    if (!fake.objects.has(input.Key)) throw awsError('NotFound', 'NotFound', 404);
    return { ContentLength: fake.objects.get(input.Key)!.length };
  });
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: Buffer | string }) => {
    fake.objects.set(input.Key, Buffer.from(input.Body));
    return { ETag: '"x"' };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = fake.objects.get(input.Key);
    if (!body) throw awsError('NoSuchKey', 'The specified key does not exist.', 404);
    return { Body: { transformToString: async () => body.toString('utf8') } };
  });

  apiGateway.on(GetStageCommand).resolves({ deploymentId: 'dep1', stageName: 'dev' });
  apiGateway.on(GetDeploymentCommand).callsFake(() => ({ id: 'dep1', description: fake.deploymentDescription }));
  lambda.on(GetFunctionConfigurationCommand).rejects(awsError('ResourceNotFoundException', 'Function not found', 404));
  lambda.on(UpdateFunctionCodeCommand).resolves({});
  return fake;
}

export type FakeAws = ReturnType<typeof createFakeAws>;
