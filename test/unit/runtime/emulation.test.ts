import { describe, expect, it } from 'vitest';
import {
  LAMBDA_PAYLOAD_LIMIT,
  REQUEST_PAYLOAD_LIMIT,
  configurationError,
  contentLengthExceeded,
  endpointTimedOut,
  internalServerError,
  mapProxyResult,
  matchesMediaType,
  missingAuthenticationToken,
  requestTooLong,
} from '../../../src/runtime/emulation/index.js';

const BAD_GATEWAY_BODY = '{"message": "Internal server error"}';

/** A malformed result is exactly API Gateway's 502 (items 58–59), with a reason for local logs. */
function expectMalformed(result: unknown, reason: RegExp) {
  const mapped = mapProxyResult(result);
  expect(mapped.status).toBe(502);
  expect(mapped.body.toString()).toBe(BAD_GATEWAY_BODY);
  expect(mapped.body.length).toBe(36);
  expect(mapped.headers).toEqual([['Content-Type', 'application/json']]);
  expect(mapped.malformed).toMatch(reason);
}

describe('mapProxyResult: what makes a REST proxy result malformed (items 42–44)', () => {
  it('a key outside statusCode/headers/multiValueHeaders/body/isBase64Encoded', () => {
    expectMalformed({ statusCode: 200, body: 'x', cookies: ['a=1'] }, /unknown key "cookies"/);
    expectMalformed({ statusCode: 200, body: 'x', error: 'nope' }, /unknown key "error"/);
  });

  it('a body that is not a string', () => {
    expectMalformed({ statusCode: 200, body: { message: 'hi' } }, /body must be a string, got object/);
    expectMalformed({ statusCode: 200, body: ['a'] }, /body must be a string, got an array/);
    expectMalformed({ statusCode: 200, body: 42 }, /body must be a string, got number/);
  });

  it('a payload that is not a JSON object', () => {
    expectMalformed(null, /returned nothing \(null\)/);
    expectMalformed(undefined, /returned nothing \(null\)/);
    expectMalformed('{"statusCode":200}', /returned a string/);
    expectMalformed([{ statusCode: 200 }], /returned an array/);
    expectMalformed(200, /returned a number/);
  });

  it('a statusCode that is not an HTTP status', () => {
    expectMalformed({ statusCode: 'OK', body: '' }, /statusCode "OK"/);
    expectMalformed({ statusCode: 99, body: '' }, /statusCode 99/);
    expectMalformed({ statusCode: 600, body: '' }, /statusCode 600/);
    expectMalformed({ statusCode: 200.5, body: '' }, /statusCode 200.5/);
  });

  it('headers that are not name → scalar maps', () => {
    expectMalformed({ statusCode: 200, headers: { 'X-A': { nested: true } } }, /headers must map names to strings/);
    expectMalformed({ statusCode: 200, headers: 'X-A: 1' }, /headers must map names to strings/);
    expectMalformed({ statusCode: 200, multiValueHeaders: { 'X-A': 'not-an-array' } }, /multiValueHeaders must map names to arrays/);
    expectMalformed({ statusCode: 200, multiValueHeaders: { 'X-A': [{}] } }, /multiValueHeaders must map names to arrays/);
  });

  it('a result Lambda cannot serialise or deliver (items 68, 83)', () => {
    const cyclic: Record<string, unknown> = { statusCode: 200, body: 'x' };
    cyclic.headers = { self: cyclic };
    expectMalformed(cyclic, /cannot be serialised/);
    expectMalformed({ statusCode: 200, body: 'x'.repeat(LAMBDA_PAYLOAD_LIMIT) }, /over Lambda's 6 MB limit/);
  });
});

describe('mapProxyResult: well-formed results (items 45–50)', () => {
  it('defaults statusCode to 200 and a missing body to empty', () => {
    const mapped = mapProxyResult({ body: 'hello' });
    expect(mapped.malformed).toBeUndefined();
    expect(mapped.status).toBe(200);
    expect(mapped.body.toString()).toBe('hello');
    expect(mapProxyResult({}).body.length).toBe(0);
    expect(mapProxyResult({ statusCode: 204 }).status).toBe(204);
    expect(mapProxyResult({ statusCode: 200, body: null }).body.length).toBe(0);
  });

  it('judges the payload Lambda delivers: undefined values dropped, toJSON applied, Buffers not strings (item 83)', () => {
    const mapped = mapProxyResult({ statusCode: 200, headers: { 'X-Opt': undefined, 'X-Set': 'yes' }, body: 'ok', extra: undefined });
    expect(mapped.malformed).toBeUndefined();
    expect(mapped.headers).toEqual([['X-Set', 'yes'], ['Content-Type', 'application/json']]);

    const dated = mapProxyResult({ statusCode: 200, headers: { Expires: new Date(Date.UTC(2030, 0, 1)) as unknown as string }, body: '' });
    expect(dated.headers).toContainEqual(['Expires', '2030-01-01T00:00:00.000Z']);

    expectMalformed({ statusCode: 200, body: Buffer.from('bytes') }, /body must be a string, got object/);
    expectMalformed({ toJSON: () => 'a string' }, /does not serialise to a JSON object/);
  });

  it('accepts null header maps, as aws-lambda-go sends them', () => {
    const mapped = mapProxyResult({ statusCode: 200, headers: null, multiValueHeaders: null, body: 'go' });
    expect(mapped.malformed).toBeUndefined();
    expect(mapped.headers).toEqual([['Content-Type', 'application/json']]);
  });

  it('merges headers and multiValueHeaders; multiValueHeaders win for a name in both', () => {
    const mapped = mapProxyResult({
      statusCode: 200,
      headers: { 'X-Single': 'one', 'X-Both': 'from headers', 'Content-Type': 'text/plain', 'X-Num': 5, 'X-Bool': true },
      multiValueHeaders: { 'x-both': ['m1', 'm2'], 'Set-Cookie': ['a=1', 'b=2'] },
      body: 'ok',
    });
    expect(mapped.malformed).toBeUndefined();
    expect(mapped.headers).toEqual([
      ['X-Single', 'one'],
      ['Content-Type', 'text/plain'],
      ['X-Num', '5'],
      ['X-Bool', 'true'],
      ['x-both', 'm1'],
      ['x-both', 'm2'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
  });

  it('adds Content-Type: application/json only when the function set none (item 48)', () => {
    expect(mapProxyResult({ statusCode: 200, body: 'plain' }).headers).toEqual([['Content-Type', 'application/json']]);
    expect(mapProxyResult({ statusCode: 200, headers: { 'content-type': 'text/html' }, body: '<p>' }).headers).toEqual([['content-type', 'text/html']]);
    expect(mapProxyResult({ statusCode: 200, multiValueHeaders: { 'CONTENT-TYPE': ['text/csv'] }, body: 'a,b' }).headers).toEqual([['CONTENT-TYPE', 'text/csv']]);
  });

  it('remaps WWW-Authenticate and Content-Length (item 50)', () => {
    const mapped = mapProxyResult({ statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer realm="api"', 'Content-Length': '3', 'Content-Type': 'text/plain' }, body: 'no!' });
    expect(mapped.status).toBe(401);
    expect(mapped.headers).toEqual([
      ['x-amzn-Remapped-WWW-Authenticate', 'Bearer realm="api"'],
      ['x-amzn-Remapped-Content-Length', '3'],
      ['Content-Type', 'text/plain'],
    ]);
  });
});

describe('mapProxyResult: binary bodies (items 73–74)', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]);
  const binary = { statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true };

  it('decodes base64 only when the first Accept type matches binaryMediaTypes', () => {
    expect(mapProxyResult(binary, { accept: 'image/png', binaryMediaTypes: ['image/png'] }).body).toEqual(png);
    expect(mapProxyResult(binary, { accept: 'image/png;q=0.9, text/html', binaryMediaTypes: ['image/png'] }).body).toEqual(png);
    expect(mapProxyResult(binary, { accept: 'image/png', binaryMediaTypes: ['image/*'] }).body).toEqual(png);
    // Only the first Accept type counts.
    expect(mapProxyResult(binary, { accept: 'text/html, image/png', binaryMediaTypes: ['image/png'] }).body.toString()).toBe(binary.body);
    // Without a binary media type, or without Accept, the client gets the base64 text.
    expect(mapProxyResult(binary, { accept: 'image/png' }).body.toString()).toBe(binary.body);
    expect(mapProxyResult(binary, { binaryMediaTypes: ['image/png'] }).body.toString()).toBe(binary.body);
    expect(mapProxyResult(binary, { accept: 'image/jpeg', binaryMediaTypes: ['image/png'] }).body.toString()).toBe(binary.body);
  });

  it('*/* in binaryMediaTypes matches any Accept type', () => {
    expect(mapProxyResult(binary, { accept: 'text/html', binaryMediaTypes: ['*/*'] }).body).toEqual(png);
  });

  it('never decodes a body that is not flagged isBase64Encoded', () => {
    const text = { ...binary, isBase64Encoded: false };
    expect(mapProxyResult(text, { accept: 'image/png', binaryMediaTypes: ['*/*'] }).body.toString()).toBe(binary.body);
  });

  it('a body flagged base64 that is not valid base64 is a 500 when it would be decoded', () => {
    for (const body of ['not base64!', 'abcde', 'ab=c']) {
      const mapped = mapProxyResult({ ...binary, body }, { accept: 'image/png', binaryMediaTypes: ['image/png'] });
      expect(mapped.status, body).toBe(500);
      expect(mapped.body.toString()).toBe(BAD_GATEWAY_BODY);
      expect(mapped.malformed).toMatch(/not valid base64/);
    }
    // Not decoded → passed through as text.
    const passed = mapProxyResult({ ...binary, body: 'not base64!' }, { accept: 'text/html', binaryMediaTypes: ['image/png'] });
    expect(passed.status).toBe(200);
    expect(passed.body.toString()).toBe('not base64!');
  });

  it('matchesMediaType: exact, type/*, */*, parameters and case ignored', () => {
    expect(matchesMediaType('image/png', ['image/png'])).toBe(true);
    expect(matchesMediaType('IMAGE/PNG; q=1', ['image/png'])).toBe(true);
    expect(matchesMediaType('image/webp', ['image/*'])).toBe(true);
    expect(matchesMediaType('imagery/png', ['image/*'])).toBe(false);
    expect(matchesMediaType('application/json', ['*/*'])).toBe(true);
    expect(matchesMediaType('text/html', ['image/png'])).toBe(false);
    expect(matchesMediaType(undefined, ['*/*'])).toBe(false);
    expect(matchesMediaType('image/png', [])).toBe(false);
  });
});

describe('gateway responses (items 1, 58, 62, 66, 67, 74)', () => {
  it('403 Missing Authentication Token: 42 bytes, no space, with x-amzn-ErrorType', () => {
    const response = missingAuthenticationToken();
    expect(response.status).toBe(403);
    expect(response.body.toString()).toBe('{"message":"Missing Authentication Token"}');
    expect(response.body.length).toBe(42);
    expect(response.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['x-amzn-ErrorType', 'MissingAuthenticationTokenException'],
    ]);
  });

  it('502 Internal server error: 36 bytes, with a space after the colon', () => {
    const response = internalServerError();
    expect(response.status).toBe(502);
    expect(response.body.toString()).toBe(BAD_GATEWAY_BODY);
    expect(response.body.length).toBe(36);
  });

  it('504, 413 and 500 bodies', () => {
    expect(endpointTimedOut().status).toBe(504);
    expect(JSON.parse(endpointTimedOut().body.toString())).toEqual({ message: 'Endpoint request timed out' });

    const tooLarge = contentLengthExceeded();
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.toString()).toBe('HTTP content length exceeded 10485760 bytes.');
    expect(tooLarge.headers).toEqual([['Content-Type', 'text/plain']]);

    const tooLong = requestTooLong();
    expect(tooLong.status).toBe(413);
    expect(tooLong.body.toString()).toBe('{"message": "Request Too Long"}');
    expect(tooLong.headers).toContainEqual(['x-amzn-ErrorType', 'BadRequestException']);

    expect(configurationError().status).toBe(500);
    expect(configurationError().body.toString()).toBe(BAD_GATEWAY_BODY);

    expect(REQUEST_PAYLOAD_LIMIT).toBe(10_485_760);
    expect(LAMBDA_PAYLOAD_LIMIT).toBe(6 * 1024 * 1024);
  });

  it('each call returns a fresh response, so callers may change it', () => {
    const first = missingAuthenticationToken();
    first.headers.push(['x-amzn-RequestId', 'abc']);
    expect(missingAuthenticationToken().headers).toHaveLength(2);
  });
});
