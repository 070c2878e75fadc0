// `--typecheck` for build and deploy, through the real binary, on an app `sls-ts new` wrote: esbuild
// strips types without checking them, so without the check a type error ships.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
const bin = join(repoRoot, 'bin', 'sls-ts.js');
const work = mkdtempSync(join(tmpdir(), 'sls-ts-typecheck-'));
const app = join(work, 'blog');
const controller = join(app, 'app', 'controllers', 'home-controller.ts');

// The outer test run's variables and the machine's AWS setup stay out of the spawned CLI.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|AWS_|NODE_ENV$|TEST$)/.test(key)));

/** Spawns asynchronously: the fake AWS endpoint answers from this process. */
function slsTs(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: app, env: { ...baseEnv, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Links what `npm install` would put in the app's node_modules, from this checkout's. */
function linkDependencies(): void {
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(repoRoot, join(app, 'node_modules', 'sls-ts'), 'dir');
  for (const name of ['typescript', 'vitest', '@types']) symlinkSync(join(repoRoot, 'node_modules', name), join(app, 'node_modules', name), 'dir');
}

let aws: Server;
let awsRequests = 0;
const TYPE_ERROR = "export const broken: number = 'text';\n";
let typeErrorLine = 0;

/** Puts a type error at the end of the home controller (once), so each test can run alone. */
function addTypeError(): void {
  const source = readFileSync(controller, 'utf8');
  if (source.endsWith(TYPE_ERROR)) return;
  typeErrorLine = source.split('\n').length;
  appendFileSync(controller, TYPE_ERROR);
}
let originalConfig = '';
const configFile = join(app, 'sls-ts.config.ts');
/** The generated config with `build` settings added. */
const writeBuildSettings = (settings: string) => writeFileSync(configFile, originalConfig.replace('  memory: 512,', `  memory: 512,\n  build: ${settings},`));

beforeAll(async () => {
  const created = await new Promise<number | null>((done) => {
    spawn(process.execPath, [bin, 'new', 'blog', '--no-install', '--no-git'], { cwd: work, env: baseEnv, stdio: 'ignore' }).on('close', done);
  });
  expect(created).toBe(0);
  linkDependencies();
  originalConfig = readFileSync(configFile, 'utf8');
  aws = createServer((request, response) => {
    awsRequests += 1;
    response.writeHead(500).end();
  });
  await new Promise<void>((listening) => aws.listen(0, '127.0.0.1', listening));
}, 60_000);
afterAll(() => {
  aws?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('--typecheck', { timeout: 120_000 }, () => {
  it('builds a clean app after checking its types', async () => {
    const result = await slsTs(['build', '--typecheck']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^types checked \(tsc --noEmit\) in \d+\.\d s$/m);
    expect(result.stdout).toContain('✓ built 2 functions');
  });

  it('stops build at a type error, naming file and line, and writes no build', async () => {
    addTypeError();
    rmSync(join(app, '.sls-ts'), { recursive: true, force: true });

    const plain = await slsTs(['build']);
    expect(plain.code, 'without the check the type error ships').toBe(0);
    rmSync(join(app, '.sls-ts'), { recursive: true, force: true });

    const checked = await slsTs(['build', '--typecheck']);
    expect(checked.code).toBe(1);
    expect(checked.stderr.trim()).toBe(
      `error app/controllers/home-controller.ts:${typeErrorLine}: Type 'string' is not assignable to type 'number'. (TS2322) — fix the type errors first, or turn the check off (--no-typecheck, or build.typecheck: false in sls-ts.config.ts)`,
    );
    expect(existsSync(join(app, '.sls-ts', 'build'))).toBe(false);
  });

  it('follows build.typecheck in the config, which --no-typecheck overrides', async () => {
    addTypeError();
    writeBuildSettings('{ typecheck: true }');
    const byConfig = await slsTs(['build']);
    expect(byConfig.code).toBe(1);
    expect(byConfig.stderr).toContain(`error app/controllers/home-controller.ts:${typeErrorLine}: Type 'string' is not assignable to type 'number'.`);

    const skipped = await slsTs(['build', '--no-typecheck']);
    expect(skipped.code, skipped.stderr).toBe(0);
    writeFileSync(configFile, originalConfig);
  });

  it('stops deploy at a type error before any AWS call', async () => {
    addTypeError();
    const nowhere = join(work, 'no-aws-config');
    const result = await slsTs(['deploy', '--typecheck', '--yes'], {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(aws.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'AKIDTYPECHECK', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: nowhere, AWS_SHARED_CREDENTIALS_FILE: nowhere, AWS_EC2_METADATA_DISABLED: 'true', CI: 'true',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error app/controllers/home-controller.ts:${typeErrorLine}: Type 'string' is not assignable to type 'number'. (TS2322)`);
    expect(awsRequests).toBe(0);
  });

  it('refuses a config whose build.typecheck is not a boolean', async () => {
    writeBuildSettings("{ typecheck: 'yes' }");
    const result = await slsTs(['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/build\.typecheck.*must be true or false/);
  });
});
