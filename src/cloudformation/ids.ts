// Every logical id of the app. Each depends on its own key only (see logical-ids.ts); they are
// assigned in one pass so that two families reading alike (a function key that reads like an API
// path, a controller named like a fixed id) are caught at build, not by CloudFormation.
import type { BuiltFunction } from '../build/types.js';
import type { ResolvedResource } from '../config/resources.js';
import type { SubscriptionKind } from '../config/subscriptions.js';
import type { ResolvedUsagePlan } from '../config/types.js';
import { edgeIdRequests, edgeIdsOf, type ApiKeyIds, type AuthorizerIds, type UsagePlanIds } from './edge-ids.js';
import { assignLogicalIds, isPlainKey, isPlainPath, pascalWords, pathWords, type IdRequest } from './logical-ids.js';
import { functionGroup, pathGroup, topSegment, type AppModel, type GroupModel } from './model.js';
import { resourceIdRequests, resourceIdsOf, type ResourceIds } from './resource-ids.js';
import type { RoleModel } from './roles.js';

/** Fixed ids: the deploy step relies on the bucket's, the rest keep templates readable. */
export const FIXED_IDS = {
  bucket: 'ArtifactsBucket',
  bucketPolicy: 'ArtifactsBucketPolicy',
  restApi: 'RestApi',
  stage: 'ApiStage',
  // Reads like no id of a function (each ends in a suffix such as LogGroup), so no deployed id moves.
  accessLogGroup: 'ApiStageAccessLogs',
  /** The parameter a nested stack receives the RestApi's root resource id in. */
  rootResourceParameter: 'RestApiRootResourceId',
  /** The custom domain (config `domain`) and what comes with it. */
  domainName: 'ApiDomainName',
  domainMapping: 'ApiDomainBasePathMapping',
  domainCertificate: 'ApiDomainCertificate',
  domainRecordA: 'ApiDomainRecordA',
  domainRecordAAAA: 'ApiDomainRecordAAAA',
  /**
   * The HTTP API (`api: 'http'`) and what hangs on it. Apart from the REST ones: CloudFormation
   * refuses to change a logical id's type, so a stage switching API type gets new resources.
   */
  httpApi: 'HttpApi',
  httpStage: 'HttpApiStage',
  httpDefaultRoute: 'HttpApiDefaultRoute',
  httpDomainName: 'HttpApiDomainName',
  httpDomainMapping: 'HttpApiDomainMapping',
} as const;

export const DEPLOYMENT_ID_PREFIX = 'ApiDeployment';

/** The root stack's outputs the deploy step and `url`/`status` read. */
export const OUTPUT_NAMES = {
  apiUrl: 'ApiUrl',
  artifactsBucketName: 'ArtifactsBucketName',
  restApiId: 'RestApiId',
  /** The HTTP API's id, when `api: 'http'` (RestApiId is absent then). */
  httpApiId: 'HttpApiId',
  stageName: 'StageName',
  routeHash: 'RouteHash',
  /** `https://<domain>/<basePath>`: what `url` prints when the stage has a custom domain. */
  domainUrl: 'DomainUrl',
  /** The regional hostname the custom domain's DNS must point at (a CNAME, when no zone is set). */
  domainTarget: 'DomainTarget',
  /** `single` or `nested`: how the stack was laid out, so later deploys keep it (see deploy.ts). */
  stacks: 'SlsTsStacks',
} as const;

export interface FunctionIds {
  fn: string;
  role: string;
  logGroup: string;
  /** Only for functions API Gateway invokes. */
  apiPermission?: string;
  /**
   * Only with provisioned concurrency: the `live` alias, and the stem of its version's id (the id
   * itself ends in a hash of the function's settings, see functions.ts).
   */
  alias?: string;
  versionStem?: string;
  /** Root outputs with the function's name and ARN (a separate namespace, but kept within 255 characters too). */
  nameOutput: string;
  arnOutput: string;
  schedules: Array<{ rule: string; permission: string }>;
  /**
   * One entry per `static events` subscription, by position: `main` is its mapping, SNS
   * subscription or rule (`CleanupJobEvent1Mapping`); `permission` the invoke permission of a
   * topic, bucket or rule.
   */
  events: Array<{ main?: string; permission?: string }>;
  /** A job's own queue (`static queue`): the queue, its dead-letter queue and its mapping. */
  jobQueue?: { queue: string; deadLetter: string; mapping: string };
}

export interface LogicalIds {
  /** By function key. */
  functions: Map<string, FunctionIds>;
  /** By path (`/posts/{id}`). */
  resources: Map<string, string>;
  /** By `METHOD path`. */
  methods: Map<string, string>;
  /** Nested stacks, by group key. */
  groups: Map<string, string>;
  /** IAM roles, by role key (see roles.ts); a function's `role` is its role's id. */
  roles: Map<string, string>;
  /** Declared resources (config `resources`), by name. */
  declared: Map<string, ResourceIds>;
  /** The ids of `extra` requests (see assignIds), by request key. */
  extra: Map<string, string>;
  /** The manifest's authorizers, by name. */
  authorizers: Map<string, AuthorizerIds>;
  /** API keys of the config's usage plans, by key name. */
  apiKeys: Map<string, ApiKeyIds>;
  /** By plan name. */
  usagePlans: Map<string, UsagePlanIds>;
}

export function methodKey(method: string, path: string): string {
  return `${method} ${path}`;
}

export function groupsOf(model: AppModel): GroupModel[] {
  const groups = new Map<string, GroupModel>();
  for (const fn of model.functions) {
    const group = functionGroup(fn);
    groups.set(group.key, group);
  }
  for (const path of model.paths) {
    const group = pathGroup(path);
    groups.set(group.key, group);
  }
  return [...groups.values()];
}

function functionRequests(fn: BuiltFunction, routed: boolean): IdRequest[] {
  const owner = `function:${fn.key}`;
  const stem = pascalWords(fn.key);
  const plain = isPlainKey(fn.key);
  const request = (part: string, suffix: string): IdRequest => ({ key: `${owner}#${part}`, owner, stem, suffix, plain, label: fn.source });
  return [
    request('function', 'Function'),
    request('role', 'Role'),
    request('log-group', 'LogGroup'),
    request('name-output', 'FunctionName'),
    request('arn-output', 'FunctionArn'),
    ...(routed ? [request('api-permission', 'ApiPermission')] : []),
    // Only for functions with provisioned concurrency: the others keep exactly the ids they had.
    ...(fn.provisionedConcurrency ? [request('alias', 'LiveAlias'), request('version', 'Version')] : []),
    ...fn.schedules.flatMap((_, index) => [
      request(`schedule-${index}`, `Schedule${index + 1}`),
      request(`schedule-${index}-permission`, `Schedule${index + 1}Permission`),
    ]),
    ...fn.events.flatMap((subscription, index) => {
      const { main, permission } = EVENT_PARTS[subscription.kind];
      return [
        ...(main ? [request(`event-${index}`, `Event${index + 1}${main}`)] : []),
        ...(permission ? [request(`event-${index}-permission`, `Event${index + 1}Permission`)] : []),
      ];
    }),
    ...(fn.jobQueue ? [request('job-queue', 'Queue'), request('job-dead-letter', 'DeadLetterQueue'), request('job-queue-mapping', 'QueueMapping')] : []),
  ];
}

/** What each kind of subscription adds beside the job: a mapping, an SNS subscription or a rule, and an invoke permission. */
const EVENT_PARTS: Record<SubscriptionKind, { main?: string; permission?: boolean }> = {
  queue: { main: 'Mapping' },
  table: { main: 'Mapping' },
  topic: { main: 'Subscription', permission: true },
  bucket: { permission: true },
  rule: { main: 'Rule', permission: true },
};

/**
 * `bucketNames`: the fixed names of buckets jobs subscribe to (see bucketNameFor), which their
 * references then use instead of Ref / Fn::GetAtt.
 */
export function assignIds(model: AppModel, roles: readonly RoleModel[], resources: readonly ResolvedResource[] = [], bucketNames: ReadonlyMap<string, string> = new Map(), usagePlans: readonly ResolvedUsagePlan[] = [], extra: readonly IdRequest[] = []): LogicalIds {
  const requests: IdRequest[] = model.functions.flatMap((fn) => functionRequests(fn, model.routed.has(fn.key)));
  // Ids of other families (the HTTP API's routes, integrations, authorizers), checked in the same pass.
  requests.push(...extra);
  for (const resource of resources) requests.push(...resourceIdRequests(resource));
  requests.push(...edgeIdRequests(model.authorizers, usagePlans));
  for (const role of roles) {
    if (role.shared) requests.push({ key: role.key, stem: role.shared.stem, suffix: 'Role', plain: role.shared.plain, label: `the IAM role of ${role.shared.description}` });
  }
  for (const path of model.paths) {
    requests.push({ key: `resource:${path}`, owner: `path:${path}`, stem: `ApiResource${pathWords(path)}`, plain: isPlainPath(path), label: `API path ${path}` });
  }
  for (const { method, path, label } of model.methods) {
    requests.push({ key: `method:${methodKey(method, path)}`, owner: `path:${path}`, stem: `ApiMethod${pathWords(path)}`, suffix: pascalWords(method.toLowerCase()), plain: isPlainPath(path), label });
  }
  const groups = groupsOf(model);
  for (const group of groups) requests.push({ key: `group:${group.key}`, stem: group.stem, suffix: 'Stack', plain: group.plain, label: `the nested stack for ${group.description}` });

  // Output names share the check: a resource's outputs (`PostsTableArn`) must not meet the fixed ones.
  const ids = assignLogicalIds(requests, [...Object.values(FIXED_IDS), ...Object.values(OUTPUT_NAMES)]);
  const id = (key: string) => ids.get(key)!;
  const roleIds = new Map<string, string>();
  const roleOf = new Map<string, string>();
  for (const role of roles) {
    const roleId = role.shared ? id(role.key) : id(`function:${role.members[0]!.key}#role`);
    roleIds.set(role.key, roleId);
    for (const fn of role.members) roleOf.set(fn.key, roleId);
  }
  const functions = new Map<string, FunctionIds>();
  for (const fn of model.functions) {
    const owner = `function:${fn.key}`;
    functions.set(fn.key, {
      fn: id(`${owner}#function`),
      role: roleOf.get(fn.key) ?? id(`${owner}#role`),
      logGroup: id(`${owner}#log-group`),
      ...(model.routed.has(fn.key) ? { apiPermission: id(`${owner}#api-permission`) } : {}),
      ...(fn.provisionedConcurrency ? { alias: id(`${owner}#alias`), versionStem: id(`${owner}#version`) } : {}),
      nameOutput: id(`${owner}#name-output`),
      arnOutput: id(`${owner}#arn-output`),
      schedules: fn.schedules.map((_, index) => ({ rule: id(`${owner}#schedule-${index}`), permission: id(`${owner}#schedule-${index}-permission`) })),
      events: fn.events.map((_, index) => ({
        ...(ids.has(`${owner}#event-${index}`) ? { main: id(`${owner}#event-${index}`) } : {}),
        ...(ids.has(`${owner}#event-${index}-permission`) ? { permission: id(`${owner}#event-${index}-permission`) } : {}),
      })),
      ...(fn.jobQueue ? { jobQueue: { queue: id(`${owner}#job-queue`), deadLetter: id(`${owner}#job-dead-letter`), mapping: id(`${owner}#job-queue-mapping`) } } : {}),
    });
  }
  return {
    functions,
    resources: new Map(model.paths.map((path) => [path, id(`resource:${path}`)])),
    methods: new Map(model.methods.map(({ method, path }) => [methodKey(method, path), id(`method:${methodKey(method, path)}`)])),
    groups: new Map(groups.map((group) => [group.key, id(`group:${group.key}`)])),
    roles: roleIds,
    declared: new Map(resources.map((resource) => [resource.name, resourceIdsOf(resource, ids, bucketNames.get(resource.name))])),
    extra: new Map(extra.map((request) => [request.key, id(request.key)])),
    ...edgeIdsOf(model.authorizers, usagePlans, ids),
  };
}

/** Where a path's resources and preflight live when split: the root for `/`, else its top-level path's stack. */
export function pathHome(path: string): string {
  return topSegment(path) === '' ? 'root' : pathGroup(path).key;
}
