// Putting a build's files in place: all of them or none, and no more disk work than the change needs.
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OutputFile {
  name: string;
  data: Uint8Array | string;
  /** Already in the output directory with exactly these bytes (a zip the build reused). */
  unchanged?: boolean;
}

/**
 * Writes into a sibling temp directory, then swaps it in: never a half-written build. Files
 * already there unchanged are hard-linked into the new directory rather than written again, and
 * when every file is as it was the directory is left alone (a rebuild with nothing changed
 * writes nothing).
 */
export function writeOutput(outDir: string, files: readonly OutputFile[]): void {
  if (holdsExactly(outDir, files)) return;
  const temp = `${outDir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  for (const file of files) {
    if (file.unchanged && linked(join(outDir, file.name), join(temp, file.name))) continue;
    writeFileSync(join(temp, file.name), file.data);
  }
  rmSync(outDir, { recursive: true, force: true });
  renameSync(temp, outDir);
}

function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    // Another file system, or links not allowed: write the bytes instead.
    return false;
  }
}

/** True when `dir` has these files and no others, each with these bytes. */
function holdsExactly(dir: string, files: readonly OutputFile[]): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  if (names.length !== files.length || !files.every((file) => names.includes(file.name))) return false;
  return files.every((file) => file.unchanged || sameBytes(join(dir, file.name), file.data));
}

function sameBytes(path: string, data: Uint8Array | string): boolean {
  try {
    return Buffer.from(data).equals(readFileSync(path));
  } catch {
    return false;
  }
}
