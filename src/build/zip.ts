// Deterministic zips of function code: same files, same bytes, on any machine.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync, inflateSync } from 'fflate';

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
const ZIP_FORMAT = `deflate-${LEVEL}-1980-0644-v2-fflate@${fflateVersion()}`;

function fflateVersion(): string {
  // fflate exports no package.json; its entry sits one folder below it.
  const entry = createRequire(import.meta.url).resolve('fflate');
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** A file's deflated bytes and the CRC-32 of its contents, which the zip headers carry. */
interface Deflated {
  crc: number;
  data: Uint8Array;
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
    const hash = createHash('sha256').update(ZIP_FORMAT);
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
 * fflate's zip writers cannot take data compressed beforehand without switching to data
 * descriptors, which some unzippers (Java's ZipInputStream among them) handle badly.
 */
function deflate(data: Uint8Array): Deflated {
  const member = gzipSync(data, { level: LEVEL, mtime: 0 });
  const trailer = member.length - 8;
  return { data: member.subarray(10, trailer), crc: new DataView(member.buffer, member.byteOffset + trailer, 4).getUint32(0, true) };
}

function sortByPath(entries: readonly ZipEntry[]): ZipEntry[] {
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// The zip container (PKWARE APPNOTE 6.3, sections 4.3.7, 4.3.12 and 4.3.16): local headers carry
// the sizes and CRC (no data descriptors), no extra fields, no zip64 (Lambda's 250 MB limit
// is far below 4 GB). 1980-01-01 00:00 is the earliest DOS date — (0 << 9) | (1 << 5) | 1 — and
// the same in every time zone. Files are Unix "regular, rw-r--r--" so Lambda can read them all.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const VERSION = 20;
const MADE_BY_UNIX = (3 << 8) | VERSION;
const FILE_MODE = 0o100644;
const DEFLATE = 8;
const UTF8_NAMES = 1 << 11;

interface ArchiveFile extends Deflated {
  path: string;
  size: number;
}

/** The files of a zip writeArchive made (compressed data as stored); nothing from a zip it cannot read. */
function readArchive(zip: Uint8Array): ArchiveFile[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  if (end < 0 || view.getUint32(end, true) !== 0x06054b50) return [];
  const files: ArchiveFile[] = [];
  let at = view.getUint32(end + 16, true);
  for (let count = view.getUint16(end + 10, true); count > 0; count--) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50 || view.getUint16(at + 10, true) !== DEFLATE) return [];
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const compressed = view.getUint32(at + 20, true);
    if (start + compressed > end) return [];
    files.push({
      path: Buffer.from(zip.buffer, zip.byteOffset + at + 46, nameLength).toString('utf8'),
      crc: view.getUint32(at + 16, true),
      size: view.getUint32(at + 24, true),
      data: zip.subarray(start, start + compressed),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return files;
}

function writeArchive(files: readonly ArchiveFile[]): Uint8Array {
  const names = files.map((file) => Buffer.from(file.path, 'utf8'));
  const localSize = files.reduce((total, file, index) => total + 30 + names[index]!.length + file.data.length, 0);
  const centralSize = names.reduce((total, name) => total + 46 + name.length, 0);
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  let at = 0;
  const u16 = (value: number) => {
    view.setUint16(at, value, true);
    at += 2;
  };
  const u32 = (value: number) => {
    view.setUint32(at, value >>> 0, true);
    at += 4;
  };
  const bytes = (value: Uint8Array) => {
    out.set(value, at);
    at += value.length;
  };
  // The fields local and central headers share, from "version needed" to the name's length.
  const common = (file: ArchiveFile, name: Uint8Array) => {
    u16(VERSION);
    u16(name.length === file.path.length ? 0 : UTF8_NAMES);
    u16(DEFLATE);
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(file.crc);
    u32(file.data.length);
    u32(file.size);
    u16(name.length);
    u16(0); // extra field length
  };

  files.forEach((file, index) => {
    offsets.push(at);
    u32(0x04034b50);
    common(file, names[index]!);
    bytes(names[index]!);
    bytes(file.data);
  });
  const centralStart = at;
  files.forEach((file, index) => {
    u32(0x02014b50);
    u16(MADE_BY_UNIX);
    common(file, names[index]!);
    u16(0); // comment length
    u16(0); // disk number
    u16(0); // internal attributes
    u32(FILE_MODE << 16);
    u32(offsets[index]!);
    bytes(names[index]!);
  });
  u32(0x06054b50);
  u16(0); // this disk
  u16(0); // disk with the central directory
  u16(files.length);
  u16(files.length);
  u32(centralSize);
  u32(centralStart);
  u16(0); // comment length
  return out;
}
