// The zip writer: what Lambda and unzip tools read back, and compressed files taken from the
// previous build's zips only when they hold exactly the same bytes.
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createZip, ZipPacker } from '../../../src/build/zip.js';
import { crc32, readCentralDirectory } from './support.js';

const text = (value: string) => new TextEncoder().encode(value);
// Code-like text, varied enough that deflate levels 1 and 9 choose different bytes.
const runtime = text(Array.from({ length: 400 }, (_, i) => `export const v${i} = ${(i * 7919) % 1009} + "${(i * 104729).toString(36)}";\n`).join(''));

/** A zip of `files` whose data is deflated at level 1: other compressed bytes, same contents. */
function zipAtLevelOne(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([path, data]) => [path, [data, { level: 1 }]])));
}

/** The compressed data of a one-file zip (its local header is 30 bytes, the name, the extra field). */
function storedData(zip: Uint8Array): Buffer {
  const bytes = Buffer.from(zip);
  const start = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28);
  return bytes.subarray(start, start + bytes.readUInt32LE(18));
}

describe('zips', () => {
  it('reads back with every file, its CRC-32 and its size in both headers', () => {
    const files = { 'index.mjs': text('export const handler = () => 1;\n'), 'chunk.mjs': runtime, 'empty.mjs': new Uint8Array(0) };
    const zip = createZip(Object.entries(files).map(([path, data]) => ({ path, data })));
    expect(unzipSync(zip.bytes)).toEqual(files);
    for (const entry of readCentralDirectory(zip.bytes)) {
      const data = files[entry.name as keyof typeof files];
      expect(entry.crc).toBe(crc32(data));
      expect(entry.local).toEqual({ flags: 0, crc: entry.crc, compressedSize: entry.compressedSize, size: data.length });
    }
    expect(zip.unzippedBytes).toBe(runtime.length + files['index.mjs'].length);
  });

  it('copies a remembered compressed file of the same name and bytes instead of compressing it again', () => {
    const remembered = zipAtLevelOne({ 'chunk.mjs': runtime });
    const packer = new ZipPacker();
    packer.remember(remembered);
    const zip = packer.zip([{ path: 'chunk.mjs', data: runtime }, { path: 'index.mjs', data: text('import "./chunk.mjs";\n') }]);
    // The level-1 bytes came along: they were copied, not made again.
    const levelOne = storedData(remembered);
    expect(Buffer.from(zip.bytes).indexOf(levelOne)).toBeGreaterThan(0);
    expect(Buffer.from(createZip([{ path: 'chunk.mjs', data: runtime }]).bytes).indexOf(levelOne)).toBe(-1);
    expect(unzipSync(zip.bytes)['chunk.mjs']).toEqual(runtime);
  });

  it('compresses afresh when the remembered file of that name holds other bytes', () => {
    const remembered = zipAtLevelOne({ 'chunk.mjs': runtime });
    const changed = runtime.slice();
    changed[100] = changed[100] === 0x31 ? 0x32 : 0x31;
    expect(changed.length).toBe(runtime.length);
    const packer = new ZipPacker();
    packer.remember(remembered);
    const zip = packer.zip([{ path: 'chunk.mjs', data: changed }]);
    expect(zip.bytes).toEqual(createZip([{ path: 'chunk.mjs', data: changed }]).bytes);
    expect(unzipSync(zip.bytes)['chunk.mjs']).toEqual(changed);
  });

  it('ignores what is not a zip it wrote, and compressed data that does not inflate', () => {
    const packer = new ZipPacker();
    packer.remember(text('not a zip'));
    packer.remember(new Uint8Array(0));
    const damaged = Buffer.from(createZip([{ path: 'chunk.mjs', data: runtime }]).bytes);
    const start = 30 + 'chunk.mjs'.length;
    damaged.fill(0xff, start, start + 64);
    packer.remember(damaged);
    expect(packer.zip([{ path: 'chunk.mjs', data: runtime }]).bytes).toEqual(createZip([{ path: 'chunk.mjs', data: runtime }]).bytes);
  });
});
