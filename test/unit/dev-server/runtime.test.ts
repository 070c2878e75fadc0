// Reference section I (the Node.js Lambda runtime) and concurrency (item 91), black-box over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServerEvent } from '../../../src/dev-server/index.js';
import { echo, INTERNAL_SERVER_ERROR, rawRequest, sleep, startDevServer, UUID, type Started } from './support.js';

type FunctionError = Extract<DevServerEvent, { type: 'function-error' }>;
interface EnvironmentReport { environmentId: string; threadId: number; invocations: number; startedAt: number; finishedAt: number }

let dev: Started;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev?.close());

const requestIdOf = (response: { headers: Record<string, unknown> }) => response.headers['x-amzn-requestid'] as string;

function functionError(response: { headers: Record<string, unknown> }): FunctionError['error'] {
  const requestId = requestIdOf(response);
  const found = dev.events.find((event): event is FunctionError => event.type === 'function-error' && event.requestId === requestId);
  if (!found) throw new Error(`no function-error event for ${requestId}`);
  return found.error;
}

async function crash(mode: string) {
  const response = await rawRequest(dev.url, { path: `/crash/${mode}` });
  const cold = dev.requestEvent(requestIdOf(response)).cold;
  return { response, cold, state: response.status === 200 ? (JSON.parse(response.body.toString()) as { environmentId: string; invocations: number }) : undefined };
}

describe('I. handlers', () => {
  it('item 78: async handlers return their result; callback handlers call back', async () => {
    expect((await echo(dev.url, '/echo')).event.httpMethod).toBe('GET');
    const response = await rawRequest(dev.url, { path: '/callbacks/ok' });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('called back');
  });

  it('item 78: top-level await in a module finishes before the first invocation', async () => {
    const response = await rawRequest(dev.url, { path: '/late-init' });
    expect(response.status).toBe(200);
    // The function measures its own 400 ms timer with Date.now(); a timer counts from the event
    // loop's cached clock, so it may read a little less. Not awaited, it would read about 0.
    expect((JSON.parse(response.body.toString()) as { initMs: number }).initMs).toBeGreaterThan(200);
  });

  it('item 79: an async handler\'s response goes out without waiting for a pending timer', async () => {
    const started = performance.now();
    const response = await rawRequest(dev.url, { path: '/results/linger' });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('lingered');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('item 80: a callback\'s result waits for the event loop to empty — unless callbackWaitsForEmptyEventLoop is false', async () => {
    let started = performance.now();
    const waited = await rawRequest(dev.url, { path: '/callbacks/linger' });
    expect(waited.status).toBe(200);
    expect(waited.body.toString()).toBe('after the event loop emptied');
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    started = performance.now();
    const direct = await rawRequest(dev.url, { path: '/callbacks/no-wait' });
    expect(direct.body.toString()).toBe('without waiting');
    expect(performance.now() - started).toBeLessThan(350);
  });

  it('item 82: a callback handler that never calls back completes with null once the loop drains → 502', async () => {
    const started = performance.now();
    const response = await rawRequest(dev.url, { path: '/callbacks/never' });
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    // Well before the function's 5 s timeout.
    expect(performance.now() - started).toBeLessThan(2000);
    const requestId = requestIdOf(response);
    expect(dev.events.some((event) => event.type === 'malformed' && event.requestId === requestId)).toBe(true);
  });

  it('item 81: only the first completion counts (callback twice, succeed then callback, done)', async () => {
    for (const [mode, body] of [['twice', 'first'], ['succeed-then-callback', 'succeed won'], ['done', 'done']] as const) {
      const response = await rawRequest(dev.url, { path: `/callbacks/${mode}` });
      expect(response.status, mode).toBe(200);
      expect(response.body.toString(), mode).toBe(body);
    }
  });
});

describe('I. context and environment', () => {
  it('item 87: context fields — functionName, $LATEST, ARN, memoryLimitInMB as a string, unique awsRequestId, log names', async () => {
    const first = await echo(dev.url, '/echo');
    const second = await echo(dev.url, '/echo');
    const { context } = first;
    expect(context.functionName).toBe('dev-app-dev-echo');
    expect(context.functionVersion).toBe('$LATEST');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:123456789012:function:dev-app-dev-echo');
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.awsRequestId).toMatch(UUID);
    expect(second.context.awsRequestId).not.toBe(context.awsRequestId);
    expect(context.logGroupName).toBe('/aws/lambda/dev-app-dev-echo');
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.callbackWaitsForEmptyEventLoop).toBe(true);
    expect(context.hasIdentity).toBe(false);
    expect(context.hasClientContext).toBe(false);
  });

  it('item 88: getRemainingTimeInMillis() starts at most at the timeout and decreases', async () => {
    const { context } = await echo(dev.url, '/echo');
    expect(context.remainingAtStart).toBeLessThanOrEqual(5000);
    expect(context.remainingAtStart).toBeGreaterThan(4500);
    // 25 ms apart in the function (its timer may fire a few ms early by Date.now()): it counts
    // down in milliseconds, not in whole seconds.
    expect(context.remainingLater).toBeLessThan(context.remainingAtStart);
    expect(context.remainingAtStart - context.remainingLater).toBeGreaterThanOrEqual(10);
    expect(context.remainingAtStart - context.remainingLater).toBeLessThan(1000);
  });

  it('item 88: the deadline counts from the invoke, not from a slow Init (400 ms of top-level await, 2 s timeout)', async () => {
    // late-init may already be warm from item 78; recycle it so this request pays its Init again.
    await dev.server.reload();
    const response = await rawRequest(dev.url, { path: '/late-init' });
    expect(dev.requestEvent(requestIdOf(response)).cold).toBe(true);
    const { remaining } = JSON.parse(response.body.toString()) as { remaining: number };
    expect(remaining).toBeLessThanOrEqual(2000);
    // Counted from before Init it would be about 1600.
    expect(remaining).toBeGreaterThan(1750);
  });

  it('item 92: an Init past the cap counts against the timeout — 400 ms of Init with a 200 ms cap leaves about 1 600 of 2 000 ms', async () => {
    const capped = await startDevServer({ initTimeoutMs: 200 });
    try {
      const response = await rawRequest(capped.url, { path: '/late-init' });
      expect(response.status).toBe(200);
      const { initMs, remaining } = JSON.parse(response.body.toString()) as { initMs: number; remaining: number };
      // Init (the function's own 400 ms timer, read with Date.now(): it may read 399) went past the
      // 200 ms cap — the premise; from there no wall-clock arithmetic: the deadline counted from
      // the start of Init, which came before the function's first Date.now().
      expect(initMs).toBeGreaterThan(200);
      // Counted from the invoke instead it would be about 2 000 (item 88's test).
      expect(remaining).toBeLessThanOrEqual(2000 - initMs);
      expect(remaining).toBeGreaterThan(1000);
    } finally {
      await capped.close();
    }
  });

  it('item 92: an Init past the cap and longer than the timeout → 502 "Task timed out", and the next request starts cold again', async () => {
    const capped = await startDevServer({ initTimeoutMs: 200, stage: 'long-init' });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await rawRequest(capped.url, { path: '/late-init' });
        expect(response.status).toBe(502);
        expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
        const requestId = requestIdOf(response);
        expect(capped.requestEvent(requestId).cold).toBe(true);
        const failure = capped.events.find((event): event is FunctionError => event.type === 'function-error' && event.requestId === requestId);
        expect(failure?.error).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
      }
    } finally {
      await capped.close();
    }
  });

  it('item 89: the reserved Lambda variables are set, with the app\'s and the function\'s env', async () => {
    const { env, context } = await echo(dev.url, '/echo');
    expect(env).toEqual({
      AWS_LAMBDA_FUNCTION_NAME: 'dev-app-dev-echo',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/dev-app-dev-echo',
      AWS_LAMBDA_LOG_STREAM_NAME: context.logStreamName,
      AWS_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: '/var/task',
      _HANDLER: 'index.handler',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      GREETING: 'hello from config',
      ECHO_ONLY: 'echo-value',
      SLS_TS_STAGE: 'dev',
      // Lambda sets none, and the dev server's own (vitest's NODE_ENV=test here) is not passed on.
      NODE_ENV: null,
    });
  });

  it('item 89: NODE_ENV is what the app\'s env sets, nothing else', async () => {
    const staged = await startDevServer({ stage: 'node-env' });
    try {
      expect((await echo(staged.url, '/echo')).env.NODE_ENV).toBe('production');
    } finally {
      await staged.close();
    }
  });

  it('a controller\'s error shows its message in the 500 locally, without NODE_ENV', async () => {
    const response = await rawRequest(dev.url, { path: '/boom' });
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body.toString())).toMatchObject({ error: 'Internal Server Error', message: 'kaboom' });
  });
});

describe('I. execution environments', () => {
  it('item 90 (K8): module state persists across warm invocations of one environment', async () => {
    const first = await rawRequest(dev.url, { path: '/crash/count' });
    const second = await rawRequest(dev.url, { path: '/crash/count' });
    const [a, b] = [first, second].map((response) => JSON.parse(response.body.toString()) as { environmentId: string; invocations: number });
    expect(b!.environmentId).toBe(a!.environmentId);
    expect(b!.invocations).toBe(a!.invocations + 1);
    expect(dev.requestEvent(requestIdOf(second)).cold).toBe(false);
  });

  it('item 85: an uncaught exception during an invocation → 502, and the next request is cold with fresh module state', async () => {
    const before = await crash('count');
    const crashed = await crash('during');
    expect(crashed.response.status).toBe(502);
    expect(crashed.response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    expect(functionError(crashed.response).errorMessage).toBe('uncaught inside a timer');
    const after = await crash('count');
    expect(after.cold).toBe(true);
    expect(after.state?.invocations).toBe(1);
    expect(after.state?.environmentId).not.toBe(before.state?.environmentId);
  });

  it('item 85: process.exit() in a handler → 502 (Runtime.ExitError), and the next request is cold', async () => {
    const exited = await crash('exit');
    expect(exited.response.status).toBe(502);
    expect(functionError(exited.response).errorType).toBe('Runtime.ExitError');
    const after = await crash('count');
    expect(after.cold).toBe(true);
    expect(after.state?.invocations).toBe(1);
  });

  it('item 85: an environment that crashes between invocations is replaced — the next request is cold, not stuck until its timeout', async () => {
    const armed = await crash('after');
    expect(armed.response.status).toBe(200);
    await sleep(150);
    const started = performance.now();
    const after = await crash('count');
    expect(after.response.status).toBe(200);
    // A dead worker left in the pool would hold this request until the 5 s function timeout.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(after.cold).toBe(true);
    expect(after.state?.environmentId).not.toBe(armed.state?.environmentId);
    expect(after.state?.invocations).toBe(1);
  });

  it('item 86: a module that throws while loading → 502 on every request (ImportModuleError), each one cold', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await rawRequest(dev.url, { path: '/broken-init' });
      expect(response.status).toBe(502);
      expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
      expect(functionError(response)).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: 'cannot initialise: missing DATABASE_URL' });
      expect(dev.requestEvent(requestIdOf(response)).cold).toBe(true);
    }
  });

  it('item 86: no handler export → 502 on every request (Runtime.HandlerNotFound)', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await rawRequest(dev.url, { path: '/no-handler' });
      expect(response.status).toBe(502);
      expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
      expect(functionError(response)).toEqual({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported', trace: [] });
    }
  });
});

describe('concurrency', () => {
  it('item 91 (K7, K19): overlapping requests run in two environments with separate module state; a later one reuses a warm one', async () => {
    const responses = await Promise.all([rawRequest(dev.url, { path: '/sleepy?ms=400' }), rawRequest(dev.url, { path: '/sleepy?ms=400' })]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const [a, b] = responses.map((response) => JSON.parse(response.body.toString()) as EnvironmentReport) as [EnvironmentReport, EnvironmentReport];
    expect(a.environmentId).not.toBe(b.environmentId);
    expect(a.threadId).not.toBe(b.threadId);
    expect([a.invocations, b.invocations]).toEqual([1, 1]);
    // They ran at the same time, not one after the other.
    expect(a.startedAt).toBeLessThan(b.finishedAt);
    expect(b.startedAt).toBeLessThan(a.finishedAt);
    expect(responses.map((response) => dev.requestEvent(requestIdOf(response)).cold)).toEqual([true, true]);

    const later = await rawRequest(dev.url, { path: '/sleepy?ms=0' });
    const c = JSON.parse(later.body.toString()) as EnvironmentReport;
    expect([a.environmentId, b.environmentId]).toContain(c.environmentId);
    expect(c.invocations).toBe(2);
    expect(dev.requestEvent(requestIdOf(later)).cold).toBe(false);
  });

  it('item 90: sequential requests reuse one warm environment (cold once, then warm)', async () => {
    // A function nothing else in this file calls.
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await rawRequest(dev.url, { path: '/express' }));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(responses.map((response) => dev.requestEvent(requestIdOf(response)).cold)).toEqual([true, false, false, false]);
  });
});

describe('concurrency of a fast function (requests may queue behind a running invocation)', () => {
  let fresh: Started;
  beforeAll(async () => {
    fresh = await startDevServer();
  });
  afterAll(() => fresh?.close());

  const report = (response: { body: Buffer }) => JSON.parse(response.body.toString()) as EnvironmentReport;
  const warmUp = async () => {
    for (let i = 0; i < 3; i++) expect((await rawRequest(fresh.url, { path: '/sleepy?ms=0' })).status).toBe(200);
  };

  it('item 91: under 24 overlapping requests every one is answered and no environment ever runs two at once', async () => {
    await warmUp();
    const responses = await Promise.all(Array.from({ length: 24 }, () => rawRequest(fresh.url, { path: '/sleepy?ms=0' })));
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 24 }, () => 200));
    const byEnvironment = new Map<string, EnvironmentReport[]>();
    for (const response of responses) {
      const run = report(response);
      byEnvironment.set(run.environmentId, [...(byEnvironment.get(run.environmentId) ?? []), run]);
    }
    for (const runs of byEnvironment.values()) {
      runs.sort((x, y) => x.invocations - y.invocations);
      // Each environment counted its invocations one by one, and each began after the previous ended.
      expect(new Set(runs.map((run) => run.invocations)).size).toBe(runs.length);
      for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt);
    }
  });

  it('item 85: requests overlapping one whose environment dies are all answered (none lost with the environment)', async () => {
    for (let i = 0; i < 3; i++) expect((await rawRequest(fresh.url, { path: '/crash/none' })).status).toBe(200);
    const requests = [rawRequest(fresh.url, { path: '/crash/exit' }), ...Array.from({ length: 6 }, () => rawRequest(fresh.url, { path: '/crash/none' }))];
    const [exited, ...others] = await Promise.all(requests);
    expect(exited!.status).toBe(502);
    expect(others.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('hot reload under load: requests overlapping a reload are all answered', async () => {
    await warmUp();
    const requests = Array.from({ length: 30 }, (_, i) => sleep(i).then(() => rawRequest(fresh.url, { path: '/sleepy?ms=0' })));
    await sleep(10);
    await fresh.server.reload();
    const responses = await Promise.all(requests);
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 30 }, () => 200));
  });

  it.each([
    ['awaiting', 'ms'],
    ['spinning in synchronous code that holds its thread', 'spin'],
  ])('item 91: when the fast function turns slow (%s), overlapping requests still run at the same time in two environments', async (_how, parameter) => {
    await warmUp();
    const path = `/sleepy?${parameter}=400`;
    const [a, b] = (await Promise.all([rawRequest(fresh.url, { path }), rawRequest(fresh.url, { path })])).map(report) as [EnvironmentReport, EnvironmentReport];
    expect(a.environmentId).not.toBe(b.environmentId);
    expect(a.startedAt).toBeLessThan(b.finishedAt);
    expect(b.startedAt).toBeLessThan(a.finishedAt);
  });
});

describe('concurrency cap', () => {
  let capped: Started;
  beforeAll(async () => {
    capped = await startDevServer({ maxWorkersPerFunction: 1 });
  });
  afterAll(() => capped?.close());

  it('item 91: with maxWorkersPerFunction 1, overlapping requests queue for the one environment, never interleave', async () => {
    const responses = await Promise.all([rawRequest(capped.url, { path: '/sleepy?ms=300' }), rawRequest(capped.url, { path: '/sleepy?ms=300' })]);
    const reports = responses.map((response) => JSON.parse(response.body.toString()) as EnvironmentReport).sort((x, y) => x.startedAt - y.startedAt);
    const [a, b] = reports as [EnvironmentReport, EnvironmentReport];
    expect(b.environmentId).toBe(a.environmentId);
    expect([a.invocations, b.invocations]).toEqual([1, 2]);
    expect(b.startedAt).toBeGreaterThanOrEqual(a.finishedAt);
  });
});
