import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { SlsError } from '../../../src/shared/errors.js';

const fixtures = fileURLToPath(new URL('../../fixtures/config/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);
const noEnv = {};

const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A throwaway app for the cases a committed fixture cannot hold (syntax errors, .local files). */
function appWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sls-ts-config-'));
  temp.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<SlsError> {
  const error = await loadConfig({ processEnv: noEnv, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlsError);
  return error as SlsError;
}

describe('loadConfig()', () => {
  it('loads a TypeScript config and fills the defaults', async () => {
    const root = fixture('basic');
    const { config, warnings, dependencies } = await loadConfig({ root, processEnv: noEnv });
    expect(config).toMatchObject({ name: 'basic', stage: 'dev', root, configFile: join(root, 'sls-ts.config.ts'), memory: 1024, layout: 'controller' });
    expect(warnings).toEqual([]);
    expect(dependencies).toEqual([join(root, 'sls-ts.config.ts')]);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('calls a config function with the stage and the command', async () => {
    const root = fixture('function-config');
    const dev = await loadConfig({ root, processEnv: noEnv });
    expect(dev.config).toMatchObject({ memory: 512, timeout: 10, tags: { stage: 'dev', command: 'build' } });
    const prod = await loadConfig({ root, stage: 'prod', command: 'deploy', processEnv: noEnv });
    expect(prod.config).toMatchObject({ stage: 'prod', memory: 2048, timeout: 30, tags: { stage: 'prod', command: 'deploy' } });
  });

  it('lists every local file the config imports and the .env files, but no packages', async () => {
    const root = fixture('with-helper');
    const { config, dependencies } = await loadConfig({ root, processEnv: noEnv });
    expect(dependencies.sort()).toEqual([join(root, '.env'), join(root, 'lib/settings.ts'), join(root, 'sls-ts.config.ts')]);
    // The helper ran as itself: import.meta.url names its own file, not the temporary bundle.
    expect(config.env).toEqual({ GREETING: 'hello', HELPER_FILE: join(root, 'lib/settings.ts'), FROM_PACKAGE: 'from-dotenv-package' });
    expect(config).toMatchObject({ memory: 256, timeout: 45 });
  });

  it('loads a .mjs config', async () => {
    const root = fixture('mjs-config');
    const { config } = await loadConfig({ root, processEnv: noEnv });
    expect(config).toMatchObject({ name: 'mjs-config', layout: 'single', configFile: join(root, 'sls-ts.config.mjs') });
  });

  it('removes its temporary bundle, and .sls-ts/ when it created it', async () => {
    for (const name of ['basic', 'function-config', 'with-helper', 'mjs-config']) {
      await loadConfig({ root: fixture(name), processEnv: noEnv });
      expect(existsSync(join(fixture(name), '.sls-ts'))).toBe(false);
    }
    const root = appWith({ 'sls-ts.config.ts': "export default { name: 'kept' };", '.sls-ts/build/keep.txt': 'x' });
    await loadConfig({ root, processEnv: noEnv });
    expect(readdirSync(join(root, '.sls-ts'))).toEqual(['build']);
  });

  it('removes its temporary bundle when the config throws', async () => {
    const root = appWith({ 'sls-ts.config.ts': "throw new Error('boom');\nexport default { name: 'x' };" });
    const error = await loadError({ root });
    expect(error.message).toContain('boom');
    expect(error.diagnostics[0]!.file).toBe(join(root, 'sls-ts.config.ts'));
    expect(existsSync(join(root, '.sls-ts'))).toBe(false);
  });

  it('passes --region over the config', async () => {
    const { config } = await loadConfig({ root: fixture('basic'), region: 'eu-north-1', processEnv: { AWS_REGION: 'us-west-1' } });
    expect(config.region).toBe('eu-north-1');
  });

  it('prefers the .ts config and warns about the one it ignores', async () => {
    const root = appWith({ 'sls-ts.config.ts': "export default { name: 'ts' };", 'sls-ts.config.mjs': "export default { name: 'mjs' };" });
    const { config, warnings } = await loadConfig({ root, processEnv: noEnv });
    expect(config.name).toBe('ts');
    expect(warnings).toEqual([expect.objectContaining({ level: 'warning', file: join(root, 'sls-ts.config.mjs') })]);
  });
});

describe('loadConfig() environment', () => {
  const root = appWith({
    'sls-ts.config.ts': "export default { name: 'env-app', env: { FROM_CONFIG: 'config', SHARED: 'config' } };",
    '.env': 'AA=env\nBB=env\nCC=env\nSHARED=env\nAWS_REGION=eu-west-1\n',
    '.env.dev': 'BB=dev\nCC=dev\n',
    '.env.dev.local': 'CC=local\n',
  });

  it('layers the .env files and process env under the config env', async () => {
    const { config, dependencies } = await loadConfig({ root, processEnv: { CC: 'process', UNRELATED: 'x' } });
    expect(config.env).toEqual({ AA: 'env', BB: 'dev', CC: 'process', SHARED: 'config', FROM_CONFIG: 'config' });
    expect(dependencies).toEqual([join(root, 'sls-ts.config.ts'), join(root, '.env'), join(root, '.env.dev'), join(root, '.env.dev.local')]);
  });

  it('leaves reserved names from .env out of the functions, with a warning naming the file', async () => {
    const { config, warnings } = await loadConfig({ root, processEnv: noEnv });
    expect(config.env).not.toHaveProperty('AWS_REGION');
    // The deploy region is not taken from the functions' .env.
    expect(config.region).toBe('us-east-1');
    expect(warnings).toEqual([
      expect.objectContaining({ level: 'warning', file: join(root, '.env'), text: expect.stringContaining('AWS_REGION') as unknown }),
    ]);
  });
});

describe('loadConfig() errors', () => {
  it('a missing config names the files looked for and suggests sls-ts new', async () => {
    const root = appWith({});
    const error = await loadError({ root });
    for (const name of ['sls-ts.config.ts', 'sls-ts.config.mts', 'sls-ts.config.js', 'sls-ts.config.mjs']) expect(error.message).toContain(name);
    expect(error.hint).toContain('sls-ts new');
  });

  it('a syntax error carries esbuild message, the file and the line', async () => {
    const root = appWith({ 'sls-ts.config.ts': "// line 1\nexport default {\n  name: 'x',,\n};\n" });
    const error = await loadError({ root });
    expect(error.diagnostics[0]).toMatchObject({ file: join(root, 'sls-ts.config.ts'), line: 3 });
    expect(error.message).toMatch(/Expected|Unexpected/);
    expect(existsSync(join(root, '.sls-ts'))).toBe(false);
  });

  it('a syntax error in an imported file names that file', async () => {
    const root = appWith({ 'sls-ts.config.ts': "import { x } from './lib/x.js';\nexport default { name: x };", 'lib/x.ts': "export const x = 'a' +;\n" });
    const error = await loadError({ root });
    expect(error.diagnostics[0]).toMatchObject({ file: join(root, 'lib/x.ts'), line: 1 });
  });

  it('an import that does not resolve names the import', async () => {
    const root = appWith({ 'sls-ts.config.ts': "import { x } from './missing.js';\nexport default { name: x };" });
    const error = await loadError({ root });
    expect(error.diagnostics[0]).toMatchObject({ file: join(root, 'sls-ts.config.ts'), line: 1, text: expect.stringContaining('./missing.js') as unknown });
  });

  it('a package that is not installed suggests installing it', async () => {
    const root = appWith({ 'sls-ts.config.ts': "import x from 'sls-ts-no-such-package';\nexport default { name: String(x) };" });
    const error = await loadError({ root });
    expect(error.hint).toBe('install it in the app: npm install sls-ts-no-such-package');
  });

  it('no default export', async () => {
    const root = appWith({ 'sls-ts.config.ts': "export const config = { name: 'x' };" });
    expect((await loadError({ root })).message).toContain('no default export');
  });

  it('a config function that throws', async () => {
    const root = appWith({ 'sls-ts.config.ts': "export default () => { throw new Error('no secret'); };" });
    const error = await loadError({ root, stage: 'prod' });
    expect(error.message).toContain('no secret');
    expect(error.hint).toContain('"stage":"prod"');
  });

  it('an invalid config reports every problem, each naming the config file', async () => {
    const root = appWith({ 'sls-ts.config.ts': "export default { name: 'x', runtime: 'nodejs20.x', memroy: 1, timeout: 0, env: { TZ: 'UTC' } };" });
    const error = await loadError({ root });
    expect(error.diagnostics.map((d) => d.text.split(':')[0])).toEqual(['memroy', 'timeout', 'env.TZ', 'runtime']);
    expect(error.diagnostics.at(-1)!.level).toBe('warning');
    for (const d of error.diagnostics) expect(d.file).toBe(join(root, 'sls-ts.config.ts'));
    expect(error.message).toBe('memroy: unknown config key');
    expect(error.hint).toBe('did you mean `memory`?');
  });

  it('returns warnings without failing', async () => {
    const root = appWith({ 'sls-ts.config.ts': "export default { name: 'x', runtime: 'nodejs20.x', stages: { prod: {} } };" });
    const { config, warnings } = await loadConfig({ root, stage: 'prdo', processEnv: noEnv });
    expect(config.runtime).toBe('nodejs20.x');
    expect(warnings.map((w) => w.text)).toEqual(['runtime: AWS has deprecated nodejs20.x; use nodejs22.x', 'stage prdo has no overrides in stages']);
    expect(warnings[1]!.hint).toBe('did you mean --stage prod?');
  });

  it('a stage name that cannot go into AWS names', async () => {
    const error = await loadError({ root: fixture('basic'), stage: 'my stage' });
    expect(error.message).toContain('"my stage"');
  });
});
