// Reusing the last inspection while nothing it depended on changed.
//
// Inspecting runs the app's code through its own esbuild pass: for a small app that is as long as
// bundling every function. Its outcome depends only on the app files that pass bundled, the
// listing of the app's folders, the environment the modules load under, the app's declared
// packages and sls-ts itself — so a fingerprint of all of those decides whether the previous
// result still holds. Contents are hashed, not timestamps: `touch` or a checkout does not miss.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeTable, type CompiledRoute } from '../router/index.js';
import type { Diagnostic } from '../shared/errors.js';
import { appPaths, findSource, listSources } from './app-files.js';
import type { AppModel, ControllerInfo, FunctionInfo, JobInfo } from './inspect.js';

const FORMAT = 1;

interface CacheFile {
  format: number;
  fingerprint: string;
  /** App files the inspection bundled, relative to the root: the next fingerprint hashes them. */
  inputs: string[];
  routes: CompiledRoute[];
  routesFile: string;
  controllers: ControllerInfo[];
  jobs: JobInfo[];
  functions: FunctionInfo[];
  warnings: Diagnostic[];
}

/** Which cache a mode uses: the dev server tolerates load errors, so its results differ. */
function cacheFile(root: string, tolerant: boolean): string {
  return join(root, '.sls-ts', 'cache', tolerant ? 'inspect-dev.json' : 'inspect.json');
}

/**
 * Which sls-ts did the inspecting and which runtime the app's code extends (its Controller and
 * Job classes decide what counts as an action): their files' paths and modification times, so a
 * rebuilt or upgraded sls-ts never reuses an older answer.
 */
function toolingStamp(root: string): string {
  const files = [fileURLToPath(import.meta.url)];
  try {
    files.push(createRequire(join(root, 'package.json')).resolve('sls-ts'));
  } catch {
    // Not resolvable from the app: the inspection itself will say so.
  }
  return files.map((file) => `${file}:${statSync(file).mtimeMs}`).join('\n');
}

/**
 * Hash of everything the inspection depends on, or undefined when an input is gone (a miss).
 * The environment is hashed whole: routes may read any variable to decide what to declare.
 */
function fingerprint(root: string, inputs: readonly string[], env: Readonly<Record<string, string>>): string | undefined {
  const hash = createHash('sha256');
  const add = (label: string, value: string | Buffer) => hash.update(`${label}\0`).update(value).update('\0');
  add('format', String(FORMAT));
  add('tooling', toolingStamp(root));
  const environment = { ...process.env, ...env };
  add('env', JSON.stringify(Object.keys(environment).sort().map((key) => [key, environment[key]])));
  const paths = appPaths(root);
  add('routes', findSource(paths.routes) ?? '');
  add('listing', JSON.stringify([listSources(paths.controllers), listSources(paths.jobs), listSources(paths.functions)]));
  for (const file of ['package.json', 'package-lock.json', ...inputs]) {
    const path = join(root, file);
    if (existsSync(path)) add(file, readFileSync(path));
    else if (inputs.includes(file)) return undefined;
  }
  return hash.digest('hex');
}

function changedSince(startedAt: number, paths: readonly string[]): boolean {
  return paths.some((path) => {
    try {
      return statSync(path).mtimeMs >= startedAt;
    } catch {
      return true;
    }
  });
}

/** The folders whose listing the fingerprint hashes (a file added or removed changes their mtime). */
function appFolders(root: string): string[] {
  const paths = appPaths(root);
  const folders: string[] = [join(root, 'config')];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    folders.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(join(dir, entry.name));
  };
  for (const dir of [paths.controllers, paths.jobs, paths.functions]) walk(dir);
  return folders;
}

/** The previous inspection's result when every input is as it was, else undefined. */
export function readCachedInspection(root: string, env: Readonly<Record<string, string>>, tolerant: boolean): { app: AppModel; diagnostics: Diagnostic[] } | undefined {
  let cached: CacheFile;
  try {
    cached = JSON.parse(readFileSync(cacheFile(root, tolerant), 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (cached.format !== FORMAT || fingerprint(root, cached.inputs, env) !== cached.fingerprint) return undefined;
  const app: AppModel = {
    root,
    routesFile: cached.routesFile,
    // routeTable keeps each route's source line, so messages read as after a fresh inspection.
    table: routeTable(cached.routes),
    controllers: new Map(cached.controllers.map((info) => [info.key, info])),
    jobs: cached.jobs,
    functions: cached.functions,
  };
  return { app, diagnostics: cached.warnings };
}

/**
 * Records a clean inspection (errors are never cached: the next run reports them afresh) — unless
 * an input or an app folder changed after `startedAt`, when the inspection began: the result may
 * then reflect the older content while the fingerprint would hash the newer one (an editor saving
 * while the dev server reloads), and the next run must look again.
 */
export function writeCachedInspection(root: string, env: Readonly<Record<string, string>>, tolerant: boolean, inputs: string[], app: AppModel, warnings: Diagnostic[], startedAt: number): void {
  if (changedSince(startedAt, [...inputs.map((input) => join(root, input)), ...appFolders(root)])) return;
  const print = fingerprint(root, inputs, env);
  if (!print) return;
  const content: CacheFile = {
    format: FORMAT,
    fingerprint: print,
    inputs,
    routes: [...app.table.routes],
    routesFile: app.routesFile,
    controllers: [...app.controllers.values()],
    jobs: app.jobs,
    functions: app.functions,
    warnings,
  };
  const file = cacheFile(root, tolerant);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(content));
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs the next build its speed.
  }
}
