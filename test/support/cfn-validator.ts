// Validates CloudFormation templates against the resource specification shipped in
// @aws-cdk/aws-service-spec, so tests catch what CloudFormation would reject at deploy time:
// unknown types/properties, missing or mistyped values, dangling references, cycles, limits.
// Every problem is collected (not just the first) with a JSON-path-like location.
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
// Types only, from the package's own type dependency: how the spec database is shaped.
import type { Property, PropertyType, Resource, SpecDatabase } from '@aws-cdk/service-spec-types';

export interface TemplateProblem {
  /** Where, e.g. `Resources.ApiMethodPostsGet.Properties.Integration.Uri`; `''` is the template as a whole. */
  path: string;
  message: string;
}

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
const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::Region', 'AWS::StackName', 'AWS::StackId', 'AWS::Partition',
  'AWS::URLSuffix', 'AWS::NoValue', 'AWS::NotificationARNs',
]);
const INTRINSICS = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::If', 'Fn::Select', 'Fn::Split',
  'Fn::ImportValue', 'Fn::FindInMap', 'Fn::Base64', 'Fn::GetAZs', 'Fn::Cidr', 'Fn::Equals',
  'Fn::Not', 'Fn::And', 'Fn::Or', 'Fn::Transform', 'Fn::ToJsonString', 'Fn::Length',
]);
// These two only exist once the template declares the AWS::LanguageExtensions transform.
const LANGUAGE_EXTENSIONS = new Set(['Fn::ToJsonString', 'Fn::Length']);
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

// ---------------------------------------------------------------------------------------------
// The spec: ~2.5 MB gzipped, ~0.4 s to load, so it is loaded once per process and kept.

let spec: SpecDatabase | undefined;
const resourceSpecs = new Map<string, Resource | undefined>();

function specDatabase(): SpecDatabase {
  spec ??= loadAwsServiceSpecSync();
  return spec;
}

/** Loads the resource specification now, so a test can keep its load time out of a measurement. */
export function preloadResourceSpec(): void {
  specDatabase();
}

function resourceSpec(type: string): Resource | undefined {
  if (!resourceSpecs.has(type)) {
    const found = specDatabase().lookup('resource', 'cloudFormationType', 'equals', type);
    resourceSpecs.set(type, found[0]);
  }
  return resourceSpecs.get(type);
}

function isCustomType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

// ---------------------------------------------------------------------------------------------
// Small helpers

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The intrinsic function a value calls (`{ "Fn::Sub": ... }` → `Fn::Sub`), if it is one. */
function intrinsicOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.has(keys[0]!) ? keys[0] : undefined;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z0-9_]+$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

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

// ---------------------------------------------------------------------------------------------
// Validation

interface Context {
  problems: TemplateProblem[];
  resources: Map<string, JsonObject>;
  parameters: Set<string>;
  conditions: Set<string>;
  mappings: JsonObject;
  transforms: string[];
  /** resource → resources it depends on (Ref, GetAtt, Sub, DependsOn) */
  edges: Map<string, Set<string>>;
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

function report(ctx: Context, path: string, message: string): void {
  ctx.problems.push({ path, message });
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
  const properties = resource['Properties'] ?? {};
  const propertiesPath = join(path, 'Properties');
  if (!isObject(properties)) return report(ctx, propertiesPath, `Properties must be an object, got ${kindOf(properties)}`);
  const specified = resourceSpec(isCustomType(type) ? 'AWS::CloudFormation::CustomResource' : type);
  if (!specified) return report(ctx, join(path, 'Type'), `unknown resource type "${type}"`);
  if (specified.cloudFormationTransform && !ctx.transforms.includes(specified.cloudFormationTransform)) {
    report(ctx, join(path, 'Type'), `${type} needs "Transform": "${specified.cloudFormationTransform}"`);
  }
  // Custom resources pass arbitrary properties to their provider; only ServiceToken is fixed.
  checkObject(properties, specified.properties, propertiesPath, ctx, { open: isCustomType(type), owner: type });
}

function checkDependsOn(id: string, dependsOn: unknown, path: string, ctx: Context): void {
  if (dependsOn === undefined) return;
  const targets = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  targets.forEach((target, i) => {
    const at = Array.isArray(dependsOn) ? join(path, i) : path;
    if (typeof target !== 'string') report(ctx, at, `DependsOn takes resource logical ids, got ${kindOf(target)}`);
    else if (!ctx.resources.has(target)) report(ctx, at, `DependsOn names ${target}, which is not a resource in this template`);
    else ctx.edges.get(id)?.add(target);
  });
}

function checkConditionName(name: unknown, path: string, ctx: Context): void {
  if (name === undefined) return;
  if (typeof name !== 'string') report(ctx, path, `a condition name must be a string, got ${kindOf(name)}`);
  else if (!ctx.conditions.has(name)) report(ctx, path, `condition ${name} is not declared in Conditions`);
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

// ---------------------------------------------------------------------------------------------
// Values against the spec

interface ObjectRules {
  /** Unknown keys are fine (custom resources, spec types declared without properties). */
  open: boolean;
  /** Named in messages: the resource type or the nested property type. */
  owner: string;
}

function checkObject(value: unknown, properties: Record<string, Property>, path: string, ctx: Context, rules: ObjectRules): void {
  if (!isObject(value)) return report(ctx, path, `expected an object (${rules.owner}), got ${kindOf(value)}`);
  if (intrinsicOf(value)) return checkIntrinsicValue(value, (branch, at) => checkObject(branch, properties, at, ctx, rules), path);
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (!property) {
      if (rules.open) continue;
      const similar = Object.keys(properties).find((known) => known.toLowerCase() === key.toLowerCase());
      report(ctx, join(path, key), `${rules.owner} has no property "${key}"${similar ? ` (did you mean ${similar}?)` : ''}`);
    } else if (item !== undefined) {
      checkValue(item, property.type, join(path, key), ctx);
    }
  }
  for (const [key, property] of Object.entries(properties)) {
    if (property.required && value[key] === undefined) report(ctx, join(path, key), `${rules.owner} requires property ${key}`);
  }
}

/**
 * An intrinsic stands in for any value; its result is only known at deploy time. `Fn::If` is the
 * exception worth following: both branches are literal values that must fit the property.
 */
function checkIntrinsicValue(value: JsonObject, checkBranch: (branch: unknown, path: string) => void, path: string): void {
  const args = value['Fn::If'];
  if (!Array.isArray(args)) return;
  for (const i of [1, 2]) {
    const branch: unknown = args[i];
    const noValue = isObject(branch) && branch['Ref'] === 'AWS::NoValue';
    if (branch !== undefined && !noValue) checkBranch(branch, join(join(path, 'Fn::If'), i));
  }
}

function checkValue(value: unknown, type: PropertyType, path: string, ctx: Context): void {
  if (intrinsicOf(value)) {
    return checkIntrinsicValue(value as JsonObject, (branch, at) => checkValue(branch, type, at, ctx), path);
  }
  if (type.type !== 'union') return checkSingle(value, type, path, ctx);
  const alternatives = type.types;
  // A union accepts the value if any member does; otherwise the problems of the member the value
  // looks like (object/list/scalar) are the useful ones, and failing that a summary.
  const attempts = alternatives.map((alternative) => {
    const scratch: Context = { ...ctx, problems: [] };
    checkSingle(value, alternative, path, scratch);
    return { alternative, problems: scratch.problems };
  });
  if (attempts.some((attempt) => attempt.problems.length === 0)) return;
  const sameShape = attempts.filter((attempt) => shapeOf(attempt.alternative) === shapeOf(value));
  const chosen = sameShape.length === 1 ? sameShape[0] : undefined;
  if (chosen) ctx.problems.push(...chosen.problems);
  else report(ctx, path, `expected ${alternatives.map(describeType).join(' or ')}, got ${kindOf(value)}`);
}

function shapeOf(typeOrValue: PropertyType | unknown): 'object' | 'list' | 'scalar' {
  if (isObject(typeOrValue) && typeof typeOrValue['type'] === 'string') {
    const kind = typeOrValue['type'];
    return kind === 'ref' || kind === 'map' || kind === 'tag' ? 'object' : kind === 'array' ? 'list' : 'scalar';
  }
  return Array.isArray(typeOrValue) ? 'list' : isObject(typeOrValue) ? 'object' : 'scalar';
}

function describeType(type: PropertyType): string {
  switch (type.type) {
    case 'array': return `a list of ${describeType(type.element)}`;
    case 'map': return `a map of ${describeType(type.element)}`;
    case 'union': return type.types.map(describeType).join(' or ');
    case 'ref': return specDatabase().get('typeDefinition', type.reference).name;
    case 'integer': return 'an integer';
    default: return `a ${type.type}`;
  }
}

function checkSingle(value: unknown, type: PropertyType, path: string, ctx: Context): void {
  const expected = (what: string) => report(ctx, path, `expected ${what}, got ${kindOf(value)}`);
  switch (type.type) {
    // CloudFormation stringifies numbers, and parses numeric and "true"/"false" strings.
    case 'string':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) expected('a string');
      return;
    case 'date-time':
      if (typeof value !== 'string') expected('a date-time string');
      return;
    case 'number':
      if (!(typeof value === 'number' && Number.isFinite(value)) && !(typeof value === 'string' && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value))) expected('a number');
      return;
    case 'integer':
      if (!Number.isInteger(value) && !(typeof value === 'string' && /^-?\d+$/.test(value))) expected('an integer');
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') expected('a boolean');
      return;
    case 'null':
      if (value !== null) expected('null');
      return;
    case 'json':
      return; // free-form by definition (policy documents, schemas, ...)
    case 'tag':
      return checkObject(value, TAG_PROPERTIES, path, ctx, { open: false, owner: 'Tag' });
    case 'array':
      if (!Array.isArray(value)) return expected(describeType(type));
      value.forEach((item, i) => checkValue(item, type.element, join(path, i), ctx));
      return;
    case 'map':
      if (!isObject(value)) return expected(describeType(type));
      for (const [key, item] of Object.entries(value)) checkValue(item, type.element, join(path, key), ctx);
      return;
    case 'ref': {
      const definition = specDatabase().get('typeDefinition', type.reference);
      const open = Object.keys(definition.properties).length === 0;
      return checkObject(value, definition.properties, path, ctx, { open, owner: definition.name });
    }
    case 'union':
      return checkValue(value, type, path, ctx);
  }
}

const TAG_PROPERTIES: Record<string, Property> = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

// ---------------------------------------------------------------------------------------------
// References

interface WalkScope {
  /** Conditions may only reference parameters; outputs add no dependency edges. */
  scope: 'resource' | 'output' | 'condition';
  from?: string;
}

function walkReferences(value: unknown, path: string, ctx: Context, where: WalkScope): void {
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

function checkCycles(ctx: Context): void {
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
