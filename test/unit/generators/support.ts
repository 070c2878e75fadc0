// Helpers for the generator tests: throwaway apps in the OS temp folder and whole-folder snapshots.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, expect } from 'vitest';
import { createApp, type AppTemplate } from '../../../src/generators/index.js';
import { SlsError } from '../../../src/shared/errors.js';

const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

export function tempDir(prefix = 'sls-ts-gen-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

/** A fresh app as `sls-ts new` writes it, without installing anything. */
export async function newApp(template: AppTemplate = 'api'): Promise<string> {
  const result = await createApp({ name: 'blog', dir: join(tempDir(), 'blog'), template, install: false, git: false, slsTsSpec: 'file:../sls-ts' });
  return result.root;
}

/** Every file under `dir` (path → contents), so a test can prove nothing else changed. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split(sep).join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** Every folder under `dir`, to check that nothing is left behind. */
export function folders(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (!statSync(path).isDirectory()) continue;
      found.push(relative(dir, path).split(sep).join('/'));
      walk(path);
    }
  };
  walk(dir);
  return found;
}

/** The SlsError `run` throws (sync or async); fails the test when it throws nothing or something else. */
export async function slsError(run: () => unknown): Promise<SlsError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(SlsError);
    return error as SlsError;
  }
  throw new Error('expected an SlsError, but nothing was thrown');
}

/** Every message of an error, with hints, as the CLI would print them. */
export function messages(error: SlsError): string {
  return error.diagnostics.map((d) => `${d.text}${d.hint ? ` — ${d.hint}` : ''}`).join('\n');
}
