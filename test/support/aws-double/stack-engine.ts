// A toy CloudFormation engine: creates, updates and deletes the resources of a template at once,
// writing the events a real stack would (in-progress, complete, failed, rollback).
import { BUCKET, customName, dataAttribute, dataPhysicalId, isDataType, requiresReplacement } from './data-resources.js';
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
  const data = resource && dataAttribute(state, resource, attribute);
  if (data !== undefined) return data;
  if (attribute === 'Arn') return `arn:aws:${resource?.type.split('::')[1]?.toLowerCase() ?? 'x'}:${state.region}:${state.account}:${physical}`;
  if (attribute === 'RootResourceId') return `${physical}-root`;
  return `${physical}.${attribute}`;
}

function physicalIdFor(state: DoubleState, stack: FakeStack, id: string, type: string, properties: Record<string, unknown>): string {
  const data = dataPhysicalId(state, stack, id, type, properties);
  if (data !== undefined) return data;
  if (type === 'AWS::Lambda::Function') return String(properties.FunctionName ?? `${stack.name}-${id}`);
  if (type === 'AWS::Logs::LogGroup') return String(properties.LogGroupName ?? `${stack.name}-${id}`);
  if (type === 'AWS::ApiGateway::Stage') return String(properties.StageName);
  // As CloudFormation names a nested stack: `<parent>-<LogicalId>-<SUFFIX>`, referred to by its ARN.
  if (type === 'AWS::CloudFormation::Stack') return `arn:aws:cloudformation:${state.region}:${state.account}:stack/${stack.name}-${id}-${state.id(12).toUpperCase()}/${state.id(12)}`;
  return `${stack.name}-${id}-${state.id(6)}`;
}

function existsInAccount(state: DoubleState, type: string, physicalId: string): boolean {
  return type === BUCKET ? state.buckets.has(physicalId) : state.dataResources.has(physicalId);
}

/** Brings a resource into being (or up to date); returns a failure reason instead when it cannot. */
function applyResource(state: DoubleState, stack: FakeStack, id: string, definition: Resources[string], existing: FakeResource | undefined): string | undefined {
  const properties = resolveValue(state, stack, definition.Properties ?? {}) as Record<string, unknown>;
  const physicalId = existing?.physicalId ?? physicalIdFor(state, stack, id, definition.Type, properties);
  if (isDataType(definition.Type)) {
    // A retained table (or one of another stack) keeps its name: creating it again fails, as on AWS.
    if (!existing && existsInAccount(state, definition.Type, physicalId)) return `Resource of type '${definition.Type}' with identifier '${physicalId}' already exists.`;
    if (definition.Type === BUCKET) {
      if (!state.buckets.has(physicalId)) state.buckets.set(physicalId, new Map());
    } else state.dataResources.set(physicalId, { type: definition.Type, properties });
  }
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

/** Deletes a resource from the account; a failure reason instead when AWS refuses. */
function deletePhysical(state: DoubleState, resource: FakeResource): string | undefined {
  if (resource.type === BUCKET) {
    if (state.countVersions(resource.physicalId) > 0) return 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.';
    state.buckets.delete(resource.physicalId);
  }
  if (isDataType(resource.type)) state.dataResources.delete(resource.physicalId);
  if (resource.type === 'AWS::Lambda::Function') state.functions.delete(resource.physicalId);
  return undefined;
}

/** Deletes a resource of the stack, or with DeletionPolicy Retain only forgets it: it stays in the account. */
function removeResource(state: DoubleState, stack: FakeStack, id: string, policy?: string): string | undefined {
  const resource = stack.resources.get(id);
  if (!resource) return undefined;
  const failed = policy === 'Retain' ? undefined : deletePhysical(state, resource);
  if (failed) return failed;
  stack.resources.delete(id);
  return undefined;
}

/** What a stack event says of a resource deleted under `policy`. */
const deletedStatus = (policy: string | undefined) => (policy === 'Retain' ? 'DELETE_SKIPPED' : 'DELETE_COMPLETE');

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
    else if (JSON.stringify(before[id]) !== JSON.stringify(definition)) {
      const replaced = requiresReplacement(definition.Type, before[id]!.Properties, definition.Properties);
      changes.push({ Action: 'Modify', LogicalResourceId: id, ResourceType: definition.Type, Replacement: replaced ? 'True' : 'False' });
    }
  }
  for (const [id, definition] of Object.entries(before)) if (!after[id]) changes.push({ Action: 'Remove', LogicalResourceId: id, ResourceType: definition.Type });
  return changes;
}

/**
 * A replacement creates the new resource now and deletes the old one in the cleanup phase (kept
 * with UpdateReplacePolicy Retain); CloudFormation refuses it when the name would stay the same.
 */
function replaceResource(state: DoubleState, stack: FakeStack, id: string, definition: Resources[string], replaced: Array<{ id: string; old: FakeResource; policy?: string }>): string | undefined {
  const old = stack.resources.get(id)!;
  const name = customName(definition.Type, resolveValue(state, stack, definition.Properties ?? {}) as Record<string, unknown>);
  if (name !== undefined && name === customName(old.type, old.definition as Record<string, unknown>)) {
    return `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${JSON.parse(name) as string} and update the stack again.`;
  }
  const failed = applyResource(state, stack, id, definition, undefined);
  if (!failed) replaced.push({ id, old, ...(definition.UpdateReplacePolicy && { policy: definition.UpdateReplacePolicy }) });
  return failed;
}

/** Applies a change set: adds and modifies, then removes in the cleanup phase; a failure rolls the update back. */
export function updateStack(state: DoubleState, stack: FakeStack, template: Template): void {
  selfEvent(state, stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
  const previous = stack.template.Resources ?? {};
  const changes = diffTemplates(stack.template, template);
  const replaced: Array<{ id: string; old: FakeResource; policy?: string }> = [];
  for (const change of changes.filter((c) => c.Action !== 'Remove')) {
    const verb = change.Action === 'Add' ? 'CREATE' : 'UPDATE';
    const definition = template.Resources![change.LogicalResourceId]!;
    pushEvent(state, stack, change.LogicalResourceId, change.ResourceType, `${verb}_IN_PROGRESS`, stack.resources.get(change.LogicalResourceId)?.physicalId);
    const failed = change.Replacement === 'True'
      ? replaceResource(state, stack, change.LogicalResourceId, definition, replaced)
      : applyResource(state, stack, change.LogicalResourceId, definition, stack.resources.get(change.LogicalResourceId));
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
  // A delete that fails here leaves the resource in the account and the update complete, as on AWS.
  for (const { id, old, policy } of replaced) {
    const failed = policy === 'Retain' ? undefined : deletePhysical(state, old);
    pushEvent(state, stack, id, old.type, failed ? 'DELETE_FAILED' : deletedStatus(policy), old.physicalId, failed);
  }
  for (const change of changes.filter((c) => c.Action === 'Remove')) {
    const policy = previous[change.LogicalResourceId]?.DeletionPolicy;
    const physicalId = stack.resources.get(change.LogicalResourceId)?.physicalId;
    const failed = removeResource(state, stack, change.LogicalResourceId, policy);
    stack.resources.delete(change.LogicalResourceId);
    pushEvent(state, stack, change.LogicalResourceId, change.ResourceType, failed ? 'DELETE_FAILED' : deletedStatus(policy), physicalId, failed);
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
    const policy = stack.template.Resources?.[id]?.DeletionPolicy;
    const failed = removeResource(state, stack, id, policy);
    if (failed) {
      pushEvent(state, stack, id, resource.type, 'DELETE_FAILED', resource.physicalId, failed);
      selfEvent(state, stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${id}].`);
      stack.reason = `The following resource(s) failed to delete: [${id}].`;
      return settle(state, stack, 'DELETE_IN_PROGRESS', 'DELETE_FAILED');
    }
    pushEvent(state, stack, id, resource.type, deletedStatus(policy), resource.physicalId);
  }
  selfEvent(state, stack, 'DELETE_COMPLETE');
  settle(state, stack, 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE');
}
