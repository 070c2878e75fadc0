// Reference section H (CORS with a Lambda proxy integration, REST), black-box over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_AUTHENTICATION_TOKEN, rawRequest, startDevServer, type RawResponse, type Started } from './support.js';

const ORIGIN = 'https://app.example.com';
const corsHeaderNames = (rawHeaders: Array<[string, string]>) => rawHeaders.map(([name]) => name.toLowerCase()).filter((name) => name.startsWith('access-control-'));

let plain: Started;
let withCors: Started;
let anyOrigin: Started;
beforeAll(async () => {
  // The fixture's `cors` stage turns `cors` on for two origins with credentials, `cors-any` for
  // '*'; `dev` leaves it off. A short integration timeout for the 504.
  [plain, withCors, anyOrigin] = await Promise.all([
    startDevServer({ integrationTimeoutMs: 500 }),
    startDevServer({ stage: 'cors', integrationTimeoutMs: 500 }),
    startDevServer({ stage: 'cors-any' }),
  ]);
});
afterAll(() => Promise.all([plain?.close(), withCors?.close(), anyOrigin?.close()]));

describe('H. CORS (REST, Lambda proxy)', () => {
  it('item 75 (K10): the gateway adds no CORS headers to proxied responses, even for a request with an Origin', async () => {
    // A plain function's own handler (a controller's carries what the runtime adds for `cors`).
    for (const server of [plain, withCors]) {
      const response = await rawRequest(server.url, { path: '/echo', headers: { Origin: ORIGIN } });
      expect(response.status).toBe(200);
      expect(corsHeaderNames(response.rawHeaders)).toEqual([]);
    }
    const response = await rawRequest(plain.url, { path: '/hello', headers: { Origin: ORIGIN } });
    expect(response.status).toBe(200);
    expect(corsHeaderNames(response.rawHeaders)).toEqual([]);
  });

  it('with cors, the function sls-ts builds for a controller adds the CORS headers itself (#14.6)', async () => {
    const response = await rawRequest(withCors.url, { path: '/hello', headers: { Origin: ORIGIN } });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });

  it('item 75 (K10): without cors, OPTIONS on a resource with no OPTIONS method is unanswered → 403', async () => {
    const response = await rawRequest(plain.url, { method: 'OPTIONS', path: '/only-get', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET' } });
    expect(response.status).toBe(403);
    expect(response.body.toString()).toBe(MISSING_AUTHENTICATION_TOKEN);
    expect(corsHeaderNames(response.rawHeaders)).toEqual([]);
  });

  it('item 75: with cors, the preflight is answered by the OPTIONS method cors adds', async () => {
    const response = await rawRequest(withCors.url, { method: 'OPTIONS', path: '/only-get', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET' } });
    expect(response.status).toBe(204);
    expect(response.body.length).toBe(0);
    expect(response.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-allow-methods']).toMatch(/GET/);
    expect(response.headers['access-control-allow-headers']).toBeTruthy();
    expect(response.headers.vary).toBe('Origin');
  });

  it('item 75: with cors, OPTIONS on a path without any resource is still a 403', async () => {
    const response = await rawRequest(withCors.url, { method: 'OPTIONS', path: '/nothing/here', headers: { Origin: ORIGIN } });
    expect(response.status).toBe(403);
    expect(response.body.toString()).toBe(MISSING_AUTHENTICATION_TOKEN);
  });

  it('item 8: an ANY resource receives OPTIONS itself (the function answers, no CORS headers added)', async () => {
    const response = await rawRequest(plain.url, { method: 'OPTIONS', path: '/echo', headers: { Origin: ORIGIN } });
    expect(response.status).toBe(200);
    expect(response.headers['x-seen-method']).toBe('OPTIONS');
    expect(corsHeaderNames(response.rawHeaders)).toEqual([]);
  });
});

describe('CORS on the answers API Gateway makes itself (the DEFAULT_4XX / DEFAULT_5XX gateway responses `cors` configures)', () => {
  const corsHeaders = (response: RawResponse) => response.rawHeaders.filter(([name]) => name.toLowerCase().startsWith('access-control-'));
  const gatewayErrors: Array<[string, Parameters<typeof rawRequest>[1], number]> = [
    ['403 Missing Authentication Token', { path: '/nothing/here' }, 403],
    ['502 for a function error', { path: '/results/throw' }, 502],
    ['502 for a malformed proxy result', { path: '/results/array' }, 502],
    ['500 for a binary body that is not base64 (API_CONFIGURATION_ERROR)', { path: '/results/bad-base64', headers: { Accept: 'image/png' } }, 500],
    ['504 past the integration timeout', { path: '/slow?ms=2000' }, 504],
    ['413 Request Too Long (an event over 6 MB)', { method: 'POST', path: '/echo', headers: { 'Content-Type': 'text/plain' }, body: Buffer.alloc(6.5 * 1024 * 1024, 99) }, 413],
    ['431 for header values over 10 240 bytes', { path: '/echo', headers: { 'X-Big': 'v'.repeat(10_300) } }, 431],
  ];

  it.each(gatewayErrors)('%s carries the first configured origin and Allow-Credentials', async (_name, request, status) => {
    const response = await rawRequest(withCors.url, { ...request, headers: { ...request.headers, Origin: 'https://admin.example.com' } });
    expect(response.status).toBe(status);
    // Static values, whatever the request's Origin: the second listed origin gets the first.
    expect(corsHeaders(response)).toEqual([['Access-Control-Allow-Origin', ORIGIN], ['Access-Control-Allow-Credentials', 'true']]);
  });

  it.each(gatewayErrors)('%s carries none without cors', async (_name, request, status) => {
    const response = await rawRequest(plain.url, { ...request, headers: { ...request.headers, Origin: ORIGIN } });
    expect(response.status).toBe(status);
    expect(corsHeaders(response)).toEqual([]);
  });

  it('with origins \'*\': Access-Control-Allow-Origin: * and no Allow-Credentials', async () => {
    const response = await rawRequest(anyOrigin.url, { path: '/nothing/here', headers: { Origin: ORIGIN } });
    expect(response.status).toBe(403);
    expect(response.body.toString()).toBe(MISSING_AUTHENTICATION_TOKEN);
    expect(corsHeaders(response)).toEqual([['Access-Control-Allow-Origin', '*']]);
  });

  it('item 66: the 413 for a body over 10 MB is not a customisable gateway response: no CORS headers', async () => {
    const response = await rawRequest(withCors.url, { method: 'POST', path: '/echo', headers: { Origin: ORIGIN, 'Content-Type': 'text/plain' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 97) });
    expect(response.status).toBe(413);
    expect(corsHeaders(response)).toEqual([]);
  });
});
