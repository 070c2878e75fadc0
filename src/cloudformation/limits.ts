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
