// Puts the generated parts into templates: all in one root template when the app fits, or the
// root plus one nested stack per group (a controller's functions, a job, a plain function, or a
// top-level path's API resources) when it does not.
import { gatesDeployment } from './deployment.js';
import { FIXED_IDS } from './ids.js';
import { getAtt, ref, sub } from './intrinsics.js';
import { serializeTemplate, sortedRecord, templateKey } from './json.js';
import { ROOT_HOME, type Part } from './parts.js';
import { bindParameters, externalize, type ExternalReference } from './references.js';
import type { ChildTemplate, Template, TemplateOutput, TemplateResource } from './types.js';

export interface AssembleInput {
  parts: readonly Part[];
  outputs: Record<string, TemplateOutput>;
  description: string;
  /** The Deployment's logical id, when the app has an API. */
  deploymentId?: string;
}

export interface NestedGroup {
  /** The `AWS::CloudFormation::Stack` logical id. */
  id: string;
  description: string;
}

export interface Assembled {
  root: Template;
  children: ChildTemplate[];
  /** Nested stack logical id → what it holds, for messages. */
  stackSources: Record<string, string>;
}

function template(description: string, resources: Iterable<readonly [string, TemplateResource]>, extra: Partial<Template> = {}): Template {
  const parameters = extra.Parameters && Object.keys(extra.Parameters).length > 0 ? { Parameters: extra.Parameters } : {};
  const outputs = extra.Outputs && Object.keys(extra.Outputs).length > 0 ? { Outputs: sortedRecord(Object.entries(extra.Outputs)) } : {};
  // CloudFormation allows 1,024 bytes of description; ours are short, but names come from the app.
  return { AWSTemplateFormatVersion: '2010-09-09', Description: description.slice(0, 1000), ...parameters, Resources: sortedRecord(resources), ...outputs };
}

/** The Deployment must come after every method and API permission (or every stack holding some). */
function withDependencies(part: Part, dependsOn: string[]): readonly [string, TemplateResource] {
  return [part.id, { ...part.resource, DependsOn: [...new Set(dependsOn)].sort() }];
}

export function assembleSingle(input: AssembleInput): Template {
  const gates = input.parts.filter((part) => gatesDeployment(part.resource)).map((part) => part.id);
  const resources = input.parts.map((part) => (part.id === input.deploymentId ? withDependencies(part, gates) : ([part.id, part.resource] as const)));
  return template(input.description, resources, { Outputs: input.outputs });
}

interface ChildPlan {
  home: string;
  stack: NestedGroup;
  resources: Array<readonly [string, TemplateResource]>;
  parameters: Map<string, ExternalReference>;
  gatesDeployment: boolean;
  exports: Map<string, unknown>;
}

function bindRootPart(part: Part, rootIds: ReadonlySet<string>, valueOf: (name: string, reference: ExternalReference) => unknown): Part {
  const { value, parameters } = externalize(part.resource, rootIds);
  if (parameters.size === 0) return part;
  if (part.resource.DependsOn?.some((id) => !rootIds.has(id))) throw new Error(`${part.id} depends on a resource of another stack`);
  return { ...part, resource: bindParameters(value, new Map([...parameters].map(([name, reference]) => [name, valueOf(name, reference)]))) };
}

export function assembleNested(input: AssembleInput, groups: ReadonlyMap<string, NestedGroup>): Assembled {
  const homeOf = new Map(input.parts.map((part) => [part.id, part.home]));
  const byHome = new Map<string, Part[]>();
  for (const part of input.parts) byHome.set(part.home, [...(byHome.get(part.home) ?? []), part]);

  const plans: ChildPlan[] = [];
  for (const [home, parts] of byHome) {
    if (home === ROOT_HOME) continue;
    const stack = groups.get(home);
    if (!stack) throw new Error(`no nested stack for group ${home}`);
    const local = new Set(parts.map((part) => part.id));
    const parameters = new Map<string, ExternalReference>();
    const resources = parts.map((part) => {
      if (part.resource.DependsOn?.some((id) => !local.has(id))) throw new Error(`${part.id} depends on a resource of another stack`);
      const rewritten = externalize(part.resource, local);
      for (const [name, reference] of rewritten.parameters) parameters.set(name, reference);
      return [part.id, rewritten.value] as const;
    });
    plans.push({ home, stack, resources, parameters, gatesDeployment: parts.some((part) => gatesDeployment(part.resource)), exports: new Map() });
  }
  plans.sort((a, b) => (a.stack.id < b.stack.id ? -1 : 1));
  const planOf = new Map(plans.map((plan) => [plan.home, plan]));

  // A parameter comes straight from the root, or from the outputs of the stack that owns it.
  const valueOf = (name: string, reference: ExternalReference): unknown => {
    const owner = homeOf.get(reference.id);
    const own = reference.attribute === undefined ? ref(reference.id) : getAtt(reference.id, reference.attribute);
    if (owner === undefined) throw new Error(`${reference.id} is referenced but never generated`);
    if (owner === ROOT_HOME) return own;
    const plan = planOf.get(owner)!;
    plan.exports.set(name, own);
    return getAtt(plan.stack.id, `Outputs.${name}`);
  };
  const values = new Map(plans.map((plan) => [plan, sortedRecord([...plan.parameters].map(([name, reference]) => [name, valueOf(name, reference)] as const))]));

  // Root resources that use something of a nested stack (a method on `/` calling a controller's
  // function) read that stack's output; asked for before the children are written, so they export it.
  const ownParts = byHome.get(ROOT_HOME) ?? [];
  const rootIds = new Set([...ownParts.map((part) => part.id), ...plans.map((plan) => plan.stack.id)]);
  const rootParts = ownParts.map((part) => bindRootPart(part, rootIds, valueOf));
  const children: ChildTemplate[] = plans.map((plan) => {
    const child = template(`${input.description}: ${plan.stack.description}`, plan.resources, {
      Parameters: sortedRecord([...plan.parameters.keys()].map((name) => [name, { Type: 'String' as const }])),
      Outputs: Object.fromEntries([...plan.exports].map(([name, value]) => [name, { Value: value }])),
    });
    const body = serializeTemplate(child);
    return { logicalId: plan.stack.id, key: templateKey(body), body, template: child };
  });

  const gates = [...rootParts.filter((part) => gatesDeployment(part.resource)).map((part) => part.id), ...plans.filter((plan) => plan.gatesDeployment).map((plan) => plan.stack.id)];
  const resources: Array<readonly [string, TemplateResource]> = rootParts.map((part) => (part.id === input.deploymentId ? withDependencies(part, gates) : [part.id, part.resource] as const));
  plans.forEach((plan, index) => {
    const child = children[index]!;
    resources.push([plan.stack.id, {
      Type: 'AWS::CloudFormation::Stack',
      Properties: {
        TemplateURL: sub(`https://\${${FIXED_IDS.bucket}.RegionalDomainName}/${child.key}`),
        ...(Object.keys(values.get(plan)!).length > 0 ? { Parameters: values.get(plan)! } : {}),
      },
    }]);
  });
  for (const [id, resource] of resources) {
    if (externalize(resource, rootIds).parameters.size > 0) throw new Error(`root resource ${id} references a resource inside a nested stack`);
  }
  return {
    root: template(input.description, resources, { Outputs: input.outputs }),
    children,
    stackSources: Object.fromEntries(plans.map((plan) => [plan.stack.id, plan.stack.description])),
  };
}
