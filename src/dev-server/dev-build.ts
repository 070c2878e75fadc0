import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBundler, type PlannedFunction } from '../build/index.js';
import type { ResolvedConfig } from '../config/types.js';

export interface DevBundle {
  /** Absolute path of the written bundle. */
  file: string;
  /** Absolute paths of the app files it was built from (a change to one means a rebuild). */
  inputs: Set<string>;
  /** esbuild's error text when the last build failed; the function answers 502 until it is fixed. */
  error?: string;
}

/**
 * The build's incremental bundler (same entry and options as `sls-ts build`, so local code is
 * the code that deploys), made readable — no minify, inline source maps — and written under
 * .sls-ts/dev/<stage>/<key>/index.mjs for the workers to import.
 */
export function createDevBuilder(config: ResolvedConfig) {
  const outDir = join(config.root, '.sls-ts', 'dev', config.stage);
  const bundler = createBundler(config, (fn) => ({ outfile: join(outDir, fn.key, 'index.mjs'), minify: false, sourcemap: 'inline' }));

  async function bundle(fn: Pick<PlannedFunction, 'key' | 'entrySource'>): Promise<DevBundle> {
    const dir = join(outDir, fn.key);
    const file = join(dir, 'index.mjs');
    try {
      const output = await bundler.bundle(fn);
      // Written aside and renamed: a worker starting during a rebuild (or another server building
      // the same app) must read the old bundle or the new one, never half of one.
      await mkdir(dir, { recursive: true });
      await Promise.all(output.files.map(async ({ path, data }) => {
        const temporary = join(dir, `${path}.${randomBytes(6).toString('hex')}.tmp`);
        await writeFile(temporary, data);
        await rename(temporary, join(dir, path));
      }));
      return { file, inputs: new Set(output.inputs) };
    } catch (error) {
      const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors ?? [];
      const text = errors.length
        ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('\n')
        : String((error as Error).message ?? error);
      return { file, inputs: new Set(), error: text };
    }
  }

  return { bundle, dispose: () => bundler.dispose() };
}
