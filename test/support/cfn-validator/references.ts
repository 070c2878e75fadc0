// References: Ref, Fn::GetAtt, Fn::Sub, DependsOn and condition names must name something the
// template declares; each reference between resources is a dependency edge, and cycles are errors.
import { intrinsicOf, isObject, join, kindOf, report, type Context, type JsonObject } from './context.js';
import { isCustomType, resourceSpec } from '../../../src/build/resource-spec/spec.js';

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::Region', 'AWS::StackName', 'AWS::StackId', 'AWS::Partition',
  'AWS::URLSuffix', 'AWS::NoValue', 'AWS::NotificationARNs',
]);
// These two only exist once the template declares the AWS::LanguageExtensions transform.
const LANGUAGE_EXTENSIONS = new Set(['Fn::ToJsonString', 'Fn::Length']);

export function checkDependsOn(id: string, dependsOn: unknown, path: string, ctx: Context): void {
  if (dependsOn === undefined) return;
  const targets = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  targets.forEach((target, i) => {
    const at = Array.isArray(dependsOn) ? join(path, i) : path;
    if (typeof target !== 'string') report(ctx, at, `DependsOn takes resource logical ids, got ${kindOf(target)}`);
    else if (!ctx.resources.has(target)) report(ctx, at, `DependsOn names ${target}, which is not a resource in this template`);
    else ctx.edges.get(id)?.add(target);
  });
}

export function checkConditionName(name: unknown, path: string, ctx: Context): void {
  if (name === undefined) return;
  if (typeof name !== 'string') report(ctx, path, `a condition name must be a string, got ${kindOf(name)}`);
  else if (!ctx.conditions.has(name)) report(ctx, path, `condition ${name} is not declared in Conditions`);
}

export interface WalkScope {
  /** Conditions may only reference parameters; outputs add no dependency edges. */
  scope: 'resource' | 'output' | 'condition';
  from?: string;
}

export function walkReferences(value: unknown, path: string, ctx: Context, where: WalkScope): void {
  if (Array.isArray(value)) return value.forEach((item, i) => walkReferences(item, join(path, i), ctx, where));
  if (!isObject(value)) return;
  const fn = intrinsicOf(value) ?? (where.scope === 'condition' && Object.keys(value).length === 1 && 'Condition' in value ? 'Condition' : undefined);
  if (!fn) {
    for (const [key, item] of Object.entries(value)) walkReferences(item, join(path, key), ctx, where);
    return;
  }
  const args = value[fn];
  const at = join(path, fn);
  if (LANGUAGE_EXTENSIONS.has(fn) && !ctx.transforms.includes('AWS::LanguageExtensions')) {
    report(ctx, at, `${fn} needs "Transform": "AWS::LanguageExtensions"`);
  }
  switch (fn) {
    case 'Ref':
      if (typeof args !== 'string') return report(ctx, at, `Ref takes a logical id string, got ${kindOf(args)}`);
      return checkRef(args, at, ctx, where);
    case 'Fn::GetAtt':
      return checkGetAttArgs(args, at, ctx, where);
    case 'Fn::Sub':
      return checkSub(args, at, ctx, where);
    case 'Condition':
      return checkConditionName(args, at, ctx);
    case 'Fn::If':
      if (Array.isArray(args)) checkConditionName(args[0], join(at, 0), ctx);
      if (!Array.isArray(args) || args.length !== 3) report(ctx, at, 'Fn::If takes [condition, value if true, value if false]');
      else args.slice(1).forEach((arg, i) => walkReferences(arg, join(at, i + 1), ctx, where));
      return;
    case 'Fn::FindInMap':
      if (Array.isArray(args) && typeof args[0] === 'string' && !(args[0] in ctx.mappings)) {
        report(ctx, join(at, 0), `mapping ${args[0]} is not declared in Mappings`);
      }
      return walkReferences(args, at, ctx, where);
    default:
      return walkReferences(args, at, ctx, where);
  }
}

function checkRef(name: string, path: string, ctx: Context, where: WalkScope): void {
  if (PSEUDO_PARAMETERS.has(name) || ctx.parameters.has(name)) return;
  if (!ctx.resources.has(name)) return report(ctx, path, `Ref to ${name}, which is neither a resource, a parameter nor a pseudo parameter`);
  if (where.scope === 'condition') return report(ctx, path, `conditions can only reference parameters, not resource ${name}`);
  addEdge(name, ctx, where);
}

function checkGetAttArgs(args: unknown, path: string, ctx: Context, where: WalkScope): void {
  if (typeof args === 'string') {
    const dot = args.indexOf('.');
    if (dot <= 0) return report(ctx, path, `Fn::GetAtt "${args}" must be "Resource.Attribute"`);
    return checkGetAtt(args.slice(0, dot), args.slice(dot + 1), path, ctx, where);
  }
  if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') {
    return report(ctx, path, 'Fn::GetAtt takes [resource, attribute] or "Resource.Attribute"');
  }
  const attribute: unknown = args[1];
  // The attribute name may itself be computed (a Ref to a parameter); it is checked only when literal.
  if (typeof attribute !== 'string') walkReferences(attribute, join(path, 1), ctx, where);
  checkGetAtt(args[0], typeof attribute === 'string' ? attribute : undefined, path, ctx, where);
}

function checkGetAtt(resourceId: string, attribute: string | undefined, path: string, ctx: Context, where: WalkScope): void {
  const resource = ctx.resources.get(resourceId);
  if (!resource) {
    const hint = ctx.parameters.has(resourceId) ? ' (it is a parameter: use Ref)' : '';
    return report(ctx, path, `Fn::GetAtt names ${resourceId}, which is not a resource in this template${hint}`);
  }
  if (where.scope === 'condition') return report(ctx, path, `conditions can only reference parameters, not resource ${resourceId}`);
  addEdge(resourceId, ctx, where);
  const type = resource['Type'];
  if (attribute === undefined || typeof type !== 'string' || isCustomType(type)) return;
  // A nested stack exposes each of its outputs as `Outputs.<Name>`.
  if (type === 'AWS::CloudFormation::Stack' && /^Outputs\.[A-Za-z0-9]+$/.test(attribute)) return;
  const specified = resourceSpec(type);
  if (!specified) return; // the unknown type is reported on the resource itself
  if (!(attribute in specified.attributes)) {
    const known = Object.keys(specified.attributes);
    report(ctx, path, `${type} ${resourceId} has no attribute "${attribute}" (${known.length ? `it has: ${known.join(', ')}` : 'it has none'})`);
  }
}

/** `${Name}` is a Ref, `${Resource.Attribute}` a GetAtt, `${!Text}` literal text. */
function checkSub(args: unknown, path: string, ctx: Context, where: WalkScope): void {
  let text: unknown = args;
  let variables: JsonObject = {};
  if (Array.isArray(args)) {
    if (args.length !== 2 || !isObject(args[1])) return report(ctx, path, 'Fn::Sub takes a string or [string, { variables }]');
    text = args[0];
    variables = args[1];
    walkReferences(variables, join(path, 1), ctx, where);
  }
  if (typeof text !== 'string') return walkReferences(text, Array.isArray(args) ? join(path, 0) : path, ctx, where);
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = (match[1] ?? '').trim();
    if (name.startsWith('!') || name in variables) continue;
    if (name === '') report(ctx, path, 'Fn::Sub has an empty ${} variable');
    else if (name.includes('.')) {
      const dot = name.indexOf('.');
      checkGetAtt(name.slice(0, dot), name.slice(dot + 1), path, ctx, where);
    } else checkRef(name, path, ctx, where);
  }
}

function addEdge(target: string, ctx: Context, where: WalkScope): void {
  if (where.from) ctx.edges.get(where.from)?.add(target);
}

// ---------------------------------------------------------------------------------------------
// Cycles: strongly connected components (Tarjan); each one with a loop is a cycle to report.

export function checkCycles(ctx: Context): void {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of ctx.edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of ctx.edges.keys()) if (!index.has(node)) visit(node);

  const order = [...ctx.edges.keys()];
  for (const component of components) {
    const first = order.find((id) => component.includes(id))!;
    if (component.length === 1 && !ctx.edges.get(first)?.has(first)) continue;
    const loop = findLoop(first, new Set(component), ctx.edges);
    report(ctx, join('Resources', first), `dependency cycle: ${loop.join(' → ')}`);
  }
}

/** The shortest path from `start` back to itself inside its component, for a readable message. */
function findLoop(start: string, members: Set<string>, edges: Map<string, Set<string>>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const loop = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) loop.splice(1, 0, at);
        return [...loop, start];
      }
      if (!previous.has(next) && next !== start) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
