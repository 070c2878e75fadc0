// "Would the app still pass `sls-ts routes` after this change?" — asked by generate and destroy
// before they write anything. The app is inspected as it would be: a shadow copy with the change
// applied, under the app's own .sls-ts/ so that its imports resolve from the app's node_modules.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../shared/errors.js';
import { writeFileAtomic } from '../shared/files.js';
import { inspectApp } from './inspect.js';

/** One file of a planned change (paths relative to the root): new contents, or removed. */
export type PlannedFile = { path: string; contents: string } | { path: string; remove: true };

export interface CheckChangeOptions {
  /** The functions' environment (config.env), as the build loads the app's modules under it. */
  env?: Readonly<Record<string, string>>;
}

// Not app code: what is never inspected, or is too big to copy for nothing.
const SKIPPED = new Set(['node_modules', '.git', '.sls-ts', 'public', 'coverage', 'dist']);

/**
 * The errors the route check would report after `changes` that it does not report now (an app
 * already broken elsewhere may still be generated into). Empty when the change is safe.
 */
export async function checkAppChange(root: string, changes: readonly PlannedFile[], options: CheckChangeOptions = {}): Promise<Diagnostic[]> {
  const tmp = join(root, '.sls-ts', 'tmp');
  mkdirSync(tmp, { recursive: true });
  const shadow = mkdtempSync(join(tmp, 'check-'));
  try {
    for (const name of readdirSync(root)) {
      if (!SKIPPED.has(name)) cpSync(join(root, name), join(shadow, name), { recursive: true });
    }
    for (const change of changes) {
      const file = join(shadow, change.path);
      if ('remove' in change) rmSync(file, { force: true });
      else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileAtomic(file, change.contents);
      }
    }
    const env = options.env ?? {};
    // One after the other: each sets the env in process.env while it runs.
    const now = await inspectApp(root, { env, cache: true });
    const after = await inspectApp(shadow, { env });
    const known = new Set(errorsOf(now.diagnostics).map(identity));
    const lines = lineMaps(root, changes);
    return errorsOf(after.diagnostics).map((diagnostic) => unshadow(diagnostic, shadow, root, lines)).filter((diagnostic) => !known.has(identity(diagnostic)));
  } finally {
    rmSync(shadow, { recursive: true, force: true });
  }
}

function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => (diagnostic.level ?? 'error') === 'error');
}

/** A problem's identity across the change: a removed line moves the ones below it. */
function identity(diagnostic: Diagnostic): string {
  return `${diagnostic.text.replace(/(\.[cm]?[jt]s):\d+/g, '$1')}\n${diagnostic.hint ?? ''}`;
}

/**
 * For each changed file whose new contents only drop lines of the current ones (what destroy
 * does to config/routes.ts), its new line numbers → the current ones: the user reads the message
 * against the file as it is, since nothing was written. Other changes (an appended route) leave
 * the lines that exist today where they are, so they need no map.
 */
function lineMaps(root: string, changes: readonly PlannedFile[]): Map<string, number[]> {
  const maps = new Map<string, number[]>();
  for (const change of changes) {
    if ('remove' in change) continue;
    let current: string[];
    try {
      current = readFileSync(join(root, change.path), 'utf8').split('\n');
    } catch {
      continue;
    }
    const next = change.contents.split('\n');
    const map: number[] = [];
    for (let j = 0; map.length < next.length && j < current.length; j++) if (next[map.length] === current[j]) map.push(j + 1);
    if (map.length === next.length) maps.set(change.path, map);
  }
  return maps;
}

/** The diagnostic with the shadow's paths turned back into the app's, and its lines into today's. */
function unshadow(diagnostic: Diagnostic, shadow: string, root: string, lines: ReadonlyMap<string, number[]>): Diagnostic {
  const swap = (text: string) => {
    let swapped = text.split(shadow).join(root);
    for (const [path, map] of lines) {
      swapped = swapped.replace(new RegExp(`(${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}):(\\d+)`, 'g'), (_match, file: string, line: string) => `${file}:${map[Number(line) - 1] ?? line}`);
    }
    return swapped;
  };
  const file = diagnostic.file && swap(diagnostic.file);
  const map = file ? [...lines].find(([path]) => file === join(root, path))?.[1] : undefined;
  return {
    ...diagnostic,
    text: swap(diagnostic.text),
    ...(file && { file }),
    ...(diagnostic.line && map && { line: map[diagnostic.line - 1] ?? diagnostic.line }),
    ...(diagnostic.hint && { hint: swap(diagnostic.hint) }),
  };
}
