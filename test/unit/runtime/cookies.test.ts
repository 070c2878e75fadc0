import { describe, it, expect } from 'vitest';
import { parseCookies, serializeCookie } from '../../../src/runtime/cookies.js';

describe('parseCookies', () => {
  it('parses name=value pairs', () => {
    expect(parseCookies('a=1; b=2;c=three')).toEqual({ a: '1', b: '2', c: 'three' });
  });

  it('returns {} for a missing or empty header', () => {
    expect(parseCookies(undefined)).toEqual({});
    expect(parseCookies('')).toEqual({});
  });

  it('URL-decodes values and keeps the raw value when decoding fails', () => {
    expect(parseCookies('name=J%C3%BCrgen%20M; pct=100%; bad=%E0%A4%A')).toEqual({ name: 'Jürgen M', pct: '100%', bad: '%E0%A4%A' });
  });

  it('unquotes quoted values', () => {
    expect(parseCookies('q="hello world"; e=""; lone="')).toEqual({ q: 'hello world', e: '', lone: '"' });
  });

  it('keeps the first of duplicate names', () => {
    expect(parseCookies('sid=specific; sid=general')).toEqual({ sid: 'specific' });
  });

  it('tolerates whitespace and skips malformed pairs', () => {
    expect(parseCookies('  a = 1 ;;  novalue; =orphan ;b=x=y ;  ')).toEqual({ a: '1', b: 'x=y' });
  });

  it('does not let a __proto__ cookie touch the prototype', () => {
    const cookies = parseCookies('__proto__=x; ok=1');
    expect(cookies).toEqual({ ok: '1' });
    expect(Object.getPrototypeOf(cookies)).toBe(Object.prototype);
  });

  it('round-trips a serialized value', () => {
    const header = serializeCookie('msg', 'a; b=c, "d" é');
    const pair = header.split('; ')[0]!;
    expect(parseCookies(pair)).toEqual({ msg: 'a; b=c, "d" é' });
  });
});

describe('serializeCookie', () => {
  it('encodes the value and defaults Path=/', () => {
    expect(serializeCookie('sid', 'a b;c')).toBe('sid=a%20b%3Bc; Path=/');
  });

  it('writes every option in a fixed order', () => {
    const header = serializeCookie('sid', 'abc', {
      partitioned: true,
      sameSite: 'None',
      httpOnly: true,
      secure: true,
      path: '/app',
      domain: 'example.com',
      expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
      maxAge: 3600,
    });
    expect(header).toBe(
      'sid=abc; Max-Age=3600; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=None; Partitioned',
    );
  });

  it('writes SameSite Strict and Lax without requiring Secure', () => {
    expect(serializeCookie('a', '1', { sameSite: 'Strict' })).toBe('a=1; Path=/; SameSite=Strict');
    expect(serializeCookie('a', '1', { sameSite: 'Lax', httpOnly: true })).toBe('a=1; Path=/; HttpOnly; SameSite=Lax');
  });

  it('writes Max-Age=0 for deletion and floors fractional seconds', () => {
    expect(serializeCookie('a', '', { maxAge: 0 })).toBe('a=; Max-Age=0; Path=/');
    expect(serializeCookie('a', '1', { maxAge: 1.9 })).toBe('a=1; Max-Age=1; Path=/');
  });

  it('omits false flags', () => {
    expect(serializeCookie('a', '1', { secure: false, httpOnly: false, partitioned: false })).toBe('a=1; Path=/');
  });

  it('rejects a name that is not an RFC 6265 token, naming the cookie', () => {
    for (const name of ['', 'a b', 'a;b', 'a=b', 'a,b', 'ü', 'a"b', 'a\tb']) {
      expect(() => serializeCookie(name, 'v')).toThrow(TypeError);
    }
    expect(() => serializeCookie('bad name', 'v')).toThrow(/Cookie "bad name": invalid name/);
  });

  it('accepts every token character in names', () => {
    const name = "!#$%&'*+-.^_`|~09AZaz";
    expect(serializeCookie(name, 'v')).toBe(`${name}=v; Path=/`);
  });

  it("rejects sameSite 'None' without secure, with a hint", () => {
    expect(() => serializeCookie('sid', 'x', { sameSite: 'None' })).toThrow(TypeError);
    expect(() => serializeCookie('sid', 'x', { sameSite: 'None' })).toThrow(/Cookie "sid".*secure: true/);
  });

  it('rejects partitioned without secure', () => {
    expect(() => serializeCookie('sid', 'x', { partitioned: true })).toThrow(/Cookie "sid": partitioned requires secure/);
  });

  it('rejects attributes that would break the header', () => {
    expect(() => serializeCookie('a', '1', { path: '/x; Domain=evil.com' })).toThrow(/Cookie "a": invalid path/);
    expect(() => serializeCookie('a', '1', { domain: 'a.com\r\nX: y' })).toThrow(/invalid domain/);
  });
});
