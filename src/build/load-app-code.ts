// Loading the app's code for inspection: one esbuild pass over the modules to look at, the
// environment they load under, one module at a time (a failure becomes a diagnostic on that
// file), and the diagnostics for a bundle that fails.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { Diagnostic } from '../shared/errors.js';
import { importClosure } from './metafile.js';
import { declaredPackageHint } from '../config/install-hint.js';

/** The app modules one inspection pass bundled, ready to run one by one. */
export interface LoadedModules {
  /** The framework's base classes, as the app's code extends them. */
  Controller: Function;
  Job: Function;
  /** The methods a controller class names as filters or rescue handlers, by role (empty with an sls-ts too old to say). */
  hookMethods: (type: Function) => Map<string, string>;
  /** Runs a module (by the id it was bundled under) and gives its exports. */
  load(id: string): Promise<Record<string, unknown>>;
  /**
   * The files the module reaches through its imports, relative to the root — what a result
   * drawn from it depends on. Undefined when esbuild did not report the module.
   */
  inputsOf(id: string): string[] | undefined;
  /**
   * With stand-ins for the AWS SDK: why what this pass learnt cannot be trusted (the stand-ins
   * could not answer for something, or a module reaching them failed to load), and the modules
   * must load again with the real SDK. Undefined when the pass holds.
   */
  standInsFailed(): string | undefined;
}

export interface LoadOptions {
  /** Load `@aws-sdk/*` imports as stand-ins (sdk-stand-ins.ts) instead of the installed packages. */
  sdkStandIns?: boolean;
}

let passes = 0;

/**
 * Bundles the given modules (id → file) into one throwaway ES module, each behind a lazy import
 * so that one failing to load does not stop the others, and imports it. Packages stay external
 * (they load from node_modules); the inline source map makes stack frames, and so route lines,
 * point into the app's files.
 */
export async function loadModules(root: string, modules: ReadonlyMap<string, string>, options: LoadOptions = {}): Promise<LoadedModules | { diagnostics: Diagnostic[]; standInsFailed?: string }> {
  const standIns = options.sdkStandIns ? standInsFile() : undefined;
  const entry = [
    // Read off the namespace: an app's older sls-ts without hookMethods must still load.
    `import * as slsTs from 'sls-ts';`,
    `export const { Controller, Job } = slsTs;`,
    `export const hookMethods = slsTs.hookMethods ?? (() => new Map());`,
    `export const modules = {${[...modules].map(([id, file]) => `${JSON.stringify(id)}: () => import(${JSON.stringify(file)})`).join(',')}};`,
    ...(standIns ? [`export { standInsUnusable } from ${JSON.stringify(standIns)};`] : []),
  ].join('\n');
  const tmpDir = join(root, '.sls-ts', 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  // Unique per call: two inspections of one app in the same millisecond must not share a file.
  const outfile = join(tmpDir, `inspect-${process.pid}-${Date.now()}-${++passes}.mjs`);
  let metafile: Metafile | undefined;
  let loaded: { Controller: Function; Job: Function; hookMethods: LoadedModules['hookMethods']; modules: Record<string, () => Promise<Record<string, unknown>>>; standInsUnusable?: () => string | undefined };
  try {
    ({ metafile } = await build({
      stdin: { contents: entry, resolveDir: root, sourcefile: 'sls-ts-inspect.ts', loader: 'ts' },
      absWorkingDir: root, outfile, bundle: true, format: 'esm', platform: 'node', packages: 'external', sourcemap: 'inline', logLevel: 'silent', metafile: true,
      ...(standIns && { plugins: [sdkStandInsPlugin(standIns)] }),
    }));
    process.setSourceMapsEnabled(true);
    loaded = await import(pathToFileURL(outfile).href);
  } catch (error) {
    const diagnostics = missingPackageDiagnostics(error, metafile, root) ?? [esbuildDiagnostic(error, root)];
    // Whatever failed may be the stand-ins' doing: the real SDK gets a pass of its own.
    return standIns ? { diagnostics, standInsFailed: diagnostics[0]!.text } : { diagnostics };
  } finally {
    rmSync(outfile, { force: true });
  }
  const graph = metafile!;
  // A module that fails to load and reaches a stand-in may have failed because of it.
  let failedOnStandIn: string | undefined;
  const reachesStandIn = (id: string) => importClosure(graph.inputs, relative(root, modules.get(id)!)).some((path) => path.startsWith(`${STAND_IN_NAMESPACE}:`));
  return {
    Controller: loaded.Controller,
    Job: loaded.Job,
    hookMethods: loaded.hookMethods,
    load: (id) => loaded.modules[id]!().catch((error: unknown) => {
      if (standIns && reachesStandIn(id)) failedOnStandIn ??= `${relative(root, modules.get(id)!)} failed to load`;
      throw error;
    }),
    // The stand-ins are sls-ts's own file, not the app's: the inspection cache keys on sls-ts already.
    inputsOf: (id) => reachable(graph, relative(root, modules.get(id)!))?.filter((path) => !standIns || path !== relative(root, standIns)),
    standInsFailed: () => loaded.standInsUnusable?.() ?? failedOnStandIn,
  };
}

const STAND_IN_NAMESPACE = 'sls-ts-sdk-stand-in';

/** sdk-stand-ins.ts as built beside this file; under vitest, the TypeScript source itself. */
function standInsFile(): string {
  const built = fileURLToPath(new URL('./sdk-stand-ins.js', import.meta.url));
  return existsSync(built) ? built : fileURLToPath(new URL('./sdk-stand-ins.ts', import.meta.url));
}

/**
 * Resolves `@aws-sdk/*` imports to stand-ins, bundled with the pass. Only installed packages: a
 * missing one stays an external import, so that the app check still says who imports it.
 */
function sdkStandInsPlugin(standIns: string): Plugin {
  const installed = (specifier: string, from: string) => {
    try {
      createRequire(join(from, 'noop.js')).resolve(specifier);
      return true;
    } catch {
      return false;
    }
  };
  return {
    name: 'sls-ts-sdk-stand-ins',
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\// }, ({ path, resolveDir }) => (installed(path, resolveDir) ? { path, namespace: STAND_IN_NAMESPACE } : undefined));
      build.onLoad({ filter: /.*/, namespace: STAND_IN_NAMESPACE }, ({ path }) => ({
        contents: `module.exports = require(${JSON.stringify(standIns)}).standInModule(${JSON.stringify(path)});`,
        loader: 'js',
        resolveDir: dirname(standIns),
      }));
    },
  };
}

/** Every file `start` reaches through bundled imports, itself included, sorted. */
function reachable(metafile: Metafile, start: string): string[] | undefined {
  if (!metafile.inputs[start]) return undefined;
  // Virtual modules (`<runtime>`) and namespaced paths (`data:`) are no files to hash.
  return importClosure(metafile.inputs, start).filter((path) => !path.startsWith('<') && !path.includes(':')).sort();
}

/** Sets variables in process.env and returns how to put the previous values back. */
export function applyEnv(env: Readonly<Record<string, string>>): () => void {
  const previous = Object.entries(env).map(([key, value]) => {
    const before = process.env[key];
    process.env[key] = value;
    return [key, before] as const;
  });
  return () => {
    for (const [key, before] of previous) {
      if (before === undefined) delete process.env[key];
      else process.env[key] = before;
    }
  };
}

export async function loadModule(load: () => Promise<Record<string, unknown>>, file: string, diagnostics: Diagnostic[], root: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await load();
  } catch (error) {
    const hint = (error as { hint?: unknown }).hint;
    let message = (error as Error).message;
    // A ScheduleError's message already ends with its hint; print the hint once.
    if (typeof hint === 'string' && message.endsWith(` — ${hint}`)) message = message.slice(0, -` — ${hint}`.length);
    diagnostics.push({ file, text: `${relative(root, file)} failed to load: ${message}`, ...(typeof hint === 'string' && hint && { hint }) });
    return undefined;
  }
}

export async function loadDefault(load: () => Promise<Record<string, unknown>>, file: string, diagnostics: Diagnostic[], root: string): Promise<Function | undefined> {
  const module = await loadModule(load, file, diagnostics, root);
  if (!module) return undefined;
  if (typeof module.default !== 'function') {
    diagnostics.push({ file, text: `${relative(root, file)} has no default-exported class`, hint: 'use `export default class …`' });
    return undefined;
  }
  return module.default as Function;
}

/**
 * Node's "Cannot find package 'x' imported from <temp file>" names neither the app file nor what
 * to do: point at the app files that import the package instead (external imports of the one
 * inspection bundle all load up front, so a missing one stops the whole inspection).
 */
export function missingPackageDiagnostics(error: unknown, metafile: Metafile | undefined, root: string): Diagnostic[] | undefined {
  const name = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1] : undefined;
  if (!name || !metafile) return undefined;
  const importers = Object.entries(metafile.inputs)
    .filter(([, input]) => input.imports.some((imported) => imported.external && (imported.path === name || imported.path.startsWith(`${name}/`))))
    .map(([file]) => join(root, file))
    .sort();
  if (importers.length === 0) return undefined;
  const hint = `${declaredPackageHint(root, name) ?? `install it (npm install ${name})`}: the build runs the app's code to check its routes${name.startsWith('@aws-sdk/') ? ', even though bundles leave @aws-sdk/* to the Lambda runtime' : ''}`;
  return importers.map((file) => ({ file, text: `${relative(root, file)} imports ${name}, which is not installed`, hint }));
}

/** An esbuild failure (syntax error, unresolved import) as one diagnostic with file and line. */
export function esbuildDiagnostic(error: unknown, root: string): Diagnostic {
  const first = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors?.[0];
  if (first) {
    const file = first.location ? join(root, first.location.file) : undefined;
    return { text: first.text, ...(file && { file }), ...(first.location && { line: first.location.line }) };
  }
  return { text: (error as Error).message ?? String(error) };
}
