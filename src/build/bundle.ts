import { join } from 'node:path';
import { build, context, type BuildContext, type BuildOptions, type BuildResult, type Metafile } from 'esbuild';
import type { ResolvedConfig } from '../config/types.js';
import type { PlannedFunction } from './plan.js';

export interface BundleOutput {
  /** Files of the function's code package: `index.mjs` and, with source maps, `index.mjs.map`. */
  files: Array<{ path: string; data: Uint8Array }>;
  /** Absolute paths of the app files the bundle includes (what the dev server watches). */
  inputs: string[];
}

/** `nodejs22.x` → `node22`: esbuild must not emit syntax the function's runtime lacks. */
export function nodeTarget(runtime: string): string {
  return `node${/^nodejs(\d+)/.exec(runtime)?.[1] ?? '22'}`;
}

// Bundles are ESM (.mjs): top-level await works and tree-shaking is at its best. CommonJS
// dependencies that call require() dynamically still work through this shim.
const REQUIRE_SHIM = "import{createRequire as __slsTsCreateRequire}from'node:module';const require=__slsTsCreateRequire(import.meta.url);";

export function bundleOptions(config: ResolvedConfig, fn: Pick<PlannedFunction, 'key' | 'entrySource'>): BuildOptions {
  return {
    stdin: { contents: fn.entrySource, resolveDir: config.root, sourcefile: `sls-ts-entry/${fn.key}.ts`, loader: 'ts' },
    absWorkingDir: config.root,
    // A fixed output path inside the app keeps source-map paths, and so the zip bytes, stable.
    outfile: join(config.root, '.sls-ts', 'bundle', fn.key, 'index.mjs'),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: nodeTarget(config.runtime),
    minify: config.build.minify,
    sourcemap: config.build.sourcemap,
    sourcesContent: false,
    legalComments: 'none',
    // The Lambda Node.js runtime ships AWS SDK v3; bundling it would only add megabytes.
    external: ['@aws-sdk/*', ...config.build.external],
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: 'silent',
  };
}

/** One bundle, built once: `sls-ts build` has no later rebuild to keep a context for. */
export async function bundleOnce(config: ResolvedConfig, fn: Pick<PlannedFunction, 'key' | 'entrySource'>): Promise<BundleOutput> {
  return toOutput(config, await build(bundleOptions(config, fn)));
}

function toOutput(config: ResolvedConfig, result: BuildResult): BundleOutput {
  const files = (result.outputFiles ?? []).map((file) => ({ path: file.path.endsWith('.map') ? 'index.mjs.map' : 'index.mjs', data: file.contents }));
  return { files, inputs: inputsOf(config.root, result.metafile) };
}

/**
 * Keeps one incremental esbuild context per function, so a rebuild after an edit only redoes
 * the work that changed. `build` uses it once; the dev server keeps it for its watcher.
 */
export function createBundler(config: ResolvedConfig) {
  const contexts = new Map<string, { entrySource: string; ctx: Promise<BuildContext> }>();
  return {
    async bundle(fn: Pick<PlannedFunction, 'key' | 'entrySource'>): Promise<BundleOutput> {
      let entry = contexts.get(fn.key);
      // A context is bound to its entry source: new routes or controllers need a new context.
      if (!entry || entry.entrySource !== fn.entrySource) {
        const stale = entry?.ctx;
        contexts.set(fn.key, (entry = { entrySource: fn.entrySource, ctx: context(bundleOptions(config, fn)) }));
        if (stale) await (await stale.catch(() => undefined))?.dispose();
      }
      return toOutput(config, await (await entry.ctx).rebuild());
    },
    async dispose(): Promise<void> {
      const all = [...contexts.values()];
      contexts.clear();
      await Promise.all(all.map(async ({ ctx }) => (await ctx.catch(() => undefined))?.dispose()));
    },
  };
}

function inputsOf(root: string, metafile: Metafile | undefined): string[] {
  return Object.keys(metafile?.inputs ?? {}).filter((input) => !input.startsWith('<') && !input.includes(':')).map((input) => join(root, input)).sort();
}
