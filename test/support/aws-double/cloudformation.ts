// CloudFormation over the AWS query protocol: form-encoded `Action=…&Version=2010-05-15&…` in,
// `<ActionResponse><ActionResult>…</ActionResult></ActionResponse>` XML out.
import { forgetNested, planNested } from './nested-change-sets.js';
import { createStack, deleteStack, diffTemplates, updateStack } from './stack-engine.js';
import type { DoubleState, FakeStack, Template } from './state.js';
import { toXml } from './xml.js';

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export interface QueryReply {
  status: number;
  body: string;
}

export class QueryError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

export function queryError(code: string, message: string, status = 400): QueryReply {
  const body = `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${toXml(message)}</Message></Error><RequestId>double</RequestId></ErrorResponse>`;
  return { status, body };
}

function ok(action: string, result: Record<string, unknown>): QueryReply {
  return { status: 200, body: `<${action}Response xmlns="${NS}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>double</RequestId></ResponseMetadata></${action}Response>` };
}

/** `Tags.member.1.Key` style parameters back into a list of records (or strings). */
export function memberList(params: URLSearchParams, name: string): Array<Record<string, string>> {
  const items = new Map<number, Record<string, string>>();
  for (const [key, value] of params) {
    const match = new RegExp(`^${name}\\.member\\.(\\d+)(?:\\.(.+))?$`).exec(key);
    if (!match) continue;
    const item = items.get(Number(match[1])) ?? {};
    item[match[2] ?? ''] = value;
    items.set(Number(match[1]), item);
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
}

function stackOf(state: DoubleState, params: URLSearchParams): FakeStack {
  const name = params.get('StackName') ?? '';
  const stack = state.findStack(name);
  if (!stack) throw new QueryError('ValidationError', `Stack with id ${name} does not exist`);
  return stack;
}

/**
 * A path-style URL of this double (`<endpoint>/<bucket>/<key>`, what sls-ts passes with an endpoint
 * override), or a virtual-hosted S3 one (`https://<bucket>.s3.<region>.amazonaws.com/<key>`, what a
 * nested stack's TemplateURL resolves to).
 */
function fetchTemplate(state: DoubleState, url: string): Template {
  const parsed = new URL(url);
  const path = decodeURIComponent(parsed.pathname).replace(/^\//, '');
  const virtual = /^(.+)\.s3\.[a-z0-9-]+\.amazonaws\.com$/.exec(parsed.hostname)?.[1];
  const slash = path.indexOf('/');
  const object = virtual ? state.latest(virtual, path) : slash > 0 ? state.latest(path.slice(0, slash), path.slice(slash + 1)) : undefined;
  if (!object) throw new QueryError('ValidationError', `S3 error: Access Denied for ${url}`);
  return JSON.parse(object.body.toString('utf8')) as Template;
}

function describe(stack: FakeStack): Record<string, unknown> {
  return {
    StackId: stack.id,
    StackName: stack.name,
    StackStatus: stack.status,
    StackStatusReason: stack.reason,
    CreationTime: stack.created,
    LastUpdatedTime: stack.updated,
    Outputs: Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    Tags: stack.tags,
  };
}

export function handleCloudFormation(state: DoubleState, params: URLSearchParams): QueryReply {
  const action = params.get('Action') ?? '';
  try {
    return dispatch(state, action, params);
  } catch (error) {
    if (error instanceof QueryError) return queryError(error.code, error.message, error.status);
    throw error;
  }
}

function dispatch(state: DoubleState, action: string, params: URLSearchParams): QueryReply {
  switch (action) {
    case 'DescribeStacks': {
      const stack = stackOf(state, params);
      if (stack.settle && --stack.settle.after < 0) {
        stack.status = stack.settle.status;
        delete stack.settle;
      }
      return ok(action, { Stacks: [describe(stack)] });
    }
    case 'CreateStack': {
      const name = params.get('StackName')!;
      if (state.findStack(name)) throw new QueryError('AlreadyExistsException', `Stack [${name}] already exists`);
      const id = `arn:aws:cloudformation:${state.region}:${state.account}:stack/${name}/${state.id(12)}`;
      const stack: FakeStack = { id, name, status: 'CREATE_IN_PROGRESS', template: {}, resources: new Map(), outputs: {}, events: [], tags: memberList(params, 'Tags') as FakeStack['tags'], created: state.now() };
      state.stacks.set(id, stack);
      createStack(state, stack, JSON.parse(params.get('TemplateBody') ?? '{}') as Template);
      return ok(action, { StackId: id });
    }
    case 'DescribeStackEvents': {
      const stack = stackOf(state, params);
      return ok(action, { StackEvents: [...stack.events].reverse() });
    }
    case 'DescribeStackResource': {
      const stack = stackOf(state, params);
      const id = params.get('LogicalResourceId') ?? '';
      const resource = stack.resources.get(id);
      if (!resource) throw new QueryError('ValidationError', `Resource ${id} does not exist for stack ${stack.name}`);
      return ok(action, { StackResourceDetail: { StackName: stack.name, StackId: stack.id, LogicalResourceId: id, PhysicalResourceId: resource.physicalId, ResourceType: resource.type, ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: stack.created } });
    }
    case 'ListStackResources': {
      const stack = stackOf(state, params);
      const summaries = [...stack.resources].map(([id, resource]) => ({ LogicalResourceId: id, PhysicalResourceId: resource.physicalId, ResourceType: resource.type, ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: stack.created }));
      return ok(action, { StackResourceSummaries: summaries });
    }
    case 'CreateChangeSet': {
      const stack = stackOf(state, params);
      const template = fetchTemplate(state, params.get('TemplateURL') ?? '');
      const name = params.get('ChangeSetName')!;
      const id = `arn:aws:cloudformation:${state.region}:${state.account}:changeSet/${name}/${state.id(12)}`;
      const nested = params.get('IncludeNestedStacks') === 'true' ? planNested(state, stack, template, id, (url) => fetchTemplate(state, url)) : undefined;
      const changes = nested?.changes ?? diffTemplates(stack.template, template);
      const same = changes.length === 0 && JSON.stringify(stack.template.Outputs ?? {}) === JSON.stringify(template.Outputs ?? {});
      const tags = memberList(params, 'Tags') as FakeStack['tags'];
      const reason = nested?.failure ?? (same ? "The submitted information didn't contain changes. Submit different information to create a change set." : undefined);
      state.changeSets.set(id, {
        id, name, stackId: stack.id, stackName: stack.name, template, changes,
        status: reason ? 'FAILED' : 'CREATE_COMPLETE',
        ...(reason && { reason }),
        ...(tags.length > 0 && { tags }),
      });
      return ok(action, { Id: id, StackId: stack.id });
    }
    case 'DescribeChangeSet': {
      const changeSet = findChangeSet(state, params);
      return ok(action, {
        ChangeSetId: changeSet.id, ChangeSetName: changeSet.name, StackId: changeSet.stackId, StackName: changeSet.stackName, ParentChangeSetId: changeSet.parentId,
        Status: changeSet.status, StatusReason: changeSet.reason,
        ExecutionStatus: changeSet.status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE',
        Changes: changeSet.changes.map((change) => ({ Type: 'Resource', ResourceChange: change })),
      });
    }
    case 'DeleteChangeSet': {
      const { id } = findChangeSet(state, params);
      state.changeSets.delete(id);
      forgetNested(state, id);
      return ok(action, {});
    }
    case 'GetTemplate': {
      // Kept parsed, so handed back re-serialized: callers must compare templates as data.
      return ok(action, { TemplateBody: JSON.stringify(stackOf(state, params).template), StagesAvailable: ['Original', 'Processed'] });
    }
    case 'ExecuteChangeSet': {
      const changeSet = findChangeSet(state, params);
      const stack = state.stacks.get(changeSet.stackId)!;
      state.changeSets.delete(changeSet.id);
      forgetNested(state, changeSet.id);
      // Without Tags a change set keeps the stack's tags, as UpdateStack does.
      if (changeSet.tags) stack.tags = changeSet.tags;
      updateStack(state, stack, changeSet.template!);
      return ok(action, {});
    }
    case 'DeleteStack': {
      const stack = state.findStack(params.get('StackName') ?? '');
      if (stack) deleteStack(state, stack);
      return ok(action, {});
    }
    default:
      throw new QueryError('InvalidAction', `The double does not implement ${action}`);
  }
}

function findChangeSet(state: DoubleState, params: URLSearchParams) {
  const ref = params.get('ChangeSetName') ?? '';
  const changeSet = state.changeSets.get(ref) ?? [...state.changeSets.values()].find((candidate) => candidate.name === ref);
  if (!changeSet) throw new QueryError('ChangeSetNotFound', `ChangeSet [${ref}] does not exist`, 404);
  return changeSet;
}
