// IAM statements are passed to CloudFormation as written, so a wrong shape would only surface as a
// failed deploy minutes later; checking them here points at the statement instead.
import { isPlainObject } from '../shared/objects.js';
import { describeValue, type ConfigReport, type KeyPath } from './report.js';

const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'Resource', 'Condition'];
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
const EXAMPLE = "{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-bucket/*' }";
const ACTION_HINT = "write service:Action, e.g. 's3:GetObject' or 'dynamodb:*'";
const RESOURCE_HINT = "write an ARN such as 'arn:aws:s3:::my-bucket/*', '*', or an intrinsic such as { 'Fn::GetAtt': ['Table', 'Arn'] }";

/** `{ Ref: … }` or `{ 'Fn::…': … }`: CloudFormation resolves these to ARNs at deploy time. */
function isIntrinsic(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
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
    } else if (!isIntrinsic(resource)) {
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
