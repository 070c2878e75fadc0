import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import type { FakeAws } from './fake-aws.js';
import { captureOutput, useDeployFixtures, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures), (fake) => fake.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: 'bucket' }));

const KEYS = ['AWS_CONFIG_FILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE'] as const;
let saved: Record<string, string | undefined>;
let awsDir: string;

beforeAll(() => {
  // The app leaves the region to the environment, as most do.
  const file = join(app.root, 'sls-ts.config.ts');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^\s*region:.*\n/m, ''));
  awsDir = mkdtempSync(join(tmpdir(), 'sls-ts-aws-'));
  writeFileSync(join(awsDir, 'config'), '[default]\nregion = ap-northeast-1\n\n[profile prod]\nregion = eu-west-1\n');
});
afterAll(() => rmSync(awsDir, { recursive: true, force: true }));
beforeEach(() => {
  saved = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));
  for (const key of KEYS) delete process.env[key];
  process.env.AWS_CONFIG_FILE = join(awsDir, 'config');
});
afterEach(() => {
  for (const key of KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

async function stackLine(...args: string[]): Promise<string | undefined> {
  // --profile sets AWS_PROFILE for the rest of the process (one command per process in real use).
  delete process.env.AWS_PROFILE;
  const output = captureOutput();
  expect(await run(['node', 'sls-ts', 'status', '-C', app.root, ...args], output)).toBe(0);
  expect(aws.cfn.calls().length).toBeGreaterThan(0);
  return output.stdout.find((line) => line.includes('example-app-dev ('));
}

describe('the region of a command that talks to AWS', () => {
  it("comes from the profile's config when neither --region, the app config nor AWS_REGION names one", async () => {
    expect(await stackLine('--profile', 'prod')).toContain('(eu-west-1)');
    expect(await stackLine()).toContain('(ap-northeast-1)');
  });

  it('comes from --region, then AWS_REGION, before the profile', async () => {
    expect(await stackLine('--profile', 'prod', '--region', 'ap-southeast-2')).toContain('(ap-southeast-2)');
    process.env.AWS_REGION = 'ca-central-1';
    expect(await stackLine('--profile', 'prod')).toContain('(ca-central-1)');
  });

  it('falls back to us-east-1 when nothing names one', async () => {
    writeFileSync(join(awsDir, 'empty'), '');
    process.env.AWS_CONFIG_FILE = join(awsDir, 'empty');
    expect(await stackLine()).toContain('(us-east-1)');
  });
});
