// Checks the `domain` setting. Each occurrence (the app's, a stage's) has its keys checked where
// written; whether a domain is complete (a name; a certificate or a zone to request one in) is
// checked on what each stage ends up with, since a stage's domain merges over the app's.
import { isPlainObject } from '../shared/objects.js';
import { ACM_ARN, BASE_PATH_LEVEL, HOSTED_ZONE_ID, hostnameProblem, inZone, normalizeBasePath } from './domain.js';
import { describeValue, type ConfigReport, type KeyPath } from './report.js';
import type { Check } from './validate-values.js';

const DOMAIN_KEYS = ['name', 'certificateArn', 'hostedZone', 'basePath'];
const EXAMPLE = "write domain: { name: 'api.example.com', hostedZone: 'example.com.' }";
const ZONE_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;

function checkName(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (typeof value !== 'string') {
    report.error(path, `must be a hostname string, got ${describeValue(value)}`, "write name: 'api.example.com'");
    return;
  }
  const problem = hostnameProblem(value);
  if (problem) {
    const fixed = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/].*$/, '').replace(/\.$/, '');
    const hint = fixed !== value && !hostnameProblem(fixed) ? `write name: '${fixed}'` : 'a hostname: labels of 1 to 63 letters, digits and hyphens joined by dots, at most 253 characters, e.g. api.example.com';
    report.error(path, `${problem}, got ${describeValue(value)}`, hint);
  }
}

function checkCertificate(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (typeof value === 'string' && ACM_ARN.test(value)) return;
  const hint = /^arn:[^:]+:iam:/.test(String(value))
    ? 'API Gateway serves ACM certificates only: import the certificate into ACM (in the stack\'s region) and use that ARN'
    : 'an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/…, in the stack\'s region; or leave it out to have the stack request one (needs hostedZone)';
  report.error(path, `must be an ACM certificate ARN, got ${describeValue(value)}`, hint);
}

function checkHostedZone(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (typeof value === 'string' && (HOSTED_ZONE_ID.test(value) || ZONE_NAME.test(value))) return;
  const id = typeof value === 'string' ? /^\/?hostedzone\/(Z[A-Z0-9]+)$/i.exec(value)?.[1] : undefined;
  report.error(path, `must be a Route 53 zone name like 'example.com.' or a zone id like 'Z1D633PJN98FT9', got ${describeValue(value)}`, id ? `write hostedZone: '${id}'` : 'the public hosted zone the domain name is in (Route 53 console → Hosted zones)');
}

function checkBasePath(value: unknown, path: KeyPath, report: ConfigReport): void {
  const hint = "one or more levels of letters, digits and $ - _ . + ! * ' ( ) joined by '/', e.g. basePath: 'v1'";
  if (typeof value !== 'string') {
    report.error(path, `must be a string, got ${describeValue(value)}`, hint);
    return;
  }
  const trimmed = normalizeBasePath(value);
  if (trimmed !== undefined && !trimmed.split('/').every((level) => BASE_PATH_LEVEL.test(level))) {
    report.error(path, `has characters API Gateway does not accept in a base path (or an empty level), got ${describeValue(value)}`, hint);
  }
}

/** The keys of one `domain` as written (the app's or a stage's). */
export const checkDomain: Check = (value, path, report) => {
  if (value === false) return;
  if (!isPlainObject(value)) {
    report.error(path, `must be an object or false, got ${describeValue(value)}`, EXAMPLE);
    return;
  }
  report.unknownKeys(value, DOMAIN_KEYS, path, 'domain');
  if (value.name !== undefined) checkName(value.name, [...path, 'name'], report);
  if (value.certificateArn !== undefined) checkCertificate(value.certificateArn, [...path, 'certificateArn'], report);
  if (value.hostedZone !== undefined) checkHostedZone(value.hostedZone, [...path, 'hostedZone'], report);
  if (value.basePath !== undefined) checkBasePath(value.basePath, [...path, 'basePath'], report);
};

/**
 * What a stage's domain (the app's with the stage's merged over it) needs as a whole: a name,
 * and a certificate or a zone id for the stack to request one in, with the name inside the zone.
 * Only reported when the keys themselves are fine (checkDomain has said what is wrong with them).
 */
export function checkDomainComplete(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (!isPlainObject(value)) return;
  const { name, certificateArn, hostedZone } = value;
  if (name === undefined) {
    report.error([...path, 'name'], 'is required', "write name: 'api.example.com'");
    return;
  }
  if (typeof name !== 'string' || hostnameProblem(name)) return;
  const zone = typeof hostedZone === 'string' ? hostedZone : undefined;
  if (certificateArn === undefined) {
    if (zone === undefined) {
      report.error([...path, 'certificateArn'], `is required when hostedZone is not set: the stack can only request a certificate for ${name} by validating it in a Route 53 zone`, `set hostedZone to the id of the zone ${name} is in (the stack then requests the certificate), or certificateArn to an ACM certificate for ${name} in the stack's region`);
    } else if (!HOSTED_ZONE_ID.test(zone) && ZONE_NAME.test(zone)) {
      report.error([...path, 'hostedZone'], `must be the zone's id (Z…) when certificateArn is not set: CloudFormation validates the certificate it requests by the zone's id, got ${describeValue(zone)}`, `find the id of ${zone} in Route 53 (Hosted zones, or \`aws route53 list-hosted-zones-by-name --dns-name ${zone}\`), or set certificateArn`);
    }
  }
  if (zone !== undefined && !HOSTED_ZONE_ID.test(zone) && ZONE_NAME.test(zone) && !inZone(name, zone)) {
    report.error([...path, 'hostedZone'], `${describeValue(zone)} does not hold ${name}`, `set the zone ${name} belongs to, e.g. hostedZone: '${name.split('.').slice(-2).join('.')}.'`);
  }
}
