// bench/build.ts (`npm run bench:build`): what `sls-ts build` costs over esbuild itself.
//  1. example-app: the programmatic `build` (inspect, plan, bundle, zip, write — everything
//     `sls-ts build` does after loading the config) against raw esbuild bundling the SAME entry
//     points with the same bundling options (minify, source maps, target, externals: from
//     planFunctions and bundleOptions), interleaved in the same run, three ways: A, ONE esbuild
//     call with every entry point bundled whole, one file per function (the baseline the target
//     is judged against: what raw esbuild makes of the entry points, each function's code); B, the
//     same entries as sls-ts bundles them by default (build.splitting: controllers
//     and jobs sharing chunk files, plain functions whole — the least work esbuild can do for
//     them, shown for what sls-ts adds to it); and one call per function in a parallel batch (how
//     per-function packaging usually runs). Target (issue #4): ≤ 1.5×. `sls-ts build` is timed
//     four ways: a rebuild with nothing changed (what reruns cost: the inspection and the zips
//     are reused), a rebuild after one controller changed (inspection redone, that controller
//     re-zipped), with --no-cache (a fresh clone or CI), and with --no-cache and
//     build.splitting off (every function one self-contained file, as the baseline makes them).
//  2. a generated app with 100 controllers (resources each): the same figures.
// Prints figures; not a test. `npm run bench:build` compiles this file to plain JavaScript and
// runs it with node, as `sls-ts build` runs: under tsx, its loader hooks would also handle every
// module the build's route check imports (measured 2–3 ms more per build).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build, bundleOptions, inspectApp, planFunctions, type PlannedFunction } from '../src/build/index.js';
import { loadConfig } from '../src/config/index.js';
import type { ResolvedConfig } from '../src/config/types.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
// Rounds per app: a small app's builds take tens of milliseconds, where this machine's noise is
// ±30% from one run to the next, so it gets many more rounds than the 100-controller app.
const REPS = { small: Number(process.env.BENCH_REPS ?? 31), large: Number(process.env.BENCH_REPS ?? 9) };

interface Figures {
  median: number;
  min: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]! };
}

// With --expose-gc (the npm script passes it), each run starts on a collected heap: otherwise the
// garbage of whichever heavy run came before lands on the next one's clock.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function time(run: () => Promise<unknown>): Promise<number> {
  collect();
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** The entry points and options `sls-ts build` would bundle, for esbuild to bundle on its own. */
async function plannedEntries(config: ResolvedConfig): Promise<PlannedFunction[]> {
  const { app, diagnostics } = await inspectApp(config.root);
  if (!app || diagnostics.length > 0) throw new Error(`the app has problems: ${diagnostics.map((d) => d.text).join('; ')}`);
  return planFunctions(config, app);
}

function rawEsbuildPerFunction(config: ResolvedConfig, planned: PlannedFunction[]) {
  return () => Promise.all(planned.map((fn) => esbuild(bundleOptions(config, fn))));
}

/** Raw esbuild, one call for every entry: the entries written to files, since stdin takes one. */
function rawEsbuildOneCall(config: ResolvedConfig, planned: PlannedFunction[], dir: string) {
  mkdirSync(dir, { recursive: true });
  const entryPoints = Object.fromEntries(planned.map((fn) => {
    const file = join(dir, `${fn.key}.ts`);
    writeFileSync(file, fn.entrySource);
    return [`${fn.key}/index`, file];
  }));
  const { stdin: _stdin, outfile: _outfile, ...options } = bundleOptions(config, planned[0]!);
  return () => esbuild({ ...options, entryPoints, outdir: join(dir, 'out'), outExtension: { '.js': '.mjs' } });
}

/**
 * Raw esbuild grouped as sls-ts groups by default: controllers and jobs in one call with code
 * splitting, plain functions in another, side by side.
 */
function rawEsbuildSplit(config: ResolvedConfig, planned: PlannedFunction[], dir: string) {
  mkdirSync(dir, { recursive: true });
  const sharing = (fn: PlannedFunction) => fn.kind !== 'function';
  const { stdin: _stdin, outfile: _outfile, ...options } = bundleOptions(config, planned[0]!);
  const calls = [planned.filter(sharing), planned.filter((fn) => !sharing(fn))].filter((group) => group.length > 0).map((group) => {
    const entryPoints = Object.fromEntries(group.map((fn) => {
      const file = join(dir, `${fn.key}.ts`);
      writeFileSync(file, fn.entrySource);
      return [fn.key, file];
    }));
    const splitting = sharing(group[0]!);
    return () => esbuild({ ...options, entryPoints, outdir: join(dir, 'out'), outExtension: { '.js': '.mjs' }, ...(splitting && { splitting, chunkNames: 'chunk-[hash]' }) });
  });
  return () => Promise.all(calls.map((call) => call()));
}

/** Runs them all, interleaved so that machine noise hits them alike; one warm-up round first. */
async function compare(config: ResolvedConfig, outDir: string, edited: string, reps: number): Promise<Comparison> {
  const planned = await plannedEntries(config);
  const oneCall = rawEsbuildOneCall(config, planned, `${outDir}-raw-entries`);
  const splitCall = rawEsbuildSplit(config, planned, `${outDir}-raw-split-entries`);
  const perFunction = rawEsbuildPerFunction(config, planned);
  const unchanged = () => build({ config, outDir });
  const original = readFileSync(edited, 'utf8');
  let edits = 0;
  // Its own copy of the app, so that the edits do not reach the other contenders' inputs.
  const editRoot = `${config.root}-edited`;
  cpSync(config.root, editRoot, { recursive: true });
  const editConfig = { ...config, root: editRoot };
  const editedCopy = join(editRoot, relative(config.root, edited));
  // Each edit adds a statement the bundle keeps (a comment would be minified away, the zip reused).
  const afterEdit = () => {
    writeFileSync(editedCopy, `${original}\n(globalThis as Record<string, unknown>).benchEdit = ${++edits};\n`);
    return build({ config: editConfig, outDir: `${outDir}-edit` });
  };
  const noCache = () => build({ config, outDir: `${outDir}-cold`, cache: false });
  const wholeConfig = { ...config, build: { ...config.build, splitting: false } };
  const noCacheWhole = () => build({ config: wholeConfig, outDir: `${outDir}-cold-whole`, cache: false });
  const runs = { unchanged, afterEdit, noCache, noCacheWhole, oneCall, splitCall, perFunction };
  const times = Object.fromEntries(Object.keys(runs).map((name) => [name, [] as number[]])) as Record<keyof typeof runs, number[]>;
  try {
    for (const run of Object.values(runs)) await run();
    // A new order each round: what ran just before (a heavy build leaves garbage to collect)
    // must not always weigh on the same contender.
    const order = Object.keys(runs) as Array<keyof typeof runs>;
    for (let i = 0; i < reps; i++) {
      for (const name of shuffled(order, i)) times[name].push(await time(runs[name]));
    }
  } finally {
    rmSync(editRoot, { recursive: true, force: true });
  }
  const result = Object.fromEntries(Object.entries(times).map(([name, samples]) => [name, figures(samples)])) as Record<keyof typeof runs, Figures>;
  return { ...result, functions: planned.length, reps };
}

/** A deterministic shuffle (round i always gives the same order), so runs can be compared. */
function shuffled<T>(items: readonly T[], round: number): T[] {
  const copy = [...items];
  let seed = round * 7919 + 17;
  for (let i = copy.length - 1; i > 0; i--) {
    seed = (seed * 48271) % 2147483647;
    const j = seed % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

interface Comparison {
  reps: number;
  unchanged: Figures;
  afterEdit: Figures;
  noCache: Figures;
  noCacheWhole: Figures;
  oneCall: Figures;
  splitCall: Figures;
  perFunction: Figures;
  functions: number;
}

/** An app with `count` controllers, each with resources routes and five actions. */
function generateApp(root: string, count: number): void {
  const name = (i: number) => `things${String(i).padStart(3, '0')}`;
  mkdirSync(join(root, 'config'), { recursive: true });
  mkdirSync(join(root, 'app', 'controllers'), { recursive: true });
  mkdirSync(join(root, 'app', 'models'), { recursive: true });
  writeFileSync(join(root, 'sls-ts.config.ts'), "import { defineConfig } from 'sls-ts/config';\n\nexport default defineConfig({ name: 'hundred' });\n");
  const routes = Array.from({ length: count }, (_, i) => `  r.resources('${name(i + 1)}');`);
  writeFileSync(join(root, 'config', 'routes.ts'), `import { defineRoutes } from 'sls-ts';\n\nexport default defineRoutes((r) => {\n${routes.join('\n')}\n});\n`);
  writeFileSync(join(root, 'app', 'models', 'store.ts'), [
    'export class Store<T extends { id: string }> {',
    '  readonly #items = new Map<string, T>();',
    '  list(): T[] { return [...this.#items.values()]; }',
    '  find(id: string): T | undefined { return this.#items.get(id); }',
    '  save(item: T): T { this.#items.set(item.id, item); return item; }',
    '  remove(id: string): boolean { return this.#items.delete(id); }',
    '}',
    '',
  ].join('\n'));
  writeFileSync(join(root, 'app', 'controllers', 'application-controller.ts'), "import { Controller } from 'sls-ts';\n\nexport default class ApplicationController extends Controller {}\n");
  for (let i = 1; i <= count; i++) {
    const className = `Things${String(i).padStart(3, '0')}Controller`;
    writeFileSync(join(root, 'app', 'controllers', `${name(i)}-controller.ts`), [
      "import { HttpError } from 'sls-ts';",
      "import { Store } from '../models/store.js';",
      "import ApplicationController from './application-controller.js';",
      '',
      `const store = new Store<{ id: string; title: string }>();`,
      '',
      `export default class ${className} extends ApplicationController {`,
      '  index() { return this.json({ items: store.list(), kind: ' + JSON.stringify(name(i)) + ' }); }',
      "  show() { const item = store.find(String(this.params.id)); if (!item) throw new HttpError(404, 'not found'); return this.json({ item }); }",
      "  create() { return this.json({ item: store.save({ id: String(Date.now()), title: String(this.params.title ?? '') }) }, { status: 201 }); }",
      "  update() { return this.json({ item: store.save({ id: String(this.params.id), title: String(this.params.title ?? '') }) }); }",
      '  destroy() { store.remove(String(this.params.id)); return this.head(204); }',
      '}',
      '',
    ].join('\n'));
  }
}

const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;

function report(title: string, result: Comparison): void {
  const base = result.oneCall.median;
  const split = result.splitCall.median;
  const line = (label: string, figures: Figures, extra = '') => console.log(`  ${label.padEnd(52)} ${ms(figures.median)} / ${ms(figures.min)}   ${(figures.median / base).toFixed(2)}×  ${(figures.median / split).toFixed(2)}×${extra}`);
  const verdict = (figures: Figures) => `   ${figures.median / base <= 1.5 ? 'OK' : 'OVER'}`;
  console.log(`\n${title} — ${result.functions} functions, ${result.reps} runs each`);
  console.log(`  ${''.padEnd(52)} ${'median'.padStart(10)} / ${'best'.padStart(10)}   vs A   vs B   (ratios of medians; target ≤ 1.50× A)`);
  line('sls-ts build, nothing changed', result.unchanged, verdict(result.unchanged));
  line('sls-ts build, one controller changed', result.afterEdit, verdict(result.afterEdit));
  line('sls-ts build --no-cache (fresh clone, CI)', result.noCache, verdict(result.noCache));
  line('sls-ts build --no-cache, build.splitting false', result.noCacheWhole, verdict(result.noCacheWhole));
  line('A: raw esbuild, one call, a whole file per function', result.oneCall);
  line('B: raw esbuild, sharing chunks as sls-ts does', result.splitCall);
  line('raw esbuild, a call per function', result.perFunction);
}

// A snapshot of the package (package.json + dist/) with the apps inside it: their `sls-ts`
// imports resolve to it by self-reference, and a parallel `npm run build` rewriting dist/ cannot
// disturb the runs. Inside the repo, outside the folders tsconfig.json type-checks.
const scratch = mkdtempSync(join(repo, '.tmp-bench-build-'));
try {
  cpSync(join(repo, 'package.json'), join(scratch, 'package.json'));
  cpSync(join(repo, 'dist'), join(scratch, 'dist'), { recursive: true });
  cpSync(join(repo, 'example-app'), join(scratch, 'example-app'), { recursive: true, filter: (path) => !/[\\/]\.sls-ts([\\/]|$)/.test(path) });
  const example = (await loadConfig({ root: join(scratch, 'example-app'), stage: 'dev' })).config;
  report('example-app (controller layout)', await compare(example, join(scratch, 'example-out'), join(example.root, 'app', 'controllers', 'posts-controller.ts'), REPS.small));

  const hundredRoot = join(scratch, 'hundred');
  generateApp(hundredRoot, 100);
  const hundred = (await loadConfig({ root: hundredRoot, stage: 'dev' })).config;
  const cold = await time(() => build({ config: hundred, outDir: join(scratch, 'hundred-cold') }));
  console.log(`\n100-controller app: first build ${ms(cold)}`);
  report('100-controller app (controller layout)', await compare(hundred, join(scratch, 'hundred-out'), join(hundredRoot, 'app', 'controllers', 'things050-controller.ts'), REPS.large));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
