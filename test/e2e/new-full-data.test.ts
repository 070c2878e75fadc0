// Acceptance of #17: a new app with a scaffold (`new --template full`), installed offline from
// npm's cache with sls-ts linked from this checkout, passes its own tests on the local DynamoDB
// engine — no AWS, no Docker, nothing started by hand. Then a second scaffold, generated into it,
// declares its own table and passes too, and destroy takes the table out of the config again.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
const bin = join(repoRoot, 'bin', 'sls-ts.js');
const work = mkdtempSync(join(tmpdir(), 'sls-ts-new-data-'));
const app = join(work, 'shop');
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The outer vitest's variables would make the app's own vitest think it is nested in this run;
// AWS variables of the machine must not matter: the tests give the SDK the local engine's.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|NODE_ENV$|TEST$|AWS_)/.test(key)));
const run = (command: string, args: string[], cwd = app): SpawnSyncReturns<string> =>
  spawnSync(command, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });
const output = (result: SpawnSyncReturns<string>) => `${result.stdout}\n${result.stderr}`;
const slsTs = (...args: string[]) => run(process.execPath, [bin, ...args]);

describe('a new app with a scaffold, on a clean machine', { timeout: 300_000 }, () => {
  it('installs offline and passes its tests on the local DynamoDB engine, and so does a generated scaffold', (context) => {
    const created = run(process.execPath, [bin, 'new', 'shop', '--template', 'full', '--no-install', '--no-git', '--sls-ts', `file:${repoRoot}`], work);
    expect(created.status, output(created)).toBe(0);
    const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund']);
    if (install.status !== 0 && /ENOTCACHED/.test(install.stderr)) context.skip("npm's cache lacks the app's dependencies: an offline install is not possible here");
    expect(install.status, output(install)).toBe(0);

    const tests = run('npm', ['test']);
    expect(tests.status, output(tests)).toBe(0);
    expect(tests.stdout).toMatch(/test\/posts\.test\.ts \(4 tests\)/);

    const before = readFileSync(join(app, 'sls-ts.config.ts'), 'utf8');
    const generated = slsTs('generate', 'scaffold', 'products', 'name:string', 'price:number');
    expect(generated.status, output(generated)).toBe(0);
    expect(readFileSync(join(app, 'sls-ts.config.ts'), 'utf8')).toContain("    posts: table({ key: 'id' }),\n    products: table({ key: 'id' }),\n");
    const more = run('npm', ['test']);
    expect(more.status, output(more)).toBe(0);
    expect(more.stdout).toMatch(/test\/products\.test\.ts \(4 tests\)/);

    const destroyed = slsTs('destroy', 'scaffold', 'products');
    expect(destroyed.status, output(destroyed)).toBe(0);
    expect(readFileSync(join(app, 'sls-ts.config.ts'), 'utf8')).toBe(before);
  });
});
