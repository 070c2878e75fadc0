import { internalServerError, configurationError, LAMBDA_PAYLOAD_LIMIT, type GatewayResponse } from './gateway-responses.js';

export interface MapOptions {
  /** The request's Accept header: a base64 body is decoded only when its first type is binary (item 73). */
  accept?: string;
  binaryMediaTypes?: readonly string[];
}

export type MappedResult = GatewayResponse & { malformed?: string };

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
// Item 50: API Gateway renames these when an integration sets them.
const REMAPPED = new Set(['www-authenticate', 'content-length']);

/** `image/png` matches `image/png`, `image/*` and `*\/*` in binaryMediaTypes. */
export function matchesMediaType(type: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!type) return false;
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return binaryMediaTypes.some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted === '*/*' || wanted === bare || (wanted.endsWith('/*') && bare.startsWith(wanted.slice(0, -1)));
  });
}

function malformed(reason: string): MappedResult {
  return { ...internalServerError(), malformed: reason };
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Maps what a function returned to the HTTP response REST API Gateway sends (items 42–51, 68, 73–74).
 * A malformed result becomes the 502 API Gateway gives, with `malformed` saying why (for local logs).
 */
export function mapProxyResult(result: unknown, options: MapOptions = {}): MappedResult {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    return malformed(`the function returned ${result === null || result === undefined ? 'nothing (null)' : Array.isArray(result) ? 'an array' : `a ${typeof result}`}, not a proxy result object`);
  }
  let json: string;
  try {
    json = JSON.stringify(result) ?? '';
  } catch (error) {
    // Item 83: Lambda cannot serialise it (a cycle, a BigInt), so the invocation fails → 502.
    return malformed(`the result cannot be serialised to JSON: ${(error as Error).message}`);
  }
  return mapProxyPayload(json, options);
}

/**
 * The same from the serialised payload Lambda returned (what a worker sends): API Gateway sees
 * exactly this text — `undefined` values gone, toJSON applied (item 83).
 */
export function mapProxyPayload(json: string, options: MapOptions = {}): MappedResult {
  const size = Buffer.byteLength(json);
  if (size > LAMBDA_PAYLOAD_LIMIT) return malformed(`the response is ${size} bytes, over Lambda's 6 MB limit`);
  const record = (json ? JSON.parse(json) : null) as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return malformed('the result does not serialise to a JSON object');
  const unknownKey = Object.keys(record).find((key) => !ALLOWED_KEYS.has(key));
  if (unknownKey) return malformed(`unknown key "${unknownKey}" (allowed: ${[...ALLOWED_KEYS].join(', ')})`);
  const { statusCode = 200, body, isBase64Encoded } = record;
  // `null` maps are accepted: aws-lambda-go sends `"headers": null` for a response without headers.
  const headers = record.headers ?? {};
  const multiValueHeaders = record.multiValueHeaders ?? {};
  const status = typeof statusCode === 'string' && /^\d+$/.test(statusCode) ? Number(statusCode) : statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return malformed(`statusCode ${JSON.stringify(statusCode)} is not an HTTP status code`);
  }
  if (body !== undefined && body !== null && typeof body !== 'string') return malformed(`body must be a string, got ${Array.isArray(body) ? 'an array' : typeof body} (use JSON.stringify)`);
  if (typeof headers !== 'object' || Array.isArray(headers) || Object.values(headers).some((v) => !isScalar(v))) return malformed('headers must map names to strings');
  if (typeof multiValueHeaders !== 'object' || Array.isArray(multiValueHeaders) || Object.values(multiValueHeaders).some((v) => !Array.isArray(v) || !v.every(isScalar))) {
    return malformed('multiValueHeaders must map names to arrays of strings');
  }

  // Item 46: one list; a name present in both keeps the multiValueHeaders values.
  const multiNames = new Set(Object.keys(multiValueHeaders).map((name) => name.toLowerCase()));
  const lines: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) if (!multiNames.has(name.toLowerCase())) lines.push([name, String(value)]);
  for (const [name, values] of Object.entries(multiValueHeaders as Record<string, unknown[]>)) for (const value of values) lines.push([name, String(value)]);
  const mapped: Array<[string, string]> = lines.map(([name, value]) => [REMAPPED.has(name.toLowerCase()) ? `x-amzn-Remapped-${name}` : name, value]);
  if (!mapped.some(([name]) => name.toLowerCase() === 'content-type')) mapped.push(['Content-Type', 'application/json']);

  const text = typeof body === 'string' ? body : '';
  let bytes: Buffer;
  if (isBase64Encoded === true && matchesMediaType(options.accept?.split(',')[0], options.binaryMediaTypes ?? [])) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, '')) || text.replace(/\s/g, '').length % 4 === 1) return { ...configurationError(), malformed: 'isBase64Encoded is true but the body is not valid base64' };
    bytes = Buffer.from(text, 'base64');
  } else {
    bytes = Buffer.from(text, 'utf8');
  }
  return { status, headers: mapped, body: bytes };
}
