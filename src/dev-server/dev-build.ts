import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { context, type BuildContext } from 'esbuild';
import { bundleOptions, type PlannedFunction } from '../build/index.js';
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
 * One incremental esbuild context per function, writing readable bundles (no minify, inline
 * source maps) under .sls-ts/dev/<stage>/<key>/index.mjs — the same entry and options as
 * `sls-ts build` otherwise, so local code is the code that deploys.
 */
export function createDevBuilder(config: ResolvedConfig) {
  const contexts = new Map<string, { source: string; ctx: Promise<BuildContext> }>();
  const outDir = join(config.root, '.sls-ts', 'dev', config.stage);

  async function bundle(fn: Pick<PlannedFunction, 'key' | 'entrySource'>): Promise<DevBundle> {
    const file = join(outDir, fn.key, 'index.mjs');
    let entry = contexts.get(fn.key);
    if (!entry || entry.source !== fn.entrySource) {
      if (entry) void (await entry.ctx.catch(() => undefined))?.dispose();
      const options = { ...bundleOptions(config, fn), outfile: file, write: false, minify: false, sourcemap: 'inline' as const };
      entry = { source: fn.entrySource, ctx: context(options) };
      contexts.set(fn.key, entry);
    }
    try {
      const result = await (await entry.ctx).rebuild();
      // Written aside and renamed: a worker starting during a rebuild (or another server building
      // the same app) must read the old bundle or the new one, never half of one.
      await Promise.all((result.outputFiles ?? []).map(async (output) => {
        const temporary = `${output.path}.${randomBytes(6).toString('hex')}.tmp`;
        await mkdir(dirname(output.path), { recursive: true });
        await writeFile(temporary, output.contents);
        await rename(temporary, output.path);
      }));
      const inputs = new Set(Object.keys(result.metafile?.inputs ?? {}).filter((input) => !input.startsWith('<')).map((input) => join(config.root, input)));
      return { file, inputs };
    } catch (error) {
      const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors ?? [];
      const text = errors.length
        ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('\n')
        : String((error as Error).message ?? error);
      return { file, inputs: new Set(), error: text };
    }
  }

  async function dispose(): Promise<void> {
    const all = [...contexts.values()];
    contexts.clear();
    await Promise.all(all.map(async ({ ctx }) => (await ctx.catch(() => undefined))?.dispose()));
  }

  return { bundle, dispose, forget: (keys: Iterable<string>) => { for (const key of keys) { const entry = contexts.get(key); contexts.delete(key); void entry?.ctx.then((c) => c.dispose(), () => undefined); } } };
}
