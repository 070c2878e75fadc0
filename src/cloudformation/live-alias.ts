// Provisioned concurrency lives on a version or an alias, never on $LATEST: a function with it gets
// a published Version and a `live` alias holding the warm environments, and API Gateway calls the
// alias (see rest-api.ts). Functions without it keep their template untouched.
import type { BuiltFunction } from '../build/types.js';
import { LOGICAL_ID_MAX } from './logical-ids.js';
import { getAtt, ref } from './intrinsics.js';
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
