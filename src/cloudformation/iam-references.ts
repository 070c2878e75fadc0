// The Ref / Fn::GetAtt / Fn::Sub names in the app's IAM statements must be resolvable where the
// function's role lives, or CloudFormation refuses the template ("Unresolved resource
// dependencies") or the stack ("Circular dependency"). Resolvable: pseudo parameters, and the
// logical ids the templates contain. When the app is split into nested stacks, a role's
// reference to a resource of another stack is passed in by split.ts (a parameter from the root,
// or an output of the stack that holds it), so it resolves too — unless that makes the stacks
// depend on each other in a circle, which is checked here as well.
import { PSEUDO_PARAMETERS } from '../config/limits.js';
import { gatesDeployment } from './deployment.js';
import type { Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import type { CheckInput } from './checks.js';
import type { Assembled } from './split.js';
import { ROOT_HOME, type Part } from './parts.js';


const HINT = "write an ARN string, { 'Fn::ImportValue': '<export>' } for another stack's export, or { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::my-bucket-${AWS::AccountId}/*' } with pseudo parameters";

export interface Reference {
  /** A logical id or pseudo parameter. */
  name: string;
  /** Where in the statement: `.Resource[1]`. */
  at: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `${Name}` and `${Name.Attribute}` in a Fn::Sub string, minus `${!Literal}` and the Sub's own variables. */
function subNames(text: string, own: ReadonlySet<string>): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((match) => match[1]!.trim().split('.')[0]!).filter((name) => !own.has(name));
}

/** Every name `value` refers to, with where it sits; `at` is the path of `value` itself. */
export function collectReferences(value: unknown, at: string, out: Reference[]): Reference[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectReferences(item, `${at}[${index}]`, out));
  } else if (isObject(value)) {
    const keys = Object.keys(value);
    const only = keys.length === 1 ? keys[0] : undefined;
    const args = only === undefined ? undefined : value[only];
    if (only === 'Ref' && typeof args === 'string') out.push({ name: args, at });
    else if (only === 'Fn::GetAtt' && Array.isArray(args) && typeof args[0] === 'string') out.push({ name: args[0], at });
    else if (only === 'Fn::GetAtt' && typeof args === 'string') out.push({ name: args.split('.')[0]!, at });
    else if (only === 'Fn::Sub' && typeof args === 'string') subNames(args, new Set()).forEach((name) => out.push({ name, at }));
    else if (only === 'Fn::Sub' && Array.isArray(args) && typeof args[0] === 'string') {
      const variables = isObject(args[1]) ? args[1] : {};
      subNames(args[0], new Set(Object.keys(variables))).forEach((name) => out.push({ name, at }));
      collectReferences(variables, at, out);
    } else {
      for (const key of keys) collectReferences(value[key], `${at}.${key}`, out);
    }
  }
  return out;
}

/** Resource id → the ids it needs first (references and DependsOn). */
function dependencyGraph(input: ReferenceInput): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const gates = input.parts.filter((part) => gatesDeployment(part.resource)).map((part) => part.id);
  for (const part of input.parts) {
    const needs = new Set(collectReferences(part.resource.Properties, '', []).map((reference) => reference.name));
    for (const id of part.resource.DependsOn ?? []) needs.add(id);
    // The Deployment waits for what gatesDeployment names (split.ts adds that DependsOn when it assembles).
    if (part.id === input.deploymentId) gates.forEach((id) => needs.add(id));
    graph.set(part.id, needs);
  }
  return graph;
}

function reaches(graph: ReadonlyMap<string, ReadonlySet<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...(graph.get(node) ?? []));
  }
  return false;
}

/** The same graph between templates: a root resource stands for itself, a child's for its stack. */
function stackGraph(graph: ReadonlyMap<string, ReadonlySet<string>>, nodeOf: (id: string) => string): Map<string, Set<string>> {
  const stacks = new Map<string, Set<string>>();
  for (const [id, needs] of graph) {
    const node = nodeOf(id);
    const set = stacks.get(node) ?? new Set<string>();
    for (const need of needs) if (nodeOf(need) !== node) set.add(nodeOf(need));
    stacks.set(node, set);
  }
  return stacks;
}

interface Context {
  role: string;
  partOf: ReadonlyMap<string, Part>;
  known: readonly string[];
  graph: ReadonlyMap<string, ReadonlySet<string>>;
  /** Only when the app is split into nested stacks. */
  stacks?: ReadonlyMap<string, ReadonlySet<string>>;
  nodeOf: (id: string) => string;
  /** Check the circles the references close (the names have been checked already), or only the names. */
  cycles: boolean;
}

export type ReferenceInput = Omit<CheckInput, 'assembled'>;

/**
 * Without `assembled` (before the templates are assembled, which would fail on a name no part
 * has): the names no template resolves. With it: the circles the references close, in one
 * template or between nested stacks.
 */
export function iamReferenceDiagnostics(input: ReferenceInput, assembled?: Assembled): Diagnostic[] {
  // Most apps' statements name ARNs only: nothing to resolve, so no graph of the whole app to build.
  if (!input.model.functions.some((fn) => fn.iam.some((statement) => collectReferences(statement, '', []).length > 0))) return [];
  const partOf = new Map<string, Part>(input.parts.map((part) => [part.id, part]));
  // The circles are looked for only once the templates are assembled.
  const graph = assembled ? dependencyGraph(input) : new Map<string, Set<string>>();
  const nodeOf = (id: string) => {
    const home = partOf.get(id)?.home ?? ROOT_HOME;
    return home === ROOT_HOME ? id : `stack:${home}`;
  };
  const nested = assembled !== undefined && assembled.children.length > 0;
  const base = { partOf, known: [...partOf.keys()].sort(), graph, nodeOf, cycles: assembled !== undefined, ...(nested ? { stacks: stackGraph(graph, nodeOf) } : {}) };

  const reported = new Map<string, Diagnostic>();
  for (const fn of input.model.functions) {
    const role = input.ids.functions.get(fn.key)?.role;
    if (!role) continue;
    fn.iam.forEach((statement, index) => {
      const path = fn.iamPaths?.[index] ?? `iam[${index}]`;
      for (const { name, at } of collectReferences(statement, '', [])) {
        const where = `${path}${at}`;
        const problem = referenceProblem(name, { ...base, role });
        if (!problem) continue;
        // A statement of the app or a controller is in several functions: reported once.
        const key = `${where}\n${problem.text}`;
        if (!reported.has(key)) reported.set(key, { text: `${where}: ${problem.text} (${fn.source})`, hint: problem.hint, ...(input.config.configFile ? { file: input.config.configFile } : {}) });
      }
    });
  }
  return [...reported.values()];
}

function referenceProblem(name: string, ctx: Context): { text: string; hint: string } | undefined {
  if (PSEUDO_PARAMETERS.includes(name)) return undefined;
  const target = ctx.partOf.get(name);
  if (ctx.cycles) return target ? cycleProblem(name, target, ctx) : undefined;
  if (name.startsWith('AWS::')) {
    return { text: `${name} is not a pseudo parameter an IAM statement can use`, hint: `use one of ${PSEUDO_PARAMETERS.join(', ')}` };
  }
  if (!target) {
    const near = closestMatch(name, ctx.known);
    return {
      text: `names ${name}, which is not a resource of the generated templates (CloudFormation would fail with "Unresolved resource dependencies")`,
      hint: `${near ? `did you mean ${near}? ` : ''}${HINT}`,
    };
  }
  return undefined;
}

function cycleProblem(name: string, target: Part, ctx: Context): { text: string; hint: string } | undefined {
  const { graph, stacks, nodeOf, role } = ctx;
  const circular = reaches(graph, name, role) || (stacks !== undefined && nodeOf(name) !== nodeOf(role) && reaches(stacks, nodeOf(name), nodeOf(role)));
  if (!circular) return undefined;
  const functionName = target.resource.Type === 'AWS::Lambda::Function' ? target.resource.Properties['FunctionName'] : undefined;
  const example = typeof functionName === 'string'
    ? `{ 'Fn::Sub': 'arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${functionName}' }`
    : 'the ARN with Fn::Sub and pseudo parameters';
  return {
    text: `names ${name}, which${nodeOf(name) === nodeOf(role) ? '' : ' (through its nested stack)'} needs this function's role ${role} first: a circular dependency CloudFormation refuses`,
    hint: `write ${example} instead of a reference`,
  };
}
