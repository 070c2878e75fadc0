// `sls-ts server` on an HTTP API (`api: 'http'`): payload 2.0 events (reference section C), v2's
// response mapping (section E), its own 404/500 answers and CORS configured on the API (item 76),
// through the real server and workers on the fixture app's `http` and `http-cors` stages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApiEvent } from '../../../src/runtime/types.js';
import { rawRequest, startDevServer, type Started } from './support.js';

// A 1×1 PNG (app/functions/results.ts).
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('an HTTP API', () => {
  let started: Started;
  beforeAll(async () => {
    started = await startDevServer({ stage: 'http' });
  }, 60_000);
  afterAll(() => started.close());

  it('gives the function a payload 2.0 event: route key, decoded rawPath, comma-joined repeats, cookies apart (items 13, 32–37)', async () => {
    const response = await rawRequest(started.url, { path: '/echo/a%20b?x=1&x=2', headers: { Cookie: 'session=abc123; theme=dark', 'X-Probe': ['first', 'second'] } });
    expect(response.status).toBe(200);
    const { event } = JSON.parse(response.body.toString()) as { event: HttpApiEvent & Record<string, unknown> };
    expect(event).toMatchObject({
      version: '2.0', routeKey: 'GET /echo/{id}', rawPath: '/echo/a b', rawQueryString: 'x=1&x=2',
      queryStringParameters: { x: '1,2' }, cookies: ['session=abc123', 'theme=dark'], pathParameters: { id: 'a b' },
      requestContext: { routeKey: 'GET /echo/{id}', stage: '$default', http: { method: 'GET', path: '/echo/a b' } },
    });
    expect(event.headers['x-probe']).toBe('first,second');
    expect(event.headers).not.toHaveProperty('cookie');
    for (const key of ['multiValueHeaders', 'httpMethod', 'resource', 'path']) expect(event).not.toHaveProperty(key);
    // Item 14: the gateway's request id header.
    expect(response.headers['apigw-requestid']).toBe(event.requestContext.requestId);
  });

  it('answers 404 {"message":"Not Found"} for no route, with no stage prefix in the URL (items 11–12)', async () => {
    const missing = await rawRequest(started.url, { path: '/no/such/route' });
    expect([missing.status, missing.body.toString()]).toEqual([404, '{"message":"Not Found"}']);
    expect((await rawRequest(started.url, { path: '/http/hello' })).status).toBe(404);
    expect((await rawRequest(started.url, { path: '/hello' })).status).toBe(200);
  });

  it('infers a 200 JSON response from a result without statusCode (item 52)', async () => {
    const text = await rawRequest(started.url, { path: '/results/string' });
    expect([text.status, text.headers['content-type'], text.body.toString()]).toEqual([200, 'application/json', 'just a string']);
    const noStatus = await rawRequest(started.url, { path: '/results/no-status' });
    expect([noStatus.status, JSON.parse(noStatus.body.toString())]).toEqual([200, { body: 'no status', headers: { 'Content-Type': 'text/plain' } }]);
  });

  it('takes cookies as set-cookie headers and ignores what REST refuses (items 53–54)', async () => {
    const response = await rawRequest(started.url, { path: '/results/unknown-key' });
    expect([response.status, response.body.toString()]).toEqual([200, 'ok']);
    expect(response.headers['set-cookie']).toEqual(['a=1']);
    const merged = await rawRequest(started.url, { path: '/results/merged-headers' });
    expect(merged.headers['x-multi']).toBeUndefined();
    expect(merged.headers['x-single']).toBe('only-single');
  });

  it('decodes a base64 body whatever the Accept header (item 56)', async () => {
    const response = await rawRequest(started.url, { path: '/results/png', headers: { Accept: 'text/html' } });
    expect(response.body.equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true);
  });

  it('answers a function error with 500 {"message":"Internal Server Error"} (item 61)', async () => {
    const response = await rawRequest(started.url, { path: '/results/throw' });
    expect([response.status, response.body.toString()]).toEqual([500, '{"message":"Internal Server Error"}']);
  });
});

describe('an HTTP API with CORS configured on it (item 76)', () => {
  let started: Started;
  beforeAll(async () => {
    started = await startDevServer({ stage: 'http-cors' });
  }, 60_000);
  afterAll(() => started.close());

  it('answers preflights itself, on any path', async () => {
    const response = await rawRequest(started.url, { method: 'OPTIONS', path: '/no/route/here', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' } });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-allow-methods']).toMatch(/POST/);
  });

  it('adds its headers to responses, its own errors included, for an allowed origin only', async () => {
    const allowed = await rawRequest(started.url, { path: '/hello', headers: { Origin: 'https://app.example.com' } });
    expect([allowed.status, allowed.headers['access-control-allow-origin']]).toEqual([200, 'https://app.example.com']);
    const missing = await rawRequest(started.url, { path: '/missing', headers: { Origin: 'https://app.example.com' } });
    expect([missing.status, missing.headers['access-control-allow-origin']]).toEqual([404, 'https://app.example.com']);
    const other = await rawRequest(started.url, { path: '/hello', headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
