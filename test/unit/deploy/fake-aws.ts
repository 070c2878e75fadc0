// aws-sdk-client-mock behind a tiny stateful fake: a stack whose status moves on when it is
// described, a bucket that remembers what was put, change sets with the changes a test asks for.
// Tests script the parts they care about (events, failures) and read the recorded calls.
import { APIGatewayClient, GetDeploymentCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import {
  CloudFormationClient, ContinueUpdateRollbackCommand, CreateChangeSetCommand, CreateStackCommand, DeleteChangeSetCommand,
  DeleteStackCommand, DescribeChangeSetCommand, DescribeStackEventsCommand, DescribeStackResourceCommand, DescribeStacksCommand,
  ExecuteChangeSetCommand, GetTemplateCommand, ListChangeSetsCommand, ListStackResourcesCommand, RollbackStackCommand, type Change, type ChangeSetSummary, type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

export const STACK = 'example-app-dev';
export const STACK_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}/1`;
export const BUCKET = 'example-app-dev-artifactsbucket-abc';
export const API_URL = 'https://abc123.execute-api.us-east-1.amazonaws.com/dev';

const ROOT_CHANGE_SET = 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1';
const REJECTED_NESTED = 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs-nested/2f9c1b7e-4a61-4d0e-9a57-0c2b5d8e1f43';

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
    /** EnableTerminationProtection: DeleteStack is refused as CloudFormation refuses it. */
    terminationProtection: false,
    /** Events per stack name or id, oldest first. */
    events: new Map<string, StackEvent[]>(),
    objects: new Map<string, Buffer>(),
    /** CloudFormation's own copy of every template it was given (what it diffs nested stacks with). */
    templateCopies: new Map<string, string>(),
    /**
     * What the next change set contains; `undefined` means "no changes"; `'diff'` compares the root
     * template of the change set with the deployed one, as CloudFormation would (root only).
     */
    changes: [{ ResourceChange: { Action: 'Add', LogicalResourceId: 'PostsControllerFunction', ResourceType: 'AWS::Lambda::Function' } }] as Change[] | 'diff' | undefined,
    /**
     * A nested stack whose template CloudFormation rejects: its nested change set FAILS with this
     * reason, and the root's fails only pointing at it, as AWS words it.
     */
    rejectNested: undefined as { logicalId: string; reason: string } | undefined,
    /** The root template body the stack runs (GetTemplate): the bootstrap's, then each executed change set's. */
    template: undefined as string | undefined,
    /** The root template body of the last change set created. */
    changeSetTemplate: undefined as string | undefined,
    /** The stack's tags (DescribeStacks): CreateStack's, then each executed change set's. */
    tags: undefined as Array<{ Key?: string; Value?: string }> | undefined,
    /** The tags of the last change set created; they become the stack's when it is executed. */
    changeSetTags: undefined as Array<{ Key?: string; Value?: string }> | undefined,
    /** What an execution does; the default succeeds with the full outputs. */
    onExecute: (): void => {
      fake.tags = fake.changeSetTags;
      fake.addEvents(STACK, selfEvent('UPDATE_IN_PROGRESS'), stackEvent({ LogicalResourceId: 'PostsControllerFunction', ResourceStatus: 'CREATE_COMPLETE' }), selfEvent('UPDATE_COMPLETE'));
      fake.setStack('UPDATE_COMPLETE', ['UPDATE_IN_PROGRESS'], FULL_OUTPUTS);
      fake.apiSummary = snapshotAfter(fake.template, fake.changeSetTemplate, fake.apiSummary);
      fake.template = fake.changeSetTemplate;
    },
    /**
     * Status lag, as on AWS: ExecuteChangeSet, DeleteStack and ContinueUpdateRollback only start an
     * operation, and the next `lag` DescribeStacks calls still show the previous status (and no
     * new events) before the operation's effects appear.
     */
    lag: 0,
    /** An operation started but not yet visible (see `lag`). */
    pending: undefined as { remaining: number; apply: () => void } | undefined,
    /** Runs `apply` now, or after `lag` DescribeStacks calls when lag is set. */
    startOperation(apply: () => void) {
      if (fake.lag > 0) fake.pending = { remaining: fake.lag, apply };
      else apply();
    },
    /** What ListChangeSets answers for the stack (summaries of its change sets). */
    changeSetSummaries: [] as ChangeSetSummary[],
    /** The change set's ExecutionStatus (DescribeChangeSet) once ExecuteChangeSet was called; unset: it stays AVAILABLE. */
    execution: undefined as { status: string; reason?: string } | undefined,
    /**
     * Resources (`Logical`, or `NestedStack.Logical` inside a nested stack) that cannot roll back:
     * ContinueUpdateRollback fails on them again unless they are in its ResourcesToSkip.
     */
    rollbackBlockers: [] as string[],
    resources: [] as Array<{ LogicalResourceId: string; ResourceType: string; PhysicalResourceId?: string }>,
    deploymentDescription: 'sls-ts routes hash123',
    /**
     * The methods in the snapshot of the stage's deployment (GetDeployment's apiSummary), modelled
     * as API Gateway takes it: a Deployment created by an update snapshots the methods of the old
     * template (their deletion waits for the cleanup phase) and of the new one. Undefined until a
     * template with an API (in one template) is deployed.
     */
    apiSummary: undefined as Record<string, Record<string, object>> | undefined,

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
    if (fake.pending && fake.pending.remaining-- <= 0) {
      const { apply } = fake.pending;
      fake.pending = undefined;
      apply();
    }
    const stack = fake.stack;
    if (!stack) throw awsError('ValidationError', `Stack with id ${STACK} does not exist`);
    const status = stack.upcoming.shift() ?? stack.status;
    if (status === 'GONE') {
      fake.stack = undefined;
      throw awsError('ValidationError', `Stack with id ${STACK} does not exist`);
    }
    const outputs = Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));
    return { Stacks: [{ StackName: STACK, StackId: STACK_ID, StackStatus: status, CreationTime: new Date(clock), EnableTerminationProtection: fake.terminationProtection, ...(fake.tags && { Tags: fake.tags }), ...(stack.reason && { StackStatusReason: stack.reason }), Outputs: outputs }] };
  });
  cfn.on(CreateStackCommand).callsFake((input: { TemplateBody?: string; Tags?: Array<{ Key?: string; Value?: string }> }) => {
    fake.template = input.TemplateBody;
    fake.tags = input.Tags;
    // A new stack of the same name: the events of one deleted before it belong to its old ARN.
    fake.events.delete(STACK);
    fake.startOperation(() => {
      fake.addEvents(STACK, selfEvent('CREATE_IN_PROGRESS'), stackEvent({ LogicalResourceId: 'ArtifactsBucket', ResourceType: 'AWS::S3::Bucket', ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: BUCKET }), selfEvent('CREATE_COMPLETE'));
      fake.setStack('CREATE_COMPLETE', ['CREATE_IN_PROGRESS'], { ArtifactsBucketName: BUCKET });
    });
    return { StackId: STACK_ID };
  });
  cfn.on(DescribeStackEventsCommand).callsFake((input: { StackName: string }) => {
    const key = input.StackName === STACK_ID ? STACK : input.StackName;
    // By name, a stack that does not exist (yet) has no events to read: CloudFormation says so.
    if (input.StackName === STACK && (!fake.stack || fake.stack.status === 'DELETE_COMPLETE')) throw awsError('ValidationError', `Stack [${STACK}] does not exist`);
    return { StackEvents: [...(fake.events.get(key) ?? [])].reverse() };
  });
  cfn.on(DescribeStackResourceCommand).callsFake(() => ({ StackResourceDetail: { LogicalResourceId: 'ArtifactsBucket', PhysicalResourceId: BUCKET, ResourceType: 'AWS::S3::Bucket', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() } }));
  cfn.on(ListStackResourcesCommand).callsFake(() => ({ StackResourceSummaries: fake.resources.map((r) => ({ ...r, ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() })) }));
  let describedChangeSet = 0;
  let executed = false;
  cfn.on(CreateChangeSetCommand).callsFake((input: { TemplateURL?: string; Tags?: Array<{ Key?: string; Value?: string }> }) => {
    describedChangeSet = 0;
    executed = false;
    fake.changeSetTags = input.Tags;
    fake.changeSetTemplate = fake.objects.get(new URL(input.TemplateURL ?? 'https://x/').pathname.slice(1))?.toString('utf8');
    return { Id: ROOT_CHANGE_SET, StackId: STACK_ID };
  });
  const nestedChangeSets = new Map<string, Change[]>();
  cfn.on(DescribeChangeSetCommand).callsFake((input: { ChangeSetName?: string }) => {
    const nested = nestedChangeSets.get(input.ChangeSetName ?? '');
    if (nested) return { Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: nested };
    if (executed && fake.execution) return { Status: 'CREATE_COMPLETE', ExecutionStatus: fake.execution.status, ...(fake.execution.reason && { StatusReason: fake.execution.reason }) };
    if (input.ChangeSetName === REJECTED_NESTED && fake.rejectNested) {
      const { logicalId, reason } = fake.rejectNested;
      return { ChangeSetId: REJECTED_NESTED, StackName: `${STACK}-${logicalId}-1X2Y3Z4W5V6U`, ParentChangeSetId: ROOT_CHANGE_SET, Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: reason };
    }
    // Pending once, so the wait loop polls.
    if (describedChangeSet++ === 0) return { Status: 'CREATE_PENDING' };
    if (fake.rejectNested) return { Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: `Nested change set ${REJECTED_NESTED} was not successfully created: Currently in FAILED.` };
    const changes = fake.changes === 'diff' ? diffTemplates(fake.template, fake.changeSetTemplate, fake.templateCopies, nestedChangeSets) : fake.changes;
    if (!changes || changes.length === 0) return { Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." };
    return { Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: changes };
  });
  cfn.on(GetTemplateCommand).callsFake(() => {
    if (!fake.stack) throw awsError('ValidationError', `Stack with id ${STACK} does not exist`);
    return { TemplateBody: fake.template, StagesAvailable: ['Original', 'Processed'] };
  });
  cfn.on(DeleteChangeSetCommand).resolves({});
  cfn.on(ListChangeSetsCommand).callsFake(() => ({ Summaries: fake.changeSetSummaries }));
  cfn.on(ExecuteChangeSetCommand).callsFake(() => {
    executed = true;
    fake.startOperation(() => fake.onExecute());
    return {};
  });
  cfn.on(DeleteStackCommand).callsFake(() => {
    if (fake.terminationProtection) throw awsError('ValidationError', `Stack [${STACK}] cannot be deleted while TerminationProtection is enabled`);
    fake.startOperation(() => {
      fake.addEvents(STACK, selfEvent('DELETE_IN_PROGRESS'), selfEvent('DELETE_COMPLETE'));
      fake.setStack('DELETE_COMPLETE', ['DELETE_IN_PROGRESS']);
    });
    return {};
  });
  cfn.on(RollbackStackCommand).callsFake(() => {
    fake.startOperation(() => {
      const [inProgress, done] = fake.stack?.status === 'CREATE_FAILED' ? ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE'] : ['UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE'];
      fake.addEvents(STACK, selfEvent(inProgress), selfEvent(done));
      fake.setStack(done, [inProgress]);
    });
    return {};
  });
  cfn.on(ContinueUpdateRollbackCommand).callsFake((input: { ResourcesToSkip?: string[] }) => {
    // Skipping a resource that is not UPDATE_FAILED is refused, as CloudFormation refuses it.
    const unknown = (input.ResourcesToSkip ?? []).find((id) => !fake.rollbackBlockers.includes(id));
    if (unknown) throw awsError('ValidationError', `Resource [${unknown}] is not in UPDATE_FAILED state and cannot be skipped`);
    const blocking = fake.rollbackBlockers.filter((id) => !input.ResourcesToSkip?.includes(id));
    fake.startOperation(() => {
      if (blocking.length === 0) {
        fake.addEvents(STACK, selfEvent('UPDATE_ROLLBACK_IN_PROGRESS'), selfEvent('UPDATE_ROLLBACK_COMPLETE'));
        fake.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_ROLLBACK_IN_PROGRESS']);
        return;
      }
      fake.addEvents(STACK, selfEvent('UPDATE_ROLLBACK_IN_PROGRESS'));
      for (const id of blocking) failRollbackOf(id);
      fake.addEvents(STACK, selfEvent('UPDATE_ROLLBACK_FAILED'));
      fake.setStack('UPDATE_ROLLBACK_FAILED', ['UPDATE_ROLLBACK_IN_PROGRESS'], undefined, `The following resource(s) failed to update: [${blocking.map((id) => id.split('.')[0]).join(', ')}].`);
    });
    return {};
  });
  /** A resource (`Logical` or `NestedStack.Logical`) whose rollback fails: its old code object is gone. */
  const failRollbackOf = (id: string) => {
    const [first, inner] = id.split('.') as [string, string | undefined];
    const failed = (stackId: string, name: string, logicalId: string) =>
      stackEvent({ LogicalResourceId: logicalId, StackId: stackId, StackName: name, ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Resource handler returned message: "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist."' });
    if (!inner) return fake.addEvents(STACK, failed(STACK_ID, STACK, first));
    const nestedId = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}-${first}-X/1`;
    const nestedName = `${STACK}-${first}-X`;
    const nestedResource = { LogicalResourceId: first, PhysicalResourceId: nestedId, ResourceType: 'AWS::CloudFormation::Stack' };
    fake.addEvents(STACK, stackEvent({ ...nestedResource, ResourceStatus: 'UPDATE_IN_PROGRESS' }));
    fake.addEvents(nestedId, selfEvent('UPDATE_ROLLBACK_IN_PROGRESS', nestedId, nestedName), failed(nestedId, nestedName, inner), selfEvent('UPDATE_ROLLBACK_FAILED', nestedId, nestedName));
    fake.addEvents(STACK, stackEvent({ ...nestedResource, ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Nested stack failed to roll back' }));
  };

  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    if (!fake.objects.has(input.Key)) throw awsError('NotFound', 'NotFound', 404);
    return { ContentLength: fake.objects.get(input.Key)!.length };
  });
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: Buffer | string }) => {
    fake.objects.set(input.Key, Buffer.from(input.Body));
    if (input.Key.startsWith('templates/')) fake.templateCopies.set(input.Key, Buffer.from(input.Body).toString('utf8'));
    return { ETag: '"x"' };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = fake.objects.get(input.Key);
    if (!body) throw awsError('NoSuchKey', 'The specified key does not exist.', 404);
    return { Body: { transformToString: async () => body.toString('utf8') } };
  });

  apiGateway.on(GetStageCommand).resolves({ deploymentId: 'dep1', stageName: 'dev' });
  apiGateway.on(GetDeploymentCommand).callsFake((input: { embed?: string[] }) => ({
    id: 'dep1',
    description: fake.deploymentDescription,
    ...(fake.apiSummary && input.embed?.includes('apisummary') && { apiSummary: fake.apiSummary }),
  }));
  lambda.on(GetFunctionConfigurationCommand).rejects(awsError('ResourceNotFoundException', 'Function not found', 404));
  lambda.on(UpdateFunctionCodeCommand).resolves({});
  return fake;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The body of a nested stack's template, found in the bucket through its TemplateURL. */
function childBody(resource: Resources[string] | undefined, templates: Map<string, string>): string | undefined {
  const key = /templates\/[0-9a-f]+\.json/.exec(JSON.stringify(resource?.Properties?.['TemplateURL'] ?? ''))?.[0];
  return key ? templates.get(key) : undefined;
}

/**
 * Changes from one template body to another: added, removed, and modified by any difference; every
 * nested stack in both is listed, as AWS lists it, with a change set of its own (IncludeNestedStacks)
 * registered in `nested` — an empty one when nothing in it changes.
 */
function diffTemplates(before: string | undefined, after: string | undefined, templates: Map<string, string>, nested: Map<string, Change[]>): Change[] {
  const old = ((before && JSON.parse(before)) as { Resources?: Resources } | undefined)?.Resources ?? {};
  const next = ((after && JSON.parse(after)) as { Resources?: Resources } | undefined)?.Resources ?? {};
  const change = (Action: 'Add' | 'Remove' | 'Modify', id: string, type: string): Change => ({ Type: 'Resource', ResourceChange: { Action, LogicalResourceId: id, ResourceType: type } });
  const same = (id: string) => JSON.stringify(old[id]) === JSON.stringify(next[id]);
  const modify = (id: string, type: string): Change => {
    const modified = change('Modify', id, type);
    if (type !== 'AWS::CloudFormation::Stack') return modified;
    const changeSetId = `arn:aws:cloudformation:us-east-1:123456789012:changeSet/nested-${id}/${nested.size + 1}`;
    nested.set(changeSetId, diffTemplates(childBody(old[id], templates), childBody(next[id], templates), templates, nested));
    // As AWS lists them: a nested stack whose own properties are untouched is still "modified",
    // automatically, in case something inside it changes (its nested change set then tells).
    const details = same(id)
      ? { Scope: [], Details: [{ Evaluation: 'Static', ChangeSource: 'Automatic', Target: { Attribute: 'Properties', RequiresRecreation: 'Never' } }] }
      : { Scope: ['Properties'], Details: [{ Evaluation: 'Static', ChangeSource: 'DirectModification', Target: { Attribute: 'Properties', Name: 'TemplateURL', RequiresRecreation: 'Never' } }] };
    return { ...modified, ResourceChange: { ...modified.ResourceChange, PhysicalResourceId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}-${id}/1`, Replacement: 'False', ...details, ChangeSetId: changeSetId } } as Change;
  };
  // AWS lists every nested stack of both templates, changed or not (IncludeNestedStacks).
  const listed = (id: string, r: Resources[string]) => id in old && (!same(id) || r.Type === 'AWS::CloudFormation::Stack');
  return [
    ...Object.entries(next).filter(([id]) => !(id in old)).map(([id, r]) => change('Add', id, r.Type)),
    ...Object.entries(next).filter(([id, r]) => listed(id, r)).map(([id, r]) => modify(id, r.Type)),
    ...Object.entries(old).filter(([id]) => !(id in next)).map(([id, r]) => change('Remove', id, r.Type)),
  ];
}

type ApiSummary = Record<string, Record<string, object>>;

/** `GET /posts` for each method of a one-template stack (undefined when its API is nested or absent). */
function methodsOf(body: string | undefined): string[] | undefined {
  const resources = ((body && JSON.parse(body)) as { Resources?: Resources } | undefined)?.Resources ?? {};
  if (Object.values(resources).some((r) => r.Type === 'AWS::CloudFormation::Stack')) return undefined;
  const pathOf = (resourceId: unknown): string => {
    const id = (resourceId as { Ref?: string }).Ref;
    if (!id) return '';
    const { ParentId, PathPart } = resources[id]!.Properties as { ParentId: unknown; PathPart: string };
    return `${pathOf(ParentId)}/${PathPart}`;
  };
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApiGateway::Method')
    .map((r) => `${r.Properties!['HttpMethod'] as string} ${pathOf(r.Properties!['ResourceId']) || '/'}`);
}

function deploymentIdOf(body: string | undefined): string | undefined {
  const resources = ((body && JSON.parse(body)) as { Resources?: Resources } | undefined)?.Resources ?? {};
  return Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGateway::Deployment')?.[0];
}

/** The stage's snapshot after an update from one template to another. */
function snapshotAfter(before: string | undefined, after: string | undefined, current: ApiSummary | undefined): ApiSummary | undefined {
  const next = deploymentIdOf(after);
  if (next === undefined) return undefined;
  if (next === deploymentIdOf(before)) return current;
  const methods = [...(methodsOf(before) ?? []), ...(methodsOf(after) ?? [])];
  const summary: ApiSummary = {};
  for (const method of methods) {
    const [verb, path] = method.split(' ') as [string, string];
    summary[path] = { ...summary[path], [verb]: { authorizationType: 'NONE', apiKeyRequired: false } };
  }
  return methodsOf(after) ? summary : undefined;
}

export type FakeAws = ReturnType<typeof createFakeAws>;

/**
 * Lambda's refusal of an environment over 4 KB, as CloudFormation relays it in an event reason: the
 * whole environment quoted as JSON inside the quoted handler message, values and all.
 */
export function envTooLargeReason(variables: Record<string, string>): string {
  const lambda = `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(variables)}`;
  return `Resource handler returned message: ${JSON.stringify(lambda)} (RequestToken: 6b7d0d3c-6a49-4c0b-9d1d-0c6f2d0b5f1e, HandlerErrorCode: InvalidRequest)`;
}

/** What Lambda answers a change to a function while another update of it is in progress. */
export function updateConflict(functionName: string): Error {
  return awsError('ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:${functionName}`, 409);
}
