// Reading a file that may not exist, and writing one so that no reader ever sees half of it and a
// crash never leaves half of it.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes `contents` to a temp file beside `file` (keeping its mode) and renames it over `file`. */
export function writeFileAtomic(file: string, contents: string): void {
  mkdirSync(dirname(file), { recursive: true });
  // In the same folder, so the rename never crosses file systems.
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = existsSync(file) ? statSync(file).mode : undefined;
  try {
    writeFileSync(temp, contents, mode === undefined ? undefined : { mode });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
