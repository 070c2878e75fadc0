// Validates CloudFormation templates against the resource specification shipped in
// @aws-cdk/aws-service-spec, so tests catch what CloudFormation would reject at deploy time:
// unknown types/properties, missing or mistyped values, dangling references, cycles, limits.
// Every problem is collected (not just the first) with a JSON-path-like location.
// This file checks the template's sections, limits, parameters, resources and outputs;
// references between names are checked in cfn-validator/. Each resource is checked against the
// spec by the same code `sls-ts build` runs on an app's raw resources (src/build/resource-spec/).
import { checkResourceAgainstSpec } from '../../src/build/resource-spec/resource.js';
import { isObject, join, kindOf, report, type Context, type JsonObject, type TemplateProblem } from './cfn-validator/context.js';
import { checkConditionName, checkCycles, checkDependsOn, walkReferences } from './cfn-validator/references.js';

export type { TemplateProblem } from './cfn-validator/context.js';
export { preloadResourceSpec } from '../../src/build/resource-spec/spec.js';

export interface ValidateTemplateOptions {
  /** Names the template in assertValidTemplate's error (e.g. a nested stack's file). */
  name?: string;
  /**
   * Parameter values the template will receive (e.g. a nested stack's `Parameters` property).
   * When given, undeclared names and declared parameters without a Default or value are problems.
   */
  parameters?: Record<string, unknown>;
}

const SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings',
  'Conditions', 'Transform', 'Resources', 'Outputs', 'Rules',
]);
const RESOURCE_KEYS = new Set([
  'Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy',
  'Metadata', 'CreationPolicy', 'UpdatePolicy',
]);
const OUTPUT_KEYS = new Set(['Description', 'Value', 'Export', 'Condition']);
const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or', 'Condition']);
const PARAMETER_TYPES = new Set(['String', 'Number', 'List<Number>', 'CommaDelimitedList']);

const LIMITS = {
  resources: 500,
  parameters: 200,
  outputs: 200,
  mappings: 200,
  // The S3 TemplateURL limit; templates are measured as compact JSON, which is what gets uploaded.
  templateBytes: 1_000_000,
  descriptionBytes: 1024,
  logicalIdLength: 255,
};

function isLogicalId(name: string): boolean {
  return /^[A-Za-z0-9]+$/.test(name) && name.length <= LIMITS.logicalIdLength;
}

function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

function transformsOf(template: JsonObject): string[] {
  const transform = template['Transform'];
  if (typeof transform === 'string') return [transform];
  return Array.isArray(transform) ? transform.filter((t): t is string => typeof t === 'string') : [];
}

/** Every problem CloudFormation (or its limits) would raise for this template; `[]` when valid. */
export function validateTemplate(template: unknown, options: ValidateTemplateOptions = {}): TemplateProblem[] {
  if (!isObject(template)) return [{ path: '', message: `a template must be a JSON object, got ${kindOf(template)}` }];
  const ctx: Context = {
    problems: [],
    resources: new Map(entries(template['Resources']).filter((e): e is [string, JsonObject] => isObject(e[1]))),
    parameters: new Set(Object.keys(isObject(template['Parameters']) ? template['Parameters'] : {})),
    conditions: new Set(Object.keys(isObject(template['Conditions']) ? template['Conditions'] : {})),
    mappings: isObject(template['Mappings']) ? template['Mappings'] : {},
    transforms: transformsOf(template),
    edges: new Map(),
  };
  checkSections(template, ctx);
  checkLimits(template, ctx);
  checkParameters(template, ctx, options.parameters);
  for (const [name, condition] of entries(template['Conditions'])) {
    const path = join('Conditions', name);
    const fn = isObject(condition) ? Object.keys(condition)[0] : undefined;
    if (!isObject(condition) || Object.keys(condition).length !== 1 || !CONDITION_FUNCTIONS.has(fn ?? '')) {
      report(ctx, path, 'a condition must be one of Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition');
    }
    walkReferences(condition, path, ctx, { scope: 'condition' });
  }
  for (const [id, resource] of entries(template['Resources'])) checkResource(id, resource, ctx);
  for (const [id, output] of entries(template['Outputs'])) checkOutput(id, output, ctx);
  checkCycles(ctx);
  return ctx.problems;
}

/** Throws one Error listing every problem, so a failing test shows all of them at once. */
export function assertValidTemplate(template: unknown, options: ValidateTemplateOptions = {}): void {
  const problems = validateTemplate(template, options);
  if (problems.length === 0) return;
  const name = options.name ? `template "${options.name}"` : 'template';
  const lines = problems.map((p) => `  ${p.path || '(template)'}: ${p.message}`);
  throw new Error(`${name} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`);
}

function checkSections(template: JsonObject, ctx: Context): void {
  for (const key of Object.keys(template)) {
    if (!SECTIONS.has(key)) report(ctx, join('', key), `unknown template section "${key}" (known: ${[...SECTIONS].join(', ')})`);
  }
  const resources = template['Resources'];
  if (!isObject(resources) || Object.keys(resources).length === 0) {
    report(ctx, 'Resources', 'a template needs a Resources section with at least one resource');
  }
  for (const section of ['Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs'] as const) {
    const value = template[section];
    if (value !== undefined && !isObject(value)) report(ctx, section, `${section} must be an object, got ${kindOf(value)}`);
    for (const name of Object.keys(isObject(value) ? value : {})) {
      if (section === 'Conditions') continue; // condition names are not restricted to alphanumerics
      if (!isLogicalId(name)) {
        report(ctx, join(section, name), `logical id "${name}" must be alphanumeric (A-Za-z0-9) and at most ${LIMITS.logicalIdLength} characters`);
      }
    }
  }
  for (const name of ctx.parameters) {
    if (ctx.resources.has(name)) report(ctx, join('Resources', name), `"${name}" is both a parameter and a resource`);
  }
}

function checkLimits(template: JsonObject, ctx: Context): void {
  const counts: [keyof typeof LIMITS, string][] = [
    ['resources', 'Resources'], ['parameters', 'Parameters'], ['outputs', 'Outputs'], ['mappings', 'Mappings'],
  ];
  for (const [limit, section] of counts) {
    const count = Object.keys(isObject(template[section]) ? template[section] : {}).length;
    if (count > LIMITS[limit]) {
      report(ctx, section, `template has ${count} ${limit}; CloudFormation allows at most ${LIMITS[limit]}`);
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(template), 'utf8');
  if (bytes > LIMITS.templateBytes) {
    report(ctx, '', `template is ${bytes} bytes of JSON; CloudFormation allows at most ${LIMITS.templateBytes} (S3 TemplateURL)`);
  }
  const description = template['Description'];
  if (description !== undefined) {
    if (typeof description !== 'string') report(ctx, 'Description', `Description must be a string, got ${kindOf(description)}`);
    else if (Buffer.byteLength(description, 'utf8') > LIMITS.descriptionBytes) {
      report(ctx, 'Description', `Description is ${Buffer.byteLength(description, 'utf8')} bytes; CloudFormation allows at most ${LIMITS.descriptionBytes}`);
    }
  }
}

function checkParameters(template: JsonObject, ctx: Context, values: Record<string, unknown> | undefined): void {
  for (const [name, parameter] of entries(template['Parameters'])) {
    const path = join('Parameters', name);
    const type = isObject(parameter) ? parameter['Type'] : undefined;
    if (typeof type !== 'string') report(ctx, join(path, 'Type'), 'a parameter needs a Type');
    else if (!PARAMETER_TYPES.has(type) && !/^(List<)?AWS::/.test(type)) {
      report(ctx, join(path, 'Type'), `unknown parameter type "${type}"`);
    }
    if (values && !(name in values) && !(isObject(parameter) && 'Default' in parameter)) {
      report(ctx, path, `parameter ${name} has no Default and no value is supplied`);
    }
  }
  for (const name of Object.keys(values ?? {})) {
    if (!ctx.parameters.has(name)) report(ctx, join('Parameters', name), `a value is supplied for ${name}, which the template does not declare`);
  }
}

function checkResource(id: string, resource: unknown, ctx: Context): void {
  const path = join('Resources', id);
  if (!isObject(resource)) return report(ctx, path, `a resource must be an object, got ${kindOf(resource)}`);
  for (const key of Object.keys(resource)) {
    if (!RESOURCE_KEYS.has(key)) report(ctx, join(path, key), `unknown resource attribute "${key}" (known: ${[...RESOURCE_KEYS].join(', ')})`);
  }
  ctx.edges.set(id, new Set());
  checkDependsOn(id, resource['DependsOn'], join(path, 'DependsOn'), ctx);
  checkConditionName(resource['Condition'], join(path, 'Condition'), ctx);
  for (const key of ['Properties', 'Metadata', 'CreationPolicy', 'UpdatePolicy']) {
    walkReferences(resource[key], join(path, key), ctx, { scope: 'resource', from: id });
  }

  const type = resource['Type'];
  if (typeof type !== 'string') return report(ctx, join(path, 'Type'), 'a resource needs a Type string');
  checkResourceAgainstSpec({ Type: type, Properties: resource['Properties'] }, path, ctx, ctx.transforms);
}

function checkOutput(id: string, output: unknown, ctx: Context): void {
  const path = join('Outputs', id);
  if (!isObject(output)) return report(ctx, path, `an output must be an object, got ${kindOf(output)}`);
  for (const key of Object.keys(output)) {
    if (!OUTPUT_KEYS.has(key)) report(ctx, join(path, key), `unknown output key "${key}" (known: ${[...OUTPUT_KEYS].join(', ')})`);
  }
  if (output['Value'] === undefined) report(ctx, join(path, 'Value'), 'an output needs a Value');
  checkConditionName(output['Condition'], join(path, 'Condition'), ctx);
  walkReferences(output['Value'], join(path, 'Value'), ctx, { scope: 'output' });
  walkReferences(output['Export'], join(path, 'Export'), ctx, { scope: 'output' });
}
