import type { ConfigInput } from './types.js';

export { table, bucket, queue, topic, cloudformation } from './resources.js';
export { cognito } from './authorizers.js';

/** Types an app's sls-ts.config.ts: `export default defineConfig({ name: 'blog', … })`. */
export function defineConfig<T extends ConfigInput>(config: T): T {
  return config;
}

export type * from './types.js';
