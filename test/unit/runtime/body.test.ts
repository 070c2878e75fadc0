import { describe, it, expect } from 'vitest';
import { BodyParseError, parseBody } from '../../../src/runtime/body.js';
import type { UploadedFile } from '../../../src/runtime/body.js';

type Part = { name: string; value: string | Buffer; filename?: string; contentType?: string };

/** Builds a multipart body the way Chrome and curl send it: CRLF everywhere, closing `--`. */
function multipart(boundary: string, parts: Part[], eol = '\r\n'): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}${eol}Content-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += eol;
    if (part.contentType) head += `Content-Type: ${part.contentType}${eol}`;
    chunks.push(Buffer.from(head + eol), Buffer.from(part.value), Buffer.from(eol));
  }
  chunks.push(Buffer.from(`--${boundary}--${eol}`));
  return Buffer.concat(chunks);
}

const WEBKIT = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

function parseError(fn: () => unknown): BodyParseError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BodyParseError);
    return error as BodyParseError;
  }
  throw new Error('expected a BodyParseError');
}

describe('parseBody: JSON', () => {
  it('returns a JSON object as params', () => {
    expect(parseBody('{"title":"Hi","tags":["a"],"n":{"x":1}}', 'application/json')).toEqual({
      title: 'Hi',
      tags: ['a'],
      n: { x: 1 },
    });
  });

  it('accepts a Buffer body and +json media types', () => {
    expect(parseBody(Buffer.from('{"a":1}'), 'application/vnd.api+json')).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', 'application/merge-patch+json')).toEqual({ a: 1 });
  });

  it('puts a non-object JSON value under _json', () => {
    expect(parseBody('[1,2,3]', 'application/json')).toEqual({ _json: [1, 2, 3] });
    expect(parseBody('42', 'application/json')).toEqual({ _json: 42 });
    expect(parseBody('"hi"', 'application/json')).toEqual({ _json: 'hi' });
    expect(parseBody('null', 'application/json')).toEqual({ _json: null });
  });

  it('throws a 400 BodyParseError naming JSON and the content type on malformed JSON', () => {
    const error = parseError(() => parseBody('{"title": "x",}', 'application/json; charset=utf-8'));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^Malformed JSON in request body \(application\/json\): \S/);
    expect(error.message).not.toContain('\n');
  });

  it('keeps the message on one line even when the body spans lines', () => {
    const error = parseError(() => parseBody('{\n"a":\n}\n', 'application/json'));
    expect(error.message).not.toMatch(/\n/);
  });

  it('treats a whitespace-only JSON body as empty', () => {
    expect(parseBody('  \n', 'application/json')).toEqual({});
  });
});

describe('parseBody: urlencoded', () => {
  const form = 'application/x-www-form-urlencoded';

  it('decodes + as space and percent escapes', () => {
    expect(parseBody('q=hello+world&e=caf%C3%A9+%2B1&k%20ey=v', form)).toEqual({ q: 'hello world', e: 'café +1', 'k ey': 'v' });
  });

  it('turns repeated keys and key[] into arrays', () => {
    expect(parseBody('a=1&a=2&a=3&b[]=x&b[]=y&c[]=only', form)).toEqual({ a: ['1', '2', '3'], b: ['x', 'y'], c: ['only'] });
  });

  it('nests bracketed keys to any depth', () => {
    expect(parseBody('post[title]=Hi&post[author][name]=Ann&post[tags][]=a&post[tags][]=b', form)).toEqual({
      post: { title: 'Hi', author: { name: 'Ann' }, tags: ['a', 'b'] },
    });
  });

  it('decodes encoded brackets in keys (as browsers send them)', () => {
    expect(parseBody('user%5Bname%5D=Ann', form)).toEqual({ user: { name: 'Ann' } });
  });

  it('keeps empty values and keys without =', () => {
    expect(parseBody('a=&b&c=3', form)).toEqual({ a: '', b: '', c: '3' });
  });

  it('skips empty pairs and keeps undecodable text as sent', () => {
    expect(parseBody('&&a=100%&b=%E0%A4%A', form)).toEqual({ a: '100%', b: '%E0%A4%A' });
  });

  it('never lets __proto__ keys reach the prototype', () => {
    const parsed = parseBody('__proto__[admin]=1&a[__proto__][admin]=1&ok=1', form);
    expect(parsed).toEqual({ ok: '1' });
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('rejects a key used both as a value and as a nested object', () => {
    const error = parseError(() => parseBody('a=1&a[b]=2', form));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^Malformed form data in request body \(application\/x-www-form-urlencoded\): .*"a"/);
  });
});

describe('parseBody: multipart', () => {
  const type = `multipart/form-data; boundary=${WEBKIT}`;

  it('parses text fields', () => {
    const body = multipart(WEBKIT, [
      { name: 'title', value: 'Hello, world' },
      { name: 'body', value: 'line 1\r\nline 2\r\n' },
      { name: 'empty', value: '' },
      { name: 'post[author]', value: 'Ann' },
    ]);
    expect(parseBody(body, type)).toEqual({ title: 'Hello, world', body: 'line 1\r\nline 2\r\n', empty: '', post: { author: 'Ann' } });
  });

  it('round-trips a binary file with every byte value exactly', () => {
    // Near-misses of the delimiter and trailing CR/LF bytes must stay part of the file.
    const nearMiss = Buffer.from(`\r\n--${WEBKIT.slice(0, -1)}\n--\r\n\r\n`);
    const data = Buffer.concat([allBytes, nearMiss, Buffer.from(allBytes).reverse(), Buffer.from('\r\n\r')]);
    const body = multipart(WEBKIT, [
      { name: 'caption', value: 'bytes' },
      { name: 'upload', value: data, filename: 'bytes.bin', contentType: 'application/octet-stream' },
    ]);
    const parsed = parseBody(body, type);
    const file = parsed['upload'] as UploadedFile;
    expect(parsed['caption']).toBe('bytes');
    expect(file.filename).toBe('bytes.bin');
    expect(file.contentType).toBe('application/octet-stream');
    expect(file.size).toBe(data.length);
    expect(Buffer.isBuffer(file.data)).toBe(true);
    expect(file.data.equals(data)).toBe(true);
  });

  it('defaults a file without Content-Type to application/octet-stream and keeps empty files', () => {
    const body = multipart(WEBKIT, [
      { name: 'a', value: 'x', filename: 'a.txt' },
      { name: 'b', value: '', filename: 'empty.txt', contentType: 'text/plain' },
    ]);
    const parsed = parseBody(body, type);
    expect(parsed['a']).toMatchObject({ filename: 'a.txt', contentType: 'application/octet-stream', size: 1 });
    expect(parsed['b']).toMatchObject({ filename: 'empty.txt', contentType: 'text/plain', size: 0 });
  });

  it('skips a file input left empty (empty filename), as browsers send it', () => {
    const body = multipart(WEBKIT, [
      { name: 'avatar', value: '', filename: '', contentType: 'application/octet-stream' },
      { name: 'name', value: 'Ann' },
    ]);
    expect(parseBody(body, type)).toEqual({ name: 'Ann' });
  });

  it('strips client directories from filenames', () => {
    const body = multipart(WEBKIT, [
      { name: 'a', value: 'x', filename: 'C:\\Users\\ann\\photo.png' }, // old IE, unescaped
      { name: 'c', value: 'z', filename: 'C:\\\\tmp\\\\a \\"b\\".txt' }, // backslash-escaped quoted-string
      { name: 'b', value: 'y', filename: '../../etc/passwd' },
    ]);
    const parsed = parseBody(body, type);
    expect((parsed['a'] as UploadedFile).filename).toBe('photo.png');
    expect((parsed['b'] as UploadedFile).filename).toBe('passwd');
    expect((parsed['c'] as UploadedFile).filename).toBe('a "b".txt');
  });

  it('reads a UTF-8 filename and a filename* parameter', () => {
    const raw = Buffer.from(
      `--b\r\nContent-Disposition: form-data; name="a"; filename="résumé.pdf"\r\n\r\nA\r\n` +
        `--b\r\nContent-Disposition: form-data; name="b"; filename*=UTF-8''%E2%82%AC+rates.txt\r\n\r\nB\r\n--b--\r\n`,
    );
    const parsed = parseBody(raw, 'multipart/form-data; boundary=b');
    expect((parsed['a'] as UploadedFile).filename).toBe('résumé.pdf');
    expect((parsed['b'] as UploadedFile).filename).toBe('€+rates.txt');
  });

  it('turns repeated fields and name[] into arrays, including files', () => {
    const body = multipart(WEBKIT, [
      { name: 'tag', value: 'a' },
      { name: 'tag', value: 'b' },
      { name: 'ids[]', value: '1' },
      { name: 'ids[]', value: '2' },
      { name: 'photos[]', value: 'one', filename: '1.jpg', contentType: 'image/jpeg' },
      { name: 'photos[]', value: 'two', filename: '2.jpg', contentType: 'image/jpeg' },
    ]);
    const parsed = parseBody(body, type);
    expect(parsed['tag']).toEqual(['a', 'b']);
    expect(parsed['ids']).toEqual(['1', '2']);
    const photos = parsed['photos'] as UploadedFile[];
    expect(photos.map((p) => [p.filename, p.data.toString()])).toEqual([
      ['1.jpg', 'one'],
      ['2.jpg', 'two'],
    ]);
  });

  it('accepts a quoted boundary, curl-style boundary, preamble and epilogue', () => {
    const boundary = '------------------------d74496d66958873e';
    const body = Buffer.concat([
      Buffer.from('This is the preamble.\r\n'),
      multipart(boundary, [{ name: 'x', value: '1' }]),
      Buffer.from('epilogue'),
    ]);
    expect(parseBody(body, `multipart/form-data; boundary="${boundary}"`)).toEqual({ x: '1' });
  });

  it('accepts a quoted boundary containing spaces', () => {
    const body = multipart('my boundary', [{ name: 'x', value: '1' }]);
    expect(parseBody(body, 'multipart/form-data; boundary="my boundary"; charset=utf-8')).toEqual({ x: '1' });
  });

  it('tolerates bare LF line breaks', () => {
    const body = multipart('b', [
      { name: 'x', value: '1' },
      { name: 'e', value: '' },
      { name: 'f', value: 'data', filename: 'f.txt' },
    ], '\n');
    const parsed = parseBody(body, 'multipart/form-data; boundary=b');
    expect(parsed['x']).toBe('1');
    expect(parsed['e']).toBe('');
    expect((parsed['f'] as UploadedFile).data.toString()).toBe('data');
  });

  it('accepts a string body for text fields', () => {
    const body = multipart('b', [{ name: 'x', value: 'héllo' }]).toString('utf8');
    expect(parseBody(body, 'multipart/form-data; boundary=b')).toEqual({ x: 'héllo' });
  });

  it('ignores parts without a name', () => {
    const raw = Buffer.from('--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=ok\r\n\r\ny\r\n--b--');
    expect(parseBody(raw, 'multipart/form-data; boundary=b')).toEqual({ ok: 'y' });
  });

  it('throws a 400 BodyParseError when the boundary parameter is missing', () => {
    const error = parseError(() => parseBody(multipart(WEBKIT, [{ name: 'x', value: '1' }]), 'multipart/form-data'));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^Malformed multipart data in request body \(multipart\/form-data\): .*boundary/);
  });

  it('throws when the boundary never appears in the body', () => {
    const error = parseError(() => parseBody(multipart('other', [{ name: 'x', value: '1' }]), type));
    expect(error.message).toMatch(/boundary/);
  });

  it('throws a BodyParseError on a truncated body', () => {
    const full = multipart(WEBKIT, [
      { name: 'x', value: '1' },
      { name: 'f', value: allBytes, filename: 'f.bin' },
    ]);
    for (const cut of [full.length - 4, full.length - `--${WEBKIT}--\r\n`.length, full.length - 100, 60, WEBKIT.length + 2]) {
      const error = parseError(() => parseBody(full.subarray(0, cut), type));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/multipart/);
    }
  });
});

describe('parseBody: content type and empty bodies', () => {
  it('ignores case and charset in the content type', () => {
    expect(parseBody('{"a":1}', 'Application/JSON; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody('a=1', 'APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8')).toEqual({ a: '1' });
    const body = multipart('AbC', [{ name: 'x', value: '1' }]);
    expect(parseBody(body, 'Multipart/Form-Data; charset=utf-8; BOUNDARY=AbC')).toEqual({ x: '1' });
  });

  it('keeps the boundary case-sensitive', () => {
    const body = multipart('AbC', [{ name: 'x', value: '1' }]);
    expect(() => parseBody(body, 'multipart/form-data; boundary=abc')).toThrow(BodyParseError);
  });

  it('returns {} for an empty or missing body', () => {
    expect(parseBody(null, 'application/json')).toEqual({});
    expect(parseBody('', 'application/json')).toEqual({});
    expect(parseBody(Buffer.alloc(0), 'multipart/form-data')).toEqual({});
    expect(parseBody('', 'application/x-www-form-urlencoded')).toEqual({});
  });

  it('returns {} for other or missing content types', () => {
    expect(parseBody('{"a":1}', 'text/plain')).toEqual({});
    expect(parseBody('a=1', undefined)).toEqual({});
    expect(parseBody(allBytes, 'application/octet-stream')).toEqual({});
    expect(parseBody('{"a":1}', 'application/jsonp')).toEqual({});
  });
});
