import { createHash } from 'node:crypto';
import { zipSync, type ZipOptions } from 'fflate';

export interface ZipEntry {
  path: string;
  data: Uint8Array;
}

// fflate writes the DOS timestamp from *local* date parts, so a date built from local parts
// gives the same bytes in every time zone. 1980-01-01 is the earliest DOS date.
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);
// Unix "regular file, rw-r--r--": Lambda extracts the zip and must be able to read every file.
const FILE_OPTIONS: ZipOptions = { level: 9, mtime: FIXED_TIME, os: 3, attrs: (0o100644 << 16) >>> 0 };

/** Deterministic zip: entries sorted by path, fixed timestamps and modes — same input, same bytes. */
export function createZip(entries: readonly ZipEntry[]): { bytes: Uint8Array; sha256: string; unzippedBytes: number } {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const entry of sorted) files[entry.path] = [entry.data, FILE_OPTIONS];
  const bytes = zipSync(files);
  return {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    unzippedBytes: sorted.reduce((total, entry) => total + entry.data.length, 0),
  };
}
