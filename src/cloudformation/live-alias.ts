// Provisioned concurrency lives on a version or an alias, never on $LATEST: a function with it gets
// a published Version and a `live` alias holding the warm environments, and everything that invokes
// the function calls the alias instead (API Gateway methods and authorizers, schedules, event source
// mappings, SNS, S3, EventBridge). Functions without it keep their template untouched.
import type { BuiltFunction } from '../build/types.js';
import type { FunctionIds } from './ids.js';
import { LOGICAL_ID_MAX } from './logical-ids.js';
import { getAtt, invokePermission, ref, type GetAtt, type Ref } from './intrinsics.js';
import { canonicalJson, sha256Hex } from './json.js';
import type { GenerateContext, Part } from './parts.js';

export const LIVE_ALIAS = 'live';
const VERSION_HASH_LENGTH = 10;

/**
 * CloudFormation publishes a Version only when it creates the resource, so the id carries a hash
 * of the function's properties (code key, settings, environment; not tags, which a version does
 * not hold): new code or settings, new Version, and the alias moves to it.
 */
export function versionId(stem: string, fnPart: Part): string {
  const { Tags: _tags, ...settings } = fnPart.resource.Properties;
  const hash = sha256Hex(canonicalJson(settings)).slice(0, VERSION_HASH_LENGTH);
  return `${stem.slice(0, LOGICAL_ID_MAX - VERSION_HASH_LENGTH)}${hash}`;
}

export function liveAliasParts(fn: BuiltFunction, fnPart: Part, ctx: GenerateContext): Part[] {
  const ids = ctx.ids.functions.get(fn.key)!;
  if (!fn.provisionedConcurrency || !ids.alias || !ids.versionStem) return [];
  const version = versionId(ids.versionStem, fnPart);
  return [
    {
      id: version,
      home: fnPart.home,
      source: fn.source,
      resource: {
        Type: 'AWS::Lambda::Version',
        // Kept when replaced, as SAM keeps AutoPublishAlias versions: when Lambda finds nothing new
        // to publish (a property change it does not version) it hands back the existing version,
        // which deleting the replaced resource would take from under the alias.
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { FunctionName: ref(ids.fn), Description: `${fn.functionName} as deployed by sls-ts` },
      },
    },
    {
      id: ids.alias,
      home: fnPart.home,
      source: fn.source,
      resource: {
        Type: 'AWS::Lambda::Alias',
        Properties: {
          FunctionName: ref(ids.fn),
          FunctionVersion: getAtt(version, 'Version'),
          Name: LIVE_ALIAS,
          ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: fn.provisionedConcurrency },
        },
      },
    },
  ];
}

/**
 * The ARN an invoker names: the `live` alias's (an AWS::Lambda::Alias's Ref is its ARN) when the
 * function has provisioned concurrency, else the function's. Every invoker takes an alias ARN: EventBridge
 * targets, SNS `lambda` endpoints and S3 notifications alike (doc Lambda "Using Lambda aliases in
 * event sources and permissions policies": event sources keep a mapping naming the alias; src
 * serverless-plugin-canary-deployments CfTemplateGenerators/Sns.js: Endpoint `Ref` of the alias).
 */
export function invokedArn(ids: Pick<FunctionIds, 'fn' | 'alias'>): Ref | GetAtt {
  return ids.alias ? ref(ids.alias) : getAtt(ids.fn, 'Arn');
}

/**
 * An event source mapping's FunctionName: the function's name as before, or the alias's ARN (doc
 * Lambda API CreateEventSourceMapping FunctionName: "Version or Alias ARN" is one of its formats).
 */
export function mappedFunction(ids: Pick<FunctionIds, 'fn' | 'alias'>): Ref {
  return ref(ids.alias ?? ids.fn);
}

/**
 * The invoke permission for what invokedArn names. One on the function does not cover its alias:
 * a permission is scoped to the function, a version or an alias, and an invoker of the alias ARN
 * needs one on the alias (doc Lambda API AddPermission: "If you use a qualifier, the invoker must
 * use the full ARN of that version or alias"; doc "Using Lambda aliases…", Resource policies).
 */
export function invokedPermission(ids: Pick<FunctionIds, 'fn' | 'alias'>, principal: string, sourceArn: unknown): ReturnType<typeof invokePermission> {
  const permission = invokePermission(ids.fn, principal, sourceArn);
  if (ids.alias) permission.Properties['FunctionName'] = ref(ids.alias);
  return permission;
}
