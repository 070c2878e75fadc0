// Helpers for the build-room tests: fixture apps copied into a scratch folder inside the package
// (so `sls-ts` still resolves to this repo by package self-reference), zips, and a Lambda-like
// sandbox to run built functions in.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { unzipSync } from 'fflate';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { loadConfig } from '../../../src/config/index.js';
import type { ResolvedConfig } from '../../../src/config/index.js';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'apps');
export const exampleApp = join(repoRoot, 'example-app');

/**
 * A scratch folder `.tmp-build-tests-<random>/` at the package root, with a `cleanup` for afterAll.
 * Inside the package, so `sls-ts` resolves by self-reference; outside src/, test/ and bench/, so
 * `tsc -p tsconfig.json` never type-checks the copies (example-app's imports are not NodeNext).
 */
export function createScratch(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(repoRoot, '.tmp-build-tests-'));
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

/** Installs a package stub into the app's node_modules, as `npm install` would put a real one. */
export function installStub(appDir: string, packageName: string, source: string): void {
  const dir = join(appDir, 'node_modules', ...packageName.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: packageName, version: '3.0.0', type: 'module', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), source);
}

/**
 * The shop fixture's uploads controller imports @aws-sdk/client-s3. The stub in the copy's own
 * node_modules is what the app loads (nearest wins), and it holds a string bundles must not carry.
 */
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

export function unzipText(file: string, entry: string): string {
  const data = unzip(file)[entry];
  if (!data) throw new Error(`${entry} is not in ${file}`);
  return Buffer.from(data).toString('utf8');
}

/** All the code in a function's zip: its entry and the chunks it shares, in path order. */
export function unzipCode(file: string): string {
  return Object.entries(unzip(file))
    .filter(([path]) => path.endsWith('.mjs'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, data]) => Buffer.from(data).toString('utf8'))
    .join('\n');
}

export interface ZipDirectoryEntry {
  name: string;
  /** DOS date and time fields as stored. */
  dosDate: number;
  dosTime: number;
  /** Unix mode from the external attributes. */
  mode: number;
  /** General purpose flags, and what the local header says of the sizes and CRC. */
  flags: number;
  local: { flags: number; crc: number; compressedSize: number; size: number };
  crc: number;
  compressedSize: number;
  size: number;
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
    const local = view.readUInt32LE(offset + 42);
    if (view.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header at ${local}`);
    entries.push({
      name: view.toString('utf8', offset + 46, offset + 46 + nameLength),
      flags: view.readUInt16LE(offset + 8),
      dosTime: view.readUInt16LE(offset + 12),
      dosDate: view.readUInt16LE(offset + 14),
      crc: view.readUInt32LE(offset + 16),
      compressedSize: view.readUInt32LE(offset + 20),
      size: view.readUInt32LE(offset + 24),
      mode: view.readUInt32LE(offset + 38) >>> 16,
      local: { flags: view.readUInt16LE(local + 6), crc: view.readUInt32LE(local + 14), compressedSize: view.readUInt32LE(local + 18), size: view.readUInt32LE(local + 22) },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** CRC-32 (ISO-HDLC, as zip uses), bit by bit: slow, and independent of the code under test. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
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

// A Lambda-like sandbox: the bundle is loaded by Node's own ESM loader in a worker thread (not by
// the test runner's module system), with the function's environment variables.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const loading = import(pathToFileURL(workerData.file).href);
parentPort.on('message', async ({ id, event, context }) => {
  try {
    const handler = (await loading)[workerData.exportName];
    const deadline = Date.now() + context.timeoutMs;
    const result = await handler(event, { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) });
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.stack || error.message : String(error) });
  }
});
`;

export interface LambdaSandbox {
  invoke(event: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Imports `<dir>/index.mjs` (per `handler`, e.g. `index.handler`) in a worker and invokes the export. */
export function startSandbox(dir: string, fn: { handler: string; functionName: string; timeout: number; memory: number; environment: Record<string, string> }): LambdaSandbox {
  const [file, exportName] = fn.handler.split('.') as [string, string];
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file: join(dir, `${file}.mjs`), exportName },
    env: { ...process.env, ...fn.environment, AWS_LAMBDA_FUNCTION_NAME: fn.functionName },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 0;
  worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (error !== undefined) waiting?.reject(new Error(error));
    else waiting?.resolve(result);
  });
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  });
  return {
    invoke(event) {
      const { getRemainingTimeInMillis: _drop, ...context } = createLambdaContext({ functionName: fn.functionName, memoryMB: fn.memory, timeoutSeconds: fn.timeout });
      return new Promise((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, event, context: { ...context, timeoutMs: fn.timeout * 1000 } });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** Writes every entry of a zip into `dir`, as Lambda extracts a code package into /var/task. */
export function extractZip(zipFile: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(unzip(zipFile))) writeFileSync(join(dir, name), data);
  return dir;
}

/** A copy of the guarded fixture becomes its HTTP API variant (its sls-ts.http-api.config.ts). */
export function useHttpApiConfig(root: string): void {
  copyFileSync(join(root, 'sls-ts.http-api.config.ts'), join(root, 'sls-ts.config.ts'));
}
