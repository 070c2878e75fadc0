// HTTP API (payload 2.0) response mapping, fed the fidelity reference's items: inference for a
// result without statusCode, structured results with cookies, unknown keys ignored, base64 always
// decoded, CORS headers of the API's, and the answers API Gateway v2 generates itself.
import { describe, expect, it } from 'vitest';
import {
  HTTP_API_TIMEOUT_MS, httpApiInternalServerError, httpApiNotFound, httpApiServiceUnavailable, LAMBDA_PAYLOAD_LIMIT, mapHttpApiPayload, mapHttpApiResult,
} from '../../../../src/runtime/emulation/index.js';

const text = (mapped: { body: Buffer }) => mapped.body.toString('utf8');
const header = (mapped: { headers: Array<[string, string]> }, name: string) => mapped.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);

describe('a result without statusCode is inferred (item 52)', () => {
  it('a string is the body as it is, with no JSON quotes, 200 application/json', () => {
    const mapped = mapHttpApiResult('hello world');
    expect(mapped).toEqual({ status: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from('hello world') });
  });

  it('an object, array or number is its JSON text', () => {
    expect(text(mapHttpApiResult({ message: 'hi', n: 1 }))).toBe('{"message":"hi","n":1}');
    expect(text(mapHttpApiResult([1, 2]))).toBe('[1,2]');
    expect(text(mapHttpApiResult(42))).toBe('42');
    expect(mapHttpApiResult({ body: 'not structured without statusCode' }).status).toBe(200);
    expect(text(mapHttpApiResult({ body: 'x' }))).toBe('{"body":"x"}');
  });

  it('reads the payload as Lambda serialised it (undefined values gone)', () => {
    expect(text(mapHttpApiPayload('{"a":1}'))).toBe('{"a":1}');
    expect(text(mapHttpApiResult({ a: 1, b: undefined }))).toBe('{"a":1}');
  });
});

describe('a result with statusCode is structured (items 53–54, 56)', () => {
  it('passes status, headers and body, and makes each cookie a set-cookie header of its own', () => {
    const mapped = mapHttpApiResult({ statusCode: 201, headers: { 'x-custom': 'a,b', 'x-n': 5 }, body: '{"ok":true}', cookies: ['session=abc; HttpOnly', 'theme=dark'] });
    expect(mapped.status).toBe(201);
    expect(header(mapped, 'x-custom')).toEqual(['a,b']);
    expect(header(mapped, 'x-n')).toEqual(['5']);
    expect(header(mapped, 'set-cookie')).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(text(mapped)).toBe('{"ok":true}');
    expect(mapped.malformed).toBeUndefined();
  });

  it('ignores keys REST would refuse (multiValueHeaders, anything else) instead of failing', () => {
    const mapped = mapHttpApiResult({ statusCode: 200, body: 'x', multiValueHeaders: { 'x-multi': ['1', '2'] }, error: 'ignored' });
    expect(mapped.status).toBe(200);
    expect(header(mapped, 'x-multi')).toEqual([]);
    expect(text(mapped)).toBe('x');
  });

  it('decodes a base64 body whatever its content type', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const mapped = mapHttpApiResult({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true });
    expect(mapped.body.equals(png)).toBe(true);
    expect(mapHttpApiResult({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from('héllo').toString('base64'), isBase64Encoded: true }).body.toString()).toBe('héllo');
  });

  it('keeps an empty body empty and a 204 a 204', () => {
    const mapped = mapHttpApiResult({ statusCode: 204 });
    expect(mapped.status).toBe(204);
    expect(mapped.body.length).toBe(0);
  });

  it('answers 500 for a status that is no HTTP status or headers that are no strings', () => {
    for (const result of [{ statusCode: 'OK' }, { statusCode: 99 }, { statusCode: 200, headers: { a: { b: 1 } } }, { statusCode: 200, cookies: 'a=1' }]) {
      const mapped = mapHttpApiResult(result);
      expect(mapped.status).toBe(500);
      expect(text(mapped)).toBe('{"message":"Internal Server Error"}');
      expect(mapped.malformed).toBeTruthy();
    }
  });
});

describe('CORS configured on the API (items 76–77)', () => {
  const cors = [['Access-Control-Allow-Origin', 'https://app.example.com'], ['Vary', 'Origin']] as const;

  it("replaces the function's Access-Control-* headers with the API's", () => {
    const mapped = mapHttpApiResult({ statusCode: 200, headers: { 'Access-Control-Allow-Origin': '*', 'access-control-allow-credentials': 'true', 'x-kept': '1' } }, { corsHeaders: cors });
    expect(header(mapped, 'access-control-allow-origin')).toEqual(['https://app.example.com']);
    expect(header(mapped, 'access-control-allow-credentials')).toEqual([]);
    expect(header(mapped, 'x-kept')).toEqual(['1']);
    expect(header(mapShortcut('x'), 'access-control-allow-origin')).toEqual(['https://app.example.com']);
  });

  it("without it, leaves the function's headers alone", () => {
    expect(header(mapHttpApiResult({ statusCode: 200, headers: { 'Access-Control-Allow-Origin': '*' } }), 'access-control-allow-origin')).toEqual(['*']);
  });

  function mapShortcut(result: unknown) {
    return mapHttpApiResult(result, { corsHeaders: cors });
  }
});

describe("the HTTP API's own answers (items 11, 61, 63–64)", () => {
  it('404 Not Found, 500 Internal Server Error (capitalised, no space), 503 Service Unavailable', () => {
    expect([httpApiNotFound(), httpApiInternalServerError(), httpApiServiceUnavailable()].map((r) => [r.status, r.body.toString()])).toEqual([
      [404, '{"message":"Not Found"}'],
      [500, '{"message":"Internal Server Error"}'],
      [503, '{"message":"Service Unavailable"}'],
    ]);
    expect(HTTP_API_TIMEOUT_MS).toBe(30_000);
  });

  it('a response over 6 MB or a result that cannot be serialised is a 500', () => {
    const big = mapHttpApiPayload(JSON.stringify({ statusCode: 200, body: 'x'.repeat(LAMBDA_PAYLOAD_LIMIT) }));
    expect([big.status, big.malformed]).toEqual([500, expect.stringMatching(/over Lambda's 6 MB limit/)]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(mapHttpApiResult(cyclic).status).toBe(500);
  });
});
