// What AWS accepts for each setting: the validator checks against these, the defaults come from
// defaults.ts. Kept apart so the numbers can be checked against AWS documentation in one place.
import type { Architecture, IamRolesSetting, Layout, Runtime, StacksSetting } from './types.js';

export const RUNTIMES: readonly Runtime[] = ['nodejs22.x', 'nodejs24.x', 'nodejs20.x'];
/** Still deployable, but AWS has announced their end of support. */
export const DEPRECATED_RUNTIMES: Readonly<Partial<Record<Runtime, Runtime>>> = { 'nodejs20.x': 'nodejs22.x' };
export const ARCHITECTURES: readonly Architecture[] = ['arm64', 'x86_64'];
export const LAYOUTS: readonly Layout[] = ['controller', 'action', 'single'];
export const STACKS: readonly StacksSetting[] = ['auto', 'nested'];
export const IAM_ROLES: readonly IamRolesSetting[] = ['function', 'controller', 'app'];

export const APP_NAME = /^[a-z][a-z0-9-]*$/;
// The name prefixes `<app>-<stage>-<function>`; 40 leaves room for the stage and a function key.
export const APP_NAME_MAX = 40;
export const STAGE_NAME = /^[a-zA-Z0-9-]+$/;
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export const MEMORY = { min: 128, max: 10240 } as const;
export const TIMEOUT = { min: 1, max: 900 } as const;
export const DESCRIPTION_MAX = 256;

/** The values CloudWatch Logs accepts for a log group's retention. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const TAGS_MAX = 50;
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
// AWS's tag character set: letters, digits, spaces and + - = . _ : / @
export const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

// Lambda's pattern for variable names ([a-zA-Z]([a-zA-Z0-9_])+): a letter first, two characters at least.
export const ENV_NAME = /^[A-Za-z][A-Za-z0-9_]+$/;
export const ENV_NAME_HINT = 'Lambda accepts letters, digits and underscores, starting with a letter, at least 2 characters';

// Lambda sets these itself and rejects a function configuration that tries to.
const RESERVED_ENV = new Set([
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'TZ',
]);
const RESERVED_ENV_PREFIXES = ['AWS_LAMBDA_', 'AWS_XRAY_'];

export function isReservedEnvName(name: string): boolean {
  return RESERVED_ENV.has(name) || RESERVED_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Why a reserved name cannot be set, and what to do instead. */
export function reservedEnvHint(name: string): string {
  if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/.test(name)) {
    return 'functions get credentials from their IAM role: grant access with `iam` statements instead';
  }
  if (name === 'TZ') return 'Lambda always runs in UTC: convert times in code (Intl.DateTimeFormat with timeZone)';
  return `Lambda sets ${name} itself; read it from process.env at runtime or choose another name`;
}

/** Media types API Gateway treats as binary: `type/subtype`, either part may be a wildcard. */
export const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+*-]+\/[A-Za-z0-9!#$&^_.+*-]+$/;
export const CORS_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*'];

/** The pseudo parameters an IAM statement can use in a Ref or Fn::Sub (each resolves to a string in any template). */
export const PSEUDO_PARAMETERS: readonly string[] = ['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId'];

// Declared resources (resources.ts). A resource's name is a key in the runtime's `resources`
// accessor and the stem of its logical id and environment variables: an identifier, camelCase.
export const RESOURCE_NAME = /^[a-z][A-Za-z0-9]*$/;
export const RESOURCE_NAME_MAX = 48;
/** DynamoDB: attribute names 1 to 255 characters; table and index names 3 to 255 of [A-Za-z0-9_.-]. */
export const DYNAMODB_ATTRIBUTE_MAX = 255;
export const DYNAMODB_INDEX_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** The default quota of global secondary indexes per table. */
export const DYNAMODB_INDEXES_MAX = 20;
export const SQS_VISIBILITY_TIMEOUT = { min: 0, max: 43_200 } as const;
export const SQS_RETENTION = { min: 60, max: 1_209_600 } as const;
export const SQS_DELAY = { min: 0, max: 900 } as const;
export const SQS_MAX_RECEIVES = { min: 1, max: 1000 } as const;
/** Lifecycle expiration days S3 accepts (a positive whole number; 100 years is plenty). */
export const S3_EXPIRE_DAYS = { min: 1, max: 36_500 } as const;
/** A CloudFormation resource type: `AWS::Service::Thing`, a `Custom::` one, or a registry type (`Org::Service::Thing`). */
export const RESOURCE_TYPE = /^(?:[A-Za-z0-9]+::){2}[A-Za-z0-9]+$|^Custom::[A-Za-z0-9_@-]{1,60}$/;
/** Stages whose tables and buckets are retained by default (removal: 'retain'). */
export const PRODUCTION_STAGE = /^(prod|production|prd|live)([-_].*)?$/i;
