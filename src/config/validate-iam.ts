// IAM statements are passed to CloudFormation as written, so a wrong shape would only surface as a
// failed deploy minutes later; checking them here points at the statement instead.
import { isPlainObject } from '../shared/objects.js';
import { PSEUDO_PARAMETERS } from './limits.js';
import { describeValue, type ConfigReport, type KeyPath } from './report.js';

const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'Resource', 'Condition'];
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
const EXAMPLE = "{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-bucket/*' }";
const ACTION_HINT = "write service:Action, e.g. 's3:GetObject' or 'dynamodb:*'";
const RESOURCE_HINT = "write an ARN such as 'arn:aws:s3:::my-bucket/*', '*', { 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs' }, or { 'Fn::ImportValue': 'export-name' }";

// What CloudFormation can resolve in a generated template: pseudo parameters, and logical ids the
// templates contain (checked when they are generated). Conditions and Mappings are never
// generated, so Fn::If / Fn::FindInMap / Condition could not resolve.
const PSEUDO = new Set(PSEUDO_PARAMETERS);
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
const FUNCTIONS = ['Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::ImportValue', 'Fn::Select', 'Fn::Split'];

function checkName(name: unknown, path: KeyPath, report: ConfigReport): void {
  if (typeof name !== 'string') report.error(path, `must name a logical id or pseudo parameter, got ${describeValue(name)}`, RESOURCE_HINT);
  else if (name.startsWith('AWS::') ? !PSEUDO.has(name) : !LOGICAL_ID.test(name)) {
    report.error(path, `${name} is neither a pseudo parameter (${[...PSEUDO].join(', ')}) nor a logical id`, RESOURCE_HINT);
  }
}

/** Intrinsics that can resolve to a string in the generated templates; the ids they name are checked at build. */
function checkIntrinsic(value: Record<string, unknown>, path: KeyPath, report: ConfigReport): void {
  const keys = Object.keys(value);
  const name = keys[0]!;
  if (keys.length !== 1 || !FUNCTIONS.includes(name)) {
    report.error(path, `must be an ARN string or one of ${FUNCTIONS.join(', ')}, got ${keys.length === 1 ? name : 'an object'}`, RESOURCE_HINT);
    return;
  }
  const args = value[name];
  const at = [...path, name];
  if (name === 'Ref') checkName(args, at, report);
  else if (name === 'Fn::GetAtt') {
    const [id, attribute] = typeof args === 'string' ? args.split('.') : Array.isArray(args) ? args : [];
    if (typeof attribute !== 'string') report.error(at, "must be [logicalId, attribute], e.g. ['MyFunction', 'Arn']", RESOURCE_HINT);
    else checkName(id, [...at, 0], report);
  } else if (name === 'Fn::Sub') {
    const text = Array.isArray(args) ? args[0] : args;
    if (typeof text !== 'string') report.error(at, "must be a string or [string, { variables }]", RESOURCE_HINT);
    else {
      const variables = Array.isArray(args) && isPlainObject(args[1]) ? args[1] : {};
      const own = new Set(Object.keys(variables));
      Object.entries(variables).forEach(([key, part]) => checkPart(part, [...at, 1, key], report));
      for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
        const variable = match[1]!.trim().split('.')[0]!;
        if (!own.has(variable)) checkName(variable, at, report);
      }
    }
  } else if (Array.isArray(args)) args.flat().forEach((part, index) => checkPart(part, [...at, index], report));
  else checkPart(args, at, report);
}

function checkPart(part: unknown, path: KeyPath, report: ConfigReport): void {
  if (isPlainObject(part)) checkIntrinsic(part, path, report);
}

function checkAction(value: unknown, path: KeyPath, report: ConfigReport): void {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) report.error(path, 'must name at least one action', ACTION_HINT);
  list.forEach((action: unknown, index) => {
    const at = Array.isArray(value) ? [...path, index] : path;
    if (typeof action !== 'string') report.error(at, `must be a string or an array of strings, got ${describeValue(action)}`, ACTION_HINT);
    else if (!ACTION.test(action)) report.error(at, `must look like service:Action, got ${describeValue(action)}`, ACTION_HINT);
  });
}

function checkResource(value: unknown, path: KeyPath, report: ConfigReport): void {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) report.error(path, 'must name at least one resource', RESOURCE_HINT);
  list.forEach((resource: unknown, index) => {
    const at = Array.isArray(value) ? [...path, index] : path;
    if (typeof resource === 'string') {
      if (resource !== '*' && !resource.startsWith('arn:')) report.error(at, `must be an ARN or '*', got ${describeValue(resource)}`, RESOURCE_HINT);
    } else if (isPlainObject(resource)) {
      checkIntrinsic(resource, at, report);
    } else {
      report.error(at, `must be an ARN string or a CloudFormation intrinsic, got ${describeValue(resource)}`, RESOURCE_HINT);
    }
  });
}

export function checkIam(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (!Array.isArray(value)) {
    report.error(path, `must be an array of IAM statements, got ${describeValue(value)}`, `write iam: [${EXAMPLE}]`);
    return;
  }
  value.forEach((statement: unknown, index) => {
    const at = [...path, index];
    if (!isPlainObject(statement)) {
      report.error(at, `must be an IAM statement object, got ${describeValue(statement)}`, `write ${EXAMPLE}`);
      return;
    }
    report.unknownKeys(statement, STATEMENT_KEYS, at, 'IAM statement');
    if (statement.Effect !== undefined && statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      report.error([...at, 'Effect'], `must be 'Allow' or 'Deny', got ${describeValue(statement.Effect)}`, "leave it out for 'Allow'");
    }
    if (statement.Action === undefined) report.error([...at, 'Action'], 'is required', ACTION_HINT);
    else checkAction(statement.Action, [...at, 'Action'], report);
    if (statement.Resource === undefined) report.error([...at, 'Resource'], 'is required', RESOURCE_HINT);
    else checkResource(statement.Resource, [...at, 'Resource'], report);
    if (statement.Sid !== undefined && (typeof statement.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(statement.Sid))) {
      report.error([...at, 'Sid'], `must be letters and digits only, got ${describeValue(statement.Sid)}`, 'IAM accepts only A-Z, a-z and 0-9 in a Sid');
    }
    if (statement.Condition !== undefined && !isPlainObject(statement.Condition)) {
      report.error([...at, 'Condition'], `must be an object, got ${describeValue(statement.Condition)}`, "write Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }");
    }
  });
}
