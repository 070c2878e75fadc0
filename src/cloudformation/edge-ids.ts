// Logical ids of the API's edge: authorizers (`ApiAdminAuthorizer`, and `ApiAdminAuthorizerPermission`
// for a Lambda one), API keys (`PartnerApiKey`, output `PartnerApiKeyId`), usage plans
// (`FreeUsagePlan`) and their keys (`FreeUsagePlanPartnerKey`). Each is a function of its own name,
// as every other id is (see logical-ids.ts); a name that does not read back from its words
// (camelCase, dots) carries a hash.
import type { AuthorizerSpec } from '../build/types.js';
import type { ResolvedConfig, ResolvedUsagePlan } from '../config/types.js';
import { fitName } from '../shared/names.js';
import { isPlainKey, logicalIdOf, pascalWords, type IdRequest } from './logical-ids.js';

export interface AuthorizerIds {
  authorizer: string;
  /** Lambda authorizers only: the invoke permission for API Gateway. */
  permission?: string;
}

export interface ApiKeyIds {
  key: string;
  /** The root output holding the key's id (what `sls-ts status` reads the value with). */
  output: string;
}

export interface UsagePlanIds {
  plan: string;
  /** UsagePlanKey ids, by key name. */
  keys: Map<string, string>;
}

export function authorizerIdRequests(spec: Pick<AuthorizerSpec, 'name' | 'type' | 'source'>): IdRequest[] {
  const owner = `authorizer:${spec.name}`;
  const request = (part: string, suffix: string): IdRequest => ({ key: `${owner}#${part}`, owner, stem: `Api${pascalWords(spec.name)}`, suffix, plain: isPlainKey(spec.name), label: `authorizer ${spec.name} (${spec.source})` });
  return [request('authorizer', 'Authorizer'), ...(spec.type === 'cognito' ? [] : [request('permission', 'AuthorizerPermission')])];
}

/** Every key once, in name order, with the plans that list it. */
export function apiKeysOf(plans: readonly ResolvedUsagePlan[]): Array<{ name: string; plans: string[] }> {
  const keys = new Map<string, string[]>();
  for (const plan of plans) for (const key of new Set(plan.keys)) keys.set(key, [...(keys.get(key) ?? []), plan.name]);
  return [...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, plans]) => ({ name, plans }));
}

function apiKeyRequests(name: string): IdRequest[] {
  const owner = `api-key:${name}`;
  const request = (part: string, suffix: string): IdRequest => ({ key: `${owner}#${part}`, owner, stem: pascalWords(name), suffix, plain: isPlainKey(name), label: `API key ${name}` });
  return [request('key', 'ApiKey'), request('output', 'ApiKeyId')];
}

function usagePlanRequests(plan: ResolvedUsagePlan): IdRequest[] {
  const owner = `usage-plan:${plan.name}`;
  const label = `usagePlans.${plan.name}`;
  return [
    { key: `${owner}#plan`, owner, stem: pascalWords(plan.name), suffix: 'UsagePlan', plain: isPlainKey(plan.name), label },
    // A key listed twice in one plan is in it once.
    ...[...new Set(plan.keys)].map((key): IdRequest => ({
      key: `${owner}#key:${key}`,
      owner: `${owner}#key:${key}`,
      stem: `${pascalWords(plan.name)}UsagePlan${pascalWords(key)}`,
      suffix: 'Key',
      plain: isPlainKey(plan.name) && isPlainKey(key),
      label: `${label}.keys: ${key}`,
    })),
  ];
}

/** The id requests of the API's edge; assigned with every other id (see assignIds). */
export function edgeIdRequests(authorizers: readonly AuthorizerSpec[], plans: readonly ResolvedUsagePlan[]): IdRequest[] {
  return [
    ...authorizers.flatMap(authorizerIdRequests),
    ...apiKeysOf(plans).flatMap(({ name }) => apiKeyRequests(name)),
    ...plans.flatMap(usagePlanRequests),
  ];
}

/** Reads the edge's ids back out of assigned ids (or computes them alone: each depends on its own request only). */
export function edgeIdsOf(authorizers: readonly AuthorizerSpec[], plans: readonly ResolvedUsagePlan[], assigned?: ReadonlyMap<string, string>): {
  authorizers: Map<string, AuthorizerIds>;
  apiKeys: Map<string, ApiKeyIds>;
  usagePlans: Map<string, UsagePlanIds>;
} {
  const requests = new Map(edgeIdRequests(authorizers, plans).map((request) => [request.key, request]));
  const id = (key: string) => assigned?.get(key) ?? logicalIdOf(requests.get(key)!);
  return {
    authorizers: new Map(authorizers.map((spec) => [spec.name, {
      authorizer: id(`authorizer:${spec.name}#authorizer`),
      ...(spec.type === 'cognito' ? {} : { permission: id(`authorizer:${spec.name}#permission`) }),
    }])),
    apiKeys: new Map(apiKeysOf(plans).map(({ name }) => [name, { key: id(`api-key:${name}#key`), output: id(`api-key:${name}#output`) }])),
    usagePlans: new Map(plans.map((plan) => [plan.name, {
      plan: id(`usage-plan:${plan.name}#plan`),
      keys: new Map(plan.keys.map((key) => [key, id(`usage-plan:${plan.name}#key:${key}`)])),
    }])),
  };
}

export interface ApiKeyOutput {
  /** The key's name under `usagePlans.<plan>.keys`. */
  name: string;
  /** Its physical name, `<app>-<stage>-<name>`. */
  keyName: string;
  plans: string[];
  logicalId: string;
  /** The root stack's output holding the key's id: what `sls-ts status` passes to GetApiKey (includeValue) to print the value. */
  output: string;
}

/** Where each API key of the stage is found in the root stack's outputs once deployed. */
export function apiKeyOutputs(config: Pick<ResolvedConfig, 'name' | 'stage' | 'usagePlans'>): ApiKeyOutput[] {
  const ids = edgeIdsOf([], config.usagePlans).apiKeys;
  return apiKeysOf(config.usagePlans).map(({ name, plans }) => ({ name, keyName: apiKeyName(config, name), plans, logicalId: ids.get(name)!.key, output: ids.get(name)!.output }));
}

/** API Gateway takes key names up to 1,024 characters (doc "Usage plans and API keys for REST APIs": "The name cannot exceed 1024 characters"). */
export const API_KEY_NAME_LIMIT = 1024;

export function apiKeyName(config: Pick<ResolvedConfig, 'name' | 'stage'>, key: string): string {
  return fitName(`${config.name}-${config.stage}-${key}`, API_KEY_NAME_LIMIT);
}
