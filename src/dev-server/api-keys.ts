// API keys and usage plans under `sls-ts server`: each key a deterministic local value (API Gateway
// picks real ones at deploy time, which `sls-ts status` prints), and each plan's throttle and quota
// metered per key, as API Gateway meters them.
import type { LocalApiKey } from '../local/api-keys.js';

// The local key values moved to local/ so that sls-ts/testing gives out the same ones.
export { defaultLocalApiKey, localApiKeyEnvName, localApiKeys, type LocalApiKey } from '../local/api-keys.js';
// The meter moved to runtime/emulation so that sls-ts/testing meters keys as the dev server does.
export { createUsageMeter, limitExceeded, tooManyRequests, type UsageMeter } from '../runtime/emulation/index.js';

/** One line per key for the dev server's banner: `acme (plan free): local-acme-key-00000`. */
export function describeLocalApiKeys(keys: ReadonlyMap<string, LocalApiKey>): string[] {
  return [...keys].map(([value, entry]) => `${entry.key} (plan ${entry.plan}): ${value}${entry.from === 'env' ? ` (from ${entry.envName})` : ''}`);
}
