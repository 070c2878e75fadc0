// The real `sls-ts` binary under the conditions a terminal user creates: a reader that goes away
// (`| head`), one stream on a terminal and the other redirected, Ctrl-C. AWS is the local double.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsDouble, type AwsDouble } from '../support/aws-double/index.js';
import { copyApp, createScratch, exampleApp } from '../unit/build/support.js';

const bin = fileURLToPath(new URL('../../bin/sls-ts.js', import.meta.url));
let double: AwsDouble;
let scratch: { dir: string; cleanup: () => void };
let appDir: string;

beforeAll(async () => {
  double = await startAwsDouble();
  scratch = createScratch();
  appDir = copyApp(exampleApp, scratch.dir, 'example-app');
  // A deployed stack for `status` to describe.
  const deployed = await slsTs(['deploy', '-C', appDir, '--yes']);
  if (deployed.code !== 0) throw new Error(`the first deploy failed: ${deployed.stderr}`);
}, 60_000);
afterAll(async () => {
  await double.close();
  scratch.cleanup();
});

/** Fake keys, the double as the endpoint, nothing from the machine's AWS setup. */
function awsEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  const nowhere = join(mkdtempSync(join(tmpdir(), 'sls-ts-aws-')), 'none');
  return {
    ...env,
    AWS_ENDPOINT_URL: double.url.replace('127.0.0.1', 'localhost'),
    AWS_ACCESS_KEY_ID: 'AKIDE2ETEST',
    AWS_SECRET_ACCESS_KEY: 'e2e-secret',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TS_POLL_MS: '20',
    CI: 'true',
    ...extra,
  };
}

interface Finished { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/**
 * Spawns the CLI; `closeStdout` closes the reading end of its stdout at once, before the CLI has
 * written anything, so every write it makes meets a closed pipe (what `| head -1` does to the
 * lines after the first) — no timing involved.
 */
function slsTs(args: string[], options: { env?: NodeJS.ProcessEnv; closeStdout?: boolean; closeStderr?: boolean; nodeArgs?: string[] } = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], { env: options.env ?? awsEnv(), cwd: scratch.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    if (options.closeStderr) child.stderr.destroy();
    else child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('a closed stdout (`sls-ts … | head -1`)', () => {
  it('ends every kind of command quietly with exit 0, no EPIPE stack trace', async () => {
    for (const args of [['--help'], ['routes', '-C', appDir], ['build', '-C', appDir], ['status', '-C', appDir]]) {
      const result = await slsTs(args, { closeStdout: true });
      expect({ args, stderr: result.stderr }).toEqual({ args, stderr: '' });
      expect({ args, code: result.code }).toEqual({ args, code: 0 });
    }
  });

  it('a closed stderr does not crash a command either, and its exit code stays', async () => {
    const failed = await slsTs(['routes', '-C', notAnApp()], { closeStderr: true });
    expect(failed.code).toBe(1);
    // A deploy writes its progress to stderr and its result to stdout.
    const fine = await slsTs(['deploy', '-C', appDir, '--yes'], { closeStderr: true });
    expect(fine.stdout).toMatch(/(deployed example-app-dev|example-app-dev is up to date) in /);
    expect(fine.code).toBe(0);
  });
});

/** A folder that exists but holds no app: every command there fails with one error line, exit 1. */
function notAnApp(): string {
  const dir = join(scratch.dir, 'not-an-app');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Node flags that make the CLI see a terminal on one stream, as `sls-ts deploy 2>log` in a terminal does. */
const terminalOn = (stream: 'stdout' | 'stderr') => ['--import', `data:text/javascript,process.${stream}.isTTY=true`];
const ANSI = /\u001b\[/;

describe('colour is decided for each stream from that stream', () => {
  it('stdout on a terminal, stderr redirected: no escape codes in what goes to stderr', async () => {
    const result = await slsTs(['routes', '-C', notAnApp()], { nodeArgs: terminalOn('stdout') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error no sls-ts config in /);
    expect(result.stderr).not.toMatch(ANSI);
  });

  it('stderr on a terminal, stdout redirected: stderr is coloured, stdout is not', async () => {
    const failed = await slsTs(['routes', '-C', notAnApp()], { nodeArgs: terminalOn('stderr') });
    expect(failed.stderr).toMatch(/^\u001b\[31merror\u001b\[0m no sls-ts config in /);
    const status = await slsTs(['status', '-C', appDir], { nodeArgs: terminalOn('stderr') });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^Stack +example-app-dev/m);
    expect(status.stdout).not.toMatch(ANSI);
  });

  it('NO_COLOR turns colour off and FORCE_COLOR on, whatever the streams are', async () => {
    const off = await slsTs(['routes', '-C', notAnApp()], { nodeArgs: terminalOn('stderr'), env: awsEnv({ NO_COLOR: '1' }) });
    expect(off.stderr).toMatch(/^error no sls-ts config/);
    const forced = await slsTs(['routes', '-C', notAnApp()], { env: awsEnv({ FORCE_COLOR: '1' }) });
    expect(forced.stderr).toMatch(/^\u001b\[31merror\u001b\[0m/);
  });
});

/**
 * Spawns the CLI and sends it SIGINT (what Ctrl-C does) once `ready` shows on its stderr: the line
 * that says the CloudFormation operation started, so no timer decides when.
 */
function interruptWhen(args: string[], ready: RegExp): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: awsEnv({ NO_COLOR: '1' }), cwd: scratch.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && ready.test(stderr)) sent = child.kill('SIGINT');
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The double keeps a stack *_IN_PROGRESS for this many DescribeStacks calls: "forever" here. */
function holdOperations(): () => void {
  double.state.settleAfter = Number.MAX_SAFE_INTEGER;
  return () => {
    double.state.settleAfter = 1;
    for (const stack of double.state.stacks.values()) if (stack.settle) stack.settle.after = 0;
  };
}

describe('Ctrl-C while CloudFormation is working', () => {
  it('deploy: says the update goes on in AWS and how to follow it, and exits 130', async () => {
    appendFileSync(join(appDir, 'app', 'functions', 'hello.ts'), "\n;(globalThis as Record<string, unknown>).interrupted = 'e2e';\n");
    const release = holdOperations();
    try {
      const result = await interruptWhen(['deploy', '-C', appDir, '--yes'], /^deploying \d+ changes?…$/m);
      expect(result.code).toBe(130);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^interrupted: the update of example-app-dev goes on in CloudFormation .*`sls-ts status --stage dev`/);
    } finally {
      release();
    }
  });

  it('delete: the same for the stack being deleted', async () => {
    const release = holdOperations();
    try {
      const result = await interruptWhen(['delete', '-C', appDir, '--yes', '--stage', 'dev'], /^deleting example-app-dev…$/m);
      expect(result.code).toBe(130);
      expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^interrupted: the delete of example-app-dev goes on in CloudFormation .*`sls-ts status --stage dev`/);
    } finally {
      release();
    }
  });
});
