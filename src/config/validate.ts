// Checks a UserConfig as imported from sls-ts.config.ts: the file is TypeScript, but nothing
// stops a .js config, a cast or a config function from producing any value at all.
import type { Diagnostic } from '../shared/errors.js';
import {
  APP_NAME, APP_NAME_MAX, ARCHITECTURES, DEPRECATED_RUNTIMES, IAM_ROLES, LAYOUTS, STACKS, MEMORY, RUNTIMES, STAGE_NAME, TIMEOUT,
} from './limits.js';
import { isPlainObject } from '../shared/objects.js';
import { mergeSettings } from './merge.js';
import { ConfigReport, describeValue, type ConfigDiagnostic, type KeyPath } from './report.js';
import { checkAuth, checkAuthComplete, checkAuthorizers, checkUsagePlans } from './validate-auth.js';
import { checkDomain, checkDomainComplete } from './validate-domain.js';
import { checkIam } from './validate-iam.js';
import { checkRemoval, checkResourcesAndLinks } from './validate-resources.js';
import {
  checkBinaryMediaTypes, checkBoolean, checkCors, checkCorsCredentials, checkDescription, checkEnv, checkInteger,
  checkLogRetention, checkOneOf, checkRegion, checkStringList, checkTags, type Check,
} from './validate-values.js';
import { applyStageSettings } from './merge.js';
import { checkApi, checkConcurrencyPairs, checkProvisionedConcurrency, checkReservedConcurrency, checkThrottlePair } from './validate-stage-settings.js';
import { checkHttpApiSettings } from './validate-http-api.js';
import type { Runtime } from './types.js';

export type { ConfigDiagnostic } from './report.js';

/** Checks an object's keys against `rules`; `undefined` counts as absent (`memory: prod ? 2048 : undefined`). */
function checkObject(rules: Record<string, Check>, what: string, example: string): Check {
  return (value, path, report) => {
    if (!isPlainObject(value)) {
      report.error(path, `must be an object, got ${describeValue(value)}`, `write ${example}`);
      return;
    }
    report.unknownKeys(value, Object.keys(rules), path, what);
    for (const [key, rule] of Object.entries(rules)) {
      if (value[key] !== undefined) rule(value[key], [...path, key], report);
    }
  };
}

/** An object keyed by controller, job, function or action name, each entry checked by `rules`. */
function checkRecordOf(rules: Record<string, Check>, what: string, example: string): Check {
  const entry = checkObject(rules, what, example);
  return (value, path, report) => {
    if (!isPlainObject(value)) {
      report.error(path, `must be an object keyed by ${what} name, got ${describeValue(value)}`, `write { name: ${example} }`);
      return;
    }
    for (const [name, settings] of Object.entries(value)) entry(settings, [...path, name], report);
  };
}

const checkRuntime: Check = (value, path, report) => {
  checkOneOf(RUNTIMES, 'nodejs22.x is the default')(value, path, report);
  const replacement = typeof value === 'string' && Object.hasOwn(DEPRECATED_RUNTIMES, value) ? DEPRECATED_RUNTIMES[value as Runtime] : undefined;
  if (replacement) {
    report.warn(path, `AWS has deprecated ${String(value)}; use ${replacement}`, `set runtime: '${replacement}', or leave it out (${replacement} is the default)`);
  }
};

const checkSizeBudget: Check = (value, path, report) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    report.error(path, `must be a positive number of KB, got ${describeValue(value)}`, 'the zip size above which the build warns, e.g. 5120 (5 MB)');
  }
};

const FUNCTION_RULES: Record<string, Check> = {
  memory: checkInteger(MEMORY, 'MB', `Lambda memory is ${MEMORY.min} to ${MEMORY.max} MB; the default is 1024`),
  timeout: checkInteger(TIMEOUT, 'seconds', `Lambda stops a function after at most ${TIMEOUT.max} seconds (15 minutes); the default is 10`),
  env: checkEnv,
  iam: checkIam,
  description: checkDescription,
  // Checked against the declared resources by checkResourcesAndLinks.
  link: () => {},
  reservedConcurrency: checkReservedConcurrency,
  provisionedConcurrency: checkProvisionedConcurrency,
};
const FUNCTION_EXAMPLE = '{ memory: 512, timeout: 30 }';

const CONTROLLER_RULES: Record<string, Check> = {
  ...FUNCTION_RULES,
  actions: checkRecordOf(FUNCTION_RULES, 'action', FUNCTION_EXAMPLE),
};

const BUILD_RULES: Record<string, Check> = {
  sizeBudgetKB: checkSizeBudget,
  minify: checkBoolean,
  sourcemap: checkBoolean,
  keepNames: checkBoolean,
  splitting: checkBoolean,
  external: checkStringList("list package names, e.g. external: ['sharp']"),
  typecheck: checkBoolean,
};

const APP_RULES: Record<string, Check> = {
  region: checkRegion,
  runtime: checkRuntime,
  memory: FUNCTION_RULES.memory!,
  timeout: FUNCTION_RULES.timeout!,
  architecture: checkOneOf(ARCHITECTURES, 'arm64 (Graviton) is the default and cheaper; x86_64 suits native modules built for Intel'),
  layout: checkOneOf(LAYOUTS, 'controller: one Lambda per controller (default); action: one per action; single: one for the whole app'),
  stacks: checkOneOf(STACKS, 'auto: nested stacks once the app outgrows one template (default); nested: from the first deploy, for an app that will grow past 500 resources'),
  iamRoles: checkOneOf(IAM_ROLES, 'function: one IAM role per Lambda (default); controller: one per controller; app: one for the whole app'),
  env: checkEnv,
  iam: checkIam,
  cors: checkCors,
  binaryMediaTypes: checkBinaryMediaTypes,
  logRetentionDays: checkLogRetention,
  tags: checkTags,
  controllers: checkRecordOf(CONTROLLER_RULES, 'controller', FUNCTION_EXAMPLE),
  jobs: checkRecordOf(FUNCTION_RULES, 'job', FUNCTION_EXAMPLE),
  functions: checkRecordOf(FUNCTION_RULES, 'function', FUNCTION_EXAMPLE),
  build: checkObject(BUILD_RULES, 'build', '{ sizeBudgetKB: 5120 }'),
  link: FUNCTION_RULES.link!,
  removal: checkRemoval,
  api: checkApi,
  tracing: checkBoolean,
  reservedConcurrency: checkReservedConcurrency,
  provisionedConcurrency: checkProvisionedConcurrency,
  domain: checkDomain,
  auth: checkAuth,
  authorizers: checkAuthorizers,
  usagePlans: checkUsagePlans,
};

const STAGE_ONLY_AT_TOP: Record<string, string> = {
  name: "the app's name is the same in every stage (stacks are named <name>-<stage> already)",
  stages: 'stages cannot be nested: declare every stage under the top-level `stages`',
  resources: 'resources are declared once for every stage (each stage deploys its own copy): declare them under the top-level `resources`, and set per-stage `removal` if needed',
};

function checkName(value: unknown, report: ConfigReport): void {
  const slug = typeof value === 'string' ? value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '') : '';
  const rule = 'lowercase letters, digits and hyphens, starting with a letter';
  if (value === undefined) report.error(['name'], 'is required', `add name: 'my-app' (${rule})`);
  else if (typeof value !== 'string' || !APP_NAME.test(value)) {
    report.error(['name'], `must be ${rule}, got ${describeValue(value)}`, slug ? `try name: '${slug.slice(0, APP_NAME_MAX)}'` : `write name: 'my-app'`);
  } else if (value.length > APP_NAME_MAX) {
    report.error(['name'], `must be at most ${APP_NAME_MAX} characters, got ${value.length}`, 'the name prefixes stack and function names, which AWS limits in length');
  }
}

function checkAppSettings(value: Record<string, unknown>, path: KeyPath, report: ConfigReport): void {
  for (const [key, rule] of Object.entries(APP_RULES)) {
    if (value[key] !== undefined) rule(value[key], [...path, key], report);
  }
}

function checkStages(value: unknown, top: Record<string, unknown>, topReported: ReadonlySet<string>, authReported: ReadonlySet<string>, report: ConfigReport): void {
  const topCors = top.cors;
  const topDomain = top.domain;
  if (!isPlainObject(value)) {
    report.error(['stages'], `must be an object keyed by stage name, got ${describeValue(value)}`, 'write stages: { prod: { memory: 2048 } }');
    return;
  }
  for (const [stage, settings] of Object.entries(value)) {
    const path = ['stages', stage];
    const nameProblem = checkStageName(stage);
    if (nameProblem) report.error(path, nameProblem.text, nameProblem.hint ?? '');
    if (!isPlainObject(settings)) {
      report.error(path, `must be an object of overrides, got ${describeValue(settings)}`, 'write { memory: 2048 }');
      continue;
    }
    const known = Object.keys(APP_RULES);
    const topOnly = (key: string) => Object.hasOwn(STAGE_ONLY_AT_TOP, key);
    const rest = Object.fromEntries(Object.entries(settings).filter(([key]) => !topOnly(key)));
    for (const [key, setting] of Object.entries(settings)) {
      if (topOnly(key) && setting !== undefined) {
        report.error([...path, key], `a stage cannot set \`${key}\``, STAGE_ONLY_AT_TOP[key]!);
      }
    }
    report.unknownKeys(rest, known, path, 'stage');
    checkAppSettings(settings, path, report);
    // A stage's domain merges over the app's (mergeSettings): check the whole it makes.
    if (isPlainObject(settings.domain)) {
      checkDomainComplete(mergeSettings(isPlainObject(topDomain) ? topDomain : {}, settings.domain), [...path, 'domain'], report);
    }
    // A stage may add credentials to the app's origins, or the reverse: check the pair they make.
    if (isPlainObject(settings.cors)) {
      checkCorsCredentials({ ...(isPlainObject(topCors) ? topCors : {}), ...settings.cors }, [...path, 'cors'], report);
    }
    // The same for pairs a stage may complete or break: a burst and its rate, provisioned and reserved concurrency.
    const merged = applyStageSettings(top, settings);
    if (isPlainObject(settings.api) && isPlainObject(settings.api.throttle) && isPlainObject(merged.api)) {
      checkThrottlePair(merged.api.throttle, [...path, 'api', 'throttle'], report);
    }
    checkConcurrencyPairs(merged, path, report, topReported);
    // Authorizers and plans merge key by key too: check what the stage ends up with, once.
    checkAuthComplete(merged, path, report, authReported);
  }
}

/** Why a stage name is unusable (it becomes part of stack, function and file names), if it is. */
export function checkStageName(stage: string): Diagnostic | undefined {
  if (STAGE_NAME.test(stage)) return undefined;
  return {
    text: `stage name ${JSON.stringify(stage)} must be letters, digits and hyphens`,
    hint: 'stage names go into stack and function names: use e.g. dev, staging, prod, pr-42',
  };
}

/**
 * Every problem in a config at once, each naming its key path (`stages.prod.memory`) with a hint.
 * Warnings (`level: 'warning'`) do not make the config invalid.
 */
export function validateUserConfig(value: unknown, file?: string): ConfigDiagnostic[] {
  const report = new ConfigReport(file);
  if (!isPlainObject(value)) {
    report.error([], `must be a config object, got ${describeValue(value)}`, "write export default defineConfig({ name: 'my-app' })");
    return report.diagnostics;
  }
  checkName(value.name, report);
  report.unknownKeys(value, ['name', 'stages', ...Object.keys(APP_RULES), 'resources'], [], 'config');
  checkAppSettings(value, [], report);
  checkResourcesAndLinks(value, report);
  checkCorsCredentials(value.cors, ['cors'], report);
  checkDomainComplete(value.domain, ['domain'], report);
  if (isPlainObject(value.api)) checkThrottlePair(value.api.throttle, ['api', 'throttle'], report);
  const concurrency = checkConcurrencyPairs(value, [], report);
  const auth = checkAuthComplete(value, [], report);
  if (value.stages !== undefined) checkStages(value.stages, value, concurrency, auth, report);
  checkHttpApiSettings(value, report);
  return report.diagnostics;
}
