// Helpers for the build-room tests: fixture apps copied into a scratch folder inside the package
// (so `sls-ts` still resolves to this repo by package self-reference), and zip inspection.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { loadConfig } from '../../../src/config/index.js';
import type { ResolvedConfig } from '../../../src/config/index.js';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'apps');
export const exampleApp = join(repoRoot, 'example-app');

/** A scratch folder under test/fixtures/.tmp-<random>/ with a `cleanup` for afterAll. */
export function createScratch(): { dir: string; cleanup: () => void } {
  const parent = join(repoRoot, 'test', 'fixtures');
  const dir = mkdtempSync(join(parent, '.tmp-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let copies = 0;

/** Copies a fixture app (or example-app) into `scratch`, leaving out earlier build output. */
export function copyApp(source: string, scratch: string, name = `${basename(source)}-${++copies}`): string {
  const target = join(scratch, name);
  cpSync(source, target, { recursive: true, filter: (path) => !/[\\/](\.sls-ts|node_modules)([\\/]|$)/.test(path) });
  return target;
}

export function fixture(name: string): string {
  return join(fixturesDir, name);
}

/**
 * Installs a package stub into the app's node_modules, as `npm install` would put the real one:
 * the app's code runs locally (the build loads it), but esbuild must still leave it out.
 */
export function installStub(appDir: string, packageName: string, source: string): void {
  const dir = join(appDir, 'node_modules', ...packageName.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: packageName, version: '3.0.0', type: 'module', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), source);
}

/** The shop fixture needs @aws-sdk/client-s3 to load; its stub holds a string bundles must not carry. */
export const S3_STUB_MARKER = 'S3_STUB_CODE_MUST_NOT_BE_BUNDLED';
export function installS3Stub(appDir: string): void {
  installStub(appDir, '@aws-sdk/client-s3', `export class S3Client { constructor(config) { this.config = config; this.note = '${S3_STUB_MARKER}'; } }\n`);
}

export async function configFor(root: string, stage = 'dev', processEnv: Record<string, string | undefined> = {}): Promise<ResolvedConfig> {
  return (await loadConfig({ root, stage, processEnv })).config;
}

export function unzip(file: string): Record<string, Uint8Array> {
  return unzipSync(readFileSync(file));
}

export function unzipText(file: string, entry = 'index.mjs'): string {
  const data = unzip(file)[entry];
  if (!data) throw new Error(`${entry} is not in ${file}`);
  return Buffer.from(data).toString('utf8');
}

export interface ZipDirectoryEntry {
  name: string;
  /** DOS date and time fields as stored. */
  dosDate: number;
  dosTime: number;
  /** Unix mode from the external attributes. */
  mode: number;
}

/** Reads the central directory the way unzip tools do (no library in between). */
export function readCentralDirectory(bytes: Uint8Array): ZipDirectoryEntry[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = view.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory record');
  const count = view.readUInt16LE(eocd + 10);
  let offset = view.readUInt32LE(eocd + 16);
  const entries: ZipDirectoryEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (view.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory header at ${offset}`);
    const nameLength = view.readUInt16LE(offset + 28);
    const extraLength = view.readUInt16LE(offset + 30);
    const commentLength = view.readUInt16LE(offset + 32);
    entries.push({
      name: view.toString('utf8', offset + 46, offset + 46 + nameLength),
      dosTime: view.readUInt16LE(offset + 12),
      dosDate: view.readUInt16LE(offset + 14),
      mode: view.readUInt32LE(offset + 38) >>> 16,
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Every file of an app (build output and node_modules left out), e.g. to touch them all. */
export function appFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      if (name === '.sls-ts' || name === 'node_modules') continue;
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk(dir);
  return found;
}
