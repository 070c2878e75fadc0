// The two steps of `sls-ts new` that run other programs: the package manager and git.
import { spawn, spawnSync } from 'node:child_process';
import { SlsError } from '../shared/errors.js';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';
export const PACKAGE_MANAGERS: readonly PackageManager[] = ['npm', 'pnpm', 'yarn'];

// npm, pnpm and yarn are .cmd scripts on Windows, which only a shell can start.
const shell = process.platform === 'win32';

export function installCommand(packageManager: PackageManager): string[] {
  return packageManager === 'npm' ? ['npm', 'install', '--no-audit', '--no-fund'] : [packageManager, 'install'];
}

/** How the app's README and the next steps spell running a script. */
export function runScript(packageManager: PackageManager, script: string): string {
  if (script === 'test') return `${packageManager} test`;
  // `pnpm deploy` is a pnpm command of its own, so pnpm always gets `run`.
  return packageManager === 'yarn' ? `yarn ${script}` : `${packageManager} run ${script}`;
}

export function execCommand(packageManager: PackageManager): string {
  return { npm: 'npx', pnpm: 'pnpm exec', yarn: 'yarn' }[packageManager];
}

export interface InstallOptions {
  /** 'pipe' keeps the package manager quiet and puts the end of its output in the error. */
  output?: 'inherit' | 'pipe';
  /** Aborting stops the package manager (with SIGINT, as Ctrl-C would) and throws an interruption. */
  signal?: AbortSignal;
  /** What is in the folder without the dependencies, for the error: "blog/ has the app's files". */
  state?: string;
  /** The exact command that finishes the job, e.g. `cd blog && npm install`. */
  finish?: string;
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Installs the app's dependencies. A failure says what the folder holds and how to finish, since
 * the app's files are written by then and `new` would refuse the non-empty folder.
 */
export async function installDependencies(dir: string, packageManager: PackageManager, options: InstallOptions = {}): Promise<void> {
  const [command, ...args] = installCommand(packageManager) as [string, ...string[]];
  const spelled = [command, ...args].join(' ');
  const state = options.state ?? `${dir} has the app's files`;
  const finish = options.finish ?? `cd ${dir} && ${spelled}`;
  const { code, signal, log, error } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; log: string; error?: NodeJS.ErrnoException }>((done) => {
    let log = '';
    const child = spawn(command, args, {
      cwd: dir, shell, stdio: options.output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      ...(options.signal && { signal: options.signal, killSignal: 'SIGINT' as const }),
    });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    // An abort reports an error and then closes: wait for the close, so nothing outlives us.
    child.on('error', (error: NodeJS.ErrnoException) => (error.name === 'AbortError' ? undefined : done({ code: null, signal: null, log, error })));
    child.on('close', (code, signal) => done({ code, signal, log }));
  });
  // Ctrl-C reaches the package manager too, which may exit before our own handler aborts.
  if (options.signal?.aborted || signal === 'SIGINT') {
    throw new SlsError(
      { text: `interrupted while installing dependencies: ${state}, but not its dependencies (no node_modules)`, hint: `to finish: ${finish}` },
      { exitCode: INTERRUPTED_EXIT_CODE },
    );
  }
  if (error?.code === 'ENOENT') {
    throw new SlsError({
      text: `${packageManager} was not found on this machine: ${state}, but not its dependencies`,
      hint: `install ${packageManager}, then finish with: ${finish}${packageManager === 'npm' ? '' : ` (or use npm: ${finish.replace(spelled, installCommand('npm').slice(0, 2).join(' '))})`}`,
    });
  }
  if (error || code !== 0) {
    const tail = log.trim().split('\n').slice(-15).join('\n');
    throw new SlsError({
      text: `${spelled} failed (${error ? error.message : signal ? `signal ${signal}` : `exit code ${code}`}) in ${dir}${tail ? `\n${tail}` : ''}`,
      hint: `${state}, but not its dependencies: fix the problem, then finish with: ${finish}`,
    });
  }
}

export type GitResult = 'committed' | 'initialized' | 'inside-repository' | 'unavailable' | 'failed';

export interface GitOutcome {
  result: GitResult;
  /** Why an initialized repository has no first commit. */
  noCommit?: string;
}

/**
 * `git init` and a first commit of the app's files, quietly skipped when git is missing or the
 * app sits inside a repository already. Without a git identity the repository stays without a
 * commit: `new` must not fail over it, nor invent an author. Only `files` (what `new` wrote) are
 * committed: files already in a folder `--force` wrote into are the user's to add or not.
 */
export function initGit(dir: string, files: readonly string[]): GitOutcome {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', shell, stdio: ['ignore', 'pipe', 'pipe'] });
  const inside = git('rev-parse', '--is-inside-work-tree');
  if (inside.error) return { result: 'unavailable' };
  if (inside.status === 0 && inside.stdout.trim() === 'true') return { result: 'inside-repository' };
  if (git('init', '--quiet').status !== 0) return { result: 'failed' };
  // Naming an ignored file (say, a global ignore of .env) would fail `git add`; skip it as --all would.
  const ignored = new Set(git('check-ignore', '--', ...files).stdout.split('\n').filter(Boolean));
  if (git('add', '--', ...files.filter((file) => !ignored.has(file))).status !== 0) return { result: 'initialized', noCommit: 'git add failed' };
  const commit = git('commit', '--quiet', '--no-verify', '-m', 'Initial commit (sls-ts new)');
  if (commit.status === 0) return { result: 'committed' };
  const identity = /identity|tell me who you are|user\.(name|email)/i.test(commit.stderr);
  return {
    result: 'initialized',
    noCommit: identity ? 'git has no user.name/user.email' : (commit.stderr.trim().split('\n')[0] ?? 'git commit failed'),
  };
}
