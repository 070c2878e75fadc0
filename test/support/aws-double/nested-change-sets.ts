// Change sets with IncludeNestedStacks, as AWS makes them: every nested stack in both templates is
// listed as modified whether or not anything in it changes ("ChangeSource: Automatic" when its own
// properties are the same), each with a change set of its own for the nested template; a nested
// template CloudFormation rejects fails that nested change set, and the root's reason only points at it.
import { resolveValue, diffTemplates } from './stack-engine.js';
import type { DoubleState, FakeChange, FakeStack, Template } from './state.js';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

export interface NestedPlan {
  changes: FakeChange[];
  /** The root's StatusReason when a nested change set failed. */
  failure?: string;
}

/**
 * The root's changes with a nested change set registered in `state.changeSets` for every nested
 * stack kept by the update. `fetch` reads a template by its (resolved) TemplateURL.
 */
export function planNested(state: DoubleState, stack: FakeStack, template: Template, rootId: string, fetch: (url: string) => Template): NestedPlan {
  const before = stack.template.Resources ?? {};
  const after = template.Resources ?? {};
  const others = diffTemplates(stack.template, template).filter((change) => !(change.Action === 'Modify' && change.ResourceType === STACK_TYPE));
  const plan: NestedPlan = { changes: others };
  for (const [id, definition] of Object.entries(after)) {
    const deployed = stack.resources.get(id);
    if (definition.Type !== STACK_TYPE || !before[id] || !deployed) continue;
    const same = JSON.stringify(before[id]) === JSON.stringify(definition);
    const oldUrl = String((deployed.definition as { TemplateURL?: unknown }).TemplateURL);
    const newUrl = String(resolveValue(state, stack, definition.Properties?.['TemplateURL']));
    const nestedId = `arn:aws:cloudformation:${state.region}:${state.account}:changeSet/${id}-${state.id(8)}/${state.id(12)}`;
    const rejected = state.rejectNested?.logicalId === id ? state.rejectNested.reason : undefined;
    state.changeSets.set(nestedId, {
      id: nestedId, name: nestedId.split('/')[1]!, stackId: deployed.physicalId, stackName: deployed.physicalId.split('/')[1]!, parentId: rootId,
      status: rejected ? 'FAILED' : 'CREATE_COMPLETE',
      ...(rejected && { reason: rejected }),
      changes: rejected ? [] : diffTemplates(fetch(oldUrl), fetch(newUrl)),
    });
    if (rejected) plan.failure ??= `Nested change set ${nestedId} was not successfully created: Currently in FAILED.`;
    plan.changes.push({
      Action: 'Modify', LogicalResourceId: id, PhysicalResourceId: deployed.physicalId, ResourceType: STACK_TYPE, Replacement: 'False',
      Scope: same ? [] : ['Properties'],
      Details: [
        same
          ? { Evaluation: 'Static', ChangeSource: 'Automatic', Target: { Attribute: 'Properties', RequiresRecreation: 'Never' } }
          : { Evaluation: 'Static', ChangeSource: 'DirectModification', Target: { Attribute: 'Properties', Name: 'TemplateURL', RequiresRecreation: 'Never' } },
      ],
      ChangeSetId: nestedId,
    });
  }
  return plan;
}

/** A change set goes with the nested change sets made for it (executed or deleted). */
export function forgetNested(state: DoubleState, rootId: string): void {
  for (const [id, changeSet] of state.changeSets) if (changeSet.parentId === rootId) state.changeSets.delete(id);
}
