// bench/runtime.ts (`npm run bench:runtime`): the cost of the sls-ts runtime inside Lambda.
//  1. per-invocation time of a JSON hello action through the full handler, against a raw
//     handler that builds the same proxy result by hand, in the same run;
//  2. minified size of a one-controller app's function as `sls-ts build` ships it (with cors off,
//     and on), and its module load time, against a raw handler bundled with esbuild.
// Targets (issues #3, #14): ≤ 10 µs per invocation, ≤ 15 KB (15,360 bytes) minified, ≤ 3 ms load.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { unzipSync } from 'fflate';
import { build } from '../src/build/index.js';
import { loadConfig } from '../src/config/index.js';
import { Controller, createHandler, defineRoutes } from '../src/runtime/index.js';
import refreshDist from '../test/global-setup.js';
import { apiGatewayEvent } from '../src/runtime/events/index.js';
import { createLambdaContext } from '../src/runtime/context.js';
import type { ApiGatewayProxyEvent } from '../src/runtime/types.js';

// Inside the package, so the app's `sls-ts` imports resolve to this repo by self-reference.
const repo = fileURLToPath(new URL('..', import.meta.url));

class HelloController extends Controller {
  index() {
    return this.json({ hello: 'world' });
  }
}

const framework = createHandler({ routes: defineRoutes((r) => r.get('/hello', 'hello#index')), controllers: { hello: HelloController } });
const raw = async (_event: ApiGatewayProxyEvent) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ hello: 'world' }),
  isBase64Encoded: false,
});

const event = apiGatewayEvent({ method: 'GET', path: '/hello', resource: '/hello', headers: { Accept: 'application/json', 'User-Agent': 'bench' } });
const context = createLambdaContext({ functionName: 'bench-hello' });

async function timePerCall(handler: (e: ApiGatewayProxyEvent) => Promise<unknown>, iterations: number): Promise<number> {
  for (let i = 0; i < 20_000; i++) await handler(event);
  const best: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await handler(event);
    best.push(Number(process.hrtime.bigint() - start) / iterations / 1000);
  }
  return Math.min(...best);
}

const check = (value: number, target: number) => (value <= target ? 'ok' : 'OVER TARGET');

const frameworkUs = await timePerCall((e) => framework(e, context), 100_000);
const rawUs = await timePerCall(raw, 100_000);
console.log('dispatch (JSON hello, full handler path)');
console.log(`  sls-ts handler : ${frameworkUs.toFixed(2)} µs/invocation  (target ≤ 10 µs: ${check(frameworkUs, 10)})`);
console.log(`  raw handler    : ${rawUs.toFixed(2)} µs/invocation`);
console.log(`  ratio          : ${(frameworkUs / rawUs).toFixed(1)}× the raw handler`);

// The bundle is measured as the issue measures it: `sls-ts build` of a one-controller app
// (GET /hello/:name → hello#show), summing the minified JavaScript in the function's zip (its
// index.mjs and any chunk it loads; not the source map). The build bundles `sls-ts` as an app
// resolves it, from dist/, so dist/ is rebuilt from the sources first when stale (as tests do).
refreshDist();
const SIZE_TARGET = 15_360;
const app = mkdtempSync(join(repo, '.tmp-bench-runtime-'));
try {
  mkdirSync(join(app, 'config'));
  mkdirSync(join(app, 'app', 'controllers'), { recursive: true });
  writeFileSync(join(app, 'config', 'routes.ts'), `import { defineRoutes } from 'sls-ts';\nexport default defineRoutes((r) => {\n  r.get('/hello/:name', 'hello#show');\n});\n`);
  writeFileSync(join(app, 'app', 'controllers', 'hello-controller.ts'), `import { Controller } from 'sls-ts';\n\nexport default class HelloController extends Controller {\n  show() {\n    return this.json({ hello: this.params.name });\n  }\n}\n`);
  const builtHello = async (cors: string) => {
    writeFileSync(join(app, 'sls-ts.config.ts'), `import { defineConfig } from 'sls-ts/config';\nexport default defineConfig({ name: 'hello'${cors} });\n`);
    const { config } = await loadConfig({ root: app, stage: 'dev', processEnv: {} });
    const result = await build({ config, outDir: join(app, `out${cors ? '-cors' : ''}`) });
    const fn = result.manifest.functions.find((f) => f.key === 'hello-controller')!;
    const files = unzipSync(readFileSync(join(result.outDir, fn.artifact.file)));
    const code = Object.entries(files).filter(([path]) => path.endsWith('.mjs'));
    const dir = join(app, `unzipped${cors ? '-cors' : ''}`);
    mkdirSync(dir);
    for (const [path, data] of Object.entries(files)) writeFileSync(join(dir, path), data);
    return { bytes: code.reduce((sum, [, data]) => sum + data.length, 0), files: code.map(([path]) => path), gzip: gzipSync(Buffer.concat(code.map(([, data]) => data))).length, file: join(dir, 'index.mjs') };
  };
  const hello = await builtHello('');
  const helloCors = await builtHello(", cors: { origins: ['https://app.example.com'], credentials: true }");

  const rawFile = join(app, 'raw.mjs');
  await esbuild({ stdin: { contents: `export const handler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ hello: 'world' }), isBase64Encoded: false });\n`, loader: 'ts' }, outfile: rawFile, bundle: true, minify: true, format: 'esm', platform: 'node', target: 'node22', logLevel: 'error' });
  const rawBytes = readFileSync(rawFile).length;

  // Load time: a fresh node process imports the bundle (after a trivial module, so the ESM
  // loader's own start-up is not counted); median of several runs.
  const loadMs = (file: string) => {
    const runs: number[] = [];
    for (let i = 0; i < 31; i++) {
      const script = `await import('data:text/javascript,export default 1');const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});console.log(performance.now()-t)`;
      runs.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString()));
    }
    return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  };
  const frameworkLoad = loadMs(hello.file);
  const rawLoad = loadMs(rawFile);

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log('\none-controller hello app, `sls-ts build` (controller layout, minified; JS in the zip, no source map)');
  console.log(`  sls-ts bundle  : ${hello.bytes} bytes = ${kb(hello.bytes)} in ${hello.files.join(' + ')} (${kb(hello.gzip)} gzip)  (target ≤ ${SIZE_TARGET} bytes: ${check(hello.bytes, SIZE_TARGET)})`);
  console.log(`  with cors      : ${helloCors.bytes} bytes (a list of origins with credentials: +${helloCors.bytes - hello.bytes})`);
  console.log(`  raw bundle     : ${rawBytes} bytes`);
  console.log(`  module load    : ${frameworkLoad.toFixed(2)} ms median  (target ≤ 3 ms: ${check(frameworkLoad, 3)})`);
  console.log(`  raw load       : ${rawLoad.toFixed(2)} ms median  → ratio ${(frameworkLoad / rawLoad).toFixed(1)}×`);
} finally {
  rmSync(app, { recursive: true, force: true });
}
