// Reference section A (routing and gateway-generated responses), black-box over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echo, MISSING_AUTHENTICATION_TOKEN, rawRequest, startDevServer, type Started } from './support.js';

let dev: Started;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev?.close());

async function expectMissingToken(method: string, path: string): Promise<void> {
  const response = await rawRequest(dev.url, { method, path });
  expect(response.status, `${method} ${path}`).toBe(403);
  if (method !== 'HEAD') expect(response.body.toString(), `${method} ${path}`).toBe(MISSING_AUTHENTICATION_TOKEN);
  expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
}

describe('A. routing and gateway responses (REST)', () => {
  it('item 1: an unknown path gets 403 {"message":"Missing Authentication Token"} (42 bytes) with x-amzn-ErrorType', async () => {
    const response = await rawRequest(dev.url, { path: '/no/such/resource' });
    expect(response.status).toBe(403);
    expect(response.body.toString()).toBe('{"message":"Missing Authentication Token"}');
    expect(response.body.length).toBe(42);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.rawHeaders).toContainEqual(['x-amzn-ErrorType', 'MissingAuthenticationTokenException']);
  });

  it('item 1: a method no matching resource declares gets the same 403, never 404 or 405', async () => {
    await expectMissingToken('POST', '/only-get');
    await expectMissingToken('DELETE', '/users/42');
    await expectMissingToken('PUT', '/hello');
  });

  it('item 2: GET /users/me falls back to /users/{id} when /users/me only has PATCH; DELETE matches nothing → 403', async () => {
    const got = await echo(dev.url, '/users/me');
    expect(got.event.resource).toBe('/users/{id}');
    expect(got.event.pathParameters).toEqual({ id: 'me' });
    await expectMissingToken('DELETE', '/users/me');
  });

  it('item 2: a literal resource without the method falls back to the greedy ANY sibling', async () => {
    const got = await echo(dev.url, '/files/upload');
    expect(got.event.resource).toBe('/files/{proxy+}');
    expect(got.event.pathParameters).toEqual({ proxy: 'upload' });
    const posted = await echo(dev.url, '/files/upload', { method: 'POST', body: 'x' });
    expect(posted.event.resource).toBe('/files/upload');
    expect(posted.event.pathParameters).toBeNull();
  });

  it('item 3: the literal /users/me wins over /users/{id} for the method it declares', async () => {
    const got = await echo(dev.url, '/users/me', { method: 'PATCH', body: '{}' });
    expect(got.event.resource).toBe('/users/me');
    expect(got.event.requestContext.resourcePath).toBe('/users/me');
    expect(got.event.pathParameters).toBeNull();
  });

  it('item 4 (K20): a greedy {proxy+} needs at least one segment — /files/{proxy+} does not match /files', async () => {
    await expectMissingToken('GET', '/files');
    await expectMissingToken('GET', '/files/');
    const got = await echo(dev.url, '/files/x');
    expect(got.event.resource).toBe('/files/{proxy+}');
  });

  it('item 5: the greedy value is the rest of the path without a leading slash, still percent-encoded', async () => {
    const got = await echo(dev.url, '/files/capture/a%20b/c%2Fd');
    expect(got.event.pathParameters).toEqual({ proxy: 'capture/a%20b/c%2Fd' });
    expect(got.event.path).toBe('/files/capture/a%20b/c%2Fd');
  });

  it('item 6 (K20): the greedy parameter key is "proxy", never "proxy+"', async () => {
    const got = await echo(dev.url, '/files/a/b');
    expect(Object.keys(got.event.pathParameters ?? {})).toEqual(['proxy']);
  });

  it('item 7 (K6): HEAD is its own method — 403 on a GET-only resource, served where HEAD is declared', async () => {
    await expectMissingToken('HEAD', '/only-get');
    const head = await rawRequest(dev.url, { method: 'HEAD', path: '/probe' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['x-seen-method']).toBe('HEAD');
    expect(head.headers['x-seen-resource']).toBe('/probe');
    // GET is not declared on /probe.
    await expectMissingToken('GET', '/probe');
  });

  it('item 8: ANY passes the real verb in httpMethod and requestContext.httpMethod', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const got = await echo(dev.url, '/echo', { method });
      expect(got.event.httpMethod).toBe(method);
      expect(got.event.requestContext.httpMethod).toBe(method);
      expect(got.event.resource).toBe('/echo');
    }
    const head = await rawRequest(dev.url, { method: 'HEAD', path: '/echo' });
    expect(head.status).toBe(200);
    expect(head.headers['x-seen-method']).toBe('HEAD');
  });

  it('item 9 (K15): the stage is in requestContext.path, not in path; /dev/... URLs reach the same resource', async () => {
    for (const url of ['/echo/42', '/dev/echo/42']) {
      const got = await echo(dev.url, url);
      expect(got.event.path).toBe('/echo/42');
      expect(got.event.resource).toBe('/echo/{id}');
      expect(got.event.requestContext.path).toBe('/dev/echo/42');
      expect(got.event.requestContext.stage).toBe('dev');
      expect(got.event.pathParameters).toEqual({ id: '42' });
    }
    const rooted = await echo(dev.url, '/dev/echo?x=1');
    expect(rooted.event.path).toBe('/echo');
    expect(rooted.event.queryStringParameters).toEqual({ x: '1' });
    await expectMissingToken('GET', '/prod/echo/42');
  });

  it('item 14: gateway-generated responses carry x-amzn-RequestId and x-amz-apigw-id', async () => {
    const first = await rawRequest(dev.url, { path: '/nowhere' });
    const second = await rawRequest(dev.url, { path: '/nowhere' });
    const ids = [first, second].map((response) => response.rawHeaders.find(([name]) => name === 'x-amzn-RequestId')?.[1]);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(first.rawHeaders.find(([name]) => name === 'x-amz-apigw-id')?.[1]).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  });

  it('routes of every kind are served: a controller at / and a JSON controller action', async () => {
    const home = await fetch(dev.url + '/');
    expect(home.status).toBe(200);
    expect(await home.json()).toEqual({ page: 'home' });
    const hello = await fetch(dev.url + '/hello');
    expect(await hello.json()).toEqual({ hello: 'world' });
  });
});

describe('public/ files', () => {
  it('serves a file from public/ when no route matches', async () => {
    const response = await rawRequest(dev.url, { path: '/hello.txt' });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('static hello\n');
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('refuses paths that leave public/, encoded or not (403 as for any unknown path)', async () => {
    for (const path of ['/../sls-ts.config.ts', '/%2e%2e/sls-ts.config.ts', '/..%2Fsls-ts.config.ts', '/%2e%2e%2fconfig/routes.ts']) {
      const response = await rawRequest(dev.url, { path });
      expect(response.status, path).toBe(403);
      expect(response.body.toString(), path).toBe(MISSING_AUTHENTICATION_TOKEN);
    }
  });
});
