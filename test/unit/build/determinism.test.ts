import { createHash } from 'node:crypto';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult, type Layout } from '../../../src/index.js';
import { appFiles, configFor, copyApp, createScratch, crc32, fixture, installS3Stub, readCentralDirectory, unzip } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

let root: string;
beforeAll(() => {
  root = copyApp(fixture('shop'), scratch.dir);
  installS3Stub(root);
});

async function buildShop(layout: Layout, outName: string): Promise<{ result: BuildResult; hashes: Record<string, string>; bytes: Record<string, Buffer> }> {
  const result = await build({ config: await configFor(root), layout, outDir: join(scratch.dir, 'out', outName) });
  const hashes: Record<string, string> = {};
  const bytes: Record<string, Buffer> = {};
  for (const fn of result.manifest.functions) {
    hashes[fn.key] = fn.artifact.sha256;
    bytes[fn.key] = readFileSync(join(result.outDir, fn.artifact.file));
  }
  return { result, hashes, bytes };
}

/** Keys whose hash differs between two builds. */
function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  return Object.keys(before).filter((key) => before[key] !== after[key]).sort();
}

describe('deterministic artifacts', () => {
  // Each comparison builds its baseline right before it: the bundles include this package's dist/,
  // which a parallel `npm run build` elsewhere in the workspace may rewrite between two builds.
  let first: Awaited<ReturnType<typeof buildShop>>;

  beforeAll(async () => {
    first = await buildShop('controller', 'first');
  });

  it('hashes each zip with sha256 and keys the artifact by it', () => {
    for (const fn of first.result.manifest.functions) {
      const bytes = first.bytes[fn.key]!;
      expect(fn.artifact.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(fn.artifact.key).toBe(`artifacts/${fn.artifact.sha256}.zip`);
      expect(fn.artifact.file).toBe(`${fn.key}.zip`);
    }
    // Different code, different hashes.
    expect(new Set(Object.values(first.hashes)).size).toBe(Object.keys(first.hashes).length);
  });

  it('gives byte-identical zips when built twice', async () => {
    const once = await buildShop('controller', 'once');
    const twice = await buildShop('controller', 'twice');
    expect(twice.hashes).toEqual(once.hashes);
    for (const key of Object.keys(once.bytes)) expect(twice.bytes[key]!.equals(once.bytes[key]!), key).toBe(true);
  });

  it('gives the same hashes after every file is touched without being changed', async () => {
    const before = await buildShop('controller', 'before-touch');
    const later = new Date(Date.now() + 3_600_000);
    for (const file of appFiles(root)) utimesSync(file, later, later);
    const touched = await buildShop('controller', 'touched');
    expect(touched.hashes).toEqual(before.hashes);
  });

  it('writes entries in sorted order with the 1980-01-01 timestamp and rw-r--r-- files', () => {
    for (const [key, bytes] of Object.entries(first.bytes)) {
      const entries = readCentralDirectory(bytes);
      const names = entries.map((entry) => entry.name);
      expect(names, key).toEqual([...names].sort());
      expect(names, key).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map']));
      for (const entry of entries) {
        // DOS date: (year - 1980) << 9 | month << 5 | day; time 00:00:00.
        expect(entry.dosDate).toBe((0 << 9) | (1 << 5) | 1);
        expect(entry.dosTime).toBe(0);
        expect(entry.mode).toBe(0o100644);
      }
      expect(Object.keys(unzip(join(first.result.outDir, `${key}.zip`)))).toEqual(names);
    }
  });

  it('puts sizes and CRC-32 in each local header, with no data descriptors (streaming unzippers need them)', () => {
    for (const [key, bytes] of Object.entries(first.bytes)) {
      const files = unzip(join(first.result.outDir, `${key}.zip`));
      for (const entry of readCentralDirectory(bytes)) {
        const data = files[entry.name]!;
        expect(entry.flags & 0b1000, `${key}: ${entry.name}`).toBe(0);
        expect(entry.local.flags & 0b1000).toBe(0);
        expect(entry.size).toBe(data.length);
        expect(entry.crc).toBe(crc32(data));
        expect(entry.local).toEqual({ flags: entry.flags, crc: entry.crc, compressedSize: entry.compressedSize, size: entry.size });
      }
    }
  });

  it('changes only the edited controller’s hash in the controller layout, and only its actions’ in the action layout', async () => {
    const before = await buildShop('controller', 'before-edit');
    const beforeActions = await buildShop('action', 'before-edit-actions');
    const file = join(root, 'app', 'controllers', 'alpha-controller.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('version: 1', 'version: 2'));
    const edited = await buildShop('controller', 'edited');
    const editedActions = await buildShop('action', 'edited-actions');

    expect(changed(before.hashes, edited.hashes)).toEqual(['alpha-controller']);
    expect(Object.keys(beforeActions.hashes)).toContain('home-controller-index');
    expect(changed(beforeActions.hashes, editedActions.hashes)).toEqual(['alpha-controller-list', 'alpha-controller-show']);
  });

  it('changes the hash of every function that imports an edited shared file', async () => {
    const before = await buildShop('controller', 'before-shared');
    const file = join(root, 'app', 'controllers', 'application-controller.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{}', "{\n  shared() {\n    return 'v2';\n  }\n}"));
    const after = await buildShop('controller', 'after-shared');
    expect(changed(before.hashes, after.hashes)).toEqual(['alpha-controller', 'beta-controller', 'home-controller', 'system-controller', 'uploads-controller']);
  });
});
