// `sls-ts new` as a first-time user meets it, through the real binary, without the network: what
// it lists, how it names the app, what git holds, and what a failed or interrupted install leaves
// (with a package manager that is missing, or a fake one that never finishes).
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
const bin = join(repoRoot, 'bin', 'sls-ts.js');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder outside the checkout, as a user's projects folder is. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sls-ts-new-steps-'));
  temps.push(dir);
  return dir;
}

// Nothing of the outer test run or the developer's git identity leaks into the spawned CLI.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|GIT_|EMAIL$|NODE_ENV$|TEST$)/.test(key)));

/** A git configuration of its own: with an identity, or one that forbids guessing it. */
function gitEnv(identity: boolean, globalIgnore?: string): Record<string, string> {
  const home = workDir();
  const config = join(home, 'gitconfig');
  writeFileSync(config, identity ? '[user]\n\tname = Ada\n\temail = ada@example.com\n' : '[user]\n\tuseConfigOnly = true\n');
  if (globalIgnore !== undefined) {
    writeFileSync(join(home, 'gitignore'), globalIgnore);
    appendFileSync(config, `[core]\n\texcludesFile = ${join(home, 'gitignore')}\n`);
  }
  return { HOME: home, GIT_CONFIG_GLOBAL: config, GIT_CONFIG_NOSYSTEM: '1' };
}

function slsTs(cwd: string, args: string[], env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...baseEnv, ...gitEnv(true), NO_COLOR: '1', ...env }, encoding: 'utf8' });
}

const lines = (text: string) => text.split('\n').map((line) => line.trim().replace(/\s+/g, ' '));
const hasGit = spawnSync('git', ['--version']).status === 0;

describe('sls-ts new: the first steps', () => {
  it('depends on this checkout by a file: path, and an app without node_modules is told to run npm install', () => {
    const work = workDir();
    const created = slsTs(work, ['new', 'blog', '--no-install', '--no-git']);
    expect(created.status, created.stderr).toBe(0);
    const spec = (JSON.parse(readFileSync(join(work, 'blog', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['sls-ts'];
    expect(spec).toBe(`file:${repoRoot}`);
    expect(existsSync(join(spec!.slice('file:'.length), 'package.json'))).toBe(true);

    const routes = slsTs(join(work, 'blog'), ['routes']);
    expect(routes.status).toBe(1);
    expect(routes.stderr).toContain("the app's dependencies are not installed: run npm install in the app");
    expect(routes.stderr).not.toContain('npm install sls-ts');
  });

  // The README's way from a clone: `npm link` in the checkout puts bin/sls-ts on the PATH through
  // a symlink. Installing needs the registry for vitest & co; offline, npm's cache must hold them.
  it('from a clone, through an npm-link-style symlink: the app installs against this checkout and runs', (context) => {
    const prefix = workDir();
    mkdirSync(join(prefix, 'lib', 'node_modules'), { recursive: true });
    mkdirSync(join(prefix, 'bin'));
    symlinkSync(repoRoot, join(prefix, 'lib', 'node_modules', 'sls-ts'), 'dir');
    symlinkSync(join('..', 'lib', 'node_modules', 'sls-ts', 'bin', 'sls-ts.js'), join(prefix, 'bin', 'sls-ts'));
    const work = workDir();
    const env = { ...baseEnv, NO_COLOR: '1', PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH}` };
    const created = spawnSync('sls-ts', ['new', 'blog', '--no-install', '--no-git'], { cwd: work, env, encoding: 'utf8' });
    expect(created.status, created.stderr).toBe(0);
    const app = join(work, 'blog');
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).dependencies).toEqual({ '@aws-sdk/client-dynamodb': '^3.1169.0', '@aws-sdk/lib-dynamodb': '^3.1169.0', 'sls-ts': `file:${repoRoot}` });

    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: app, env, encoding: 'utf8' });
    if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) context.skip("npm's cache lacks the app's dev dependencies: an offline install is not possible here");
    expect(install.status, install.stderr).toBe(0);
    const routes = spawnSync('npx', ['sls-ts', 'routes'], { cwd: app, env, encoding: 'utf8' });
    expect(routes.status, routes.stderr).toBe(0);
    expect(routes.stdout).toMatch(/GET\s+\/\s+home#index\s+blog-dev-home-controller/);
  }, 240_000);

  it('lists every file it creates, and the ones --force overwrites', () => {
    const work = workDir();
    const created = slsTs(work, ['new', 'blog', '--no-install', '--no-git']);
    expect(created.status, created.stderr).toBe(0);
    expect(lines(created.stdout)).toEqual(expect.arrayContaining([
      'create .gitignore', 'create app/controllers/home-controller.ts', 'create config/routes.ts', 'create package.json', 'create sls-ts.config.ts', 'create test/app.test.ts',
    ]));
    expect(lines(created.stdout).filter((line) => line.startsWith('create '))).toHaveLength(16);

    writeFileSync(join(work, 'blog', 'package.json'), '{"name":"mine"}\n');
    const forced = slsTs(work, ['new', 'blog', '--no-install', '--no-git', '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(lines(forced.stdout)).toContain('update package.json (overwritten (--force))');
    expect(lines(forced.stdout)).toContain('skip sls-ts.config.ts (identical)');
  });

  it.runIf(hasGit)('makes a first commit when git has an identity, and says so when it has none', () => {
    const work = workDir();
    const committed = slsTs(work, ['new', 'blog', '--no-install']);
    expect(committed.status, committed.stderr).toBe(0);
    expect(committed.stdout).toContain('git: initialized, first commit made');
    const git = (...args: string[]) => spawnSync('git', args, { cwd: join(work, 'blog'), encoding: 'utf8', env: { ...baseEnv, ...gitEnv(true) } });
    expect(git('log', '--format=%an %s').stdout.trim()).toBe('Ada Initial commit (sls-ts new)');
    expect(git('status', '--porcelain').stdout).toBe('');
    expect(git('ls-files').stdout.split('\n')).toContain('sls-ts.config.ts');

    const anonymous = slsTs(work, ['new', 'shop', '--no-install'], gitEnv(false));
    expect(anonymous.status, anonymous.stderr).toBe(0);
    expect(anonymous.stdout).toContain('git: initialized without a commit (git has no user.name/user.email): commit the files yourself');
    expect(existsSync(join(work, 'shop', '.git'))).toBe(true);
  });

  it.runIf(hasGit)('commits only the files it wrote when --force writes into a folder with files of yours', () => {
    const work = workDir();
    mkdirSync(join(work, 'blog'));
    writeFileSync(join(work, 'blog', 'notes.txt'), 'mine, not for git\n');
    const forced = slsTs(work, ['new', 'blog', '--no-install', '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('git: initialized, first commit made');
    const git = (...args: string[]) => spawnSync('git', args, { cwd: join(work, 'blog'), encoding: 'utf8', env: { ...baseEnv, ...gitEnv(true) } });
    const committed = git('ls-files').stdout.trim().split('\n');
    expect(committed).toHaveLength(16);
    expect(committed).not.toContain('notes.txt');
    expect(git('status', '--porcelain').stdout).toBe('?? notes.txt\n');
  });

  it.runIf(hasGit)('makes the first commit when a global ignore names one of its files, leaving that file out', () => {
    const work = workDir();
    const created = slsTs(work, ['new', 'blog', '--no-install'], gitEnv(true, '.env\n'));
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain('git: initialized, first commit made');
    const committed = spawnSync('git', ['ls-files'], { cwd: join(work, 'blog'), encoding: 'utf8' }).stdout.trim().split('\n');
    expect(committed).toContain('.env.dev');
    expect(committed).not.toContain('.env');
  });

  it('derives distinct app names, says so, and refuses names and collisions it cannot use', () => {
    const work = workDir();
    const scoped = slsTs(work, ['new', '@acme/app', '--no-install', '--no-git']);
    expect(scoped.status, scoped.stderr).toBe(0);
    expect(scoped.stdout).toContain('note the app is named acme-app in sls-ts.config.ts (stacks acme-app-<stage>)');
    expect(readFileSync(join(work, 'app', 'sls-ts.config.ts'), 'utf8')).toContain("name: 'acme-app',");

    const other = slsTs(work, ['new', '@other/app', '--dir', 'other-app', '--no-install', '--no-git']);
    expect(other.status, other.stderr).toBe(0);
    expect(readFileSync(join(work, 'other-app', 'sls-ts.config.ts'), 'utf8')).toContain("name: 'other-app',");

    const digits = slsTs(work, ['new', '123app', '--no-install', '--no-git']);
    expect(digits.status).toBe(1);
    expect(digits.stderr.trim()).toBe('error "123app" cannot name an sls-ts app: the name prefixes CloudFormation stack names, which must start with a letter — choose a name that starts with a letter, e.g. app-123app');
    expect(existsSync(join(work, '123app'))).toBe(false);

    const twin = slsTs(work, ['new', 'acme-app', '--no-install', '--no-git']);
    expect(twin.status).toBe(1);
    expect(twin.stderr).toContain('an app named "acme-app" exists already in app: both would deploy to the stacks acme-app-<stage>');
    expect(existsSync(join(work, 'acme-app'))).toBe(false);
  });

  it('says what is left and how to finish when the package manager is missing; that command works', () => {
    const work = workDir();
    const noTools = workDir();
    const failed = slsTs(work, ['new', 'blog'], { PATH: noTools });
    expect(failed.status).toBe(1);
    expect(lines(failed.stdout)).toContain('create package.json');
    expect(failed.stderr.trim()).toBe("error npm was not found on this machine: blog/ has the app's files, but not its dependencies — install npm, then finish with: cd blog && npm install");

    // The suggested command, with an npm that records where it ran.
    const fakeBin = workDir();
    writeFileSync(join(fakeBin, 'npm'), `#!${process.execPath}\nrequire('node:fs').writeFileSync('npm-ran', process.argv.slice(2).join(' '));\n`);
    chmodSync(join(fakeBin, 'npm'), 0o755);
    const finish = spawnSync('sh', ['-c', 'cd blog && npm install'], { cwd: work, env: { ...baseEnv, PATH: `${fakeBin}${delimiter}${process.env.PATH}` }, encoding: 'utf8' });
    expect(finish.status, finish.stderr).toBe(0);
    expect(readFileSync(join(work, 'blog', 'npm-ran'), 'utf8')).toBe('install');
  });

  it('stops the install on Ctrl-C, exits 130 and says how to finish', async () => {
    const work = workDir();
    const fakeBin = workDir();
    const pidFile = join(work, 'npm.pid');
    // An install that never ends: it only stops when interrupted.
    writeFileSync(join(fakeBin, 'npm'), `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`);
    chmodSync(join(fakeBin, 'npm'), 0o755);
    mkdirSync(join(work, 'projects'));
    const child = spawn(process.execPath, [bin, 'new', 'blog'], {
      cwd: join(work, 'projects'),
      env: { ...baseEnv, ...gitEnv(true), NO_COLOR: '1', PATH: `${fakeBin}${delimiter}${process.env.PATH}` },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // Interrupt once the install has started and the fake npm runs, as a user would.
    await new Promise<void>((started) => {
      const poll = setInterval(() => {
        if (!stdout.includes('installing dependencies') || !existsSync(pidFile) || !readFileSync(pidFile, 'utf8')) return;
        clearInterval(poll);
        started();
      }, 20);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((exited) => child.on('close', (status) => exited(status)));

    expect(code, stderr).toBe(130);
    expect(stderr.trim()).toBe("error interrupted while installing dependencies: blog/ has the app's files and a git repository, but not its dependencies (no node_modules) — to finish: cd blog && npm install");
    const npmPid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(npmPid, 0)).toThrow();
  }, 30_000);
});
