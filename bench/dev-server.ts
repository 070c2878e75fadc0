// bench/dev-server.ts (`npx tsx bench/dev-server.ts`): what `sls-ts server` costs a developer.
//  1. throughput: GET /hello on the dev server serving a JSON hello controller and on a bare
//     node:http server answering the same JSON, in alternating rounds of the same run, each server
//     in its own process: the CLI as users run it (a log line per request) and createDevServer;
//  2. spawn of `bin/sls-ts.js server` → first 200, with the share of it that loading the CLI takes;
//  3. a controller edit → the first response with the new code, while another function stays warm.
// `--throughput` runs part 1 only.
// Targets (issues #7, #14): the CLI ≥ 0.25× the bare server's req/s; first 200 ≤ 0.5 s; edit → new
// response ≤ 300 ms. The servers run the built code (dist/), as `sls-ts server` does: `npm run build` first.
// The load comes from wrk when it is installed (`apt-get install wrk`, `brew install wrk`): written
// in C, it leaves the 2 cores of a small machine to the servers. Without it, autocannon (node)
// competes with them for CPU and the ratios read lower.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDevServer } from '../src/dev-server/index.js';
import { spawnServer } from './spawn-server.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(repo, 'test/fixtures/dev-app');
const bin = join(repo, 'bin/sls-ts.js');
const HELLO = JSON.stringify({ hello: 'world' });
const DURATION_S = 5;
const CONNECTIONS = 10;
const ROUNDS = 3;

type Kind = 'bare' | 'dev' | 'cli';
/** One load run: requests per second, p99 latency (ms), and answers that were not 2xx or failed. */
interface Load { rps: number; p99: number; bad: number }

// autocannon ships no type declarations.
interface AutocannonResult { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number }
const autocannon = createRequire(import.meta.url)('autocannon') as (options: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>;

// BENCH_LOAD=autocannon uses autocannon even where wrk is installed.
const hasWrk = process.env.BENCH_LOAD !== 'autocannon' && spawnSync('wrk', ['--version']).error === undefined;
const LOAD_TOOL = hasWrk ? 'wrk (1 thread)' : 'autocannon (install wrk for figures the load generator does not skew: apt-get install wrk / brew install wrk)';

const check = (ok: boolean) => (ok ? 'ok' : 'MISSED TARGET');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${Math.round(value)} ms`;

function wrk(url: string, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    execFile('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', url], (error, stdout) => {
      if (error) return reject(error);
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
      const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      if (!rps || !p99) return reject(new Error(`unexpected wrk output:\n${stdout}`));
      const unit = { us: 0.001, ms: 1, s: 1000 }[p99[2] as 'us' | 'ms' | 's'];
      const errors = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
      resolve({ rps: Number(rps[1]), p99: Number(p99[1]) * unit, bad: Number(non2xx?.[1] ?? 0) + errors });
    });
  });
}

async function load(url: string, seconds: number): Promise<Load> {
  if (hasWrk) return wrk(url, seconds);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  return { rps: result.requests.average, p99: result.latency.p99, bad: result.non2xx + result.errors };
}

/** Starts one server in its own process (plain node, the built code) and reads its URL. */
async function serveInChild(kind: Kind): Promise<{ url: string; stop(): Promise<void> }> {
  const scripts = {
    bare: `import { createServer } from 'node:http';
      const server = createServer((request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        response.end(${JSON.stringify(HELLO)});
      });
      server.listen(0, '127.0.0.1', () => console.log('on http://127.0.0.1:' + server.address().port));`,
    // The programmatic server with its events dropped: the emulation alone, without the terminal UI.
    dev: `import { createDevServer } from ${JSON.stringify(join(repo, 'dist/dev-server/index.js'))};
      const server = await createDevServer({ root: ${JSON.stringify(fixture)}, port: 0, watch: false, onEvent: () => {} });
      console.log('on ' + server.url);`,
  };
  const args = kind === 'cli' ? [bin, 'server', '-C', fixture, '--port', '0'] : ['--input-type=module', '-e', scripts[kind]];
  // Its stderr (the fixture app's deliberate warnings) is shown only if it fails to start.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out: string | undefined = '';
    // Keeps draining after the URL: the CLI writes a line per request.
    child.stdout!.on('data', (chunk: Buffer) => {
      if (out === undefined) return;
      out += chunk.toString();
      const match = /on (http:\/\/\S+)\n/.exec(out);
      if (match) {
        out = undefined;
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}:\n${errors}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGINT');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function throughput(kind: Kind): Promise<Load> {
  const { url, stop } = await serveInChild(kind);
  try {
    const target = `${url}/hello`;
    const check = await fetch(target);
    if (check.status !== 200 || (await check.text()) !== HELLO) throw new Error(`${kind}: GET /hello did not answer ${HELLO}`);
    await load(target, 1); // warm-up: workers, JIT
    return await load(target, DURATION_S);
  } finally {
    await stop();
  }
}

async function spawnToFirst200(): Promise<{ firstLine: number; first200: number }> {
  const started = performance.now();
  const { url, stop } = await spawnServer(fixture);
  try {
    const firstLine = performance.now() - started;
    const response = await fetch(`${url}/hello`);
    await response.text();
    if (response.status !== 200) throw new Error(`GET /hello → ${response.status}`);
    return { firstLine, first200: performance.now() - started };
  } finally {
    await stop();
  }
}

function nodeImportTime(module: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(module)}); console.log(performance.now() - t);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`import of ${module} failed`))));
  });
}

async function editToNewResponse(): Promise<{ times: number[]; otherWarm: boolean }> {
  // Inside this package, so the copy's `import 'sls-ts'` resolves to this repo by self-reference.
  const root = mkdtempSync(join(repo, 'test/fixtures/.tmp-bench-'));
  try {
    cpSync(fixture, root, { recursive: true, filter: (source) => !source.includes(`${fixture}/.sls-ts`) });
    const server = await createDevServer({ root, port: 0, watch: true, onEvent: () => {} });
    try {
      const environmentOf = async () => ((await (await fetch(`${server.url}/echo`)).json()) as { environmentId: string }).environmentId;
      const warmBefore = await environmentOf();
      await (await fetch(`${server.url}/greeting`)).text();
      const file = join(root, 'app/controllers/greetings-controller.ts');
      const source = readFileSync(file, 'utf8');
      const times: number[] = [];
      for (let version = 2; version <= 8; version++) {
        const expected = JSON.stringify({ greeting: `v${version}` });
        const started = performance.now();
        writeFileSync(file, source.replace("greeting: 'v1'", `greeting: 'v${version}'`));
        for (;;) {
          const body = await (await fetch(`${server.url}/greeting`)).text();
          if (body === expected) break;
          if (performance.now() - started > 5000) throw new Error(`no new response 5 s after the edit (last: ${body})`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        times.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { times, otherWarm: (await environmentOf()) === warmBefore };
    } finally {
      await server.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // Alternating rounds: machine noise (other processes on the cores) then hits the bare server
  // and the dev servers alike, and the median ratio of the rounds is reported.
  console.log(`1. throughput: GET /hello, ${CONNECTIONS} connections, ${DURATION_S} s each (after a 1 s warm-up), ${ROUNDS} alternating rounds, load from ${LOAD_TOOL}`);
  const rounds: Array<Record<Kind, Load>> = [];
  const describe = (load: Load) => `${Math.round(load.rps)} req/s (p99 ${load.p99.toFixed(1)} ms${load.bad ? `, ${load.bad} non-2xx/errors` : ''})`;
  for (let round = 0; round < ROUNDS; round++) {
    const bare = await throughput('bare');
    const cli = await throughput('cli');
    const dev = await throughput('dev');
    rounds.push({ bare, cli, dev });
    console.log(`   round ${round + 1}: bare node:http ${describe(bare)}; sls-ts server (CLI, a line per request) ${describe(cli)} → ${(cli.rps / bare.rps).toFixed(3)}×; createDevServer ${describe(dev)} → ${(dev.rps / bare.rps).toFixed(3)}×`);
  }
  const ratio = (kind: Kind) => median(rounds.map((round) => round[kind].rps / round.bare.rps));
  console.log(`   ratio, median of ${ROUNDS}: sls-ts server ${ratio('cli').toFixed(3)}× (target ≥ 0.25×) ${check(ratio('cli') >= 0.25)}; createDevServer ${ratio('dev').toFixed(3)}×`);
  if (process.argv.includes('--throughput')) return;

  console.log('2. spawn `bin/sls-ts.js server` → first 200 (3 runs)');
  const runs: Array<{ firstLine: number; first200: number }> = [];
  for (let i = 0; i < 3; i++) runs.push(await spawnToFirst200());
  const first200 = median(runs.map((run) => run.first200));
  console.log(`   first line (URL) ${runs.map((run) => ms(run.firstLine)).join(', ')}; first 200 ${runs.map((run) => ms(run.first200)).join(', ')}`);
  console.log(`   median first 200 ${ms(first200)} (target ≤ 500 ms) ${check(first200 <= 500)}`);
  const cliLoad = median([await nodeImportTime(join(repo, 'dist/cli/index.js')), await nodeImportTime(join(repo, 'dist/cli/index.js'))]);
  const devServerLoad = median([await nodeImportTime(join(repo, 'dist/dev-server/index.js')), await nodeImportTime(join(repo, 'dist/dev-server/index.js'))]);
  console.log(`   of which loading dist/cli/index.js (every command's modules) ${ms(cliLoad)}; dist/dev-server/index.js alone ${ms(devServerLoad)}`);

  console.log('3. edit a controller → first response with the new code (7 edits)');
  const edits = await editToNewResponse();
  console.log(`   ${edits.times.map(ms).join(', ')}`);
  console.log(`   median ${ms(median(edits.times))}, max ${ms(Math.max(...edits.times))} (target ≤ 300 ms) ${check(Math.max(...edits.times) <= 300)}; another function stayed warm: ${edits.otherWarm ? 'yes' : 'NO'}`);
}

await main();
