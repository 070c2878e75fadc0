// AWS names with a length limit: a readable name when it fits, otherwise its first characters
// plus a hash of the whole, so the result is stable across builds and a deploy never fails on it.
import { createHash } from 'node:crypto';

/** `name` (characters outside `[A-Za-z0-9_-]` turned into `-`), at most `limit` characters. */
export function fitName(name: string, limit: number): string {
  const full = name.replace(/[^A-Za-z0-9_-]/g, '-');
  if (full.length <= limit) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, limit - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
