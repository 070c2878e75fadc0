// A role per function (or per controller, or one for the app: see roles.ts): write to its own log
// groups and nothing else, plus the statements the app, its controller and its action declared
// and those of the resources they link (the build has added them up already; a shared role holds
// the union of its functions').
import { resolveLinks } from '../config/resolve-resources.js';
import type { ResolvedResource } from '../config/resources.js';
import type { IamStatement } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { cloneData } from '../shared/objects.js';
import { logGroupName } from './functions.js';
import { getAtt, POLICY_VERSION, sub, withTags } from './intrinsics.js';
import { canonicalJson } from './json.js';
import { jobQueueStatements } from './job-queues.js';
import { linkStatements } from './links.js';
import { subscriptionStatements } from './subscriptions.js';
import { websocketRoleStatements } from './websocket-api.js';
import type { GenerateContext, Part } from './parts.js';
import type { ResourceIds } from './resource-ids.js';
import type { RoleModel } from './roles.js';

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

/**
 * A function's own role reads its log group's Arn; a shared role names its log groups' ARNs, so an
 * app-wide role in the root needs nothing from the nested stacks whose functions need it.
 */
function logGroupArns(role: RoleModel, ctx: GenerateContext): unknown {
  if (!role.shared) return getAtt(ctx.ids.functions.get(role.members[0]!.key)!.logGroup, 'Arn');
  return role.members.map((fn) => sub(sharedLogArn(fn)));
}

function sharedLogArn(fn: RoleModel['members'][number]): string {
  return `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroupName(fn)}:*`;
}

function roleStatements(role: RoleModel): Record<string, unknown>[] {
  return userStatements(role.members.flatMap((fn) => fn.iam));
}

/** What the declared resources are, for the statements of links. */
export interface LinkContext {
  resources: readonly ResolvedResource[];
  ids: ReadonlyMap<string, ResourceIds>;
}

/** A shared role links what any of its functions links, read-write where any of them writes. */
function roleLinkStatements(role: RoleModel, links: LinkContext): Record<string, unknown>[] {
  return linkStatements(resolveLinks(role.members.flatMap((fn) => fn.links)), links.resources, links.ids);
}

export function roleParts(role: RoleModel, ctx: GenerateContext): Part[] {
  const statements = roleStatements(role);
  const linked = roleLinkStatements(role, { resources: ctx.config.resources, ids: ctx.ids.declared });
  const policies: Record<string, unknown>[] = [
    {
      PolicyName: 'logs',
      PolicyDocument: {
        Version: POLICY_VERSION,
        // The LogGroup's Arn attribute ends in `:*`, which covers its streams.
        Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logGroupArns(role, ctx) }],
      },
    },
  ];
  if (statements.length > 0) policies.push({ PolicyName: 'app', PolicyDocument: { Version: POLICY_VERSION, Statement: statements } });
  if (linked.length > 0) policies.push({ PolicyName: 'resources', PolicyDocument: { Version: POLICY_VERSION, Statement: linked } });
  // X-Ray's write actions take no resource-level permissions: `*` is the only Resource they accept.
  if (ctx.config.tracing) policies.push({ PolicyName: 'tracing', PolicyDocument: { Version: POLICY_VERSION, Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }] } });
  const events = eventStatements(role, ctx);
  if (events.length > 0) policies.push({ PolicyName: 'events', PolicyDocument: { Version: POLICY_VERSION, Statement: events } });
  const fn = role.members[0]!;
  return [
    {
      id: ctx.ids.roles.get(role.key)!,
      home: role.home,
      source: role.shared ? `IAM role of ${role.shared.description}` : fn.source,
      resource: {
        Type: 'AWS::IAM::Role',
        // No RoleName: CloudFormation's generated names always fit IAM's 64 characters.
        Properties: {
          Description: (role.shared ? `Runs ${role.shared.description}` : `Runs ${fn.functionName} (${fn.source})`).slice(0, 1000),
          AssumeRolePolicyDocument: lambdaTrust(),
          Policies: policies,
          ...withTags(ctx.tags),
        },
      },
    },
  ];
}

/** Reading its event sources, sending to the job queues, managing a channel's connections: each statement once, however many members need it. */
function eventStatements(role: RoleModel, ctx: GenerateContext): Record<string, unknown>[] {
  const seen = new Set<string>();
  // A channel's function posts to, reads and closes its API's connections (@connections).
  return role.members.flatMap((fn) => [...subscriptionStatements(fn, ctx), ...jobQueueStatements(fn, ctx), ...websocketRoleStatements(fn, ctx)]).filter((statement) => {
    const key = canonicalJson(statement);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isWildcard(value: unknown): boolean {
  return value === '*' || (Array.isArray(value) && value.includes('*'));
}

/** Statements that grant everything (the user's own: we never write one) and roles IAM would refuse as too big. */
export function iamWarnings(roles: readonly RoleModel[], ctx: GenerateContext): Diagnostic[] {
  const links: LinkContext = { resources: ctx.config.resources, ids: ctx.ids.declared };
  const warnings: Diagnostic[] = [];
  const broad = new Map<string, string[]>();
  for (const role of roles) {
    for (const fn of role.members) {
      for (const statement of userStatements(fn.iam)) {
        if ((statement['Effect'] ?? 'Allow') === 'Allow' && isWildcard(statement['Action']) && isWildcard(statement['Resource'])) {
          const key = canonicalJson(statement);
          broad.set(key, [...(broad.get(key) ?? []), fn.source]);
        }
      }
    }
    // A shared role lists its log groups too; the placeholders are longer than what they become.
    const size = JSON.stringify([...roleStatements(role), ...roleLinkStatements(role, links), ...eventStatements(role, ctx)]).length + (role.shared ? JSON.stringify(role.members.map(sharedLogArn)).length : 0);
    if (size > INLINE_POLICY_LIMIT * 0.8) {
      warnings.push({
        level: 'warning',
        text: `${role.shared ? `the IAM role of ${role.shared.description}` : role.members[0]!.source}: its IAM statements take ${size} characters; IAM allows ${INLINE_POLICY_LIMIT} in a role's inline policies`,
        hint: role.shared ? "share roles per controller (`iamRoles: 'controller'`) rather than per app, merge statements, or use wildcards on resource ARNs you own" : 'merge statements, use wildcards on resource ARNs you own, or attach a managed policy',
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
