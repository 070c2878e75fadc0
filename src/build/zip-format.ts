// The zip container, written and read back: PKWARE APPNOTE 6.3, sections 4.3.7, 4.3.12 and
// 4.3.16. Only what sls-ts's zips need — deflated files, no extra fields, no zip64 (Lambda's
// 250 MB limit is far below 4 GB) — so that it stays small enough to read at a glance. Written
// here rather than by fflate because its zip writers cannot take data compressed beforehand (a
// file the previous build already compressed) without switching to data descriptors, which some
// unzippers, Java's ZipInputStream among them, handle badly.

/** A file's deflated bytes and the CRC-32 of its contents, which the zip headers carry. */
export interface Deflated {
  crc: number;
  data: Uint8Array;
}

// Local headers carry the sizes and CRC (no data descriptors, which some streaming unzippers
// reject). 1980-01-01 00:00 is the earliest DOS date — (0 << 9) | (1 << 5) | 1 — and the same in
// every time zone. Files are Unix "regular, rw-r--r--" so Lambda can read them all.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const VERSION = 20;
const MADE_BY_UNIX = (3 << 8) | VERSION;
const FILE_MODE = 0o100644;
const DEFLATE = 8;
const UTF8_NAMES = 1 << 11;

export interface ArchiveFile extends Deflated {
  path: string;
  size: number;
}

/** The files of a zip writeArchive made (compressed data as stored); nothing from a zip it cannot read. */
export function readArchive(zip: Uint8Array): ArchiveFile[] {
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

export function writeArchive(files: readonly ArchiveFile[]): Uint8Array {
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
