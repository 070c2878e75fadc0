// Checks for the API stage's settings (access logs, throttling, metrics), tracing and function
// concurrency. Pairs of values (burst needs a rate, provisioned fits in reserved) are checked where
// they meet: a stage may set one half and inherit the other from the app.
import { isPlainObject } from '../shared/objects.js';
import { describeValue, type ConfigReport, type KeyPath } from './report.js';
import { checkBoolean, checkLogRetention, type Check } from './validate-values.js';

/** A count of executions or requests: a whole number, 0 or more. */
function checkCount(hint: string): Check {
  return (value, path, report) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      report.error(path, `must be a whole number of 0 or more, got ${describeValue(value)}`, hint);
    }
  };
}

export const checkReservedConcurrency = checkCount('the concurrent executions reserved for the function, e.g. reservedConcurrency: 50 (0 stops it from running)');
export const checkProvisionedConcurrency = checkCount('execution environments kept warm on the `live` alias, e.g. provisionedConcurrency: 5 (0 for none)');

// API Gateway rejects a format without one of them (UpdateStage: "Access Log format must contain $context.requestId").
const REQUEST_ID = /\$context\.(requestId|extendedRequestId)\b/;

const checkAccessLogFormat: Check = (value, path, report) => {
  if (typeof value !== 'string' || value.trim() === '') {
    report.error(path, `must be a non-empty string, got ${describeValue(value)}`, "API Gateway's $context variables, e.g. format: '{\"requestId\":\"$context.requestId\",\"status\":\"$context.status\"}'");
  } else if (!REQUEST_ID.test(value)) {
    report.error(path, 'must include $context.requestId or $context.extendedRequestId', 'API Gateway refuses an access log format without a request id');
  }
};

const checkAccessLogs: Check = (value, path, report) => {
  if (typeof value === 'boolean') return;
  if (!isPlainObject(value)) {
    report.error(path, `must be true, false or an object, got ${describeValue(value)}`, 'write accessLogs: true, or accessLogs: { retentionDays: 90 }');
    return;
  }
  report.unknownKeys(value, ['retentionDays', 'format'], path, 'accessLogs');
  if (value.retentionDays !== undefined) checkLogRetention(value.retentionDays, [...path, 'retentionDays'], report);
  if (value.format !== undefined) checkAccessLogFormat(value.format, [...path, 'format'], report);
};

/** A `throttle` object (the stage's, or a usage plan's per key); `hints` say what each part means there. */
export function checkThrottleOf(hints: { example: string; rate: string; burst: string }): Check {
  const checkBurst = checkCount(hints.burst);
  return (value, path, report) => {
    if (!isPlainObject(value)) {
      report.error(path, `must be an object, got ${describeValue(value)}`, hints.example);
      return;
    }
    report.unknownKeys(value, ['rate', 'burst'], path, 'throttle');
    // API Gateway's rate is a double (0.5 is one request every 2 seconds); its burst is a whole number.
    if (value.rate !== undefined && (typeof value.rate !== 'number' || !Number.isFinite(value.rate) || value.rate < 0)) {
      report.error([...path, 'rate'], `must be a number of requests per second, 0 or more, got ${describeValue(value.rate)}`, hints.rate);
    }
    if (value.burst !== undefined) checkBurst(value.burst, [...path, 'burst'], report);
  };
}

const checkThrottle = checkThrottleOf({
  example: 'write throttle: { rate: 100, burst: 200 }',
  rate: 'the steady rate for the whole stage, e.g. rate: 100',
  burst: 'the requests allowed at once above the rate, e.g. burst: 200',
});

const API_TYPES = ['rest', 'http'];
const API_TYPE_HINT = "'rest' (default: API Gateway v1) or 'http' (API Gateway v2, payload 2.0)";

export const checkApi: Check = (value, path, report) => {
  if (typeof value === 'string') {
    if (!API_TYPES.includes(value)) report.error(path, `must be 'rest', 'http' or an object, got ${describeValue(value)}`, `the API's type is ${API_TYPE_HINT}`);
    return;
  }
  if (!isPlainObject(value)) {
    report.error(path, `must be 'rest', 'http' or an object, got ${describeValue(value)}`, "write api: 'http', or api: { accessLogs: true, throttle: { rate: 100, burst: 200 }, metrics: true }");
    return;
  }
  report.unknownKeys(value, ['type', 'accessLogs', 'throttle', 'metrics'], path, 'api');
  if (value.type !== undefined && (typeof value.type !== 'string' || !API_TYPES.includes(value.type))) {
    report.error([...path, 'type'], `must be 'rest' or 'http', got ${describeValue(value.type)}`, `the API's type is ${API_TYPE_HINT}`);
  }
  if (value.accessLogs !== undefined) checkAccessLogs(value.accessLogs, [...path, 'accessLogs'], report);
  if (value.throttle !== undefined) checkThrottle(value.throttle, [...path, 'throttle'], report);
  if (value.metrics !== undefined) checkBoolean(value.metrics, [...path, 'metrics'], report);
};

/** `throttle` as it ends up (a stage's merged over the app's): a burst needs a rate. */
export function checkThrottlePair(throttle: unknown, path: KeyPath, report: ConfigReport): void {
  if (!isPlainObject(throttle) || throttle.burst === undefined || throttle.rate !== undefined) return;
  report.error([...path, 'rate'], 'is required when burst is set', 'a burst is tokens above a steady rate: add rate, e.g. throttle: { rate: 100, burst: 200 }');
}

interface Concurrency {
  reserved?: unknown;
  provisioned?: unknown;
}

function layer(settings: unknown, base: Concurrency): Concurrency {
  if (!isPlainObject(settings)) return base;
  return {
    reserved: settings.reservedConcurrency ?? base.reserved,
    provisioned: settings.provisionedConcurrency ?? base.provisioned,
  };
}

/**
 * Every function's concurrency as its layers add up (app < controller < action, app < job,
 * app < function): provisioned environments come out of the reserved ones, so they must fit.
 * Returns the paths it reported, so a stage does not repeat what the app already got wrong.
 */
export function checkConcurrencyPairs(settings: Record<string, unknown>, path: KeyPath, report: ConfigReport, skip: ReadonlySet<string> = new Set()): Set<string> {
  const reported = new Set<string>();
  const check = (at: KeyPath, value: Concurrency) => {
    if (typeof value.reserved !== 'number' || typeof value.provisioned !== 'number' || value.provisioned <= value.reserved) return;
    const key = at.join('\u0000');
    if (skip.has(key)) return;
    reported.add(key);
    report.error([...path, ...at, 'provisionedConcurrency'], `(${value.provisioned}) must not exceed reservedConcurrency (${value.reserved})`, 'provisioned environments count against the reserved ones: raise reservedConcurrency or lower provisionedConcurrency');
  };
  const app = layer(settings, {});
  check([], app);
  const groups: Array<[string, boolean]> = [['controllers', true], ['jobs', false], ['functions', false]];
  for (const [group, hasActions] of groups) {
    const entries = settings[group];
    if (!isPlainObject(entries)) continue;
    for (const [name, own] of Object.entries(entries)) {
      const mine = layer(own, app);
      check([group, name], mine);
      const actions = hasActions && isPlainObject(own) ? own.actions : undefined;
      if (!isPlainObject(actions)) continue;
      for (const [action, settingsOfAction] of Object.entries(actions)) check([group, name, 'actions', action], layer(settingsOfAction, mine));
    }
  }
  return reported;
}
