// Reference section F: errors, timeouts and size limits, black-box over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevServerEvent } from '../../../src/dev-server/index.js';
import { echo, INTERNAL_SERVER_ERROR, rawRequest, startDevServer, type Started } from './support.js';

type FunctionError = Extract<DevServerEvent, { type: 'function-error' }>;

let dev: Started;
beforeAll(async () => {
  // A short API Gateway integration timeout keeps the 504 test at two seconds; sleepy's own
  // function timeout (1 s) still fires first, as a 3–29 s Lambda timeout would under a 29 s gateway.
  dev = await startDevServer({ integrationTimeoutMs: 2000 });
});
afterAll(() => dev?.close());

function functionError(response: { headers: Record<string, unknown> }): FunctionError {
  const requestId = response.headers['x-amzn-requestid'];
  const found = dev.events.find((event): event is FunctionError => event.type === 'function-error' && event.requestId === requestId);
  if (!found) throw new Error(`no function-error event for ${String(requestId)}`);
  return found;
}

async function sleepy(ms: number) {
  const started = performance.now();
  const response = await rawRequest(dev.url, { path: `/sleepy?ms=${ms}` });
  return { response, elapsed: performance.now() - started };
}

describe('F. errors', () => {
  it('item 58 (K1): a thrown error → 502 {"message": "Internal server error"}; the stack goes to onEvent only', async () => {
    const response = await rawRequest(dev.url, { path: '/results/throw' });
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    const { error, functionName } = functionError(response);
    expect(functionName).toBe('dev-app-dev-results');
    expect(error.errorType).toBe('TypeError');
    expect(error.errorMessage).toBe('kaboom from results');
    expect(error.trace[0]).toBe('TypeError: kaboom from results');
    expect(error.trace.some((line) => line.includes('results.ts'))).toBe(true);
    expect(response.body.toString()).not.toContain('kaboom');
  });

  it('item 58: a rejected promise → 502 with the error reported locally', async () => {
    const response = await rawRequest(dev.url, { path: '/results/reject' });
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    expect(functionError(response).error).toMatchObject({ errorType: 'RangeError', errorMessage: 'rejected from results' });
  });

  it('item 58 (K1): callback(err) → 502, not 200', async () => {
    const response = await rawRequest(dev.url, { path: '/callbacks/error' });
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    expect(functionError(response).error).toMatchObject({ errorType: 'Error', errorMessage: 'callback failure' });
    const failed = await rawRequest(dev.url, { path: '/callbacks/fail' });
    expect(failed.status).toBe(502);
    expect(functionError(failed).error.errorMessage).toBe('context.fail');
  });

  it('item 70: a failed invocation is never retried — one function error per request', async () => {
    const response = await rawRequest(dev.url, { path: '/results/throw' });
    expect(response.status).toBe(502);
    const requestId = response.headers['x-amzn-requestid'];
    expect(dev.events.filter((event) => event.type === 'function-error' && event.requestId === requestId)).toHaveLength(1);
  });

  it('item 84: a thrown non-Error is reported as errorType typeof value, errorMessage String(value), trace []', async () => {
    const response = await rawRequest(dev.url, { path: '/results/throw-string' });
    expect(response.status).toBe(502);
    expect(functionError(response).error).toEqual({ errorType: 'string', errorMessage: 'a thrown string', trace: [] });
  });

  it('item 59 (K12): a malformed proxy response → the same 502, reported as malformed (not a function error)', async () => {
    const response = await rawRequest(dev.url, { path: '/results/object-body' });
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    const requestId = response.headers['x-amzn-requestid'];
    expect(dev.events.some((event) => event.type === 'malformed' && event.requestId === requestId)).toBe(true);
    expect(dev.events.some((event) => event.type === 'function-error' && event.requestId === requestId)).toBe(false);
  });

  it('item 83: an unserialisable result (a cycle) fails the invocation → 502', async () => {
    const response = await rawRequest(dev.url, { path: '/results/cycle' });
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
  });
});

describe('F. timeouts', () => {
  it('item 64 (K13): the function\'s own timeout → 502 "Task timed out", not 504; item 65: the next request is cold', async () => {
    const warm = await sleepy(0);
    expect(warm.response.status).toBe(200);
    const before = JSON.parse(warm.response.body.toString()) as { environmentId: string; invocations: number };

    const { response, elapsed } = await sleepy(1500);
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1900);
    expect(functionError(response).error.errorMessage).toBe('Task timed out after 1.00 seconds');

    const after = await sleepy(0);
    expect(after.response.status).toBe(200);
    const state = JSON.parse(after.response.body.toString()) as { environmentId: string; invocations: number };
    expect(state.environmentId).not.toBe(before.environmentId);
    expect(state.invocations).toBe(1);
    expect(dev.requestEvent(after.response.headers['x-amzn-requestid'] as string).cold).toBe(true);
  });

  it('K9: the timeout is per invocation — two back-to-back 600 ms calls on one warm worker (1 s timeout) both succeed', async () => {
    const first = await sleepy(600);
    const second = await sleepy(600);
    expect(first.response.status).toBe(200);
    expect(second.response.status).toBe(200);
    const [a, b] = [first, second].map(({ response }) => JSON.parse(response.body.toString()) as { environmentId: string; remainingAtStart: number });
    expect(b!.environmentId).toBe(a!.environmentId);
    // Item 88: each invocation gets its own deadline.
    expect(b!.remainingAtStart).toBeGreaterThan(900);
  });

  it('item 62: past the integration timeout (integrationTimeoutMs) → 504 "Endpoint request timed out"', async () => {
    const started = performance.now();
    const response = await rawRequest(dev.url, { path: '/slow?ms=4000' });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect((JSON.parse(response.body.toString()) as { message: string }).message).toBe('Endpoint request timed out');
    expect(elapsed).toBeGreaterThanOrEqual(1950);
    expect(elapsed).toBeLessThan(3500);
  });
});

describe('F. size limits', () => {
  it('item 66: a request body over 10 MB → 413 with the plain-text body', async () => {
    const response = await fetch(`${dev.url}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 97) });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('HTTP content length exceeded 10485760 bytes.');
  });

  it('item 66: the limit holds for a chunked body without Content-Length too', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 98);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 11; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${dev.url}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('HTTP content length exceeded 10485760 bytes.');
  });

  it('item 67: an event over 6 MB → 413 {"message": "Request Too Long"} with x-amzn-ErrorType BadRequestException', async () => {
    const response = await rawRequest(dev.url, { method: 'POST', path: '/echo', headers: { 'Content-Type': 'text/plain' }, body: Buffer.alloc(6.5 * 1024 * 1024, 99) });
    expect(response.status).toBe(413);
    expect(response.body.toString()).toBe('{"message": "Request Too Long"}');
    expect(response.rawHeaders).toContainEqual(['x-amzn-ErrorType', 'BadRequestException']);
  });

  it('item 67: the whole event counts — 5 MB of binary is 6.7 MB of base64 → 413, while 3 MB of text passes', async () => {
    const binary = await rawRequest(dev.url, { method: 'POST', path: '/echo', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.alloc(5 * 1024 * 1024, 1) });
    expect(binary.status).toBe(413);
    expect(binary.body.toString()).toBe('{"message": "Request Too Long"}');
    const text = await echo(dev.url, '/echo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'z'.repeat(3 * 1024 * 1024) });
    expect(text.event.body).toHaveLength(3 * 1024 * 1024);
  });

  it('item 69: header values over 10 240 bytes in all → 431 before any function runs; exactly 10 240 passes', async () => {
    // Every header is given, so none is added: Host (1 byte) + Connection (5) + X-Big = the total.
    const headers = (total: number) => ({ Host: 'h', Connection: 'close', 'X-Big': 'v'.repeat(total - 1 - 5) });
    expect((await rawRequest(dev.url, { path: '/echo', headers: headers(10240) })).status).toBe(200);
    const before = dev.events.length;
    const over = await rawRequest(dev.url, { path: '/echo', headers: headers(10241) });
    expect(over.status).toBe(431);
    expect(over.body.toString()).toBe('{"message":"Request Header Fields Too Large"}');
    const logged = dev.events.slice(before).filter((event) => event.type === 'request');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ status: 431 });
    expect(logged[0]).not.toHaveProperty('functionName');
  });

  it('item 68: a function response over 6 MB → 502', async () => {
    const response = await rawRequest(dev.url, { path: '/results/too-big' });
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    const requestId = response.headers['x-amzn-requestid'];
    const malformed = dev.events.find((event) => event.type === 'malformed' && event.requestId === requestId);
    expect(malformed?.type === 'malformed' && malformed.reason).toMatch(/6 MB/);
  });
});
