// A custom domain's settings: what AWS accepts for each (checked in validate-domain.ts), and the
// stage's domain as every tool reads it.
import type { Diagnostic } from '../shared/errors.js';
import type { DomainSettings, ResolvedDomain } from './types.js';

/** A DNS label: letters, digits and inner hyphens, 1 to 63 characters (RFC 1123; no underscores, which ACM and API Gateway refuse). */
export const HOSTNAME_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const HOSTNAME_MAX = 253;
/** `arn:<partition>:acm:<region>:<account>:certificate/<id>`. */
export const ACM_ARN = /^arn:(aws[a-z-]*):acm:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):certificate\/([A-Za-z0-9-]+)$/;
/** Route 53 zone ids: `Z` and upper-case letters and digits (`Z1D633PJN98FT9`). */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** One level of a base path, as API Gateway accepts it; levels are joined by single slashes. */
export const BASE_PATH_LEVEL = /^[A-Za-z0-9$_.+!*'()-]+$/;

/** Why `name` is not a hostname API Gateway and ACM accept, if it is not. */
export function hostnameProblem(name: string): string | undefined {
  if (name.endsWith('.')) return 'must not end with a dot';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name) || name.includes('/')) return 'must be a hostname alone, without scheme or path';
  if (name.length > HOSTNAME_MAX) return `must be at most ${HOSTNAME_MAX} characters, got ${name.length}`;
  const labels = name.split('.');
  if (labels.length < 2) return 'must be a fully qualified hostname such as api.example.com';
  if (name.includes('_')) return 'must not contain underscores';
  const bad = labels.find((label) => !HOSTNAME_LABEL.test(label));
  if (bad === undefined) return undefined;
  if (bad.length === 0) return 'has an empty label (two dots in a row, or a leading dot)';
  if (bad.length > 63) return `has a label of ${bad.length} characters; each label between dots is at most 63`;
  return `has an invalid label ${JSON.stringify(bad)}: labels are letters, digits and hyphens, not starting or ending with a hyphen`;
}

/** The region of an ACM certificate ARN, if it is one. */
export function certificateRegion(arn: string): string | undefined {
  return ACM_ARN.exec(arn)?.[2];
}

/** A zone name without its trailing dot, lower-cased: what a hostname inside it ends with. */
function zoneSuffix(zone: string): string {
  return zone.replace(/\.$/, '').toLowerCase();
}

/** Whether hostname `name` lies in zone `zone` (the zone apex itself counts). */
export function inZone(name: string, zone: string): boolean {
  const host = name.toLowerCase();
  const suffix = zoneSuffix(zone);
  return host === suffix || host.endsWith(`.${suffix}`);
}

/** `/v1/` → `v1`; empty → undefined (the domain's root). */
export function normalizeBasePath(basePath: string | undefined): string | undefined {
  const trimmed = basePath?.replace(/^\/+|\/+$/g, '');
  return trimmed ? trimmed : undefined;
}

/** Expects settings validateUserConfig accepted. */
export function resolveDomain(domain: DomainSettings | false | undefined): ResolvedDomain | undefined {
  if (!domain) return undefined;
  const basePath = normalizeBasePath(domain.basePath);
  const zone = domain.hostedZone;
  return {
    name: domain.name.toLowerCase(),
    ...(domain.certificateArn ? { certificateArn: domain.certificateArn } : {}),
    ...(zone ? { hostedZone: HOSTED_ZONE_ID.test(zone) ? { id: zone } : { name: `${zoneSuffix(zone)}.` } } : {}),
    ...(basePath ? { basePath } : {}),
  };
}

/**
 * A regional endpoint serves only a certificate from its own region (an edge one would need
 * us-east-1): a certificate elsewhere fails the deploy minutes in, so it is refused here, once
 * the stack's region is known (--region, the config, the environment or the profile).
 * `path` is how the config names the certificate (`stages.prod.domain.certificateArn`).
 */
export function certificateRegionDiagnostic(domain: ResolvedDomain | undefined, region: string, path: string, file?: string): Diagnostic | undefined {
  const arn = domain?.certificateArn;
  if (!arn) return undefined;
  const certRegion = certificateRegion(arn);
  if (certRegion === undefined || certRegion === region) return undefined;
  return {
    text: `${path}: the certificate is in ${certRegion}, but the stack deploys to ${region}; a regional API domain needs its certificate in the same region`,
    hint: `request or import a certificate for ${domain.name} in ACM in ${region}, or leave certificateArn out to have the stack request one (with hostedZone set to the zone's id)`,
    ...(file ? { file } : {}),
  };
}
