// bench/runtime.ts (`npm run bench:runtime`): the cost of the sls-ts runtime inside Lambda.
//  1. per-invocation time of a JSON hello action through the full handler, against a raw
//     handler that builds the same proxy result by hand, in the same run;
//  2. minified size and module load time of a one-controller function bundled with esbuild,
//     against the raw handler bundled the same way.
// Targets (issue #3): ≤ 10 µs per invocation, ≤ 15 KB minified, ≤ 3 ms load.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Controller, createHandler, defineRoutes } from '../src/runtime/index.js';
import { apiGatewayEvent } from '../src/runtime/events/index.js';
import { createLambdaContext } from '../src/runtime/context.js';
import type { ApiGatewayProxyEvent } from '../src/runtime/types.js';

const runtimeEntry = fileURLToPath(new URL('../src/runtime/index.ts', import.meta.url));

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

const dir = mkdtempSync(join(tmpdir(), 'sls-ts-bench-'));
try {
  writeFileSync(join(dir, 'hello-controller.ts'), `import { Controller } from 'sls-ts';\nexport default class HelloController extends Controller {\n  index() { return this.json({ hello: 'world' }); }\n}\n`);
  const routes = JSON.stringify([{ method: 'GET', path: '/hello', resource: '/hello', target: { controller: 'hello', action: 'index' } }]);
  // The glue shape the build generates for the controller layout, minified: the routes this
  // function serves, precompiled (the DSL and its checks ran at build time and do not ship), and
  // the controller given back the class name minifying took.
  writeFileSync(join(dir, 'framework-entry.ts'), `import { createRouteHandler, routeTable } from 'sls-ts';\nimport HelloController from './hello-controller';\nObject.defineProperty(HelloController, "name", { value: "HelloController" });\nexport const handler = createRouteHandler({ routes: routeTable(${routes}), controllers: { hello: HelloController } });\n`);
  writeFileSync(join(dir, 'raw-entry.ts'), `export const handler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ hello: 'world' }), isBase64Encoded: false });\n`);

  const sizes: Record<string, { bytes: number; gzip: number; file: string }> = {};
  for (const name of ['framework', 'raw']) {
    const outfile = join(dir, `${name}.mjs`);
    await build({
      entryPoints: [join(dir, `${name}-entry.ts`)], outfile, bundle: true, minify: true, format: 'esm',
      platform: 'node', target: 'node22', alias: { 'sls-ts': runtimeEntry }, logLevel: 'error',
    });
    const code = execFileSync('cat', [outfile]);
    sizes[name] = { bytes: code.length, gzip: gzipSync(code).length, file: outfile };
  }

  // Load time: a fresh node process imports the bundle (after a trivial module, so the ESM
  // loader's own start-up is not counted); median of several runs.
  const loadMs = (file: string) => {
    const runs: number[] = [];
    for (let i = 0; i < 31; i++) {
      const script = `await import('data:text/javascript,export default 1');const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
      runs.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString()));
    }
    return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  };
  const frameworkLoad = loadMs(sizes.framework!.file);
  const rawLoad = loadMs(sizes.raw!.file);

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log('\none-controller function bundle (esbuild, minified, ESM, node22)');
  console.log(`  sls-ts bundle  : ${kb(sizes.framework!.bytes)} = ${sizes.framework!.bytes} bytes (${kb(sizes.framework!.gzip)} gzip)  (target ≤ 15 KB: ${check(sizes.framework!.bytes / 1024, 15)})`);
  console.log(`  raw bundle     : ${kb(sizes.raw!.bytes)}`);
  console.log(`  module load    : ${frameworkLoad.toFixed(2)} ms median  (target ≤ 3 ms: ${check(frameworkLoad, 3)})`);
  console.log(`  raw load       : ${rawLoad.toFixed(2)} ms median  → ratio ${(frameworkLoad / rawLoad).toFixed(1)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
