// Deterministic JSON: the same input must give byte-identical templates, so change sets stay
// empty and uploads are skipped when nothing changed.
import { createHash } from 'node:crypto';
import type { Template } from './types.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted at every level: for hashing, where key order must not matter. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const record = item as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
  });
}

/** Compact JSON: what gets uploaded, and what CloudFormation's 1 MB limit is measured on. */
export function serializeTemplate(template: Template): string {
  return JSON.stringify(template);
}

/** The bucket key of a template body: content-addressed, so an unchanged child is never re-uploaded. */
export function templateKey(body: string): string {
  return `templates/${sha256Hex(body)}.json`;
}

/** A record whose keys are in sorted order, whatever order the entries came in. */
export function sortedRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
