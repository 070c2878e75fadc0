// Reference sections D (REST response mapping) and G (binary media), black-box over HTTP.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echo, INTERNAL_SERVER_ERROR, rawRequest, startDevServer, type Started } from './support.js';

// The 1×1 PNG app/functions/results.ts returns base64-encoded.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let dev: Started;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev?.close());

const result = (name: string, headers?: Record<string, string>) => rawRequest(dev.url, { path: `/results/${name}`, ...(headers && { headers }) });
const header = (response: { rawHeaders: Array<[string, string]> }, name: string) => response.rawHeaders.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);

function malformedReason(requestId: string | string[] | undefined): string | undefined {
  const found = dev.events.find((event) => event.type === 'malformed' && event.requestId === requestId);
  return found?.type === 'malformed' ? found.reason : undefined;
}

describe('D. REST response mapping', () => {
  it('item 42: an unknown key in the result → 502 with exactly {"message": "Internal server error"}', async () => {
    const response = await result('unknown-key');
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    expect(response.body.length).toBe(36);
    expect(response.headers['content-type']).toBe('application/json');
    expect(malformedReason(response.headers['x-amzn-requestid'])).toMatch(/unknown key "cookies"/);
  });

  it('item 43 (K12): an object body → 502', async () => {
    const response = await result('object-body');
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    expect(malformedReason(response.headers['x-amzn-requestid'])).toMatch(/body must be a string/);
  });

  it('item 44: a payload that is not an object — null (undefined returned), a string, an array — → 502', async () => {
    for (const name of ['null', 'string', 'array']) {
      const response = await result(name);
      expect(response.status, name).toBe(502);
      expect(response.body.toString(), name).toBe(INTERNAL_SERVER_ERROR);
      expect(malformedReason(response.headers['x-amzn-requestid']), name).toBeDefined();
    }
  });

  it('item 45: statusCode omitted → 200', async () => {
    const response = await result('no-status');
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('no status');
  });

  it('item 46: headers and multiValueHeaders merge; a name in both appears once, with the multiValueHeaders values', async () => {
    const response = await result('merged-headers');
    expect(response.status).toBe(200);
    expect(header(response, 'X-Single')).toEqual(['only-single']);
    expect(header(response, 'X-Both')).toEqual(['multi-1', 'multi-2']);
    expect(header(response, 'X-Multi')).toEqual(['m']);
    expect(response.body.toString()).toBe('merged');
  });

  it('item 47: each multiValueHeaders element is its own header line (several Set-Cookie)', async () => {
    const response = await result('cookies');
    expect(header(response, 'Set-Cookie')).toEqual(['a=1; Path=/', 'b=2; HttpOnly', 'c=3; Secure']);
    // Through fetch, too: three cookies, not one comma-joined line.
    const fetched = await fetch(`${dev.url}/results/cookies`);
    expect(fetched.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly', 'c=3; Secure']);
  });

  it('item 48: no Content-Type from the function → Content-Type: application/json', async () => {
    const response = await result('no-content-type');
    expect(header(response, 'Content-Type')).toEqual(['application/json']);
    expect(response.body.toString()).toBe('{"plain":true}');
  });

  it('item 49 (K2): 200 with no body stays 200 with an empty body; 204 stays 204', async () => {
    const ok = await result('empty-200');
    expect(ok.status).toBe(200);
    expect(ok.body.length).toBe(0);
    expect(ok.headers['content-length']).toBe('0');
    const noContent = await result('no-content');
    expect(noContent.status).toBe(204);
    expect(noContent.body.length).toBe(0);
  });

  it('item 50: a function\'s WWW-Authenticate reaches the client as x-amzn-Remapped-WWW-Authenticate', async () => {
    const response = await result('www-authenticate');
    expect(response.status).toBe(401);
    expect(header(response, 'WWW-Authenticate')).toEqual([]);
    expect(response.rawHeaders).toContainEqual(['x-amzn-Remapped-WWW-Authenticate', 'Bearer realm="dev"']);
    expect(response.body.toString()).toBe('denied');
  });

  it('item 51: proxied responses carry x-amzn-RequestId, x-amz-apigw-id and X-Amzn-Trace-Id matching the event', async () => {
    const response = await rawRequest(dev.url, { path: '/echo' });
    const { event } = JSON.parse(response.body.toString()) as Awaited<ReturnType<typeof echo>>;
    expect(response.rawHeaders).toContainEqual(['x-amzn-RequestId', event.requestContext.requestId]);
    expect(response.rawHeaders).toContainEqual(['x-amz-apigw-id', event.requestContext.extendedRequestId]);
    expect(response.rawHeaders).toContainEqual(['X-Amzn-Trace-Id', event.headers['X-Amzn-Trace-Id']]);
  });

  it('item 51: the ids match the event also for a trace id the client sent, and for a body big enough to be measured against Lambda\'s 6 MB', async () => {
    const traceId = 'Root=1-5759e988-bd862e3fe1be46a994272793';
    const traced = await rawRequest(dev.url, { path: '/echo', headers: { 'x-amzn-trace-id': traceId } });
    const tracedEvent = (JSON.parse(traced.body.toString()) as Awaited<ReturnType<typeof echo>>).event;
    expect(tracedEvent.headers['X-Amzn-Trace-Id']).toBe(traceId);
    expect(traced.rawHeaders).toContainEqual(['X-Amzn-Trace-Id', traceId]);
    const big = await rawRequest(dev.url, { method: 'POST', path: '/echo', headers: { 'Content-Type': 'text/plain' }, body: 'b'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(200);
    const bigEvent = (JSON.parse(big.body.toString()) as Awaited<ReturnType<typeof echo>>).event;
    expect(bigEvent.body).toHaveLength(2 * 1024 * 1024);
    expect(big.rawHeaders).toContainEqual(['x-amz-apigw-id', bigEvent.requestContext.extendedRequestId]);
    expect(big.rawHeaders).toContainEqual(['X-Amzn-Trace-Id', bigEvent.headers['X-Amzn-Trace-Id']]);
    // The gateway's headers come in the same order either way.
    const small = (JSON.parse((await rawRequest(dev.url, { method: 'POST', path: '/echo', headers: { 'Content-Type': 'text/plain' }, body: 'b' })).body.toString()) as Awaited<ReturnType<typeof echo>>).event;
    expect(Object.keys(bigEvent.multiValueHeaders!)).toEqual(Object.keys(small.multiValueHeaders!));
  });

  it('item 83: a Buffer body serialises to an object → 502', async () => {
    const response = await result('buffer-body');
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(INTERNAL_SERVER_ERROR);
  });
});

describe('G. binary media', () => {
  it('item 71: a Content-Type not in binaryMediaTypes arrives as UTF-8 text', async () => {
    const { event } = await echo(dev.url, '/echo', { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'héllo text' });
    expect(event.body).toBe('héllo text');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('item 72: a Content-Type in binaryMediaTypes arrives base64-encoded with isBase64Encoded true', async () => {
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255, 10, 13]);
    const { event } = await echo(dev.url, '/echo', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(bytes.toString('base64'));
    const png = await echo(dev.url, '/echo', { method: 'POST', headers: { 'content-type': 'image/png' }, body: Buffer.from(PNG_BASE64, 'base64') });
    expect(png.event.body).toBe(PNG_BASE64);
    expect(png.event.isBase64Encoded).toBe(true);
  });

  it('item 73: a base64 response is decoded when the first Accept type is a binary media type', async () => {
    const response = await result('png', { Accept: 'image/png' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.body.equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true);
    expect(createHash('sha256').update(response.body).digest('hex')).toBe(createHash('sha256').update(Buffer.from(PNG_BASE64, 'base64')).digest('hex'));
  });

  it('item 73: otherwise (first Accept type not binary, or none) the client gets the base64 text unchanged', async () => {
    for (const accept of ['text/html,image/png', 'application/json']) {
      const response = await result('png', { Accept: accept });
      expect(response.status, accept).toBe(200);
      expect(response.body.toString(), accept).toBe(PNG_BASE64);
    }
    const none = await result('png');
    expect(none.body.toString()).toBe(PNG_BASE64);
  });

  it('item 74: a binary body that is not valid base64 → 500 when it would be decoded', async () => {
    const decoded = await result('bad-base64', { Accept: 'image/png' });
    expect(decoded.status).toBe(500);
    expect(decoded.body.toString()).toBe(INTERNAL_SERVER_ERROR);
    // Not decoded (first Accept type not binary): passed through as text.
    const passed = await result('bad-base64', { Accept: 'text/plain' });
    expect(passed.status).toBe(200);
    expect(passed.body.toString()).toBe('this is not base64!');
  });
});
