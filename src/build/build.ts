import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Layout, ResolvedConfig } from '../config/types.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { binaryResponseWarnings } from './binary-responses.js';
import { httpApiRouteDiagnostics } from './http-api-routes.js';
import { bundleAll, bundleOnce, type BundleOutput } from './bundle.js';
import { inspectConfiguredApp } from './setting-names.js';
import { esbuildDiagnostic } from './load-app-code.js';
import { planFunctions, type PlannedFunction } from './plan.js';
import { rawResourceDiagnostics } from './raw-resources.js';
import { subscriptionDiagnostics } from './subscription-checks.js';
import { edgeOfApp } from './auth.js';
import type { Artifact, BuildManifest } from './types.js';
import { writeOutput } from './write-output.js';
import { ZipPacker, type ZipEntry } from './zip.js';
import { guardConcurrencyWarnings } from './guard-concurrency.js';

/** Lambda's code-package limits (direct upload via S3). */
export const ZIPPED_LIMIT = 50 * 1024 * 1024;
export const UNZIPPED_LIMIT = 250 * 1024 * 1024;

export interface BuildOptions {
  config: ResolvedConfig;
  /** Overrides config.layout (`sls-ts build --layout single`). */
  layout?: Layout;
  /** Default `.sls-ts/build/<stage>` in the app. */
  outDir?: string;
  /** Extra files to write next to the zips, e.g. CloudFormation templates: name → content. */
  extraFiles?: (manifest: BuildManifest) => Record<string, string>;
  /**
   * Reuse what the previous build already worked out while its inputs are unchanged: the app
   * inspection (.sls-ts/cache/) and the zip of each function whose files are byte-identical.
   * Default true; `sls-ts build --no-cache` turns it off. The output is the same either way.
   */
  cache?: boolean;
}

export interface BuildResult {
  manifest: BuildManifest;
  outDir: string;
  /** Warnings (errors throw an SlsError instead). */
  warnings: Diagnostic[];
  durationMs: number;
}

export function buildDirectory(config: ResolvedConfig): string {
  return join(config.root, '.sls-ts', 'build', config.stage);
}

/**
 * Builds every Lambda function of the app: checks routes against the code and raw resources
 * against the CloudFormation resource specification, bundles each function with esbuild (in
 * parallel), zips deterministically and writes the zips plus manifest.json.
 * The output directory is replaced only when everything succeeded.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { config } = options;
  const layout = options.layout ?? config.layout;
  const cache = options.cache ?? true;
  const { app, diagnostics } = await inspectConfiguredApp(config, { cache });
  const errors = [...diagnostics.filter((d) => (d.level ?? 'error') === 'error'), ...rawResourceDiagnostics(config)];
  if (app && config.apiType === 'http') errors.push(...httpApiRouteDiagnostics(app));
  if (!app || errors.length > 0) throw new SlsError(errors);
  // An HTTP API decodes every isBase64Encoded response itself: binaryMediaTypes does not apply.
  const warnings = [...diagnostics.filter((d) => d.level === 'warning'), ...(config.apiType === 'http' ? [] : binaryResponseWarnings(config, app))];

  let planned;
  try {
    planned = planFunctions(config, app, layout);
  } catch (error) {
    throw new SlsError((error as Error).message);
  }
  const files = new Map(app.jobs.map((job) => [job.key, job.file]));
  const subscriptions = subscriptionDiagnostics(config, planned.filter((fn) => fn.kind === 'job').map((fn) => ({ className: fn.source, file: files.get(fn.key), events: fn.events, ...(fn.jobQueue && { queue: fn.jobQueue }), timeout: fn.timeout, ...(fn.reservedConcurrency !== undefined && { reservedConcurrency: fn.reservedConcurrency }) })));
  if (subscriptions.some((d) => (d.level ?? 'error') === 'error')) throw new SlsError(subscriptions.filter((d) => (d.level ?? 'error') === 'error'));
  warnings.push(...subscriptions);

  const outDir = options.outDir ?? buildDirectory(config);
  const bundles = await bundleFunctions(config, planned);
  warnings.push(...guardConcurrencyWarnings(config.root, planned.map((fn) => ({ ...fn, inputs: bundles.get(fn.key)!.inputs }))));
  const previous = cache ? previousZips(outDir) : new Map<string, Artifact>();
  const packer = new ZipPacker();
  const codeHashes = planned.map((fn) => packer.codeHash(bundles.get(fn.key)!.files));
  // The previous zips still right first, so that the others can take compressed files from them.
  const kept = planned.map((fn, index) => keptZip(packer, outDir, codeHashes[index]!, previous.get(fn.key)));
  const functions = planned.map(({ entrySource: _entry, ...fn }, index) => ({ ...fn, ...(kept[index] ?? zipFunction(packer, fn.key, bundles.get(fn.key)!.files, codeHashes[index]!)) }));

  const limitErrors: Diagnostic[] = [];
  const budget = config.build.sizeBudgetKB * 1024;
  for (const fn of functions) {
    const { zippedBytes, unzippedBytes } = fn.artifact;
    if (zippedBytes > ZIPPED_LIMIT || unzippedBytes > UNZIPPED_LIMIT) {
      limitErrors.push({ text: `${fn.functionName} is ${mb(zippedBytes)} zipped / ${mb(unzippedBytes)} unzipped, over Lambda's 50 MB / 250 MB limits`, hint: 'mark big dependencies as build.external and ship them in a layer, or split the function' });
    } else if (zippedBytes > budget) {
      warnings.push({ level: 'warning', text: `${fn.functionName} is ${kb(zippedBytes)} zipped, over the ${config.build.sizeBudgetKB} KB budget`, hint: 'see what it imports, or raise build.sizeBudgetKB' });
    }
  }
  if (limitErrors.length > 0) throw new SlsError(limitErrors);

  const manifest: BuildManifest = {
    app: config.name,
    stage: config.stage,
    region: config.region,
    layout,
    runtime: config.runtime,
    architecture: config.architecture,
    functions: functions.map(({ bytes: _bytes, reused: _reused, ...fn }) => fn),
    ...edgeOfApp(config, app),
  };
  writeOutput(outDir, [
    ...functions.map((fn) => ({ name: fn.artifact.file, data: fn.bytes, unchanged: fn.reused })),
    { name: 'manifest.json', data: `${JSON.stringify(manifest, null, 2)}\n` },
    ...Object.entries(options.extraFiles?.(manifest) ?? {}).map(([name, data]) => ({ name, data })),
  ]);
  return { manifest, outDir, warnings, durationMs: performance.now() - started };
}

/** The artifacts of the build already in `outDir`, by function key (none when there is no readable manifest). */
function previousZips(outDir: string): Map<string, Artifact> {
  try {
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as BuildManifest;
    return new Map(manifest.functions.map((fn) => [fn.key, fn.artifact]));
  } catch {
    return new Map();
  }
}

interface Zipped {
  artifact: Artifact;
  bytes: Uint8Array;
  reused: boolean;
}

/**
 * The previous build's zip of a function when the files inside are the same bytes and the zip
 * on disk is still the one its manifest hashed (zipping is most of the build's time after
 * bundling; reading and hashing is a tenth of it). The packer remembers it.
 */
function keptZip(packer: ZipPacker, outDir: string, codeSha256: string, previous: Artifact | undefined): Zipped | undefined {
  if (previous?.codeSha256 !== codeSha256) return undefined;
  try {
    const bytes = readFileSync(join(outDir, previous.file));
    if (createHash('sha256').update(bytes).digest('hex') !== previous.sha256) return undefined;
    packer.remember(bytes);
    return { artifact: previous, bytes, reused: true };
  } catch {
    return undefined; // Gone or unreadable: zip afresh.
  }
}

function zipFunction(packer: ZipPacker, key: string, files: ZipEntry[], codeSha256: string): Zipped {
  const zip = packer.zip(files);
  const artifact = { file: `${key}.zip`, sha256: zip.sha256, key: `artifacts/${zip.sha256}.zip`, zippedBytes: zip.bytes.length, unzippedBytes: zip.unzippedBytes, codeSha256 };
  return { artifact, bytes: zip.bytes, reused: false };
}

/** In the budget's unit: budgets are in KB, and `0.0 MB` would say nothing. */
function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * `SomeJob.performLater()` finds its queue by the class's name, in whatever bundle calls it (a
 * controller's, usually), where minifying would have renamed an imported job class: an app with
 * a queued job keeps every name (`build.keepNames`, ~6% more bytes) rather than send to no queue.
 */
function withJobNames(config: ResolvedConfig, planned: readonly PlannedFunction[]): ResolvedConfig {
  if (!config.build.minify || config.build.keepNames || !planned.some((fn) => fn.jobQueue)) return config;
  return { ...config, build: { ...config.build, keepNames: true } };
}

/**
 * All functions in one esbuild build; if that fails, each is built on its own so the error names
 * the function (and its controller, job or file) it belongs to.
 */
async function bundleFunctions(given: ResolvedConfig, planned: PlannedFunction[]): Promise<Map<string, BundleOutput>> {
  const config = withJobNames(given, planned);
  try {
    return await bundleAll(config, planned);
  } catch {
    const outputs = await Promise.all(planned.map(async (fn) => {
      const output = await bundleOnce(config, fn).catch((error: unknown) => {
        const diagnostic = esbuildDiagnostic(error, config.root);
        throw new SlsError({ ...diagnostic, text: `${fn.source}: ${diagnostic.text}` });
      });
      return [fn.key, output] as const;
    }));
    return new Map(outputs);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
