import { fitName } from '../shared/names.js';

/** Lambda's limit on a function name. */
export const FUNCTION_NAME_LIMIT = 64;

/**
 * `<app>-<stage>-<key>`, or — when that is too long for AWS — its first characters plus a hash of
 * the whole name, so the result is stable across builds and never fails a deploy.
 */
export function functionName(app: string, stage: string, key: string, limit = FUNCTION_NAME_LIMIT): string {
  return fitName(`${app}-${stage}-${key}`, limit);
}

/** A key usable in file names and function names: `admin/users` → `admin-users`. */
export function keyOf(...parts: string[]): string {
  return parts.join('-').replace(/\//g, '-');
}
