import { readFileSync, writeFileSync } from 'node:fs';
import { platform } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, createBundler, inspectApp, planFunctions, type BuildResult, type BuiltFunction } from '../../../src/index.js';
import { bundleOptions, nodeTarget } from '../../../src/build/index.js';
import { apiGatewayEvent } from '../../../src/runtime/events/index.js';
import { configFor, copyApp, createScratch, extractZip, fixture, installS3Stub, S3_STUB_MARKER, startSandbox, unzip, unzipCode, unzipText } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());


let root: string;
let dev: BuildResult;

beforeAll(async () => {
  root = copyApp(fixture('shop'), scratch.dir);
  installS3Stub(root);
  dev = await build({ config: await configFor(root) });
});

function fn(result: BuildResult, key: string): BuiltFunction {
  const found = result.manifest.functions.find((f) => f.key === key);
  if (!found) throw new Error(`no function ${key} in ${result.manifest.functions.map((f) => f.key).join(', ')}`);
  return found;
}

/** All the code a function deploys: its entry and the chunks it imports. */
function code(result: BuildResult, key: string): string {
  return unzipCode(join(result.outDir, fn(result, key).artifact.file));
}

/** The function's entry file, `index.mjs` (its handler's file). */
function entry(result: BuildResult, key: string): string {
  return unzipText(join(result.outDir, fn(result, key).artifact.file), 'index.mjs');
}

describe('bundles', () => {
  it('holds only the controllers a function serves', () => {
    expect(code(dev, 'alpha-controller')).toContain('ALPHA_ONLY_MARKER_7d1f');
    expect(code(dev, 'alpha-controller')).not.toContain('BETA_ONLY_MARKER_92ac');
    expect(code(dev, 'beta-controller')).toContain('BETA_ONLY_MARKER_92ac');
    expect(code(dev, 'beta-controller')).not.toContain('ALPHA_ONLY_MARKER_7d1f');
    for (const key of ['home-controller', 'uploads-controller', 'system-controller', 'ping', 'nightly-job']) {
      expect(code(dev, key), key).not.toMatch(/ALPHA_ONLY_MARKER|BETA_ONLY_MARKER/);
    }
  });

  it('holds every controller in the single layout', async () => {
    const single = await build({ config: await configFor(root), layout: 'single', outDir: join(scratch.dir, 'single') });
    const all = code(single, 'controller');
    expect(all).toContain('ALPHA_ONLY_MARKER_7d1f');
    expect(all).toContain('BETA_ONLY_MARKER_92ac');
  });

  it('lets controllers and jobs share chunk files, the same bytes in every zip, and keeps plain functions one file', () => {
    const chunks = new Map<string, Buffer[]>();
    for (const f of dev.manifest.functions) {
      for (const [path, data] of Object.entries(unzip(join(dev.outDir, f.artifact.file)))) {
        if (/^chunk-\w+\.mjs$/.test(path)) chunks.set(path, [...(chunks.get(path) ?? []), Buffer.from(data)]);
      }
    }
    // The runtime is one chunk in the five controllers' zips and the job's, the same bytes in each.
    const shared = [...chunks.values()].filter((copies) => copies.length === 6);
    expect(shared.length).toBeGreaterThan(0);
    for (const copies of shared) for (const copy of copies) expect(copy.equals(copies[0]!)).toBe(true);
    // …and it is shared code: routing and the Controller class, not any one controller.
    const runtime = shared.map((copies) => copies[0]!.toString('utf8')).join('\n');
    expect(runtime).toMatch(/rescueFrom/);
    expect(runtime).not.toMatch(/ALPHA_ONLY_MARKER|BETA_ONLY_MARKER/);
    // A plain function is its own single file (no share of esbuild's helpers either).
    expect(Object.keys(unzip(join(dev.outDir, fn(dev, 'ping').artifact.file)))).toEqual(['index.mjs', 'index.mjs.map']);
  });

  it('ships a module loaded with import() as a chunk the function’s zip holds, and loads it', async () => {
    const home = fn(dev, 'home-controller');
    const files = unzip(join(dev.outDir, home.artifact.file));
    const holders = Object.keys(files).filter((path) => path.endsWith('.mjs') && Buffer.from(files[path]!).toString('utf8').includes('LAZY_NOTE_MARKER_5e0b'));
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatch(/^chunk-\w+\.mjs$/);
    const sandbox = startSandbox(extractZip(join(dev.outDir, home.artifact.file), join(scratch.dir, 'run-home')), home);
    const response = (await sandbox.invoke(apiGatewayEvent({ method: 'GET', path: '/' })).finally(() => sandbox.close())) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ shop: 'open', note: 'LAZY_NOTE_MARKER_5e0b' });
  });

  it('with build.splitting off, gives every function one file, tree-shaken on its own', async () => {
    const whole = await build({ config: await configFor(root, 'whole'), outDir: join(scratch.dir, 'whole') });
    for (const f of whole.manifest.functions) {
      expect(Object.keys(unzip(join(whole.outDir, f.artifact.file))), f.key).toEqual(['index.mjs', 'index.mjs.map']);
    }
    // One module, two helpers, each used by one controller: each bundle holds its own only.
    expect(code(whole, 'alpha-controller')).toContain('ALPHA_LABEL_3c5e');
    expect(code(whole, 'alpha-controller')).not.toContain('BETA_LABEL_8f21');
    expect(code(whole, 'beta-controller')).toContain('BETA_LABEL_8f21');
    expect(code(whole, 'beta-controller')).not.toContain('ALPHA_LABEL_3c5e');
    // Smaller zips than with shared chunks, which carry a little glue and what siblings use.
    const zipped = (result: BuildResult) => result.manifest.functions.filter((f) => f.kind === 'controller').reduce((total, f) => total + f.artifact.zippedBytes, 0);
    expect(zipped(whole)).toBeLessThan(zipped(dev));
  });

  it('keeps plain functions free of the web runtime, and jobs too with build.splitting off', async () => {
    // The controller runtime is several KB; a plain function is its own code plus the require shim.
    expect(fn(dev, 'ping').artifact.unzippedBytes).toBeLessThan(1024);
    expect(code(dev, 'ping')).not.toContain('Controller');
    const whole = await build({ config: await configFor(root, 'whole'), outDir: join(scratch.dir, 'whole-job') });
    expect(code(whole, 'nightly-job')).not.toMatch(/routeTable|rescueFrom/);
    // The modules the job's code came from (its source map's): the job runtime, none of the web's.
    // (Its size is no measure: typed records and performLater's signer make the job runtime itself
    // more than half a controller's bundle.)
    const sources = (key: string) => (JSON.parse(unzipText(join(whole.outDir, fn(whole, key).artifact.file), 'index.mjs.map')) as { sources: string[] }).sources
      .map((source) => source.replace(/^(\.\.\/)+/, ''));
    const web = ['src/runtime/controller.ts', 'src/runtime/dispatch.ts', 'src/runtime/request.ts', 'src/runtime/response.ts', 'src/runtime/handler.ts', 'src/router/table.ts'];
    expect(sources('home-controller')).toEqual(expect.arrayContaining(web));
    expect(sources('nightly-job').filter((source) => source.startsWith('src/')).sort()).toEqual([
      'src/runtime/aws-request.ts', 'src/runtime/decode.ts', 'src/runtime/dynamodb-json.ts', 'src/runtime/job-records.ts', 'src/runtime/job.ts', 'src/runtime/perform-later.ts', 'src/runtime/schedule.ts',
    ]);
  });

  it('leaves @aws-sdk/* external: a bare import, not the installed package’s code', () => {
    const uploads = code(dev, 'uploads-controller');
    expect(uploads).toMatch(/import\s*\{[^}]*S3Client[^}]*\}\s*from\s*"@aws-sdk\/client-s3"/);
    expect(uploads).not.toContain(S3_STUB_MARKER);
    for (const f of dev.manifest.functions.filter((f) => f.key !== 'uploads-controller')) {
      expect(code(dev, f.key), f.key).not.toContain('@aws-sdk');
    }
  });

  it('targets the function’s Node.js runtime and writes ESM', async () => {
    expect(nodeTarget('nodejs22.x')).toBe('node22');
    expect(nodeTarget('nodejs24.x')).toBe('node24');
    const config = await configFor(root);
    const options = bundleOptions(config, { key: 'k', entrySource: '' });
    expect(options).toMatchObject({ format: 'esm', platform: 'node', target: 'node22', bundle: true, minify: true, sourcemap: true });
    expect(options.external).toEqual(['@aws-sdk/*']);
    expect(entry(dev, 'home-controller')).toMatch(/export\s*\{[^}]*as handler\s*\}/);
  });

  it('lets CommonJS-style dynamic require() of a node built-in work in the ESM bundle', async () => {
    const system = fn(dev, 'system-controller');
    const dir = extractZip(join(dev.outDir, system.artifact.file), join(scratch.dir, 'run-system'));
    // Every file of the function, its entry and each shared chunk, has its own shim.
    const files = Object.keys(unzip(join(dev.outDir, system.artifact.file))).filter((path) => path.endsWith('.mjs'));
    expect(files).toContain('index.mjs');
    for (const file of files) {
      expect(readFileSync(join(dir, file), 'utf8').startsWith("import{createRequire as __slsTsCreateRequire}from'node:module';const require=__slsTsCreateRequire(import.meta.url);"), file).toBe(true);
    }
    const sandbox = startSandbox(dir, system);
    const response = (await sandbox.invoke(apiGatewayEvent({ method: 'GET', path: '/system' })).finally(() => sandbox.close())) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ platform: platform() });
  });
});

describe('environment and source maps', () => {
  it('passes .env values and config env to every function, and turns on source maps', () => {
    for (const f of dev.manifest.functions) {
      expect(f.environment, f.key).toEqual({
        SHOP_SECRET: 'dotenv-secret-4417',
        SHOP_STAGE_NOTE: 'dev-note-5521',
        FROM_CONFIG: 'config-value',
        SLS_TS_STAGE: 'dev',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('never puts a .env file, or its values, into a zip', () => {
    for (const f of dev.manifest.functions) {
      const entries = unzip(join(dev.outDir, f.artifact.file));
      expect(Object.keys(entries).every((path) => /^[\w-]+\.mjs(\.map)?$/.test(path)), f.key).toBe(true);
      for (const data of Object.values(entries)) {
        const text = Buffer.from(data).toString('utf8');
        expect(text).not.toContain('dotenv-secret-4417');
        expect(text).not.toContain('dev-note-5521');
      }
    }
  });

  it('ships a source map next to each file of code', () => {
    const entries = unzip(join(dev.outDir, fn(dev, 'alpha-controller').artifact.file));
    const code = Object.keys(entries).filter((path) => path.endsWith('.mjs'));
    expect(code).toContain('index.mjs');
    const sources: string[] = [];
    for (const file of code) {
      expect(Buffer.from(entries[file]!).toString('utf8')).toMatch(new RegExp(`//# sourceMappingURL=${file.replace(/\./g, '\\.')}\\.map\\s*$`));
      const map = JSON.parse(Buffer.from(entries[`${file}.map`]!).toString('utf8')) as { sources: string[]; sourcesContent?: unknown };
      // Paths only, never the sources themselves, and never absolute paths of the build machine.
      expect(map.sourcesContent).toBeUndefined();
      expect(map.sources.every((source) => !source.startsWith('/'))).toBe(true);
      sources.push(...map.sources);
    }
    expect(sources.some((source) => source.endsWith('app/controllers/alpha-controller.ts'))).toBe(true);
  });

  it('leaves NODE_OPTIONS and the map out when source maps are off', async () => {
    const result = await build({ config: await configFor(root, 'nomaps'), outDir: join(scratch.dir, 'nomaps') });
    for (const f of result.manifest.functions) {
      expect(f.environment.NODE_OPTIONS, f.key).toBeUndefined();
      expect(f.environment.SLS_TS_STAGE).toBe('nomaps');
      const files = Object.keys(unzip(join(result.outDir, f.artifact.file)));
      expect(files, f.key).toContain('index.mjs');
      expect(files.every((path) => path.endsWith('.mjs')), f.key).toBe(true);
    }
    expect(code(result, 'home-controller')).not.toContain('sourceMappingURL');
  });
});

describe('createBundler', () => {
  it('rebuilds incrementally: an edited file shows up in the next bundle of the same context', async () => {
    const app = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(app);
    const config = await configFor(app);
    const { app: model } = await inspectApp(app);
    const planned = planFunctions(config, model!).find((f) => f.key === 'beta-controller')!;
    const bundler = createBundler(config);
    try {
      const first = await bundler.bundle(planned);
      const text = (output: typeof first) => Buffer.from(output.files.find((f) => f.path === 'beta-controller.mjs')!.data).toString('utf8');
      expect(text(first)).toContain('BETA_ONLY_MARKER_92ac');
      expect(first.files.map((f) => f.path).sort()).toEqual(['beta-controller.mjs', 'beta-controller.mjs.map']);
      expect(first.inputs).toContain(join(app, 'app', 'controllers', 'beta-controller.ts'));
      expect(first.inputs).toContain(join(app, 'app', 'controllers', 'application-controller.ts'));
      expect(first.inputs).not.toContain(join(app, 'app', 'controllers', 'alpha-controller.ts'));

      const file = join(app, 'app', 'controllers', 'beta-controller.ts');
      writeFileSync(file, readFileSync(file, 'utf8').replace('BETA_ONLY_MARKER_92ac', 'BETA_EDITED_MARKER_0b3e'));
      const second = await bundler.bundle(planned);
      expect(text(second)).toContain('BETA_EDITED_MARKER_0b3e');
      expect(text(second)).not.toContain('BETA_ONLY_MARKER_92ac');
    } finally {
      await bundler.dispose();
    }
  });

  it('starts over when a function’s entry source changes (new routes, new controllers)', async () => {
    const config = await configFor(root);
    const bundler = createBundler(config);
    try {
      const alpha = await bundler.bundle({ key: 'web', entrySource: "export { default as handler } from './app/controllers/alpha-controller.ts';\n" });
      const beta = await bundler.bundle({ key: 'web', entrySource: "export { default as handler } from './app/controllers/beta-controller.ts';\n" });
      const text = (output: typeof alpha) => Buffer.from(output.files.find((f) => f.path === 'web.mjs')!.data).toString('utf8');
      expect(text(alpha)).toContain('ALPHA_ONLY_MARKER_7d1f');
      expect(text(beta)).toContain('BETA_ONLY_MARKER_92ac');
      expect(text(beta)).not.toContain('ALPHA_ONLY_MARKER_7d1f');
    } finally {
      await bundler.dispose();
    }
  });
});
