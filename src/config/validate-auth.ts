// Checks `auth`, `authorizers` (Cognito user pools) and `usagePlans`. As for `domain`, each
// occurrence (the app's, a stage's) has its keys checked where written, while what needs the whole
// (required keys, a quota's offset against its period, a key in two plans) is checked on what each
// stage ends up with, since a stage's settings merge over the app's key by key.
import { IAM_AUTH } from '../router/index.js';
import { isPlainObject } from '../shared/objects.js';
import { REGION } from './limits.js';
import { describeValue, type ConfigReport, type KeyPath } from './report.js';
import { checkThrottleOf } from './validate-stage-settings.js';
import { checkBoolean, checkInteger, checkOneOf, type Check } from './validate-values.js';

// In `auth`, `'iam'` means AWS_IAM (callers sign with SigV4): no authorizer may take the name.
export { IAM_AUTH };

/** Authorizer, usage plan and API key names: they go into API Gateway names and logical ids. */
const NAME = /^[A-Za-z0-9_-]+$/;
const NAME_MAX = 64;
const NAME_RULE = `letters, digits, - and _, at most ${NAME_MAX} characters`;

// doc: API Reference, CreateAuthorizer `identitySource` — "For a TOKEN or COGNITO_USER_POOLS
// authorizer, this is required and specifies the request header mapping expression".
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const HEADER_SOURCE = /^method\.request\.header\.([A-Za-z0-9!#$%&'*+.^_`|~-]+)$/;

// A user pool's id is `<region>_<suffix>`, and its ARN `arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>`.
const USER_POOL_ARN = /^arn:(?:aws|aws-cn|aws-us-gov):cognito-idp:([^:]+):(\d{12}):userpool\/([^_/]+)_([0-9A-Za-z]+)$/;
const USER_POOL_ID = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}_[0-9A-Za-z]+$/;
const ARN_EXAMPLE = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123';

// doc: CloudFormation AWS::ApiGateway::Authorizer AuthorizerResultTtlInSeconds, SAM ReauthorizeEvery
// — "The maximum value is 3600, or 1 hour"; 0 turns caching off.
const TTL = { min: 0, max: 3600 };

// doc: API Reference, QuotaSettings — limit is an Integer (32-bit), period DAY | WEEK | MONTH.
const QUOTA_LIMIT = { min: 1, max: 2_147_483_647 };
export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
// The offset's ceiling by period: 0 for DAY, 6 for WEEK, 27 for MONTH ("Usage Plan quota offset must
// be between 0 and 6 inclusive in the WEEK period"). — src hashicorp/terraform-provider-aws
// internal/service/apigateway/validate.go (validUsagePlanQuotaSettings); the older QuotaSettings doc
// reads offset as the day a period starts ("with a time period of WEEK, an offset of 0 starts on Sunday").
const OFFSET_MAX: Record<(typeof QUOTA_PERIODS)[number], number> = { DAY: 0, WEEK: 6, MONTH: 27 };

function checkName(name: string, path: KeyPath, report: ConfigReport, what: string): void {
  if (!NAME.test(name) || name.length > NAME_MAX) {
    report.error(path, `is not a usable ${what} name`, `${what} names are ${NAME_RULE}`);
  }
}

/** The app-wide (or stage-wide) default guard. Lambda authorizers live in app/authorizers/, so a name that no config entry declares is not an error here. */
export const checkAuth: Check = (value, path, report) => {
  if (value === false || value === IAM_AUTH) return;
  if (typeof value === 'string' && value.toLowerCase() === IAM_AUTH) {
    report.error(path, `must be written 'iam' in lowercase, got ${describeValue(value)}`, "write auth: 'iam' for AWS_IAM authorization");
    return;
  }
  if (typeof value === 'string' && NAME.test(value) && value.length <= NAME_MAX) return;
  const hint = value === true
    ? "true names no guard: write the authorizer's name (auth: 'admin'), 'iam' for AWS_IAM, or false for public routes"
    : `the name of a class in app/authorizers/ or of an entry under \`authorizers\` (${NAME_RULE}), 'iam' for AWS_IAM, or false for public routes`;
  report.error(path, `must be an authorizer's name, 'iam' or false, got ${describeValue(value)}`, hint);
};

function checkUserPoolArn(value: unknown, path: KeyPath, report: ConfigReport): void {
  const match = typeof value === 'string' ? USER_POOL_ARN.exec(value) : null;
  if (!match) {
    const hint = typeof value === 'string' && USER_POOL_ID.test(value)
      ? `that is the pool's id: write its ARN, arn:aws:cognito-idp:<region>:<account>:userpool/${value} (Cognito console → User pools → the pool → Overview)`
      : `the pool's ARN, e.g. '${ARN_EXAMPLE}' (Cognito console → User pools → the pool → Overview)`;
    report.error(path, `must be a Cognito user pool ARN, got ${describeValue(value)}`, hint);
    return;
  }
  const [, region, , poolRegion] = match;
  if (!REGION.test(region!)) {
    report.error(path, `names region ${JSON.stringify(region)}, which is not an AWS region`, `copy the ARN from the Cognito console, e.g. '${ARN_EXAMPLE}'`);
  } else if (poolRegion !== region) {
    report.error(path, `names a pool of ${poolRegion} in an ARN of ${region}`, "a user pool's id starts with its own region: copy the ARN from the Cognito console");
  }
}

function checkUserPoolArns(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (!Array.isArray(value) || value.length === 0) {
    report.error(path, `must be a non-empty array of user pool ARNs, got ${describeValue(value)}`, `write userPoolArns: ['${ARN_EXAMPLE}']`);
    return;
  }
  value.forEach((arn: unknown, index) => checkUserPoolArn(arn, [...path, index], report));
}

function checkCognitoIdentitySource(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (typeof value === 'string' && HEADER_SOURCE.test(value)) return;
  let hint = "the header holding the token, e.g. identitySource: 'method.request.header.Authorization'";
  if (typeof value === 'string' && HEADER_NAME.test(value) && !value.includes('.')) hint = `write identitySource: 'method.request.header.${value}'`;
  else if (typeof value === 'string' && /^(method\.request\.(querystring|multivaluequerystring|multivalueheader)|stageVariables|context)\./.test(value)) {
    hint = "API Gateway reads a Cognito token from a request header only: write e.g. identitySource: 'method.request.header.Authorization'";
  }
  report.error(path, `must be a header expression method.request.header.<Name>, got ${describeValue(value)}`, hint);
}

function checkLocal(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (!isPlainObject(value)) {
    report.error(path, `must be an object, got ${describeValue(value)}`, "write local: { jwks: 'config/jwks.json' } or local: { unverified: true }");
    return;
  }
  report.unknownKeys(value, ['jwks', 'unverified'], path, 'local');
  if (value.jwks !== undefined && (typeof value.jwks !== 'string' || value.jwks.trim() === '')) {
    report.error([...path, 'jwks'], `must be a file path, got ${describeValue(value.jwks)}`, "the JSON Web Key Set signing your local tokens, from the app's root, e.g. jwks: 'config/jwks.json'");
  }
  if (value.unverified !== undefined) checkBoolean(value.unverified, [...path, 'unverified'], report);
}

function checkAuthorizerType(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (value === 'cognito') return;
  const hint = value === 'token' || value === 'request' || value === 'lambda'
    ? "Lambda authorizers are classes in app/authorizers/<name>-authorizer.ts, not config entries; `authorizers` declares Cognito user pools: cognito({ userPoolArns: [...] })"
    : "declare it with cognito({ userPoolArns: [...] }), which sets type: 'cognito'";
  report.error(path, `must be 'cognito', got ${describeValue(value)}`, hint);
}

const checkTtl = checkInteger(TTL, 'seconds', "how long API Gateway keeps a token's result: 0 (no cache) to 3600 (1 hour), default 300");

/** The `authorizers` record as written (the app's or a stage's); required keys are checked on the whole (checkAuthComplete). */
export const checkAuthorizers: Check = (value, path, report) => {
  if (!isPlainObject(value)) {
    report.error(path, `must be an object keyed by authorizer name, got ${describeValue(value)}`, `write authorizers: { users: cognito({ userPoolArns: ['${ARN_EXAMPLE}'] }) }`);
    return;
  }
  for (const [name, settings] of Object.entries(value)) {
    const at = [...path, name];
    if (name === IAM_AUTH) report.error(at, "is reserved: auth: 'iam' means AWS_IAM", "name the authorizer otherwise, e.g. 'users'");
    else checkName(name, at, report, 'authorizer');
    if (!isPlainObject(settings)) {
      report.error(at, `must be an object, got ${describeValue(settings)}`, `write ${name}: cognito({ userPoolArns: ['${ARN_EXAMPLE}'] })`);
      continue;
    }
    // `audience` matters with api: 'http' only, where validate-http-api.ts checks it.
    report.unknownKeys(settings, ['type', 'userPoolArns', 'identitySource', 'audience', 'ttl', 'local'], at, 'authorizer');
    if (settings.type !== undefined) checkAuthorizerType(settings.type, [...at, 'type'], report);
    if (settings.userPoolArns !== undefined) checkUserPoolArns(settings.userPoolArns, [...at, 'userPoolArns'], report);
    if (settings.identitySource !== undefined) checkCognitoIdentitySource(settings.identitySource, [...at, 'identitySource'], report);
    if (settings.ttl !== undefined) checkTtl(settings.ttl, [...at, 'ttl'], report);
    if (settings.local !== undefined) checkLocal(settings.local, [...at, 'local'], report);
  }
};

function checkKeys(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (!Array.isArray(value) || value.length === 0) {
    report.error(path, `must be a non-empty array of key names, got ${describeValue(value)}`, "name the API keys the plan hands out, e.g. keys: ['acme', 'globex'] (one per client)");
    return;
  }
  const seen = new Set<string>();
  value.forEach((key: unknown, index) => {
    const at = [...path, index];
    if (typeof key !== 'string' || !NAME.test(key) || key.length > NAME_MAX) {
      report.error(at, `must be a key name, got ${describeValue(key)}`, `key names are ${NAME_RULE}, e.g. 'acme'`);
    } else if (seen.has(key)) {
      report.error(at, `repeats key ${JSON.stringify(key)}`, 'list each key once');
    }
    if (typeof key === 'string') seen.add(key);
  });
}

// doc: CloudFormation AWS::ApiGateway::UsagePlan ThrottleSettings — RateLimit a Number, BurstLimit
// an Integer, both minimum 0: the same shape as the stage's throttle.
const checkPlanThrottle = checkThrottleOf({
  example: 'write throttle: { rate: 10, burst: 20 } (per API key)',
  rate: "each key's steady rate, e.g. rate: 10 (0.5 is one request every 2 seconds)",
  burst: 'the requests a key may make at once above its rate, e.g. burst: 20',
});

function checkQuota(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (!isPlainObject(value)) {
    report.error(path, `must be an object, got ${describeValue(value)}`, "write quota: { limit: 1000, period: 'DAY' } (per API key)");
    return;
  }
  report.unknownKeys(value, ['limit', 'period', 'offset'], path, 'quota');
  if (value.limit !== undefined) checkInteger(QUOTA_LIMIT, 'requests', 'the requests each key may make per period, e.g. limit: 1000')(value.limit, [...path, 'limit'], report);
  if (value.period !== undefined) checkOneOf(QUOTA_PERIODS, 'the period the limit counts over (in UTC)')(value.period, [...path, 'period'], report);
  if (value.offset !== undefined && (typeof value.offset !== 'number' || !Number.isInteger(value.offset) || value.offset < 0)) {
    report.error([...path, 'offset'], `must be a whole number of 0 or more, got ${describeValue(value.offset)}`, 'API Gateway takes 0 for DAY, 0 to 6 for WEEK and 0 to 27 for MONTH; leave it out for 0');
  }
}

/** The `usagePlans` record as written (the app's or a stage's); required keys and keys shared between plans are checked on the whole. */
export const checkUsagePlans: Check = (value, path, report) => {
  if (!isPlainObject(value)) {
    report.error(path, `must be an object keyed by plan name, got ${describeValue(value)}`, "write usagePlans: { free: { keys: ['acme'], quota: { limit: 1000, period: 'DAY' } } }");
    return;
  }
  for (const [name, plan] of Object.entries(value)) {
    const at = [...path, name];
    checkName(name, at, report, 'usage plan');
    if (!isPlainObject(plan)) {
      report.error(at, `must be an object, got ${describeValue(plan)}`, `write ${name}: { keys: ['acme'] }`);
      continue;
    }
    report.unknownKeys(plan, ['keys', 'throttle', 'quota', 'description'], at, 'usage plan');
    if (plan.keys !== undefined) checkKeys(plan.keys, [...at, 'keys'], report);
    if (plan.throttle !== undefined) checkPlanThrottle(plan.throttle, [...at, 'throttle'], report);
    if (plan.quota !== undefined) checkQuota(plan.quota, [...at, 'quota'], report);
    if (plan.description !== undefined && typeof plan.description !== 'string') {
      report.error([...at, 'description'], `must be a string, got ${describeValue(plan.description)}`, 'describe the plan in a sentence');
    }
  }
};

/**
 * What the settings need as a whole (the app's, or a stage's merged over them): each authorizer's
 * type and user pools, each plan's keys, a rate under a burst, a quota's limit and period and an
 * offset that fits the period, and no API key in two plans. Returns what it reported (relative to
 * `path`), so that a stage does not repeat what the app already got wrong.
 */
export function checkAuthComplete(settings: Record<string, unknown>, path: KeyPath, report: ConfigReport, skip: ReadonlySet<string> = new Set()): Set<string> {
  const reported = new Set<string>();
  const flag = (at: KeyPath, text: string, hint: string) => {
    const key = at.join('\u0000');
    if (skip.has(key) || reported.has(key)) return;
    reported.add(key);
    report.error([...path, ...at], text, hint);
  };

  if (isPlainObject(settings.authorizers)) {
    for (const [name, authorizer] of Object.entries(settings.authorizers)) {
      if (!isPlainObject(authorizer)) continue;
      const at = ['authorizers', name];
      if (authorizer.type === undefined) flag([...at, 'type'], 'is required', "declare it with cognito({ userPoolArns: [...] }), which sets type: 'cognito'");
      if (authorizer.userPoolArns === undefined) flag([...at, 'userPoolArns'], 'is required', `list the user pools whose tokens it accepts, e.g. userPoolArns: ['${ARN_EXAMPLE}']`);
      const local = authorizer.local;
      if (isPlainObject(local) && local.unverified === true && local.jwks !== undefined) {
        flag([...at, 'local', 'unverified'], 'cannot be true while jwks is set', 'with a key set, local tokens are verified against it: drop unverified, or drop jwks to accept tokens unverified');
      }
    }
  }

  if (!isPlainObject(settings.usagePlans)) return reported;
  const owner = new Map<string, string>();
  for (const [name, plan] of Object.entries(settings.usagePlans)) {
    if (!isPlainObject(plan)) continue;
    const at = ['usagePlans', name];
    if (plan.keys === undefined) flag([...at, 'keys'], 'is required', "name the API keys the plan hands out, e.g. keys: ['acme']");
    const { throttle, quota } = plan;
    if (isPlainObject(throttle) && throttle.burst !== undefined && throttle.rate === undefined) {
      flag([...at, 'throttle', 'rate'], 'is required when burst is set', 'a burst is requests above a steady rate: add rate, e.g. throttle: { rate: 10, burst: 20 }');
    }
    if (isPlainObject(quota)) {
      if (quota.limit === undefined) flag([...at, 'quota', 'limit'], 'is required', 'the requests each key may make per period, e.g. limit: 1000');
      if (quota.period === undefined) flag([...at, 'quota', 'period'], 'is required', "DAY, WEEK or MONTH, e.g. period: 'MONTH'");
      const max = typeof quota.period === 'string' && Object.hasOwn(OFFSET_MAX, quota.period) ? OFFSET_MAX[quota.period as keyof typeof OFFSET_MAX] : undefined;
      if (max !== undefined && typeof quota.offset === 'number' && Number.isInteger(quota.offset) && quota.offset > max) {
        flag([...at, 'quota', 'offset'], `must be ${max === 0 ? '0' : `0 to ${max}`} for period ${String(quota.period)}, got ${quota.offset}`, 'API Gateway refuses a larger offset (0 for DAY, 0 to 6 for WEEK, 0 to 27 for MONTH)');
      }
    }
    if (!Array.isArray(plan.keys)) continue;
    plan.keys.forEach((key: unknown, index) => {
      if (typeof key !== 'string') return;
      const first = owner.get(key);
      // doc: API Gateway Dev Guide, "Usage plans and API keys" — "a given API key can only be
      // associated with one usage plan for each stage of your API"; every plan here covers the stage.
      if (first !== undefined && first !== name) {
        flag([...at, 'keys', index], `key ${JSON.stringify(key)} is already in plan ${JSON.stringify(first)}`, 'API Gateway refuses one API key in two usage plans of the same stage: keep the key in one plan');
      } else owner.set(key, name);
    });
  }
  return reported;
}
