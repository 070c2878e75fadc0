// bench/local-data.ts (`npm run bench:local-data`): what declared resources cost `sls-ts server`
// (issue #17), each figure against a baseline measured in the same run:
//  1. spawn `bin/sls-ts.js server` → first 200, for test/fixtures/data-app with two tables and a
//     bucket, against the same app without resources (alternating runs). For the app with
//     resources, also the first 200 of a request that reads the table (GET /posts: a Scan);
//  2. a GetItem through the dev server's worker: GET /posts/:id (unmodified @aws-sdk/lib-dynamodb
//     code, dynalite in the engines' thread) against GET /ping, the same controller in the same
//     warm worker without the GetItem, interleaved on one kept-alive connection.
// Targets: first 200 with engines ≤ 500 ms; the GetItem adds ≤ 2 ms p50. The dev server listens
// without waiting for the engines (their ports are chosen first): the first request's worker loads
// the app while they start, and its invocation waits for them — so the engines cost the start only
// what their own start takes beyond the worker's cold start. On a loaded machine (2 cores shared
// with other work) every figure, the baseline's included, reads higher: compare the ratio.
// The server and its workers run the built code (dist/): the test setup's refresh rebuilds it first.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDevServer } from '../src/dev-server/index.js';
import refreshDist from '../test/global-setup.js';
import { spawnServer } from './spawn-server.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(repo, 'test/fixtures/data-app');
const SPAWN_RUNS = 5;
const CALLS = 2000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const check = (value: number, target: number) => (value <= target ? 'ok' : 'OVER TARGET');

/** Copies of the fixture inside this package (`import 'sls-ts'` resolves by self-reference): with two tables and a bucket, and without resources. */
function makeApps(): { withResources: string; without: string; cleanup(): void } {
  const copy = (config: (source: string) => string) => {
    const root = mkdtempSync(join(repo, 'test/fixtures/.tmp-bench-data-'));
    cpSync(fixture, root, { recursive: true, filter: (source) => !source.includes(`${fixture}/.sls-ts`) });
    const file = join(root, 'sls-ts.config.ts');
    writeFileSync(file, config(readFileSync(file, 'utf8')));
    return root;
  };
  const withResources = copy((source) => source.replace("posts: table({ key: 'id' }),", "posts: table({ key: 'id' }),\n    comments: table({ key: 'postId', sort: 'id' }),"));
  const block = (key: string) => new RegExp(`^ {2}${key}: \\{\\n(?: {4}.*\\n)* {2}\\},\\n`, 'm');
  const without = copy((source) => source.replace(block('resources'), '').replace(block('controllers'), '').replace(block('jobs'), ''));
  if (!readFileSync(join(withResources, 'sls-ts.config.ts'), 'utf8').includes('comments') || /resources:|link:/.test(readFileSync(join(without, 'sls-ts.config.ts'), 'utf8'))) {
    throw new Error('the fixture config changed: update makeApps()');
  }
  return { withResources, without, cleanup: () => [withResources, without].forEach((root) => rmSync(root, { recursive: true, force: true })) };
}

/** Spawns the CLI on `app` and times the first 200 of each path, requested one after another. */
async function timeFirst200(app: string, paths: string[]): Promise<number[]> {
  const started = performance.now();
  const { url, stop } = await spawnServer(app);
  try {
    const times: number[] = [];
    for (const path of paths) {
      const response = await fetch(url + path);
      await response.text();
      if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}`);
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    await stop();
  }
}

/** One GET on a kept-alive connection; resolves with its round trip in ms. */
function timedGet(agent: Agent, url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { agent }, (response) => {
      response.resume();
      response.once('end', () => (response.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${url} → ${response.statusCode}`))));
    }).once('error', reject).end();
  });
}

async function getItemOverhead(app: string): Promise<{ getItem: number; ping: number }> {
  const server = await createDevServer({ root: app, port: 0, watch: false, onEvent: () => {} });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const put = await fetch(`${server.url}/posts/p1`, { method: 'PUT', body: JSON.stringify({ title: 'Hello', body: 'x'.repeat(200) }), headers: { 'Content-Type': 'application/json' } });
    if (put.status !== 200) throw new Error(`PUT /posts/p1 → ${put.status}`);
    const getItem: number[] = [];
    const ping: number[] = [];
    // Warm-up: the worker's JIT, the SDK's and dynalite's first calls.
    for (let i = 0; i < 200; i++) {
      await timedGet(agent, `${server.url}/posts/p1`);
      await timedGet(agent, `${server.url}/ping`);
    }
    for (let i = 0; i < CALLS; i++) {
      getItem.push(await timedGet(agent, `${server.url}/posts/p1`));
      ping.push(await timedGet(agent, `${server.url}/ping`));
    }
    return { getItem: median(getItem), ping: median(ping) };
  } finally {
    agent.destroy();
    await server.close();
  }
}

async function main(): Promise<void> {
  refreshDist();
  const apps = makeApps();
  try {
    console.log(`1. spawn \`bin/sls-ts.js server\` → first 200 (${SPAWN_RUNS} alternating runs; data-app with tables posts, comments and bucket uploads, and the same app without resources)`);
    const baseline: number[] = [];
    const ping: number[] = [];
    const scan: number[] = [];
    for (let run = 0; run < SPAWN_RUNS; run++) {
      baseline.push((await timeFirst200(apps.without, ['/ping']))[0]!);
      const [first, afterScan] = await timeFirst200(apps.withResources, ['/ping', '/posts']);
      ping.push(first!);
      scan.push(afterScan!);
    }
    const [base, withEngines, withScan] = [median(baseline), median(ping), median(scan)];
    console.log(`   without resources: ${baseline.map(ms).join(', ')}; median ${ms(base)}`);
    console.log(`   with engines, GET /ping: ${ping.map(ms).join(', ')}; median ${ms(withEngines)} → ${(withEngines / base).toFixed(2)}× the baseline (+${ms(withEngines - base)}) (target ≤ 500 ms) ${check(withEngines, 500)}`);
    console.log(`   with engines, then GET /posts (a Scan): 200 at ${ms(withScan)} after spawn (median)`);

    console.log(`2. GetItem through the dev server's worker: GET /posts/p1 (GetItem) vs GET /ping (none), ${CALLS} each, interleaved, one kept-alive connection`);
    const overhead = await getItemOverhead(apps.withResources);
    const added = overhead.getItem - overhead.ping;
    console.log(`   p50 /ping ${ms(overhead.ping)}; p50 /posts/p1 ${ms(overhead.getItem)} → ${(overhead.getItem / overhead.ping).toFixed(2)}×; the GetItem adds ${ms(added)} p50 (target ≤ 2 ms) ${check(added, 2)}`);
  } finally {
    apps.cleanup();
  }
}

await main();
