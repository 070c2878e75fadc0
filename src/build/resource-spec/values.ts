// Values against the spec: property names, required properties and value types, following
// nested property types, lists, maps, unions and the branches of Fn::If.
import type { Property, PropertyType } from '@aws-cdk/service-spec-types';
import { closestMatch } from '../../shared/suggest.js';
import { intrinsicOf, isObject, join, kindOf, report, type JsonObject, type ProblemSink } from './problems.js';
import { specDatabase } from './spec.js';

interface ObjectRules {
  /** Unknown keys are fine (custom resources, spec types declared without properties). */
  open: boolean;
  /** Named in messages: the resource type or the nested property type. */
  owner: string;
}

export function checkObject(value: unknown, properties: Record<string, Property>, path: string, ctx: ProblemSink, rules: ObjectRules): void {
  if (!isObject(value)) return report(ctx, path, `expected an object (${rules.owner}), got ${kindOf(value)}`);
  if (intrinsicOf(value)) return checkIntrinsicValue(value, (branch, at) => checkObject(branch, properties, at, ctx, rules), path);
  for (const [key, item] of Object.entries(value)) {
    const property = properties[key];
    if (!property) {
      if (rules.open) continue;
      const near = closestMatch(key, Object.keys(properties));
      report(ctx, join(path, key), `unknown property of ${rules.owner}${near ? ` — did you mean ${near}?` : ''}`);
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

function checkValue(value: unknown, type: PropertyType, path: string, ctx: ProblemSink): void {
  if (intrinsicOf(value)) {
    return checkIntrinsicValue(value as JsonObject, (branch, at) => checkValue(branch, type, at, ctx), path);
  }
  if (type.type !== 'union') return checkSingle(value, type, path, ctx);
  const alternatives = type.types;
  // A union accepts the value if any member does; otherwise the problems of the member the value
  // looks like (object/list/scalar) are the useful ones, and failing that a summary.
  const attempts = alternatives.map((alternative) => {
    const scratch: ProblemSink = { problems: [] };
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
    case 'array': return `a list of ${describeItems(type.element)}`;
    case 'map': return `a map of ${describeItems(type.element)}`;
    case 'union': return type.types.map(describeType).join(' or ');
    case 'ref': return specDatabase().get('typeDefinition', type.reference).name;
    case 'integer': return 'an integer';
    default: return `a ${type.type}`;
  }
}

/** What a list or map holds, in the plural: `strings`, `Tag objects`, `lists of integers`. */
function describeItems(type: PropertyType): string {
  switch (type.type) {
    case 'array': return `lists of ${describeItems(type.element)}`;
    case 'map': return `maps of ${describeItems(type.element)}`;
    case 'union': return type.types.map(describeItems).join(' or ');
    case 'ref': return `${specDatabase().get('typeDefinition', type.reference).name} objects`;
    case 'json': return 'JSON values';
    default: return `${type.type}s`;
  }
}

function checkSingle(value: unknown, type: PropertyType, path: string, ctx: ProblemSink): void {
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
