// ssm:/secret: env values under `sls-ts invoke --local` (and the dev server, which loads the app the
// same way): no AWS resolves them locally, so functions see the reference text, with one warning,
// unless .env.<stage>.local gives a local value.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { copyApp, createScratch, exampleApp } from '../build/support.js';
import { captureOutput } from '../deploy/support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

describe('invoke --local with ssm:/secret: env values', () => {
  let root: string;
  beforeAll(() => {
    root = copyApp(exampleApp, scratch.dir);
    writeFileSync(join(root, 'app', 'functions', 'show-env.ts'), 'export async function handler() {\n  return { host: process.env.DB_HOST, password: process.env.DB_PASSWORD };\n}\n');
    writeFileSync(join(root, '.env'), 'DB_HOST=ssm:/blog/db-host\nDB_PASSWORD=secret:blog/db:password\n');
  });

  async function invoke() {
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'invoke', 'show-env', '--local', '-C', root], output);
    // example-app's connections table has a TTL, which the local DynamoDB engine warns about: not this test's subject.
    return { code, payload: JSON.parse(output.stdout.join('\n')) as unknown, warnings: output.stderr.filter((line) => line.startsWith('warning') && !line.startsWith('warning resources.connections.ttl:')) };
  }

  it('passes the reference text and warns once, naming the variables', async () => {
    const result = await invoke();
    expect(result.code).toBe(0);
    expect(result.payload).toEqual({ host: 'ssm:/blog/db-host', password: 'secret:blog/db:password' });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('DB_HOST, DB_PASSWORD are ssm:/secret: references that CloudFormation resolves at deploy time');
    expect(result.warnings[0]).toContain('.env.dev.local');
  }, 60_000);

  it('takes local values from .env.dev.local, and then says nothing', async () => {
    writeFileSync(join(root, '.env.dev.local'), 'DB_HOST=localhost\nDB_PASSWORD=local-password\n');
    const result = await invoke();
    expect(result.payload).toEqual({ host: 'localhost', password: 'local-password' });
    expect(result.warnings).toEqual([]);
  }, 60_000);
});
