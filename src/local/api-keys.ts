// Local values of the usage plans' API keys (API Gateway picks real ones at deploy time, which
// `sls-ts status` prints): one rule for the dev server and sls-ts/testing, which both reach local/.
import type { ResolvedConfig } from '../config/types.js';
import { SlsError } from '../shared/errors.js';

/** A key of a usage plan, as a request's `x-api-key` value finds it. */
export interface LocalApiKey {
  plan: string;
  key: string;
  /** Where the value came from: the environment variable `envName`, or the built-in default. */
  from: 'env' | 'default';
  /** `SLS_TS_API_KEY_<NAME>`: the variable that sets this key's local value. */
  envName: string;
}

// doc: API Gateway Dev Guide, "Usage plans and API keys" — a key's value is "between 20 and 128
// characters". Local values keep to it, so none works locally that API Gateway would refuse.
const VALUE_MIN = 20;
const VALUE_MAX = 128;
// Sent in a header: visible ASCII, no spaces.
const VALUE = /^[\x21-\x7e]+$/;

/** `SLS_TS_API_KEY_<NAME>`: the key's name upper-cased, with `-` as `_` (key names are letters, digits, - and _). */
export function localApiKeyEnvName(key: string): string {
  return `SLS_TS_API_KEY_${key.toUpperCase().replace(/-/g, '_')}`;
}

/** `local-<name>-key`, padded with `-0…` to API Gateway's 20-character minimum: `local-acme-key-00000`. */
export function defaultLocalApiKey(key: string): string {
  const value = `local-${key}-key`;
  return value.length >= VALUE_MIN ? value : `${value}-`.padEnd(VALUE_MIN, '0');
}

/**
 * Every key of every usage plan by its local value: `SLS_TS_API_KEY_<NAME>` from `env` (the app's
 * .env files, e.g. ResolvedConfig.env) when set, else defaultLocalApiKey. Deterministic, so the
 * banner, tests and curl lines keep working across restarts. Throws an SlsError naming the variable
 * for a value API Gateway would refuse, or one shared by two keys.
 */
export function localApiKeys(config: Pick<ResolvedConfig, 'usagePlans'>, env: Readonly<Record<string, string | undefined>>): Map<string, LocalApiKey> {
  const keys = new Map<string, LocalApiKey>();
  for (const plan of config.usagePlans) {
    for (const key of plan.keys) {
      const envName = localApiKeyEnvName(key);
      const given = env[envName];
      const value = given || defaultLocalApiKey(key);
      const from = given ? 'env' : 'default';
      if (from === 'env' && (value.length < VALUE_MIN || value.length > VALUE_MAX || !VALUE.test(value))) {
        throw new SlsError({
          text: `${envName} must be ${VALUE_MIN} to ${VALUE_MAX} visible characters without spaces (got ${value.length} characters)`,
          hint: `API Gateway refuses other API key values: set ${envName} in .env to e.g. ${defaultLocalApiKey(key)}, or unset it for that default`,
        });
      }
      const taken = keys.get(value);
      if (taken) {
        // doc: API Gateway Dev Guide — "API key values must be unique"; two keys sharing one would be one key.
        const where = (entry: LocalApiKey) => (entry.from === 'env' ? entry.envName : 'the default value');
        throw new SlsError({
          text: `API keys ${taken.key} (plan ${taken.plan}) and ${key} (plan ${plan.name}) have the same local value, from ${where(taken)} and ${where({ plan: plan.name, key, from, envName })}`,
          hint: 'give each key its own value: API Gateway treats keys with one value as one key',
        });
      }
      keys.set(value, { plan: plan.name, key, from, envName });
    }
  }
  return keys;
}
