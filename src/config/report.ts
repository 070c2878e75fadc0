// Collects config problems as diagnostics, each naming its key path, so one run reports them all.
import type { Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';

/** A diagnostic about one key of the config; `path` is how the message names it. */
export interface ConfigDiagnostic extends Diagnostic {
  path: string;
}

export type KeyPath = ReadonlyArray<string | number>;

/** `stages.prod.memory`, `iam[0].Action`, `controllers["admin/users"].timeout`. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || 'default export';
}

/** A short rendering of a value for "got …" (never the whole of a big object). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

export class ConfigReport {
  readonly diagnostics: ConfigDiagnostic[] = [];

  constructor(private readonly file?: string) {}

  error(path: KeyPath, text: string, hint: string): void {
    this.add(path, text, hint, 'error');
  }

  warn(path: KeyPath, text: string, hint: string): void {
    this.add(path, text, hint, 'warning');
  }

  /** Reports every key of `value` that is not in `known`, suggesting the nearest known key. */
  unknownKeys(value: Record<string, unknown>, known: readonly string[], path: KeyPath, what: string): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const near = closestMatch(key, known);
      const hint = near ? `did you mean \`${near}\`?` : `known ${what} keys: ${known.join(', ')}`;
      this.error([...path, key], `unknown ${what} key`, hint);
    }
  }

  private add(path: KeyPath, text: string, hint: string, level: 'error' | 'warning'): void {
    const name = formatKeyPath(path);
    const diagnostic: ConfigDiagnostic = { path: name, text: `${name}: ${text}`, hint, level };
    if (this.file) diagnostic.file = this.file;
    this.diagnostics.push(diagnostic);
  }
}
