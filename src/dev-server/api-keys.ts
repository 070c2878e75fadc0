// Placeholder until the usage plans' local keys land (h-keys).
import type { ResolvedConfig } from '../config/types.js';
import type { EmulatedApiKey } from '../runtime/emulation/index.js';

export function localApiKeys(config: ResolvedConfig): EmulatedApiKey[] {
  return config.usagePlans.flatMap((plan) => plan.keys.map((name) => ({ id: name, value: `local-${name}-api-key-0000` })));
}
