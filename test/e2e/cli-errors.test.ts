// Errors that used to point the wrong way, through the real binary: a profile that does not
// exist, a region that does not exist. Nothing here reaches a network: credentials fail before
// any call, and name lookups are answered "not found" inside the CLI's process.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyApp, createScratch, exampleApp } from '../unit/build/support.js';

const bin = fileURLToPath(new URL('../../bin/sls-ts.js', import.meta.url));
let scratch: { dir: string; cleanup: () => void };
let appDir: string;
let awsDir: string;

beforeAll(() => {
  scratch = createScratch();
  appDir = copyApp(exampleApp, scratch.dir, 'example-app');
  awsDir = mkdtempSync(join(scratch.dir, 'aws-'));
  writeFileSync(join(awsDir, 'config'), '[default]\nregion = us-east-1\n\n[profile work]\nregion = eu-west-1\n');
  writeFileSync(join(awsDir, 'credentials'), '[work]\naws_access_key_id = AKIDE2ETEST\naws_secret_access_key = e2e-secret\n');
});
afterAll(() => scratch.cleanup());

/** The machine's AWS setup left out; the shared files are the test's own. */
function awsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return { ...env, AWS_CONFIG_FILE: join(awsDir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1', CI: 'true', ...extra };
}

/** Every host name lookup in the CLI's process fails as for a name that does not exist. */
const noSuchHost = ['--import', `data:text/javascript,${encodeURIComponent("import dns from 'node:dns'; dns.lookup = (host, options, callback) => { const done = typeof options === 'function' ? options : callback; process.nextTick(() => done(Object.assign(new Error('getaddrinfo ENOTFOUND ' + host), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname: host }))); };")}`];

function slsTs(args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], { env: options.env ?? awsEnv(), cwd: scratch.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('error '));

describe('a profile that does not exist', () => {
  it('says it is in neither shared file, naming both, instead of "pass --profile"', async () => {
    const result = await slsTs(['status', '-C', appDir, '--profile', 'nope']);
    expect(result.code).toBe(1);
    const config = join(awsDir, 'config');
    const credentials = join(awsDir, 'credentials');
    expect(errorLines(result.stderr)).toEqual([expect.stringContaining(`AWS profile "nope" (--profile or AWS_PROFILE) is not in ${config} nor in ${credentials}`)]);
    expect(result.stderr).not.toContain('pass --profile');
    expect(result.stderr).toMatch(/ — .*work/);
  });
});

describe('a region that does not exist', () => {
  it('names the region and where it comes from instead of a bare getaddrinfo ENOTFOUND', async () => {
    const result = await slsTs(['status', '-C', appDir, '--profile', 'work', '--region', 'mars-1'], { nodeArgs: noSuchHost });
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/^error cannot reach AWS .*cloudformation\.mars-1\.amazonaws\.com does not resolve — "mars-1" is not an AWS region .*--region/)]);
  });
});
