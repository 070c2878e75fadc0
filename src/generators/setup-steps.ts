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

/**
 * Installs the app's dependencies. `output: 'pipe'` keeps the package manager quiet and puts the
 * end of its output in the error when it fails; 'inherit' shows it as it runs.
 */
export async function installDependencies(dir: string, packageManager: PackageManager, output: 'inherit' | 'pipe' = 'pipe'): Promise<void> {
  const [command, ...args] = installCommand(packageManager) as [string, ...string[]];
  const spelled = [command, ...args].join(' ');
  const { code, log, error } = await new Promise<{ code: number | null; log: string; error?: NodeJS.ErrnoException }>((done) => {
    let log = '';
    const child = spawn(command, args, { cwd: dir, shell, stdio: output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => done({ code: null, log, error }));
    child.on('close', (code) => done({ code, log }));
  });
  if (error?.code === 'ENOENT') {
    throw new SlsError({ text: `${packageManager} was not found on this machine`, hint: `install ${packageManager}, choose another with --package-manager, or pass --no-install` });
  }
  if (error || code !== 0) {
    const tail = log.trim().split('\n').slice(-15).join('\n');
    throw new SlsError({
      text: `${spelled} failed (${error ? error.message : `exit code ${code}`}) in ${dir}${tail ? `\n${tail}` : ''}`,
      hint: `the app is written: fix the problem, then run ${spelled} in ${dir}`,
    });
  }
}

export type GitResult = 'initialized' | 'inside-repository' | 'unavailable' | 'failed';

/** `git init`, quietly skipped when git is missing or the app sits inside a repository already. */
export function initGit(dir: string): GitResult {
  const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8', shell });
  if (inside.error) return 'unavailable';
  if (inside.status === 0 && inside.stdout.trim() === 'true') return 'inside-repository';
  const init = spawnSync('git', ['init', '--quiet'], { cwd: dir, encoding: 'utf8', shell });
  return init.status === 0 ? 'initialized' : 'failed';
}
