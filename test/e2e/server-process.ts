// `sls-ts server` as a child process for the e2e tests: its output as it comes, waiting for a
// line, and its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/sls-ts.js', import.meta.url));
const fixturesDir = fileURLToPath(new URL('../fixtures', import.meta.url));

/** A copy of test/fixtures/<name> inside this package (its `import 'sls-ts'` resolves by self-reference), removed by `cleanups`. */
export function copyFixture(name: string, cleanups: Array<() => void>): string {
  const fixture = join(fixturesDir, name);
  const app = mkdtempSync(join(fixturesDir, `.tmp-e2e-${name.replace(/\//g, '-')}-`));
  cpSync(fixture, app, { recursive: true, filter: (source) => !source.includes(`${fixture}/.sls-ts`) });
  cleanups.push(() => rmSync(app, { recursive: true, force: true }));
  return app;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, what: string): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `sls-ts server -C app --port 0 ...args`; `cleanups` gets the kill of a server left running. */
export function startServer(app: string, cleanups: Array<() => void>, args: string[] = []): Running {
  const child = spawn(process.execPath, [bin, 'server', '-C', app, '--port', '0', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    waitFor: (stream, pattern, what) => new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        const match = pattern.exec(output[stream]);
        if (match) return resolve(match);
        if (child.exitCode !== null || Date.now() - started > 15_000) return reject(new Error(`no ${what} (exit ${child.exitCode}); stdout:\n${output.stdout}\nstderr:\n${output.stderr}`));
        setTimeout(check, 10);
      };
      check();
    }),
  };
}
