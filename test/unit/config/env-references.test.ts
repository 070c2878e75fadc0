// ssm:/secret: environment values: checked when the config loads, named (never printed) when malformed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, validateUserConfig } from '../../../src/config/index.js';
import { SlsError } from '../../../src/shared/errors.js';

const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function appWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sls-ts-env-refs-'));
  temp.push(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

const CONFIG = "export default { name: 'refs' };\n";
const errorsOf = (env: Record<string, string>) => validateUserConfig({ name: 'blog', env }).filter((d) => d.level !== 'warning');

describe('env references in the config', () => {
  it('accepts the forms it turns into dynamic references', () => {
    expect(errorsOf({
      A1: 'ssm:/app/db-host',
      B1: 'ssm:/app/db-host:12',
      C1: 'ssm:plain_name.v2',
      D1: 'secret:prod/db',
      E1: 'secret:prod/db:password',
      F1: 'secret:prod/db:password:AWSPREVIOUS',
      G1: 'secret:prod/db::AWSPREVIOUS',
      H1: 'secret:arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf:password',
    })).toEqual([]);
  });

  it.each([
    ['ssm:', 'parameter name'],
    ['ssm:/has space', 'parameter name'],
    ['ssm:/app/x:latest', 'version'],
    ['secret:', 'secret name'],
    ['secret:prod/db:', 'JSON key'],
    ['secret:prod/db:a:b:c', 'too many parts'],
    ['secret:arn:aws:secretsmanager:eu-west-1:1234:secret:x', 'secret name or ARN'],
    ['ssm-secure:/app/password', 'ssm-secure'],
  ])('reports %s as malformed, naming the variable and not the value', (value, fragment) => {
    const errors = errorsOf({ DB_PASSWORD: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('env.DB_PASSWORD');
    expect(errors[0]!.text).toContain(fragment);
    expect(errors[0]!.hint).toBeTruthy();
    if (value.length > 'secret:'.length + 1) expect(`${errors[0]!.text} ${errors[0]!.hint}`).not.toContain(value);
  });

  it('checks controller and action env too', () => {
    const errors = validateUserConfig({ name: 'blog', controllers: { posts: { actions: { create: { env: { KEY: 'secret:' } } } } } });
    expect(errors.map((d) => d.path)).toEqual(['controllers.posts.actions.create.env.KEY']);
  });
});

describe("Lambda's variable names", () => {
  // Lambda (and cfn-lint's E3002) accept [a-zA-Z][a-zA-Z0-9_]+ only.
  it.each(['_PRIVATE', 'A', '1ST'])('rejects %s in the config', (name) => {
    const errors = errorsOf({ [name]: 'x' });
    expect(errors.map((d) => d.path)).toEqual([`env.${name}`]);
    expect(errors[0]!.hint).toContain('starting with a letter, at least 2 characters');
  });

  it('leaves such names from .env out of the functions, with a warning', async () => {
    const root = appWith({ 'sls-ts.config.ts': CONFIG, '.env': '_PRIVATE=1\nX=2\nOK_1=3\n' });
    const { config, warnings } = await loadConfig({ root, processEnv: {} });
    expect(config.env).toEqual({ OK_1: '3' });
    expect(warnings.map((d) => d.text)).toEqual(['_PRIVATE from .env is not passed to functions: it is not a valid variable name', 'X from .env is not passed to functions: it is not a valid variable name']);
  });
});

describe('env references in .env files', () => {
  it('a malformed reference in a .env file is an error naming the variable and the file, not the value', async () => {
    const root = appWith({ 'sls-ts.config.ts': CONFIG, '.env': 'OK=ssm:/fine\nDB_PASSWORD=secret:hunter2 with spaces\n' });
    const error = await loadConfig({ root, processEnv: {} }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    const diagnostics = (error as SlsError).diagnostics;
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: join(root, '.env') });
    expect(diagnostics[0]!.text).toContain('DB_PASSWORD (from .env) is a secret: reference');
    expect(JSON.stringify(diagnostics)).not.toContain('hunter2');
  });

  it('the dev server is warned once that references reach functions unresolved; a .local value silences it', async () => {
    const root = appWith({
      'sls-ts.config.ts': "export default { name: 'refs', controllers: { posts: { env: { API_KEY: 'secret:api:key' } } } };\n",
      '.env': 'DB_HOST=ssm:/app/db-host\nPLAIN=value\n',
    });
    const server = await loadConfig({ root, processEnv: {}, command: 'server' });
    const warnings = server.warnings.filter((d) => d.text.includes('reference'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.text).toContain('API_KEY, DB_HOST are ssm:/secret: references');
    expect(warnings[0]!.hint).toContain('.env.dev.local');
    // A build resolves nothing locally: no warning there.
    expect((await loadConfig({ root, processEnv: {} })).warnings).toEqual([]);

    writeFileSync(join(root, '.env.dev.local'), 'DB_HOST=localhost\n');
    const local = await loadConfig({ root, processEnv: {}, command: 'server' });
    expect(local.config.env.DB_HOST).toBe('localhost');
    expect(local.warnings.find((d) => d.text.includes('reference'))!.text).toMatch(/^API_KEY is an ssm:\/secret: reference/);
  });
});
