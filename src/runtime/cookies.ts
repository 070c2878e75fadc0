// Cookie header parsing and Set-Cookie serialization (RFC 6265), small enough for Lambda.
import { decodeOrKeep } from './decode.js';

export type CookieOptions = {
  maxAge?: number;
  expires?: Date;
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  partitioned?: boolean;
};

/** Parses a Cookie request header into name → value; malformed pairs are skipped, not fatal. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    // Browsers send the most specific path's cookie first, so the first one is the one meant.
    if (eq < 0 || !name || name === '__proto__' || Object.hasOwn(out, name)) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    out[name] = decodeOrKeep(value);
  }
  return out;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// `;` would start a new attribute and control characters would split the header.
const UNSAFE = /[;\x00-\x1f\x7f]/;

/** Builds a Set-Cookie header value; throws a TypeError for input a browser would reject. */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  const fail = (why: string) => new TypeError(`Cookie "${name}": ${why}`);
  if (!TOKEN.test(name)) throw fail('invalid name; use letters, digits and !#$%&\'*+-.^_`|~ only');
  let out = `${name}=${encodeURIComponent(value)}`;
  const { maxAge, expires, domain, path = '/', sameSite } = options;
  if (maxAge !== undefined) out += `; Max-Age=${Math.floor(maxAge)}`;
  if (expires !== undefined) out += `; Expires=${expires.toUTCString()}`;
  if (domain !== undefined) {
    if (UNSAFE.test(domain)) throw fail(`invalid domain ${JSON.stringify(domain)}`);
    out += `; Domain=${domain}`;
  }
  if (UNSAFE.test(path)) throw fail(`invalid path ${JSON.stringify(path)}`);
  out += `; Path=${path}`;
  if (options.secure) out += '; Secure';
  if (options.httpOnly) out += '; HttpOnly';
  const insecure = (what: string, hint = '') => fail(`${what} requires secure: true (browsers drop it otherwise)${hint}`);
  if (sameSite) {
    if (sameSite === 'None' && !options.secure) throw insecure("sameSite 'None'", "; set secure or use 'Lax'");
    out += `; SameSite=${sameSite}`;
  }
  if (options.partitioned) {
    if (!options.secure) throw insecure('partitioned');
    out += '; Partitioned';
  }
  return out;
}
