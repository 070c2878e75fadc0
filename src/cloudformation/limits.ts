// CloudFormation's per-template limits, and API Gateway's default resource quota, measured on
// what is generated so a deploy never fails late on a number we could have counted.
import type { Diagnostic } from '../shared/errors.js';
import { byteLength } from './json.js';
import type { Template } from './types.js';

export const TEMPLATE_LIMITS = {
  resources: 500,
  parameters: 200,
  outputs: 200,
  /** Templates are uploaded to S3 and passed by TemplateURL. */
  bytes: 1_000_000,
} as const;

/** Warn when a template reaches this share of a limit. */
export const WARN_RATIO = 0.8;

/** Resource operations one stack operation may make, nested stacks included (the whole tree counts). */
export const TREE_RESOURCE_LIMIT = 2_500;

/** IAM's default quota of roles per account (adjustable in Service Quotas); warn past this many of ours. */
export const ACCOUNT_ROLE_QUOTA = 1_000;
export const ROLE_WARNING_COUNT = 200;

/** API Gateway's default quota of resources per REST API (adjustable in Service Quotas). */
export const API_RESOURCE_QUOTA = 300;

export interface TemplateSize {
  resources: number;
  parameters: number;
  outputs: number;
  bytes: number;
}

export function measureTemplate(template: Template, body: string): TemplateSize {
  return {
    resources: Object.keys(template.Resources).length,
    parameters: Object.keys(template.Parameters ?? {}).length,
    outputs: Object.keys(template.Outputs ?? {}).length,
    bytes: byteLength(body),
  };
}

export function fitsLimits(size: TemplateSize): boolean {
  return (Object.keys(TEMPLATE_LIMITS) as Array<keyof TemplateSize>).every((name) => size[name] <= TEMPLATE_LIMITS[name]);
}

/** Errors past a limit, warnings past 80% of it. */
export function limitDiagnostics(name: string, size: TemplateSize, hint: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const limit of Object.keys(TEMPLATE_LIMITS) as Array<keyof TemplateSize>) {
    const count = size[limit];
    const max = TEMPLATE_LIMITS[limit];
    const what = limit === 'bytes' ? 'bytes of JSON' : limit;
    if (count > max) diagnostics.push({ text: `${name} has ${count} ${what}; CloudFormation allows ${max}`, hint });
    else if (count > max * WARN_RATIO) {
      diagnostics.push({ level: 'warning', text: `${name} has ${count} ${what}, over 80% of CloudFormation's ${max}`, hint });
    }
  }
  return diagnostics;
}

export function apiQuotaWarnings(apiResources: number): Diagnostic[] {
  // The quota counts the root resource `/` too.
  const total = apiResources + 1;
  if (total <= API_RESOURCE_QUOTA) return [];
  return [{
    level: 'warning',
    text: `the REST API has ${total} resources (path parts, counting "/"); API Gateway allows ${API_RESOURCE_QUOTA} per REST API by default, so the deploy would fail`,
    hint: 'use the `single` layout (two resources: / and /{proxy+}), or request an increase of "Resources per REST API" in Service Quotas before deploying',
  }];
}

const TREE_HINT = 'each function brings a role, a log group and (when routed) a permission, each route a method and each path part a resource: share roles with `iamRoles: \'controller\'` or `\'app\'`, use the controller layout instead of action, leave out CORS preflights, or use the `single` layout (one function, two API paths)';

/** The whole tree's resources against what one stack operation may create: errors past 2,500, warnings past 80%. */
export function treeDiagnostics(resources: number, templates: number): Diagnostic[] {
  const where = templates > 1 ? `the root and its ${templates - 1} nested stacks hold` : 'the template holds';
  if (resources > TREE_RESOURCE_LIMIT) {
    return [{ text: `${where} ${resources} resources; CloudFormation allows ${TREE_RESOURCE_LIMIT} resource operations in one stack operation, nested stacks included, so creating the app would fail`, hint: TREE_HINT }];
  }
  if (resources > TREE_RESOURCE_LIMIT * WARN_RATIO) {
    return [{ level: 'warning', text: `${where} ${resources} resources, over 80% of the ${TREE_RESOURCE_LIMIT} resource operations CloudFormation allows in one stack operation (nested stacks included)`, hint: TREE_HINT }];
  }
  return [];
}

export function roleCountWarnings(roles: number): Diagnostic[] {
  if (roles <= ROLE_WARNING_COUNT) return [];
  return [{
    level: 'warning',
    text: `the app makes ${roles} IAM roles; an AWS account holds ${ACCOUNT_ROLE_QUOTA} by default, shared by every app and stage in it`,
    hint: "share roles with `iamRoles: 'controller'` (one per controller) or `'app'` (one for the app), or request an increase of \"Roles per account\" in Service Quotas",
  }];
}
