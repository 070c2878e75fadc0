// `sls-ts generate` and `sls-ts destroy`: plan every change first, refuse on conflicts, then
// apply the whole plan (or nothing).
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { findConfigFile } from '../config/load.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { readIfExists } from '../shared/files.js';
import { addScaffoldToConfig, removeScaffoldFromConfig } from './config-file.js';
import { notFoundError } from './existing.js';
import { applyFileOps, type FileOp } from './files.js';
import { planGenerator, SUPPORT_NEEDS, type GeneratorInput, type GeneratorKind, type GeneratorPlan } from './kinds.js';
import { blueprintPaths, renderBlueprint, type RenderedFile } from './render.js';
import { insertRoute, removeRoute, type RouteCall } from './routes-file.js';

export type ChangeAction = 'create' | 'update' | 'remove' | 'skip' | 'conflict';

/** One planned change; `path` is relative to the app root, with `/`. */
export interface Change {
  path: string;
  action: ChangeAction;
  /** Why, when the action alone does not say it: "identical", "overwritten (--force)"… */
  note?: string;
}

export interface GenerateOptions extends GeneratorInput {
  /** The app's folder (the one holding sls-ts.config.ts). */
  root: string;
  /** Overwrite files that exist with other contents (destroy ignores it: it never needs it). */
  force?: boolean;
  /** Plan and return the changes without writing anything. */
  dryRun?: boolean;
  /**
   * Asked before anything is written: the problems the app would have with these file changes
   * that it does not have now (the CLI and the programmatic API pass build's checkAppChange, so
   * that a change the route check would refuse is refused here). None when absent.
   */
  check?: (ops: readonly FileOp[]) => Promise<Diagnostic[]>;
}

export const ROUTES_FILE = 'config/routes.ts';

function assertApp(root: string): void {
  if (!findConfigFile(root) && !existsSync(join(root, ROUTES_FILE))) {
    throw new SlsError({ text: `${root} is not an sls-ts app (no sls-ts.config.ts)`, hint: 'run it in the app folder, or pass -C <app dir>' });
  }
}

/**
 * The support files a plan needs that `root` lacks, with what those need in turn, rendered from
 * the app blueprint (they take no data).
 */
export function renderMissingSupport(plan: GeneratorPlan, root: string): RenderedFile[] {
  const wanted = new Set<string>();
  const want = (path: string) => {
    if (wanted.has(path) || existsSync(join(root, path))) return;
    wanted.add(path);
    for (const needed of SUPPORT_NEEDS[path] ?? []) want(needed);
  };
  plan.support.forEach(want);
  return wanted.size === 0 ? [] : renderBlueprint('app/api', {}, { only: (path) => wanted.has(path) });
}

/** `routes` added to a routes file's text; an error naming the file when there is no place for them. */
export function addRoutes(source: string, routes: readonly RouteCall[]): { source: string; changed: boolean } {
  let changed = false;
  for (const call of routes) {
    const result = insertRoute(source, call);
    if (!result.ok) {
      throw new SlsError({
        text: `cannot find where to add r.${call} in ${ROUTES_FILE}`,
        hint: 'it needs `export default defineRoutes((r) => { … })` with a block body: fix the file, or add the line yourself',
      });
    }
    source = result.source;
    changed ||= result.changed;
  }
  return { source, changed };
}

/** Throws the problems `options.check` finds in the app as `ops` would leave it. */
async function refuseBreakingChange(options: GenerateOptions, ops: readonly FileOp[], verb: 'written' | 'removed', what: string): Promise<void> {
  const problems = ops.length > 0 && options.check ? await options.check(ops) : [];
  if (problems.length === 0) return;
  throw new SlsError([
    ...problems,
    { text: `nothing was ${verb}: after ${what} the app would fail the route check (sls-ts routes) as above`, hint: verb === 'written' ? 'choose another name, path or schedule, or fix the routes first' : 'edit or remove those routes first, then run it again' },
  ]);
}

function conflictError(conflicts: readonly Change[]): SlsError {
  const diagnostics: Diagnostic[] = conflicts.map((change) => ({ text: `${change.path} already exists with other contents` }));
  diagnostics[diagnostics.length - 1]!.hint = 'nothing was written: pass --force to overwrite, or --dry-run to list every change';
  return new SlsError(diagnostics);
}

/** Conflicts first: they decide whether anything happens at all. */
function conflictsFirst(changes: Change[]): Change[] {
  return [...changes.filter((c) => c.action === 'conflict'), ...changes.filter((c) => c.action !== 'conflict')];
}

/**
 * Runs a generator: `controller <Name> [actions…]`, `scaffold <name> field:type…`,
 * `job <Name>` (with `rate`/`cron`), `function <name>` (with `route`). Returns the changes; with
 * a conflict and no `force`, throws before writing anything.
 */
export async function generate(kind: GeneratorKind, name: string, options: GenerateOptions): Promise<Change[]> {
  const root = resolve(options.root);
  assertApp(root);
  const plan = planGenerator(kind, name, options, 'generate');
  const changes: Change[] = [];
  const ops: FileOp[] = [];

  for (const file of renderBlueprint(plan.blueprint, plan.data)) {
    const existing = readIfExists(join(root, file.path));
    if (existing === undefined) changes.push({ path: file.path, action: 'create' });
    else if (existing === file.contents) changes.push({ path: file.path, action: 'skip', note: 'identical' });
    else if (options.force) changes.push({ path: file.path, action: 'update', note: 'overwritten (--force)' });
    else changes.push({ path: file.path, action: 'conflict' });
    if (existing !== file.contents) ops.push(file);
  }
  for (const file of renderMissingSupport(plan, root)) {
    changes.push({ path: file.path, action: 'create' });
    ops.push(file);
  }
  if (plan.routes.length > 0) {
    const routesFile = join(root, ROUTES_FILE);
    if (!existsSync(routesFile)) {
      throw new SlsError({ text: `${ROUTES_FILE} not found`, hint: "create it: export default defineRoutes((r) => { r.root('home#index'); })" });
    }
    const { source, changed } = addRoutes(readFileSync(routesFile, 'utf8'), plan.routes);
    changes.push(changed ? { path: ROUTES_FILE, action: 'update' } : { path: ROUTES_FILE, action: 'skip', note: 'routes already there' });
    if (changed) ops.push({ path: ROUTES_FILE, contents: source });
  }

  if (plan.config) {
    const config = findConfigFile(root)?.file;
    if (!config) throw new SlsError({ text: `sls-ts.config.ts not found in ${root}`, hint: `a ${kind} declares its table there: create it with export default defineConfig({ name: '…' })` });
    const path = basename(config);
    const { source, changed } = addScaffoldToConfig(readFileSync(config, 'utf8'), path, plan.config);
    changes.push(changed ? { path, action: 'update' } : { path, action: 'skip', note: 'table and link already there' });
    if (changed) ops.push({ path, contents: source });
  }

  const conflicts = changes.filter((change) => change.action === 'conflict');
  if (options.dryRun) {
    await refuseBreakingChange(options, ops, 'written', `generate ${kind} ${name}`);
    return conflictsFirst(changes);
  }
  if (conflicts.length > 0) throw conflictError(conflicts);
  await refuseBreakingChange(options, ops, 'written', `generate ${kind} ${name}`);
  applyFileOps(root, ops);
  return changes;
}

/**
 * Undoes a generator: removes the files it creates (whatever they contain now; support files
 * such as ApplicationController stay) and the lines it added to config/routes.ts.
 */
export async function destroy(kind: GeneratorKind, name: string, options: GenerateOptions): Promise<Change[]> {
  const root = resolve(options.root);
  assertApp(root);
  const plan = planGenerator(kind, name, options, 'destroy');
  const changes: Change[] = [];
  const ops: FileOp[] = [];

  for (const path of blueprintPaths(plan.blueprint, plan.data)) {
    if (!existsSync(join(root, path))) {
      changes.push({ path, action: 'skip', note: 'not found' });
      continue;
    }
    changes.push({ path, action: 'remove' });
    ops.push({ path, remove: true });
  }
  const routesFile = join(root, ROUTES_FILE);
  const original = kind === 'job' ? undefined : readIfExists(routesFile);
  if (original !== undefined) {
    let source = original;
    for (let result = removeRoute(source, plan.ownsRoute); ; result = removeRoute(source, plan.ownsRoute)) {
      if (!result.ok) {
        throw new SlsError({
          text: `cannot read the routes in ${ROUTES_FILE} to remove ${kind} ${name}`,
          hint: 'it needs `export default defineRoutes((r) => { … })` with a block body: remove the lines yourself',
        });
      }
      if (!result.changed) break;
      source = result.source;
    }
    changes.push(source === original ? { path: ROUTES_FILE, action: 'skip', note: 'no routes to remove' } : { path: ROUTES_FILE, action: 'update' });
    if (source !== original) ops.push({ path: ROUTES_FILE, contents: source });
  }

  const config = plan.config && findConfigFile(root)?.file;
  if (plan.config && config) {
    const path = basename(config);
    // A table removed in a stage that retains it is the deploy's concern: here, only the lines go.
    const { source, changed } = removeScaffoldFromConfig(readFileSync(config, 'utf8'), path, plan.config);
    changes.push(changed ? { path, action: 'update' } : { path, action: 'skip', note: 'no table or link to remove' });
    if (changed) ops.push({ path, contents: source });
  }

  if (!changes.some((change) => change.action !== 'skip')) throw notFoundError(kind, name, plan.key, root);
  await refuseBreakingChange(options, ops, 'removed', `destroy ${kind} ${name}`);
  if (!options.dryRun) applyFileOps(root, ops);
  return changes;
}
