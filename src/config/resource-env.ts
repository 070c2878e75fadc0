// The environment variables that carry a linked resource's physical identifiers to a function.
// One function for every tool: cloudformation/ sets them on deployed functions, local/ on the dev
// server's workers and in tests, and the runtime's `resources` accessor reads them back.

/** Which identifier of a resource a variable holds. */
export type ResourceEnvAttribute = 'name' | 'arn' | 'url';

/** `('posts', 'name')` → `SLS_TS_RESOURCE_POSTS_NAME`; camelCase words are split: `userUploads` → `…_USER_UPLOADS_…`. */
export function resourceEnvName(resource: string, attribute: ResourceEnvAttribute): string {
  const stem = resource.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return `SLS_TS_RESOURCE_${stem}_${attribute.toUpperCase()}`;
}
