import { createHash } from 'node:crypto';
import { zipSync, type ZipOptions } from 'fflate';

export interface ZipEntry {
  path: string;
  data: Uint8Array;
}

// fflate (pure JavaScript) rather than node:zlib: Node bundles Chromium's zlib fork, whose match
// finder depends on the CPU's features and whose output has changed between Node releases, so
// the same files could zip to different bytes (and hashes) on another machine.
// fflate writes the DOS timestamp from *local* date parts, so a date built from local parts
// gives the same bytes in every time zone. 1980-01-01 is the earliest DOS date.
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);
// Unix "regular file, rw-r--r--": Lambda extracts the zip and must be able to read every file.
const FILE_OPTIONS: ZipOptions = { level: 9, mtime: FIXED_TIME, os: 3, attrs: (0o100644 << 16) >>> 0 };

// Part of the code hash, so zips written by another version of these options are not reused.
const ZIP_FORMAT = 'fflate-9-1980-0644';

/** sha256 of a zip's would-be contents (sorted paths and bytes) — cheaper than zipping them. */
export function codeHash(entries: readonly ZipEntry[]): string {
  const hash = createHash('sha256').update(ZIP_FORMAT);
  for (const entry of sortByPath(entries)) hash.update(`\0${entry.path}\0${entry.data.length}\0`).update(entry.data);
  return hash.digest('hex');
}

function sortByPath(entries: readonly ZipEntry[]): ZipEntry[] {
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Deterministic zip: entries sorted by path, fixed timestamps and modes — same input, same bytes. */
export function createZip(entries: readonly ZipEntry[]): { bytes: Uint8Array; sha256: string; unzippedBytes: number } {
  const sorted = sortByPath(entries);
  const files: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const entry of sorted) files[entry.path] = [entry.data, FILE_OPTIONS];
  const bytes = zipSync(files);
  return {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    unzippedBytes: sorted.reduce((total, entry) => total + entry.data.length, 0),
  };
}
