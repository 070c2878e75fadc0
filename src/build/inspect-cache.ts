// Reusing what earlier inspections learnt from each of the app's modules while nothing it
// depended on changed.
//
// Inspecting runs the app's code through its own esbuild pass: for a small app that is as long as
// bundling every function. What one module shows (the routes it declares, a controller's class
// name and actions, a job's schedules) depends only on the files it reaches through its imports,
// the environment it loads under, the app's declared packages and sls-ts itself. So each module's
// result is kept with the list of its files, and holds while their contents hash the same: after
// an edit only the modules that reach the edited file run again. Contents are hashed, not
// timestamps: `touch` or a checkout does not miss.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompiledRoute } from '../router/index.js';
import { writeFileAtomic } from '../shared/files.js';
import type { ScheduleSpec } from './types.js';
import type { JobQueueOptions, JobSubscription } from '../config/subscriptions.js';

const FORMAT = 5;

/**
 * What a module showed when it loaded cleanly (failures are never kept: they are looked at afresh
 * on every run, until fixed): the routes file's routes; a controller's or job's class name, a
 * controller's actions, a job's schedules; for a plain function, that it exports a handler; for
 * a controller no route reaches, nothing but that it compiled (it is not run).
 */
import type { AuthorizerStatics } from './inspect.js';

export interface ModuleFacts {
  routes?: CompiledRoute[];
  className?: string;
  actions?: string[];
  /** A controller's methods named as filters or rescue handlers, by role: not actions. */
  hooks?: Record<string, string>;
  schedules?: ScheduleSpec[];
  events?: JobSubscription[];
  queue?: JobQueueOptions;
  handler?: true;
  /** A controller's `static auth`, when it sets one. */
  auth?: string | false;
  /** An authorizer class's statics, as written (checked by the build's auth checks). */
  authorizer?: AuthorizerStatics;
  /** A channel class's route selection expression and lifecycle methods (its actions are in `actions`). */
  channel?: { routeSelection: string; lifecycle: Array<'connect' | 'disconnect' | 'default'>; auth?: string; connections?: string };
}

interface CacheFile {
  format: number;
  /** Hash of what every module depends on: sls-ts itself, the environment, the app's packages. */
  shared: string;
  /** sha256 of each recorded input file, by path relative to the root. */
  files: Record<string, string>;
  modules: Record<string, { inputs: string[]; facts: ModuleFacts }>;
}

export interface FreshFacts {
  id: string;
  facts: ModuleFacts;
  /** Files the module reached (relative to the root); undefined when unknown, and then not kept. */
  inputs: string[] | undefined;
}

export interface InspectionCache {
  /** The kept facts of those modules whose files all still hash the same. */
  reusable(ids: Iterable<string>): Map<string, ModuleFacts>;
  /**
   * Keeps the facts of freshly loaded modules next to the still-valid kept ones of the modules
   * that exist now (`present`), dropping the rest — except a module whose files changed after
   * `startedAt`, when its inspection began: its facts may reflect the older content while the
   * hash would be of the newer one (an editor saving while the dev server reloads).
   */
  record(fresh: readonly FreshFacts[], present: ReadonlySet<string>, startedAt: number): void;
}

/** The app's cache of module facts, for modules loading under `env`. */
export function openInspectionCache(root: string, env: Readonly<Record<string, string>>): InspectionCache {
  const file = join(root, '.sls-ts', 'cache', 'inspect.json');
  const shared = sharedKey(root, env);
  const stored = readCacheFile(file, shared);
  const hashes = new Map<string, string | undefined>();
  const hashOf = (input: string): string | undefined => {
    if (!hashes.has(input)) {
      const path = join(root, input);
      hashes.set(input, existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : undefined);
    }
    return hashes.get(input);
  };
  const holds = (inputs: readonly string[]) => inputs.every((input) => stored.files[input] !== undefined && hashOf(input) === stored.files[input]);

  return {
    reusable(ids) {
      const facts = new Map<string, ModuleFacts>();
      for (const id of ids) {
        const kept = stored.modules[id];
        if (kept && holds(kept.inputs)) facts.set(id, kept.facts);
      }
      return facts;
    },
    record(fresh, present, startedAt) {
      // Kept modules keep the hashes their facts were drawn from; fresh ones are hashed now,
      // after making sure nothing they read changed since their inspection began.
      const modules: CacheFile['modules'] = {};
      const files: Record<string, string> = {};
      for (const [id, kept] of Object.entries(stored.modules)) {
        if (!present.has(id) || !holds(kept.inputs)) continue;
        modules[id] = kept;
        for (const input of kept.inputs) files[input] = stored.files[input]!;
      }
      const unchanged = Object.keys(modules).length === Object.keys(stored.modules).length;
      hashes.clear();
      let added = 0;
      for (const { id, facts, inputs } of fresh) {
        if (!inputs || changedSince(startedAt, inputs.map((input) => join(root, input)))) continue;
        const inputHashes = inputs.map(hashOf);
        if (inputHashes.some((hash) => hash === undefined)) continue;
        inputs.forEach((input, index) => (files[input] = inputHashes[index]!));
        modules[id] = { inputs, facts };
        added++;
      }
      // A rebuild that learnt nothing new and lost nothing leaves the file as it was.
      if (added === 0 && unchanged) return;
      writeCacheFile(file, { format: FORMAT, shared, files, modules });
    },
  };
}

function readCacheFile(file: string, shared: string): CacheFile {
  const empty: CacheFile = { format: FORMAT, shared, files: {}, modules: {} };
  try {
    const content = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    return content.format === FORMAT && content.shared === shared ? content : empty;
  } catch {
    return empty;
  }
}

function writeCacheFile(file: string, content: CacheFile): void {
  try {
    writeFileAtomic(file, JSON.stringify(content));
  } catch {
    // A cache that cannot be written only costs the next build its speed.
  }
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
 * What every module's facts depend on besides its own files. The environment is hashed whole:
 * routes may read any variable to decide what to declare.
 */
function sharedKey(root: string, env: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  const add = (label: string, value: string | Buffer) => hash.update(`${label}\0`).update(value).update('\0');
  add('tooling', toolingStamp(root));
  const environment = { ...process.env, ...env };
  add('env', JSON.stringify(Object.keys(environment).sort().map((key) => [key, environment[key]])));
  for (const name of ['package.json', 'package-lock.json']) {
    const path = join(root, name);
    add(name, existsSync(path) ? readFileSync(path) : '');
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
