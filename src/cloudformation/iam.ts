// A role per function: write to its own log group and nothing else, plus the statements the app,
// its controller and its action declared (the build has added them up already).
import type { BuiltFunction } from '../build/types.js';
import type { IamStatement } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { cloneData } from '../shared/objects.js';
import { getAtt, POLICY_VERSION, withTags } from './intrinsics.js';
import { canonicalJson } from './json.js';
import { functionGroup } from './model.js';
import type { GenerateContext, Part } from './parts.js';

/** IAM's limit on the inline policies of one role, counted without whitespace. */
export const INLINE_POLICY_LIMIT = 10_240;

// Built per role: templates are plain data a caller may edit, so no two share an object.
function lambdaTrust(): Record<string, unknown> {
  return { Version: POLICY_VERSION, Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
}

/** IAM needs an Effect; the config lets it default to Allow. Identical statements are kept once. */
function userStatements(statements: readonly IamStatement[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  const result: Record<string, unknown>[] = [];
  for (const statement of statements) {
    const { Sid, Effect, Action, Resource, Condition } = cloneData(statement);
    const normalized = { ...(Sid !== undefined ? { Sid } : {}), Effect: Effect ?? 'Allow', Action, Resource, ...(Condition !== undefined ? { Condition } : {}) };
    const key = canonicalJson(normalized);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(normalized);
  }
  return result;
}

export function roleParts(fn: BuiltFunction, ctx: GenerateContext): Part[] {
  const ids = ctx.ids.functions.get(fn.key)!;
  const statements = userStatements(fn.iam);
  const policies: Record<string, unknown>[] = [
    {
      PolicyName: 'logs',
      PolicyDocument: {
        Version: POLICY_VERSION,
        // The LogGroup's Arn attribute ends in `:*`, which covers its streams.
        Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAtt(ids.logGroup, 'Arn') }],
      },
    },
  ];
  if (statements.length > 0) policies.push({ PolicyName: 'app', PolicyDocument: { Version: POLICY_VERSION, Statement: statements } });
  return [
    {
      id: ids.role,
      home: functionGroup(fn).key,
      source: fn.source,
      resource: {
        Type: 'AWS::IAM::Role',
        // No RoleName: CloudFormation's generated names always fit IAM's 64 characters.
        Properties: {
          Description: `Runs ${fn.functionName} (${fn.source})`.slice(0, 1000),
          AssumeRolePolicyDocument: lambdaTrust(),
          Policies: policies,
          ...withTags(ctx.tags),
        },
      },
    },
  ];
}

function isWildcard(value: unknown): boolean {
  return value === '*' || (Array.isArray(value) && value.includes('*'));
}

/** Statements that grant everything (the user's own: we never write one) and roles IAM would refuse as too big. */
export function iamWarnings(functions: readonly BuiltFunction[]): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const broad = new Map<string, string[]>();
  for (const fn of functions) {
    const statements = userStatements(fn.iam);
    for (const statement of statements) {
      if ((statement['Effect'] ?? 'Allow') === 'Allow' && isWildcard(statement['Action']) && isWildcard(statement['Resource'])) {
        const key = canonicalJson(statement);
        broad.set(key, [...(broad.get(key) ?? []), fn.source]);
      }
    }
    const size = JSON.stringify(statements).length;
    if (size > INLINE_POLICY_LIMIT * 0.8) {
      warnings.push({
        level: 'warning',
        text: `${fn.source}: its IAM statements take ${size} characters; IAM allows ${INLINE_POLICY_LIMIT} in a role's inline policies`,
        hint: 'merge statements, use wildcards on resource ARNs you own, or attach a managed policy',
      });
    }
  }
  for (const [statement, sources] of broad) {
    warnings.push({
      level: 'warning',
      text: `an IAM statement allows every action on every resource (${statement}) for ${sources.join(', ')}`,
      hint: 'list the actions and resources the code needs; least privilege limits what a bug or a leaked credential can do',
    });
  }
  return warnings;
}
