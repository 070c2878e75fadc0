// A toy CloudFormation engine: creates, updates and deletes the resources of a template at once,
// writing the events a real stack would (in-progress, complete, failed, rollback).
import { sha256Base64, type DoubleState, type FakeResource, type FakeStack, type Template } from './state.js';

type Resources = NonNullable<Template['Resources']>;

export function pushEvent(state: DoubleState, stack: FakeStack, logicalId: string, type: string, status: string, physicalId?: string, reason?: string): void {
  stack.events.push({
    EventId: state.id(20),
    StackId: stack.id,
    StackName: stack.name,
    LogicalResourceId: logicalId,
    ...(physicalId !== undefined && { PhysicalResourceId: physicalId }),
    ResourceType: type,
    Timestamp: state.now(),
    ResourceStatus: status,
    ...(reason !== undefined && { ResourceStatusReason: reason }),
  });
}

function selfEvent(state: DoubleState, stack: FakeStack, status: string, reason?: string): void {
  pushEvent(state, stack, stack.name, 'AWS::CloudFormation::Stack', status, stack.id, reason);
}

/** Ref, Fn::GetAtt, Fn::Sub and Fn::Join against the stack's resources and pseudo parameters. */
export function resolveValue(state: DoubleState, stack: FakeStack, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveValue(state, stack, item));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if ('Ref' in record) return refOf(state, stack, String(record.Ref));
  if ('Fn::GetAtt' in record) {
    const [id, attribute] = record['Fn::GetAtt'] as [string, string];
    return attributeOf(state, stack, id, attribute);
  }
  if ('Fn::Sub' in record) {
    const sub = record['Fn::Sub'];
    const [text, vars] = Array.isArray(sub) ? (sub as [string, Record<string, unknown>]) : [sub as string, {}];
    return text.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
      if (name in vars) return String(resolveValue(state, stack, vars[name]));
      const [id, attribute] = name.split('.');
      return String(attribute ? attributeOf(state, stack, id!, attribute) : refOf(state, stack, id!));
    });
  }
  if ('Fn::Join' in record) {
    const [separator, items] = record['Fn::Join'] as [string, unknown[]];
    return (resolveValue(state, stack, items) as unknown[]).join(separator);
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, resolveValue(state, stack, item)]));
}

function refOf(state: DoubleState, stack: FakeStack, id: string): string {
  const pseudo: Record<string, string> = {
    'AWS::Region': state.region, 'AWS::AccountId': state.account, 'AWS::StackName': stack.name,
    'AWS::StackId': stack.id, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws',
  };
  return pseudo[id] ?? stack.resources.get(id)?.physicalId ?? `unresolved-${id}`;
}

function attributeOf(state: DoubleState, stack: FakeStack, id: string, attribute: string): string {
  const resource = stack.resources.get(id);
  const physical = resource?.physicalId ?? `unresolved-${id}`;
  if (resource?.type === 'AWS::S3::Bucket') {
    if (attribute === 'Arn') return `arn:aws:s3:::${physical}`;
    if (attribute === 'RegionalDomainName') return `${physical}.s3.${state.region}.amazonaws.com`;
  }
  if (attribute === 'Arn') return `arn:aws:${resource?.type.split('::')[1]?.toLowerCase() ?? 'x'}:${state.region}:${state.account}:${physical}`;
  if (attribute === 'RootResourceId') return `${physical}-root`;
  return `${physical}.${attribute}`;
}

function physicalIdFor(state: DoubleState, stack: FakeStack, id: string, type: string, properties: Record<string, unknown>): string {
  if (type === 'AWS::S3::Bucket') return `${stack.name}-${id}-${state.id(8)}`.toLowerCase();
  if (type === 'AWS::Lambda::Function') return String(properties.FunctionName ?? `${stack.name}-${id}`);
  if (type === 'AWS::Logs::LogGroup') return String(properties.LogGroupName ?? `${stack.name}-${id}`);
  if (type === 'AWS::ApiGateway::Stage') return String(properties.StageName);
  // As CloudFormation names a nested stack: `<parent>-<LogicalId>-<SUFFIX>`, referred to by its ARN.
  if (type === 'AWS::CloudFormation::Stack') return `arn:aws:cloudformation:${state.region}:${state.account}:stack/${stack.name}-${id}-${state.id(12).toUpperCase()}/${state.id(12)}`;
  return `${stack.name}-${id}-${state.id(6)}`;
}

/** Brings a resource into being (or up to date); returns a failure reason instead when it cannot. */
function applyResource(state: DoubleState, stack: FakeStack, id: string, definition: Resources[string], existing: FakeResource | undefined): string | undefined {
  const properties = resolveValue(state, stack, definition.Properties ?? {}) as Record<string, unknown>;
  const physicalId = existing?.physicalId ?? physicalIdFor(state, stack, id, definition.Type, properties);
  if (definition.Type === 'AWS::S3::Bucket' && !state.buckets.has(physicalId)) state.buckets.set(physicalId, new Map());
  if (definition.Type === 'AWS::Lambda::Function') {
    const code = properties.Code as { S3Bucket?: string; S3Key?: string } | undefined;
    const object = code?.S3Bucket && code.S3Key ? state.latest(code.S3Bucket, code.S3Key) : undefined;
    if (!object) return `Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist. (Service: Lambda, Status Code: 400)`;
    const previous = state.functions.get(physicalId);
    state.functions.set(physicalId, { ...previous, name: physicalId, codeSha256: sha256Base64(object.body) });
  }
  stack.resources.set(id, { type: definition.Type, physicalId, definition: properties });
  return undefined;
}

function removeResource(state: DoubleState, stack: FakeStack, id: string): string | undefined {
  const resource = stack.resources.get(id);
  if (!resource) return undefined;
  if (resource.type === 'AWS::S3::Bucket') {
    if (state.countVersions(resource.physicalId) > 0) return 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.';
    state.buckets.delete(resource.physicalId);
  }
  if (resource.type === 'AWS::Lambda::Function') state.functions.delete(resource.physicalId);
  stack.resources.delete(id);
  return undefined;
}

function settle(state: DoubleState, stack: FakeStack, inProgress: string, final: string): void {
  stack.status = inProgress;
  stack.settle = { status: final, after: state.settleAfter };
}

function refreshOutputs(state: DoubleState, stack: FakeStack): void {
  stack.outputs = Object.fromEntries(Object.entries(stack.template.Outputs ?? {}).map(([key, output]) => [key, String(resolveValue(state, stack, output.Value))]));
}

/** Creates every resource of the template, or rolls back (ROLLBACK_COMPLETE) at the first failure. */
export function createStack(state: DoubleState, stack: FakeStack, template: Template): void {
  selfEvent(state, stack, 'CREATE_IN_PROGRESS', 'User Initiated');
  stack.template = template;
  for (const [id, definition] of Object.entries(template.Resources ?? {})) {
    pushEvent(state, stack, id, definition.Type, 'CREATE_IN_PROGRESS');
    const failed = applyResource(state, stack, id, definition, undefined);
    if (failed) {
      pushEvent(state, stack, id, definition.Type, 'CREATE_FAILED', '', failed);
      selfEvent(state, stack, 'ROLLBACK_IN_PROGRESS', `The following resource(s) failed to create: [${id}].`);
      for (const created of [...stack.resources.keys()]) removeResource(state, stack, created);
      selfEvent(state, stack, 'ROLLBACK_COMPLETE');
      return settle(state, stack, 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE');
    }
    pushEvent(state, stack, id, definition.Type, 'CREATE_COMPLETE', stack.resources.get(id)!.physicalId);
  }
  refreshOutputs(state, stack);
  selfEvent(state, stack, 'CREATE_COMPLETE');
  settle(state, stack, 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE');
}

export function diffTemplates(current: Template, next: Template): Array<{ Action: string; LogicalResourceId: string; ResourceType: string; Replacement?: string }> {
  const before = current.Resources ?? {};
  const after = next.Resources ?? {};
  const changes = [];
  for (const [id, definition] of Object.entries(after)) {
    if (!before[id]) changes.push({ Action: 'Add', LogicalResourceId: id, ResourceType: definition.Type });
    else if (JSON.stringify(before[id]) !== JSON.stringify(definition)) changes.push({ Action: 'Modify', LogicalResourceId: id, ResourceType: definition.Type, Replacement: 'False' });
  }
  for (const [id, definition] of Object.entries(before)) if (!after[id]) changes.push({ Action: 'Remove', LogicalResourceId: id, ResourceType: definition.Type });
  return changes;
}

/** Applies a change set: adds and modifies, then removes in the cleanup phase; a failure rolls the update back. */
export function updateStack(state: DoubleState, stack: FakeStack, template: Template): void {
  selfEvent(state, stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
  const changes = diffTemplates(stack.template, template);
  for (const change of changes.filter((c) => c.Action !== 'Remove')) {
    const verb = change.Action === 'Add' ? 'CREATE' : 'UPDATE';
    pushEvent(state, stack, change.LogicalResourceId, change.ResourceType, `${verb}_IN_PROGRESS`, stack.resources.get(change.LogicalResourceId)?.physicalId);
    const failed = applyResource(state, stack, change.LogicalResourceId, template.Resources![change.LogicalResourceId]!, stack.resources.get(change.LogicalResourceId));
    if (failed) {
      pushEvent(state, stack, change.LogicalResourceId, change.ResourceType, `${verb}_FAILED`, '', failed);
      selfEvent(state, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', `The following resource(s) failed to ${verb.toLowerCase()}: [${change.LogicalResourceId}].`);
      selfEvent(state, stack, 'UPDATE_ROLLBACK_COMPLETE');
      return settle(state, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE');
    }
    pushEvent(state, stack, change.LogicalResourceId, change.ResourceType, `${verb}_COMPLETE`, stack.resources.get(change.LogicalResourceId)!.physicalId);
  }
  stack.template = template;
  selfEvent(state, stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  for (const change of changes.filter((c) => c.Action === 'Remove')) {
    removeResource(state, stack, change.LogicalResourceId);
    pushEvent(state, stack, change.LogicalResourceId, change.ResourceType, 'DELETE_COMPLETE');
  }
  refreshOutputs(state, stack);
  stack.updated = state.now();
  selfEvent(state, stack, 'UPDATE_COMPLETE');
  settle(state, stack, 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE');
}

export function deleteStack(state: DoubleState, stack: FakeStack): void {
  selfEvent(state, stack, 'DELETE_IN_PROGRESS', 'User Initiated');
  for (const [id, resource] of [...stack.resources].reverse()) {
    pushEvent(state, stack, id, resource.type, 'DELETE_IN_PROGRESS', resource.physicalId);
    const failed = removeResource(state, stack, id);
    if (failed) {
      pushEvent(state, stack, id, resource.type, 'DELETE_FAILED', resource.physicalId, failed);
      selfEvent(state, stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${id}].`);
      stack.reason = `The following resource(s) failed to delete: [${id}].`;
      return settle(state, stack, 'DELETE_IN_PROGRESS', 'DELETE_FAILED');
    }
    pushEvent(state, stack, id, resource.type, 'DELETE_COMPLETE', resource.physicalId);
  }
  selfEvent(state, stack, 'DELETE_COMPLETE');
  settle(state, stack, 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE');
}
