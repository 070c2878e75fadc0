// `sls-ts new`: renders blueprints/app/<template> plus the generators a template includes into a
// new folder, then installs dependencies and initialises git.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SlsError } from '../shared/errors.js';
import { readIfExists } from '../shared/files.js';
import { assertNoNameCollision, checkAppName } from './app-name.js';
import { APP_TEMPLATES, type AppTemplate } from './app-templates.js';
import { addScaffoldToConfig } from './config-file.js';
import { applyFileOps } from './files.js';
import { addRoutes, ROUTES_FILE, type Change } from './generate.js';
import { planGenerator, type GeneratorInput, type GeneratorKind } from './kinds.js';
import { defaultSlsTsSpec } from './package-info.js';
import { renderBlueprint } from './render.js';
import { execCommand, initGit, installCommand, installDependencies, runScript, type GitResult, type PackageManager } from './setup-steps.js';

export { checkAppName };

export { APP_TEMPLATES, type AppTemplate };

export interface CreateAppOptions {
  /** The npm package name; the folder and the app's config name derive from it. */
  name: string;
  /** Where to write (default: `./<name>`, without an npm scope), relative to `cwd`. */
  dir?: string;
  cwd?: string;
  template?: AppTemplate;
  /** Run the package manager in the new app (default true). */
  install?: boolean;
  /** `git init` the new app (default true). */
  git?: boolean;
  /** Write into a folder that is not empty, overwriting files the app has too. */
  force?: boolean;
  packageManager?: PackageManager;
  /** The app's sls-ts dependency, e.g. `^0.2.0` or `file:../sls-ts` (default: see defaultSlsTsSpec). */
  slsTsSpec?: string;
  /** The package manager's output: shown as it runs, or captured for the error message (default). */
  installOutput?: 'inherit' | 'pipe';
  /** Told before each slow step, so a UI can say what is happening. */
  onStep?: (step: { name: 'install' | 'git'; command: string }) => void;
  /** Told once the files are written (before git and install), so a UI can list them. */
  onWrite?: (changes: readonly Change[]) => void;
  /** Aborting stops the install (Ctrl-C): createApp then throws, saying how to finish. */
  signal?: AbortSignal;
}

export interface CreateAppResult {
  root: string;
  /** The npm package name. */
  name: string;
  /** The name in sls-ts.config.ts (it prefixes stacks and functions). */
  appName: string;
  /** Why appName is not what was typed; missing when it is. */
  appNameDerivedBecause?: string;
  template: AppTemplate;
  slsTsSpec: string;
  /** Files of the app, relative to `root`, sorted. */
  files: string[];
  /** What happened to each file: create, update (overwritten with --force), skip (identical). */
  changes: Change[];
  installed: boolean;
  git: GitResult | 'skipped';
  /** Why the new repository has no first commit. */
  gitNoCommit?: string;
  /** Commands to run next, the first one being `cd <dir>` when the app is elsewhere. */
  nextSteps: string[];
}

// Generators each template runs after rendering its files, through the same code as
// `sls-ts generate`, so a new app and a generated resource never drift apart.
const TEMPLATE_GENERATORS: Record<AppTemplate, Array<[GeneratorKind, string, GeneratorInput]>> = {
  api: [['job', 'heartbeat', {}]],
  full: [
    ['job', 'heartbeat', {}],
    ['scaffold', 'posts', { args: ['title:string', 'body:text'] }],
    ['function', 'hello', { route: true }],
  ],
};

const CONFIG_FILE = 'sls-ts.config.ts';

function assertWritable(root: string, force: boolean): void {
  if (!existsSync(root)) return;
  if (!statSync(root).isDirectory()) throw new SlsError({ text: `${root} exists and is not a folder`, hint: 'choose another name or --dir' });
  // A folder holding only a fresh clone's .git counts as empty.
  const entries = readdirSync(root).filter((entry) => entry !== '.git' && entry !== '.DS_Store');
  if (entries.length > 0 && !force) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
    throw new SlsError({ text: `${root} is not empty (${shown})`, hint: 'choose another folder with --dir, or pass --force to write into it anyway' });
  }
}

/** Every file of the new app: the template's blueprints, then the generators it includes. */
export function renderApp(template: AppTemplate, data: Record<string, unknown>): Map<string, string> {
  const files = new Map<string, string>();
  for (const blueprint of template === 'api' ? ['app/api'] : ['app/api', 'app/full']) {
    for (const file of renderBlueprint(blueprint, data)) files.set(file.path, file.contents);
  }
  for (const [kind, name, input] of TEMPLATE_GENERATORS[template]) {
    const plan = planGenerator(kind, name, input, 'generate');
    for (const file of renderBlueprint(plan.blueprint, plan.data)) files.set(file.path, file.contents);
    if (plan.routes.length > 0) files.set(ROUTES_FILE, addRoutes(files.get(ROUTES_FILE) ?? '', plan.routes).source);
    if (plan.config) files.set(CONFIG_FILE, addScaffoldToConfig(files.get(CONFIG_FILE) ?? '', CONFIG_FILE, plan.config).source);
  }
  return files;
}

/** Each file against what the folder holds: only --force gets this far with existing files. */
function describeWrites(root: string, files: ReadonlyMap<string, string>): Change[] {
  return [...files].map(([path, contents]) => {
    const existing = readIfExists(join(root, path));
    if (existing === undefined) return { path, action: 'create' };
    return existing === contents ? { path, action: 'skip', note: 'identical' } : { path, action: 'update', note: 'overwritten (--force)' };
  });
}

export async function createApp(options: CreateAppOptions): Promise<CreateAppResult> {
  const { name, appName, folder, derivedBecause } = checkAppName(options.name);
  const template = options.template ?? 'api';
  if (!APP_TEMPLATES.includes(template)) {
    throw new SlsError({ text: `unknown template "${String(template)}"`, hint: `use one of: ${APP_TEMPLATES.join(', ')}` });
  }
  const packageManager = options.packageManager ?? 'npm';
  const cwd = resolve(options.cwd ?? process.cwd());
  const root = resolve(cwd, options.dir ?? folder);
  assertWritable(root, options.force ?? false);
  assertNoNameCollision(root, appName, cwd);

  const slsTsSpec = options.slsTsSpec ?? defaultSlsTsSpec();
  const files = renderApp(template, {
    name,
    appName,
    template,
    slsTsSpec,
    install: installCommand(packageManager).slice(0, 2).join(' '),
    dev: runScript(packageManager, 'dev'),
    test: runScript(packageManager, 'test'),
    routes: runScript(packageManager, 'routes'),
    build: runScript(packageManager, 'build'),
    deploy: runScript(packageManager, 'deploy'),
    exec: execCommand(packageManager),
  });
  const changes = describeWrites(root, files).sort((a, b) => (a.path < b.path ? -1 : 1));
  applyFileOps(root, changes.filter((change) => change.action !== 'skip').map(({ path }) => ({ path, contents: files.get(path)! })));
  options.onWrite?.(changes);

  let git: CreateAppResult['git'] = 'skipped';
  let gitNoCommit: string | undefined;
  if (options.git ?? true) {
    options.onStep?.({ name: 'git', command: 'git init' });
    ({ result: git, noCommit: gitNoCommit } = initGit(root, [...files.keys()]));
  }
  const where = relative(cwd, root);
  const cd = where ? `cd ${where.includes(' ') ? JSON.stringify(where) : where}` : undefined;
  const install = options.install ?? true;
  if (install) {
    options.onStep?.({ name: 'install', command: installCommand(packageManager).join(' ') });
    await installDependencies(root, packageManager, {
      ...(options.installOutput && { output: options.installOutput }),
      ...(options.signal && { signal: options.signal }),
      state: `${where || '.'}${where ? '/' : ''} has the app's files${git === 'committed' || git === 'initialized' ? ' and a git repository' : ''}`,
      finish: [cd, installCommand(packageManager).slice(0, 2).join(' ')].filter(Boolean).join(' && '),
    });
  }

  const nextSteps = [
    ...(cd ? [cd] : []),
    ...(install ? [] : [installCommand(packageManager).slice(0, 2).join(' ')]),
    runScript(packageManager, 'dev'),
    runScript(packageManager, 'test'),
    `${execCommand(packageManager)} sls-ts generate scaffold ${template === 'full' ? 'comments' : 'posts'} title:string body:text`,
  ];
  return {
    root, name, appName, ...(derivedBecause && { appNameDerivedBecause: derivedBecause }), template, slsTsSpec,
    files: [...files.keys()].sort(), changes, installed: install, git, ...(gitNoCommit && { gitNoCommit }), nextSteps,
  };
}
