// Reference section B: the REST v1 proxy event the function receives, black-box over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echo, rawEcho, startDevServer, UUID, type Started } from './support.js';

let dev: Started;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev?.close());

describe('B. REST v1 proxy event', () => {
  it('item 15 (K21): the top-level keys are exactly the REST set, with no "version"', async () => {
    const { event } = await echo(dev.url, '/echo/1?a=b', { method: 'GET' });
    expect(Object.keys(event).sort()).toEqual(
      ['body', 'headers', 'httpMethod', 'isBase64Encoded', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path', 'pathParameters', 'queryStringParameters', 'requestContext', 'resource', 'stageVariables'].sort(),
    );
    expect(event).not.toHaveProperty('version');
  });

  it('item 16 (K5, K20): resource and requestContext.resourcePath are the template, not the concrete path', async () => {
    const { event } = await echo(dev.url, '/echo/abc');
    expect(event.resource).toBe('/echo/{id}');
    expect(event.requestContext.resourcePath).toBe('/echo/{id}');
    const greedy = await echo(dev.url, '/files/x/y');
    expect(greedy.event.resource).toBe('/files/{proxy+}');
    expect(greedy.event.requestContext.resourcePath).toBe('/files/{proxy+}');
  });

  it('item 17 (K5, K14): path is the concrete path with its percent-encoding kept', async () => {
    const { event } = await rawEcho(dev.url, { path: '/echo/space%20value' });
    expect(event.path).toBe('/echo/space%20value');
  });

  it('item 18 (K4, K14): pathParameters stay encoded (%20, %2F, %7C) and unencoded @ and + arrive as sent', async () => {
    expect((await rawEcho(dev.url, { path: '/echo/a%20b' })).event.pathParameters).toEqual({ id: 'a%20b' });
    expect((await rawEcho(dev.url, { path: '/echo/my-id%2F100' })).event.pathParameters).toEqual({ id: 'my-id%2F100' });
    expect((await rawEcho(dev.url, { path: '/echo/x%7Cy' })).event.pathParameters).toEqual({ id: 'x%7Cy' });
    expect((await rawEcho(dev.url, { path: '/echo/user@example.com+tag' })).event.pathParameters).toEqual({ id: 'user@example.com+tag' });
  });

  it('item 19 (K18): no query, no path params, no stage variables → null, not {}', async () => {
    const { event } = await echo(dev.url, '/echo');
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.stageVariables).toBeNull();
  });

  it('item 20 (K3, K18): no body (GET, or POST with an empty body) → body null, isBase64Encoded false', async () => {
    const get = await echo(dev.url, '/echo');
    expect(get.event.body).toBeNull();
    expect(get.event.isBase64Encoded).toBe(false);
    const post = await rawEcho(dev.url, { method: 'POST', path: '/echo', headers: { 'Content-Type': 'application/json', 'Content-Length': '0' } });
    expect(post.event.body).toBeNull();
    expect(post.event.isBase64Encoded).toBe(false);
  });

  it('item 21: a repeated query key keeps every value in order; the single map has the last one', async () => {
    const { event } = await echo(dev.url, '/echo?r=one&r=two&s=x');
    expect(event.multiValueQueryStringParameters).toEqual({ r: ['one', 'two'], s: ['x'] });
    expect(event.queryStringParameters).toEqual({ r: 'two', s: 'x' });
  });

  it('item 22: query keys and values are decoded (+ → space, %2B → +, empty= → "")', async () => {
    const { event } = await rawEcho(dev.url, { path: '/echo?a=a+b&b=a%2Bb&url=https%3A%2F%2Fx.com%2Fa&empty=&k%20ey=v' });
    expect(event.queryStringParameters).toEqual({ a: 'a b', b: 'a+b', url: 'https://x.com/a', empty: '', 'k ey': 'v' });
  });

  it('item 23: an unencoded ";" splits the query', async () => {
    const { event } = await rawEcho(dev.url, { path: '/echo?a=1;b=2' });
    expect(event.queryStringParameters).toEqual({ a: '1', b: '2' });
  });

  it('item 24: a repeated request header → all values in multiValueHeaders, the last in headers', async () => {
    const { event } = await rawEcho(dev.url, { path: '/echo', headers: { 'X-Probe': ['first', 'second'] } });
    expect(event.multiValueHeaders['X-Probe']).toEqual(['first', 'second']);
    expect(event.headers['X-Probe']).toBe('second');
  });

  it('item 25: header names keep the client\'s casing (X-Test, not x-test)', async () => {
    const { event } = await rawEcho(dev.url, { path: '/echo', headers: { 'X-Test': 'cased', 'x-lower': 'lower' } });
    expect(event.headers['X-Test']).toBe('cased');
    expect(event.headers['x-test']).toBeUndefined();
    expect(event.headers['x-lower']).toBe('lower');
    expect(event.multiValueHeaders['X-Test']).toEqual(['cased']);
  });

  it('item 25: a header named like an Object property (constructor, toString, hasOwnProperty) reaches the event as any other', async () => {
    const { event } = await rawEcho(dev.url, { path: '/echo', headers: { constructor: 'c', toString: 't', hasOwnProperty: 'h' } });
    expect(Object.getOwnPropertyDescriptor(event.headers, 'constructor')?.value).toBe('c');
    expect(Object.getOwnPropertyDescriptor(event.headers, 'toString')?.value).toBe('t');
    expect(Object.getOwnPropertyDescriptor(event.multiValueHeaders, 'hasOwnProperty')?.value).toEqual(['h']);
  });

  it('item 26: the gateway adds Title-Case Host, X-Forwarded-*, X-Amzn-Trace-Id and re-cases user-agent; other lowercase names stay', async () => {
    // fetch (undici) sends lowercase names, as an HTTP/2 client does.
    const { event } = await echo(dev.url, '/echo', { headers: { accept: 'application/json', 'user-agent': 'probe/1.0' } });
    const { host } = new URL(dev.url);
    expect(event.headers.Host).toBe(host);
    expect(event.headers.host).toBeUndefined();
    expect(event.headers['User-Agent']).toBe('probe/1.0');
    expect(event.headers['user-agent']).toBeUndefined();
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers['X-Forwarded-Port']).toBe('443');
    expect(event.headers['X-Forwarded-Proto']).toBe('https');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.headers.accept).toBe('application/json');
    expect(event.multiValueHeaders.Host).toEqual([host]);
  });

  it('item 27: Cookie stays an ordinary header; there is no cookies field in v1', async () => {
    const { event } = await rawEcho(dev.url, { path: '/echo', headers: { Cookie: 'session=abc123; theme=dark' } });
    expect(event.headers.Cookie).toBe('session=abc123; theme=dark');
    expect(event).not.toHaveProperty('cookies');
  });

  it('item 28: requestContext has the REST keys, a UUID requestId unique per request, and the request time', async () => {
    const before = Date.now();
    const first = await echo(dev.url, '/echo/7');
    const second = await echo(dev.url, '/echo/7');
    const context = first.event.requestContext;
    for (const key of ['accountId', 'apiId', 'domainName', 'domainPrefix', 'extendedRequestId', 'httpMethod', 'identity', 'path', 'protocol', 'requestId', 'requestTime', 'requestTimeEpoch', 'resourceId', 'resourcePath', 'stage']) {
      expect(context, key).toHaveProperty(key);
    }
    expect(context.protocol).toBe('HTTP/1.1');
    expect(context.requestId).toMatch(UUID);
    expect(second.event.requestContext.requestId).toMatch(UUID);
    expect(second.event.requestContext.requestId).not.toBe(context.requestId);
    expect(context.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof context.requestTimeEpoch).toBe('number');
    expect(context.requestTimeEpoch).toBeGreaterThanOrEqual(before);
    expect(context.requestTimeEpoch).toBeLessThanOrEqual(Date.now());
    expect(context.accountId).toMatch(/^\d{12}$/);
    expect(context.domainName).toBe(new URL(dev.url).host);
  });

  it('item 29: identity.sourceIp is the client IP, userAgent the UA, the other identity fields null', async () => {
    const { event } = await rawEcho(dev.url, { path: '/echo', headers: { 'User-Agent': 'identity-test' } });
    const { identity } = event.requestContext;
    expect(identity.sourceIp).toBe('127.0.0.1');
    expect(identity.userAgent).toBe('identity-test');
    for (const key of ['accessKey', 'accountId', 'caller', 'cognitoAuthenticationProvider', 'cognitoAuthenticationType', 'cognitoIdentityId', 'cognitoIdentityPoolId', 'user', 'userArn'] as const) {
      expect(identity[key], key).toBeNull();
    }
  });

  it('item 30: without an authorizer, requestContext has no authorizer key', async () => {
    const { event } = await echo(dev.url, '/echo');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('a request body reaches the function as sent (text)', async () => {
    const { event } = await echo(dev.url, '/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(event.body).toBe('{"a":1}');
    expect(event.isBase64Encoded).toBe(false);
  });
});
