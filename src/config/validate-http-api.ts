// What `api: 'http'` changes in what the config may say. An HTTP API (API Gateway v2) has fewer
// features than a REST API: settings it has no place for are refused when keeping them would break
// a promise (API keys), and warned about when the app works the same without them. Sources, as in
// the fidelity reference: doc "Choose between REST APIs and HTTP APIs" (no API keys, usage plans or
// X-Ray on HTTP APIs); reference item 40 (no binaryMediaTypes setting on HTTP APIs); doc
// CloudFormation AWS::ApiGatewayV2::Authorizer JWTConfiguration (Audience and Issuer required for JWT).
import { isPlainObject } from '../shared/objects.js';
import type { ConfigReport, KeyPath } from './report.js';
import type { ApiType } from './types.js';

/** The type an `api` value asks for, if it says one (`'http'`, `{ type: 'http' }`). */
export function apiTypeOf(api: unknown): ApiType | undefined {
  if (api === 'rest' || api === 'http') return api;
  if (isPlainObject(api) && (api.type === 'rest' || api.type === 'http')) return api.type;
  return undefined;
}

type Settings = Record<string, unknown>;

/** One problem: where it is written (the stage's own value, else the app's), and what to say. */
interface Rule {
  key: string;
  level: 'error' | 'warning';
  applies: (value: unknown) => boolean;
  text: string;
  hint: string;
}

const RULES: Rule[] = [
  {
    key: 'binaryMediaTypes',
    level: 'warning',
    applies: (value) => Array.isArray(value) && value.length > 0,
    text: "has no effect with api: 'http': an HTTP API base64-encodes every request body that is not text and decodes every isBase64Encoded response itself",
    hint: "remove binaryMediaTypes, or keep api: 'rest'",
  },
  {
    key: 'tracing',
    level: 'warning',
    applies: (value) => value === true,
    text: "traces the functions only with api: 'http': HTTP APIs do not support X-Ray tracing",
    hint: "keep api: 'rest' to trace requests through API Gateway too",
  },
  {
    key: 'usagePlans',
    level: 'error',
    applies: (value) => isPlainObject(value) && Object.keys(value).length > 0,
    text: "cannot be used with api: 'http': HTTP APIs have no API keys or usage plans",
    hint: "keep api: 'rest' for API keys, or throttle the whole stage with api: { type: 'http', throttle: { rate, burst } }",
  },
];

/** One Cognito authorizer as the stage ends up with it, reported at `path` (where it is written). */
function checkAuthorizer(authorizer: Settings, path: KeyPath, report: ConfigReport): void {
  const audience = authorizer.audience;
  if (audience === undefined) {
    report.error([...path, 'audience'], "is required with api: 'http': an HTTP API checks Cognito tokens with a JWT authorizer, which accepts only tokens for the app clients it lists", "list the user pool's app client ids, e.g. audience: ['1example23456789']");
  } else if (!Array.isArray(audience) || audience.length === 0 || !audience.every((id) => typeof id === 'string' && id !== '')) {
    report.error([...path, 'audience'], 'must be a non-empty list of app client ids', "e.g. audience: ['1example23456789']");
  }
  if (Array.isArray(authorizer.userPoolArns) && authorizer.userPoolArns.length > 1) {
    report.error([...path, 'userPoolArns'], `lists ${authorizer.userPoolArns.length} user pools, but an HTTP API's JWT authorizer trusts one issuer (one user pool)`, 'declare one authorizer per user pool and attach the one each route needs');
  }
}

/**
 * Checks the app (path []) and each stage as it ends up (the stage's settings over the app's)
 * when its API is an HTTP API. A value is reported where it is written, once.
 */
export function checkHttpApiSettings(top: Settings, report: ConfigReport): void {
  const reported = new Set<string>();
  const once = (path: KeyPath) => {
    const key = path.join('\u0000');
    if (reported.has(key)) return false;
    reported.add(key);
    return true;
  };
  const check = (merged: Settings, own: Settings, stagePath: KeyPath) => {
    for (const rule of RULES) {
      if (!rule.applies(merged[rule.key])) continue;
      const path = own[rule.key] !== undefined ? [...stagePath, rule.key] : [rule.key];
      if (!once(path)) continue;
      const where = path.length === 1 && stagePath.length > 0 ? ` (stage ${String(stagePath[1])} uses an HTTP API)` : '';
      report[rule.level === 'error' ? 'error' : 'warn'](path, `${rule.text}${where}`, rule.hint);
    }
    // Authorizers merge by name: each is checked whole, reported where it is declared.
    const topAuthorizers = isPlainObject(top.authorizers) ? top.authorizers : {};
    const ownAuthorizers = stagePath.length > 0 && isPlainObject(own.authorizers) ? own.authorizers : {};
    for (const name of new Set([...Object.keys(topAuthorizers), ...Object.keys(ownAuthorizers)])) {
      const base = topAuthorizers[name];
      const mine = ownAuthorizers[name];
      const authorizer = { ...(isPlainObject(base) ? base : {}), ...(isPlainObject(mine) ? mine : {}) };
      if (authorizer.type !== 'cognito') continue;
      const path = mine !== undefined ? [...stagePath, 'authorizers', name] : ['authorizers', name];
      if (once(path)) checkAuthorizer(authorizer, path, report);
    }
  };
  const topType = apiTypeOf(top.api) ?? 'rest';
  if (topType === 'http') check(top, top, []);
  const stages = isPlainObject(top.stages) ? top.stages : {};
  for (const [stage, settings] of Object.entries(stages)) {
    if (!isPlainObject(settings)) continue;
    if ((apiTypeOf(settings.api) ?? topType) !== 'http') continue;
    const merged: Settings = { ...top };
    for (const [key, value] of Object.entries(settings)) if (value !== undefined) merged[key] = value;
    check(merged, settings, ['stages', stage]);
  }
}
