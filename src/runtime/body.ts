// Request body parsing for controller params: JSON, urlencoded forms and multipart uploads.
// Runs inside Lambda, so it stays dependency-free and small.
import { decodeOrKeep } from './decode.js';

export type UploadedFile = { filename: string; contentType: string; data: Buffer; size: number };
export type ParsedBody = Record<string, unknown>;

export class BodyParseError extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = 'BodyParseError';
  }
}

/**
 * Parses a request body by its content type. Unknown types and empty bodies give `{}` so the
 * caller can always merge the result into params. A string body is read as UTF-8; binary
 * uploads must arrive as a Buffer (decode API Gateway's base64 body first).
 */
export function parseBody(raw: Buffer | string | null, contentType: string | undefined): ParsedBody {
  if (raw == null || raw.length === 0) return {};
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const json = type === 'application/json' || type.endsWith('+json');
  const form = type === 'application/x-www-form-urlencoded';
  const multipart = type === 'multipart/form-data';
  if (!json && !form && !multipart) return {};
  try {
    if (multipart) return parseMultipart(typeof raw === 'string' ? Buffer.from(raw) : raw, contentType!);
    const text = raw.toString();
    return json ? parseJson(text) : parseForm(text);
  } catch (error) {
    // JSON.parse messages can quote the body across lines; the error must stay one line.
    const reason = String((error as Error).message).replace(/\s*\n\s*/g, ' ');
    throw new BodyParseError(`Malformed ${json ? 'JSON' : form ? 'form data' : 'multipart data'} in request body (${type}): ${reason}`);
  }
}

function parseJson(text: string): ParsedBody {
  if (!text.trim()) return {};
  const value: unknown = JSON.parse(text);
  // Params are a key/value map, so an array or scalar body goes under `_json`, as Rails does.
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as ParsedBody) : { _json: value };
}

function parseForm(text: string): ParsedBody {
  const out: ParsedBody = {};
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    const key = decodeFormPart(eq < 0 ? pair : pair.slice(0, eq));
    if (key) setParam(out, key, eq < 0 ? '' : decodeFormPart(pair.slice(eq + 1)));
  }
  return out;
}

function decodeFormPart(part: string): string {
  return decodeOrKeep(part.replace(/\+/g, ' '));
}

/**
 * Stores a value under a Rack/qs-style key: `a=1&a=2` and `a[]=1` make arrays, `a[b][c]=1`
 * nests objects. A key whose brackets don't parse is kept literally.
 */
function setParam(target: ParsedBody, key: string, value: unknown): void {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  const path = match ? [match[1]!, ...Array.from(match[2]!.matchAll(/\[([^\]]*)\]/g), (m) => m[1]!)] : [key];
  const push = path.length > 1 && path.at(-1) === '';
  if (push) path.pop();
  // `__proto__` would swap the object's prototype; an empty segment mid-key has no meaning.
  if (path.some((p) => p === '__proto__' || p === '')) return;
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const child = Object.hasOwn(node, segment) ? node[segment] : (node[segment] = {});
    if (!isParamObject(child)) throw new Error(`parameter "${segment}" is both a value and a nested object`);
    node = child;
  }
  const last = path.at(-1)!;
  const current = Object.hasOwn(node, last) ? node[last] : undefined;
  if (current === undefined) node[last] = push ? [value] : value;
  else if (Array.isArray(current)) current.push(value);
  else if (push || isParamObject(current)) throw new Error(`parameter "${last}" mixes list and non-list values`);
  else node[last] = [current, value];
}

function isParamObject(value: unknown): value is ParsedBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer((value as UploadedFile).data);
}

function parseMultipart(body: Buffer, contentType: string): ParsedBody {
  const boundary = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (!boundary) throw new Error('missing boundary parameter in the content type');
  const open = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  // Delimiters after the first sit on their own line; searching for the LF alone (and dropping
  // a CR before it) accepts both RFC 7578 CRLF and the bare LF some hand-written clients send.
  const next = Buffer.concat([Buffer.from('\n'), open]);
  const truncated = 'body ends before the closing boundary';
  const out: ParsedBody = {};
  let pos = body.indexOf(open);
  if (pos < 0) throw new Error('boundary not found in body');
  for (;;) {
    pos += open.length;
    if (body[pos] === 45 && body[pos + 1] === 45) return out; // `--boundary--` closes the body
    pos = body.indexOf(10, pos) + 1;
    if (pos === 0) throw new Error(truncated);
    const headers: Record<string, string> = {};
    for (;;) {
      const eol = body.indexOf(10, pos);
      if (eol < 0) throw new Error(truncated);
      const line = body.toString('utf8', pos, eol).replace(/\r$/, '');
      pos = eol + 1;
      if (!line) break;
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    // From pos - 1 so an empty part whose delimiter shares the header block's final LF is found.
    const end = body.indexOf(next, pos - 1);
    if (end < 0) throw new Error(truncated);
    addPart(out, headers, body.subarray(pos, end > pos && body[end - 1] === 13 ? end - 1 : end));
    pos = end + 1;
  }
}

function addPart(out: ParsedBody, headers: Record<string, string>, data: Buffer): void {
  const disposition: Record<string, string> = {};
  for (const m of (headers['content-disposition'] ?? '').matchAll(/;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const value = m[2]!.trim();
    // Only \" and \\ are unescaped: old IE sent Windows paths with bare backslashes.
    disposition[m[1]!.toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(["\\])/g, '$1') : value;
  }
  const name = disposition['name'];
  if (!name) return;
  const extended = /^utf-8''(.*)$/i.exec(disposition['filename*'] ?? '');
  let filename = extended ? decodeOrKeep(extended[1]!) : disposition['filename'];
  if (filename === undefined) return setParam(out, name, data.toString('utf8'));
  // Old browsers sent the client's full path; app code must never see a path from the client.
  filename = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
  // A file input left empty is sent with an empty filename; like Rack, treat it as absent.
  if (!filename) return;
  const file: UploadedFile = { filename, contentType: headers['content-type'] || 'application/octet-stream', data, size: data.length };
  setParam(out, name, file);
}
