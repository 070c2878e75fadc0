// How a stage's overrides combine with the app's settings.
import { isPlainObject } from '../shared/objects.js';

// IAM statements add up: a stage grants more on top of what the app grants, never silently less.
const CONCATENATED = new Set(['iam']);

function mergeValue(key: string, base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (CONCATENATED.has(key) && Array.isArray(base) && Array.isArray(override)) return [...base, ...override];
  if (isPlainObject(base) && isPlainObject(override)) return mergeObjects(base, override);
  return override;
}

function mergeObjects(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeValue(key, base[key], value);
  return out;
}

/**
 * Objects merge key by key all the way down (env, tags, controllers, jobs, functions, build);
 * arrays and other values replace, except `iam` at any depth, which is the base's statements then
 * the override's. `undefined` in the override leaves the base value. Neither input is mutated.
 */
export function mergeSettings<T extends object>(base: T, override: Partial<T> | undefined): T {
  if (!override) return { ...base };
  return mergeObjects(base as Record<string, unknown>, override as Record<string, unknown>) as T;
}

/** A stage's overrides over the app's settings, as untyped data (for checks before the config is known to be valid). */
export function applyStageSettings(app: Record<string, unknown>, stage: Record<string, unknown>): Record<string, unknown> {
  return mergeObjects(app, stage);
}
