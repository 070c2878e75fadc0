// A build reuses what earlier inspections learnt from each of the app's modules, and unchanged
// zips — each only while every input it depended on is the same: the contents of the files the
// module reaches, the environment.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../../src/index.js';
import { configFor, copyApp, createScratch, fixture, installS3Stub, repoRoot } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

let root: string;
let counter: string;
const alpha = () => join(root, 'app', 'controllers', 'alpha-controller.ts');

/**
 * A shop copy whose alpha controller appends a mark to a file each time its module is loaded,
 * so a test can count how often the build ran the app's code.
 */
beforeEach(() => {
  root = copyApp(fixture('shop'), scratch.dir);
  installS3Stub(root);
  counter = join(root, 'loads.txt');
  writeFileSync(counter, '');
  const source = readFileSync(alpha(), 'utf8');
  writeFileSync(alpha(), `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(counter)}, 'x');\n${source}`);
});

const loads = () => readFileSync(counter, 'utf8').length;
const shaOf = (result: BuildResult, key: string) => result.manifest.functions.find((fn) => fn.key === key)!.artifact.sha256;

async function buildApp(options: { cache?: boolean; outDir?: string } = {}): Promise<BuildResult> {
  return build({ config: await configFor(root), outDir: options.outDir ?? join(root, 'out'), ...(options.cache === false && { cache: false }) });
}

describe('reusing the app inspection', () => {
  afterEach(() => {
    delete process.env.SLS_TS_TEST_EXTRA_ROUTE;
  });

  it('runs the app code once for two builds of unchanged sources, and again with cache: false', async () => {
    const first = await buildApp();
    expect(loads()).toBe(1);
    const second = await buildApp();
    expect(loads()).toBe(1);
    expect(second.manifest).toEqual(first.manifest);
    await buildApp({ cache: false });
    expect(loads()).toBe(2);
  });

  it('still reuses it after a touch that changes no content', async () => {
    await buildApp();
    const later = new Date(Date.now() + 5000);
    utimesSync(alpha(), later, later);
    await buildApp();
    expect(loads()).toBe(1);
  });

  it('inspects again when a file the app loads changes, and sees the change', async () => {
    await buildApp();
    const source = readFileSync(alpha(), 'utf8');
    writeFileSync(alpha(), source.replace(/^}\s*$/m, '  extra() { return this.json({ extra: true }); }\n}\n'));
    writeFileSync(join(root, 'config', 'routes.ts'), readFileSync(join(root, 'config', 'routes.ts'), 'utf8').replace("r.get('/ping'", "r.get('/alpha/extra', 'alpha#extra');\n  r.get('/ping'"));
    const result = await buildApp();
    expect(loads()).toBe(2);
    const alphaFunction = result.manifest.functions.find((fn) => fn.key === 'alpha-controller')!;
    expect(alphaFunction.routes.map((route) => route.path)).toContain('/alpha/extra');
  });

  it('looks at a file that appears in the app folders, and only at that one', async () => {
    await buildApp();
    writeFileSync(join(root, 'app', 'functions', 'pong.ts'), 'export async function handler() { return { statusCode: 200, body: "pong" }; }\n');
    const result = await buildApp();
    expect(result.manifest.functions.map((fn) => fn.key)).toContain('pong');
    expect(loads()).toBe(1);
  });

  it('runs again only the modules that reach an edited file', async () => {
    await buildApp();
    const beta = join(root, 'app', 'controllers', 'beta-controller.ts');
    writeFileSync(beta, readFileSync(beta, 'utf8').replace(/^}\s*$/m, '  again() { return this.json({ again: true }); }\n}\n'));
    const routes = join(root, 'config', 'routes.ts');
    writeFileSync(routes, readFileSync(routes, 'utf8').replace("r.get('/ping'", "r.get('/beta/again', 'beta#again');\n  r.get('/ping'"));
    const result = await buildApp();
    expect(loads()).toBe(1);
    expect(result.manifest.functions.find((fn) => fn.key === 'beta-controller')!.routes.map((route) => route.path)).toEqual(['/beta', '/beta/again']);

    // The base class both controllers import: both run again.
    const base = join(root, 'app', 'controllers', 'application-controller.ts');
    writeFileSync(base, readFileSync(base, 'utf8').replace('{}', '{\n  protected shared() { return 1; }\n}'));
    await buildApp();
    expect(loads()).toBe(2);
  });

  it('fails on a syntax error in a controller no route reaches, on a rebuild as on a first build', async () => {
    const spare = join(root, 'app', 'controllers', 'spare-controller.ts');
    writeFileSync(spare, "import { Controller } from 'sls-ts';\nexport default class SpareController extends Controller {}\n");
    await buildApp();
    writeFileSync(spare, "import { Controller } from 'sls-ts';\nexport default class SpareController extends Controller {\n");
    await expect(buildApp()).rejects.toThrow(/but found end of file/);
    await expect(buildApp({ cache: false })).rejects.toThrow(/but found end of file/);
    expect(loads()).toBe(1);
  });

  it('reports a route that lost its action on every build, at its line, from kept routes and facts', async () => {
    await buildApp();
    writeFileSync(alpha(), readFileSync(alpha(), 'utf8').replace(/\blist\(/, 'renamed('));
    const broken = /alpha#list \(config\/routes\.ts:6\): AlphaController has no action "list"/;
    await expect(buildApp()).rejects.toThrow(broken);
    await expect(buildApp()).rejects.toThrow(broken);
    expect(loads()).toBe(2);
  });

  it('inspects again when the environment changes (routes may read any variable)', async () => {
    const routes = join(root, 'config', 'routes.ts');
    writeFileSync(routes, readFileSync(routes, 'utf8').replace("r.get('/ping'", "if (process.env.SLS_TS_TEST_EXTRA_ROUTE) r.get('/beta/again', 'beta#show');\n  r.get('/ping'"));
    const without = await buildApp();
    process.env.SLS_TS_TEST_EXTRA_ROUTE = '1';
    const withRoute = await buildApp();
    const betaPaths = (result: BuildResult) => result.manifest.functions.find((fn) => fn.key === 'beta-controller')!.routes.map((route) => route.path);
    expect(betaPaths(without)).toEqual(['/beta']);
    expect(betaPaths(withRoute)).toEqual(['/beta', '/beta/again']);
  });

  it('does not record an inspection whose inputs changed while it ran (an editor saving mid-build)', async () => {
    // The controller rewrites itself when loaded: after esbuild read it, before the fingerprint.
    const source = readFileSync(alpha(), 'utf8');
    writeFileSync(alpha(), `import { appendFileSync as touch } from 'node:fs';\ntouch(${JSON.stringify(alpha())}, '\\n');\n${source}`);
    await buildApp();
    await buildApp();
    expect(loads()).toBe(2);
  });

  it('never records a failed inspection: the error is reported on every build until fixed', async () => {
    const routes = join(root, 'config', 'routes.ts');
    const original = readFileSync(routes, 'utf8');
    writeFileSync(routes, original.replace("'alpha#list'", "'alpha#missing'"));
    await expect(buildApp()).rejects.toThrow(/AlphaController has no action "missing"/);
    await expect(buildApp()).rejects.toThrow(/AlphaController has no action "missing"/);
    writeFileSync(routes, original);
    await expect(buildApp()).resolves.toBeDefined();
  });
});

describe('reusing unchanged zips', () => {
  it('gives the same bytes as zipping afresh, and re-zips a zip that was damaged on disk', async () => {
    const out = join(root, 'out');
    const first = await buildApp({ outDir: out });
    const zip = join(out, 'alpha-controller.zip');
    const original = readFileSync(zip);
    writeFileSync(zip, 'not a zip');
    const second = await buildApp({ outDir: out });
    expect(readFileSync(zip).equals(original)).toBe(true);
    expect(second.manifest).toEqual(first.manifest);
    const fresh = await buildApp({ outDir: join(root, 'fresh'), cache: false });
    expect(fresh.manifest.functions.map((fn) => fn.artifact)).toEqual(first.manifest.functions.map((fn) => fn.artifact));
  });

  it('re-zips only the function whose files changed', async () => {
    const out = join(root, 'out');
    const first = await buildApp({ outDir: out });
    const beta = join(root, 'app', 'controllers', 'beta-controller.ts');
    writeFileSync(beta, `${readFileSync(beta, 'utf8')}\n(globalThis as Record<string, unknown>).betaEdited = true;\n`);
    const second = await buildApp({ outDir: out });
    const changed = first.manifest.functions.filter((fn) => shaOf(second, fn.key) !== fn.artifact.sha256).map((fn) => fn.key);
    expect(changed).toEqual(['beta-controller']);
    const betaArtifact = second.manifest.functions.find((fn) => fn.key === 'beta-controller')!.artifact;
    expect(betaArtifact.codeSha256).not.toBe(first.manifest.functions.find((fn) => fn.key === 'beta-controller')!.artifact.codeSha256);
  });

  it('leaves the output untouched when nothing changed, and otherwise puts exactly the new build in place', async () => {
    const out = join(root, 'out');
    const files = () => readdirSync(out).sort();
    const stamps = () => Object.fromEntries(files().map((name) => [name, statSync(join(out, name)).mtimeMs]));
    const contents = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name)).toString('base64')]));
    await buildApp({ outDir: out });
    const written = stamps();
    await buildApp({ outDir: out });
    expect(stamps()).toEqual(written);

    writeFileSync(join(out, 'stray.txt'), 'left by hand');
    await buildApp({ outDir: out });
    expect(files()).toEqual(Object.keys(written));

    const beta = join(root, 'app', 'controllers', 'beta-controller.ts');
    writeFileSync(beta, `${readFileSync(beta, 'utf8')}\n(globalThis as Record<string, unknown>).betaEdited = true;\n`);
    await buildApp({ outDir: out });
    await buildApp({ outDir: join(root, 'fresh'), cache: false });
    expect(contents(out)).toEqual(contents(join(root, 'fresh')));
  });
});

describe('sls-ts build --no-cache', () => {
  it('runs the app code on every build; without the flag the second build reuses the first', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'sls-ts.js'), 'build', '-C', root, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run().status).toBe(0);
    expect(run().status).toBe(0);
    expect(loads()).toBe(1);
    const cold = run('--no-cache');
    expect(cold.stderr).toBe('');
    expect(cold.status).toBe(0);
    expect(loads()).toBe(2);
    expect(existsSync(join(root, '.sls-ts', 'build', 'dev', 'manifest.json'))).toBe(true);
  });
});
