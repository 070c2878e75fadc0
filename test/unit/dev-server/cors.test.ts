// Reference section H (CORS with a Lambda proxy integration, REST), black-box over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_AUTHENTICATION_TOKEN, rawRequest, startDevServer, type Started } from './support.js';

const ORIGIN = 'https://app.example.com';
const corsHeaderNames = (rawHeaders: Array<[string, string]>) => rawHeaders.map(([name]) => name.toLowerCase()).filter((name) => name.startsWith('access-control-'));

let plain: Started;
let withCors: Started;
beforeAll(async () => {
  // The fixture's `cors` stage turns `cors` on; `dev` leaves it off.
  [plain, withCors] = await Promise.all([startDevServer(), startDevServer({ stage: 'cors' })]);
});
afterAll(() => Promise.all([plain?.close(), withCors?.close()]));

describe('H. CORS (REST, Lambda proxy)', () => {
  it('item 75 (K10): the gateway adds no CORS headers to proxied responses, even for a request with an Origin', async () => {
    // A plain function answers with its own headers; without cors, a controller's function adds none either.
    for (const [server, path] of [[plain, '/hello'], [plain, '/only-get'], [withCors, '/only-get']] as const) {
      const response = await rawRequest(server.url, { path, headers: { Origin: ORIGIN } });
      expect(response.status).toBe(200);
      expect(corsHeaderNames(response.rawHeaders)).toEqual([]);
    }
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
