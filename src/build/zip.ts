// Deterministic zips of function code: same files, same bytes, on any machine.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync, inflateSync } from 'fflate';
import { readArchive, writeArchive, type ArchiveFile, type Deflated } from './zip-format.js';

export interface ZipEntry {
  path: string;
  data: Uint8Array;
}

export interface Zipped {
  bytes: Uint8Array;
  sha256: string;
  unzippedBytes: number;
}

// Deflate by fflate (pure JavaScript) rather than node:zlib: Node bundles Chromium's zlib fork,
// whose match finder depends on the CPU's features and whose output has changed between Node
// releases, so the same files could zip to different bytes (and hashes) on another machine.
const LEVEL = 9;
// Part of the code hash, so that zips (and compressed files in them) made another way — another
// layout, another level, another fflate, whose deflate may choose other bytes — are not reused.
// Read on first use, not when the CLI starts: most commands never zip.
let zipFormat: string | undefined;

function format(): string {
  if (zipFormat === undefined) {
    // fflate exports no package.json; its entry sits one folder below it.
    const entry = createRequire(import.meta.url).resolve('fflate');
    const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
    zipFormat = `deflate-${LEVEL}-1980-0644-v2-fflate@${version}`;
  }
  return zipFormat;
}

/**
 * Packs the functions of one build. Bundles split into chunks share files (every controller
 * carries the same runtime chunk), and each distinct file is hashed and compressed once, however
 * many zips hold it: compressing is most of the build's time after bundling. Files already
 * compressed in the previous build's zips are taken from there (see `remember`).
 */
export class ZipPacker {
  readonly #digests = new WeakMap<Uint8Array, string>();
  readonly #deflated = new Map<string, Deflated>();
  readonly #remembered = new Map<string, ArchiveFile[]>();

  /**
   * Offers the compressed files of a zip this format made (the caller knows: its code hash
   * matched) for reuse: a file of the same name and bytes is copied instead of compressed again —
   * after one controller changed, its zip needs the shared runtime chunk the other zips hold.
   * Deflate is deterministic, so the copy is the bytes compressing would give.
   */
  remember(zip: Uint8Array): void {
    for (const file of readArchive(zip)) this.#remembered.set(file.path, [...(this.#remembered.get(file.path) ?? []), file]);
  }

  /** sha256 of a zip's would-be contents (sorted paths and file hashes) — cheaper than zipping them. */
  codeHash(entries: readonly ZipEntry[]): string {
    const hash = createHash('sha256').update(format());
    for (const entry of sortByPath(entries)) hash.update(`\0${entry.path}\0${entry.data.length}\0${this.#digest(entry.data)}`);
    return hash.digest('hex');
  }

  /** Deterministic zip: entries sorted by path, fixed timestamps and modes — same input, same bytes. */
  zip(entries: readonly ZipEntry[]): Zipped {
    const sorted = sortByPath(entries);
    const bytes = writeArchive(sorted.map((entry) => ({ path: entry.path, size: entry.data.length, ...this.#deflate(entry) })));
    return {
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      unzippedBytes: sorted.reduce((total, entry) => total + entry.data.length, 0),
    };
  }

  #digest(data: Uint8Array): string {
    let digest = this.#digests.get(data);
    if (digest === undefined) this.#digests.set(data, (digest = createHash('sha256').update(data).digest('hex')));
    return digest;
  }

  #deflate({ path, data }: ZipEntry): Deflated {
    const digest = this.#digest(data);
    let deflated = this.#deflated.get(digest);
    if (!deflated) this.#deflated.set(digest, (deflated = this.#archived(path, data) ?? deflate(data)));
    return deflated;
  }

  /** The remembered compressed copy of exactly these bytes under this name, if any (inflating to check is ~10× cheaper than deflating). */
  #archived(path: string, data: Uint8Array): Deflated | undefined {
    return this.#remembered.get(path)?.find((file) => file.size === data.length && inflatesTo(file.data, data));
  }
}

function inflatesTo(compressed: Uint8Array, expected: Uint8Array): boolean {
  try {
    return Buffer.from(inflateSync(compressed, { out: new Uint8Array(expected.length) })).equals(expected);
  } catch {
    return false; // Not deflate data after all: compress afresh.
  }
}

/** One deterministic zip; see ZipPacker. */
export function createZip(entries: readonly ZipEntry[]): Zipped {
  return new ZipPacker().zip(entries);
}

/**
 * Raw deflate plus CRC-32 in one pass: a gzip member (RFC 1952) is exactly that, between a
 * 10-byte header (fflate writes no optional fields) and an 8-byte trailer of CRC-32 and length.
 */
function deflate(data: Uint8Array): Deflated {
  const member = gzipSync(data, { level: LEVEL, mtime: 0 });
  const trailer = member.length - 8;
  return { data: member.subarray(10, trailer), crc: new DataView(member.buffer, member.byteOffset + trailer, 4).getUint32(0, true) };
}

function sortByPath(entries: readonly ZipEntry[]): ZipEntry[] {
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
