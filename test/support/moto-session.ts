// One moto_server per test file, with the real `sls-ts` binary and the aws CLI pointed at it
// (shared by the moto e2e files, each of which gets its own moto, scratch folder and AWS home).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { createScratch } from '../unit/build/support.js';
import { startMoto, type Moto } from './moto.js';

const bin = fileURLToPath(new URL('../../bin/sls-ts.js', import.meta.url));
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface MotoSession {
  /** The scratch folder apps are copied into (inside the package, so `sls-ts` resolves). */
  readonly scratchDir: string;
  /** Options for an AWS SDK v3 client talking to moto. */
  sdk(): { region: string; endpoint: string; credentials: typeof credentials };
  /** `sls-ts <args>` run from the scratch folder against moto. */
  slsTs(args: string[]): Promise<CommandResult>;
  /** Runs a command that must succeed in `dir` (with --yes); progress goes to stderr, so both streams are returned as one. */
  succeed(args: string[], dir: string): Promise<string>;
  /** The aws CLI against moto, for what no SDK client of the project's covers: its JSON answer. */
  awsCli(args: string[]): Promise<Record<string, any>>;
}

export interface MotoSessionOptions {
  /** Stack outputs follow an executed change set, as on AWS (moto keeps the first template's; see sitecustomize.py). */
  changeSetOutputs?: boolean;
}

/** Starts moto before the file's tests and stops it (and removes the scratch folder) after them. */
export function useMotoSession(options: MotoSessionOptions = {}): MotoSession {
  let moto: Moto | undefined;
  let scratch: { dir: string; cleanup: () => void } | undefined;
  let awsHome = '';

  beforeAll(async () => {
    moto = await startMoto(options.changeSetOutputs ? { SLS_TS_MOTO_CHANGE_SET_OUTPUTS: '1' } : {});
    scratch = createScratch();
    // Empty config and credentials files: nothing from the machine's own AWS setup leaks in.
    awsHome = mkdtempSync(join(tmpdir(), 'sls-ts-moto-'));
    writeFileSync(join(awsHome, 'config'), '');
    writeFileSync(join(awsHome, 'credentials'), '');
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
    scratch?.cleanup();
    if (awsHome) rmSync(awsHome, { recursive: true, force: true });
  });

  const url = () => moto!.url;

  function awsEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
    return {
      ...env,
      AWS_ENDPOINT_URL: url(),
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(awsHome, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(awsHome, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
      CI: 'true',
    };
  }

  function slsTs(args: string[]): Promise<CommandResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { env: awsEnv(), cwd: scratch!.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  return {
    get scratchDir() {
      return scratch!.dir;
    },
    sdk: () => ({ region: 'us-east-1', endpoint: url(), credentials }),
    slsTs,
    async succeed(args, dir) {
      const result = await slsTs([...args, '-C', dir, '--yes']);
      const output = `${result.stdout}${result.stderr}`;
      expect(result.stderr, output).not.toMatch(/^error /m);
      expect(result.code, output).toBe(0);
      return output;
    },
    awsCli(args) {
      return new Promise((resolve, reject) => {
        execFile('aws', [...args, '--endpoint-url', url(), '--region', 'us-east-1', '--output', 'json'], { env: awsEnv() }, (error, stdout, stderr) => {
          if (error) reject(new Error(`aws ${args.join(' ')}: ${stderr || error.message}`));
          else resolve(stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, any>));
        });
      });
    },
  };
}
