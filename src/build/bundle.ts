import { basename, join } from 'node:path';
import { build, context, type BuildContext, type BuildOptions, type BuildResult, type Metafile } from 'esbuild';
import type { ResolvedConfig } from '../config/types.js';
import { readIfExists, writeFileAtomic } from '../shared/files.js';
import { importClosure } from './metafile.js';
import type { PlannedFunction } from './plan.js';

export interface BundleOutput {
  /**
   * Files of the function's code package: `index.mjs` (the handler's file), the chunks it
   * imports, and with source maps a `.map` beside each.
   */
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
    // A fixed output path inside the app keeps source-map paths, and so the zip bytes, stable;
    // the same one bundleAll gives the function's entry.
    outfile: join(config.root, '.sls-ts', 'bundle', `${fn.key}.mjs`),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: nodeTarget(config.runtime),
    minify: config.build.minify,
    // Minifying renames classes and functions; the entries give controllers back their names (see
    // plan.ts), and `build.keepNames` keeps everyone's, at ~6% more bytes.
    keepNames: config.build.keepNames,
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

/** What bundleAll needs of a planned function. */
export type BundleInput = Pick<PlannedFunction, 'key' | 'kind' | 'entrySource'>;

/**
 * Every function's bundle, with the app's files parsed once rather than once per function: one
 * esbuild build with an entry point per function (measured 18 ms instead of 46 ms for
 * example-app's 7 functions).
 *
 * With `build.splitting` (the default), what the web functions and jobs import — the runtime, a
 * base controller, a model — is printed once into `chunk-<hash>.mjs` files that each of their
 * zips carries, instead of once into every function's single file: esbuild's work on a
 * 100-controller app drops by three quarters, and the zips compress each shared file once
 * (ZipPacker). esbuild shares whole files, reached through imports: a function carries all of
 * each shared file that anyone uses — its siblings' parts of a shared model, and, since every
 * `sls-ts` import goes through one index module, the runtime parts that jobs and controllers use
 * (measured on example-app: controllers ~19 KB zipped instead of ~17 KB, its job 18 KB instead
 * of 4 KB; +2.5% on a 100-controller app). A file only
 * one function imports stays in that function's own file. Plain functions (app/functions) are
 * bundled alongside, each one self-contained file: they are handlers of their own, and would
 * otherwise pick up esbuild's shared helpers. Without splitting, every function is one
 * self-contained file, tree-shaken on its own.
 *
 * Each function gets its entry, as `index.mjs` (see lambdaFiles), and every chunk it imports.
 * The generated entries are written to `.sls-ts/entries/<stage>/<key>.ts` first: esbuild reads files
 * itself, where virtual entries served by a plugin cost a round trip to JavaScript each
 * (measured ~4 ms more for example-app). Fixed paths keep source maps, and so the zips,
 * byte-identical for the same sources. Rejects with esbuild's error when any entry fails.
 */
export async function bundleAll(config: ResolvedConfig, fns: readonly BundleInput[]): Promise<Map<string, BundleOutput>> {
  // Per stage: a stage's settings (minify, keepNames) shape its entries, and two stages may build at once.
  const entriesDir = join(config.root, '.sls-ts', 'entries', config.stage);
  const outdir = join(config.root, '.sls-ts', 'bundle');
  // Plain functions and authorizers are one tree-shaken file each: an authorizer's cold start is
  // paid by every request it guards, and it needs none of what controllers share.
  const sharing = (fn: BundleInput) => fn.kind !== 'function' && fn.kind !== 'authorizer';
  const groups = config.build.splitting ? [{ fns: fns.filter(sharing), splitting: true }, { fns: fns.filter((fn) => !sharing(fn)), splitting: false }] : [{ fns, splitting: false }];
  const bundles = new Map<string, BundleOutput>();
  await Promise.all(groups.filter((group) => group.fns.length > 0).map(async (group) => {
    const entryPoints: Record<string, string> = {};
    for (const fn of group.fns) entryPoints[fn.key] = writeEntry(join(entriesDir, `${fn.key}.ts`), fn.entrySource);
    const { stdin: _stdin, outfile: _outfile, ...options } = bundleOptions(config, group.fns[0]!);
    const splitting = group.splitting ? { splitting: true, chunkNames: 'chunk-[hash]' } : {};
    const result = await build({ ...options, ...splitting, entryPoints, outdir, outExtension: { '.js': '.mjs' } });
    const written = new Map((result.outputFiles ?? []).map((file) => [relativeOutput(config.root, file.path), file.contents]));
    const { outputs } = result.metafile!;
    for (const fn of group.fns) {
      // The entry and every chunk it imports, directly or not (statically or by `import()`).
      const files = importClosure(outputs, relativeOutput(config.root, join(outdir, `${fn.key}.mjs`)));
      const inputs = new Set(files.flatMap((file) => Object.keys(outputs[file]!.inputs)));
      bundles.set(fn.key, {
        files: lambdaFiles(fn.key, files.flatMap((file) => [file, `${file}.map`]).filter((file) => written.has(file)).map((file) => ({ path: basename(file), data: written.get(file)! }))),
        inputs: [...inputs].map((input) => join(config.root, input)).filter((input) => !input.startsWith(entriesDir)).sort(),
      });
    }
  }));
  return bundles;
}

/**
 * A function's files as its zip holds them: esbuild writes the entry as `<key>.mjs` (entries and
 * the chunks they share must sit side by side), and it becomes `index.mjs`, so the handler
 * setting is Lambda's usual `index.handler`. Only the last line, the source-map comment, names
 * the file; chunks import each other, never an entry.
 */
function lambdaFiles(key: string, files: Array<{ path: string; data: Uint8Array }>): Array<{ path: string; data: Uint8Array }> {
  const comment = `//# sourceMappingURL=${key}.mjs.map\n`;
  return files.map(({ path, data }) => {
    if (path === `${key}.mjs.map`) return { path: 'index.mjs.map', data };
    if (path !== `${key}.mjs`) return { path, data };
    const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    return { path: 'index.mjs', data: text.endsWith(comment) ? Buffer.from(`${text.slice(0, -comment.length)}//# sourceMappingURL=index.mjs.map\n`) : data };
  });
}

/**
 * Writes a generated entry unless it already holds that source (atomically, so a build running
 * alongside never reads half of it). Returns its path.
 */
function writeEntry(file: string, source: string): string {
  if (readIfExists(file) !== source) writeFileAtomic(file, source);
  return file;
}


function relativeOutput(root: string, file: string): string {
  return file.slice(root.length + 1);
}

/** One bundle, built once: `sls-ts build` has no later rebuild to keep a context for. */
export async function bundleOnce(config: ResolvedConfig, fn: Pick<PlannedFunction, 'key' | 'entrySource'>): Promise<BundleOutput> {
  const output = toOutput(config, await build(bundleOptions(config, fn)));
  return { ...output, files: lambdaFiles(fn.key, output.files) };
}

function toOutput(config: ResolvedConfig, result: BuildResult): BundleOutput {
  const files = (result.outputFiles ?? []).map((file) => ({ path: basename(file.path), data: file.contents }));
  return { files, inputs: inputsOf(config.root, result.metafile) };
}

/**
 * Keeps one incremental esbuild context per function, so a rebuild after an edit only redoes
 * the work that changed. The dev server uses it, with `overrides` for readable bundles; a context
 * is bound to its entry source, so new routes or controllers start a new one.
 */
export function createBundler(config: ResolvedConfig, overrides: (fn: Pick<PlannedFunction, 'key'>) => Partial<BuildOptions> = () => ({})) {
  const contexts = new Map<string, { entrySource: string; ctx: Promise<BuildContext> }>();
  return {
    async bundle(fn: Pick<PlannedFunction, 'key' | 'entrySource'>): Promise<BundleOutput> {
      let entry = contexts.get(fn.key);
      if (!entry || entry.entrySource !== fn.entrySource) {
        const stale = entry?.ctx;
        contexts.set(fn.key, (entry = { entrySource: fn.entrySource, ctx: context({ ...bundleOptions(config, fn), ...overrides(fn) }) }));
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
