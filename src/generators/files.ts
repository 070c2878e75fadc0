// Writing and removing an app's files: each write is atomic (a temp file renamed over the
// target, so a crash never leaves half a file), and a batch that fails midway is undone.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SlsError } from '../shared/errors.js';
import { readIfExists, writeFileAtomic } from '../shared/files.js';

/** One step of a batch: write `contents` to `path` (relative to the root), or remove it. */
export type FileOp = { path: string; contents: string } | { path: string; remove: true };

/** Removes `dir` and then its parents while they are empty, stopping at `root`. */
function pruneEmptyDirs(dir: string, root: string): void {
  for (let current = dir; current !== root && current.startsWith(root); current = dirname(current)) {
    if (!existsSync(current) || readdirSync(current).length > 0) return;
    rmdirSync(current);
  }
}

/** Applies every op or, when one fails, puts back what the earlier ones changed. */
export function applyFileOps(root: string, ops: readonly FileOp[]): void {
  const done: Array<{ file: string; before: string | undefined }> = [];
  try {
    for (const op of ops) {
      const file = resolve(root, op.path);
      const before = readIfExists(file);
      if ('remove' in op) rmSync(file, { force: true });
      else writeFileAtomic(file, op.contents);
      done.push({ file, before });
    }
  } catch (error) {
    const failed = ops[done.length]?.path ?? '';
    for (const { file, before } of done.reverse()) {
      if (before === undefined) rmSync(file, { force: true });
      else writeFileAtomic(file, before);
    }
    throw new SlsError(
      { text: `could not write ${failed}: ${(error as Error).message}`, hint: 'nothing was changed: fix the problem (permissions? disk space?) and run it again' },
      { cause: error },
    );
  }
  for (const op of ops) if ('remove' in op) pruneEmptyDirs(dirname(resolve(root, op.path)), resolve(root));
}
