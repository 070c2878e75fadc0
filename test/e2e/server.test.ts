// `sls-ts server` through the real binary: start on a free port, serve the fixture app, print one
// line per request, report function errors on stderr only, stop cleanly on SIGINT.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/sls-ts.js', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function waitFor(read: () => string, pattern: RegExp, what: string, timeoutMs = 10_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const match = pattern.exec(read());
      if (match) return resolve(match);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}; output so far:\n${read()}`));
      setTimeout(check, 10);
    };
    check();
  });
}

describe('sls-ts server', () => {
  it('prints its URL first, logs method/path/status/function/duration/cold-warm/request id per request, and exits 0 on SIGINT', async () => {
    const spawned = spawn(process.execPath, [bin, 'server', '-C', 'test/fixtures/dev-app', '--port', '0'], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    let stdout = '';
    let stderr = '';
    spawned.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    spawned.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => spawned.once('exit', (code, signal) => resolve({ code, signal })));

    const [, url] = await waitFor(() => stdout, /^sls-ts server dev-app \(dev, controller layout\) on (http:\/\/127\.0\.0\.1:\d+)\n/, 'the first line');
    expect(url).not.toMatch(/:0$/);
    await waitFor(() => stdout, /express\/\*proxy/, 'the route table');
    // The URL column is padded so the targets line up (server-messages.test.ts).
    expect(stdout).toMatch(new RegExp(`^  GET     ${url}/hello {2,}home#hello$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^  ANY     ${url}/echo {2,}function:echo$`, 'm'));

    const first = await fetch(`${url}/hello?x=1`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ hello: 'world' });
    const second = await fetch(`${url}/hello`);
    await second.text();
    const [firstId, secondId] = [first, second].map((response) => response.headers.get('x-amzn-requestid')!);

    const coldLine = await waitFor(() => stdout, new RegExp(`^GET /hello\\?x=1 200 dev-app-dev-home-controller (\\d+)ms cold(?: init \\d+ms)? ${firstId}$`, 'm'), 'the cold request line');
    expect(Number(coldLine[1])).toBeLessThan(5000);
    await waitFor(() => stdout, new RegExp(`^GET /hello 200 dev-app-dev-home-controller \\d+ms warm ${secondId}$`, 'm'), 'the warm request line');

    // A function error: 502 for the client, the error and its stack on the terminal only.
    const failed = await fetch(`${url}/results/throw`);
    expect(failed.status).toBe(502);
    expect(await failed.text()).toBe('{"message": "Internal server error"}');
    const failedId = failed.headers.get('x-amzn-requestid')!;
    await waitFor(() => stdout, new RegExp(`^GET /results/throw 502 dev-app-dev-results \\d+ms cold ${failedId}$`, 'm'), 'the 502 line');
    await waitFor(() => stderr, new RegExp(`error dev-app-dev-results \\(${failedId}\\): TypeError: kaboom from results\\n\\s+at .*results\\.ts:\\d+:\\d+`), 'the error and its stack');

    // Item 94: a callback-style handler gets the runtime's deprecation warning, once.
    const called = await fetch(`${url}/callbacks/ok`);
    expect(called.status).toBe(200);
    await waitFor(() => stdout + stderr, /dev-app-dev-callbacks: callback-based handlers are deprecated by AWS/, 'the callback deprecation warning');

    const unknown = await fetch(`${url}/nowhere`);
    expect(unknown.status).toBe(403);
    await waitFor(() => stdout, new RegExp(`^GET /nowhere 403 \\d+ms ${unknown.headers.get('x-amzn-requestid')}$`, 'm'), 'the 403 line');

    spawned.kill('SIGINT');
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('serves through the built createDevServer under `node --input-type=module -e`, a flag Lambda workers must not inherit', async () => {
    const script = `import { createDevServer } from ${JSON.stringify(`${root}dist/dev-server/index.js`)};
      const server = await createDevServer({ root: ${JSON.stringify(`${root}test/fixtures/dev-app`)}, port: 0, watch: false });
      const response = await fetch(server.url + '/hello');
      console.log(response.status, await response.text());
      await server.close();`;
    const spawned = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    let stdout = '';
    spawned.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => spawned.once('exit', resolve));
    expect(stdout).toBe('200 {"hello":"world"}\n');
    expect(code).toBe(0);
  });
});
