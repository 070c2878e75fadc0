// What an HTTP API (API Gateway v2, payload format 2.0) makes of a function's result, and the
// answers it generates itself — reference sections A, E, F and H, cited as "item N". Unlike REST
// (proxy-result.ts) nothing is "malformed": a result without statusCode is inferred, unknown keys
// are ignored, and a function error is a 500, not a 502.
import { LAMBDA_PAYLOAD_LIMIT, type GatewayResponse } from './gateway-responses.js';
import type { MappedResult } from './proxy-result.js';

function json(status: number, body: string): GatewayResponse {
  return { status, headers: [['Content-Type', 'application/json']], body: Buffer.from(body) };
}

/** Item 11: no route matches (a method mismatch included, without ANY or `$default`). */
export const httpApiNotFound = (): GatewayResponse => json(404, '{"message":"Not Found"}');

/** Items 61, 64: the function threw, timed out on its own, or its payload could not be used. Capital E, no space. */
export const httpApiInternalServerError = (): GatewayResponse => json(500, '{"message":"Internal Server Error"}');

/** Item 63: the integration's 30 s ran out first. */
export const httpApiServiceUnavailable = (): GatewayResponse => json(503, '{"message":"Service Unavailable"}');

/** Item 63: an HTTP API's integration timeout; it cannot be raised. */
export const HTTP_API_TIMEOUT_MS = 30_000;

export interface HttpApiMapOptions {
  /**
   * Item 76: with a CORS configuration the API adds these headers to every response and drops the
   * Access-Control-* headers the function set. Absent: the function's headers pass (item 77).
   */
  corsHeaders?: ReadonlyArray<readonly [string, string]>;
}

function failed(reason: string): MappedResult {
  return { ...httpApiInternalServerError(), malformed: reason };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Item 52: a result without statusCode is the body of a 200 JSON response — a string as-is, anything else as its JSON text. */
function inferred(json: string, value: unknown): MappedResult {
  const body = typeof value === 'string' ? value : json;
  return { status: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from(body, 'utf8') };
}

function withCors(response: MappedResult, cors: HttpApiMapOptions['corsHeaders']): MappedResult {
  if (!cors) return response;
  const own = response.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  return { ...response, headers: [...own, ...cors.map(([name, value]) => [name, value] as [string, string])] };
}

/**
 * Maps the serialised payload the function returned (what a worker sends) to the HTTP response
 * an HTTP API gives with payload format 2.0 (items 52–54, 56–57). `malformed` says why a 500 is one.
 */
export function mapHttpApiPayload(json: string, options: HttpApiMapOptions = {}): MappedResult {
  const size = Buffer.byteLength(json);
  if (size > LAMBDA_PAYLOAD_LIMIT) return failed(`the response is ${size} bytes, over Lambda's 6 MB limit`);
  // Item 57 (inf): `undefined` arrives as `null`; the documented inference gives a 200 whose body is `null`.
  const value: unknown = json === '' ? null : JSON.parse(json);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('statusCode' in value)) return withCors(inferred(json || 'null', value), options.corsHeaders);

  // Item 53: a structured response; item 54: every other key (multiValueHeaders too) is ignored.
  const record = value as Record<string, unknown>;
  const { statusCode, body, isBase64Encoded } = record;
  const status = typeof statusCode === 'string' && /^\d+$/.test(statusCode) ? Number(statusCode) : statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return failed(`statusCode ${JSON.stringify(statusCode)} is not an HTTP status code`);
  }
  const headers = record.headers ?? {};
  if (typeof headers !== 'object' || Array.isArray(headers) || Object.values(headers).some((v) => !isScalar(v))) return failed('headers must map names to strings');
  const cookies = record.cookies ?? [];
  if (!Array.isArray(cookies) || !cookies.every((cookie) => typeof cookie === 'string')) return failed('cookies must be a list of strings');

  const lines: Array<[string, string]> = Object.entries(headers as Record<string, string | number | boolean>).map(([name, v]) => [name, String(v)]);
  // Item 53: each cookie becomes a set-cookie header of its own.
  for (const cookie of cookies as string[]) lines.push(['set-cookie', cookie]);
  // inf: a non-string body is sent as its JSON text, as an inferred result would be.
  const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  // Item 56: base64 is decoded whatever the content type or Accept (no binaryMediaTypes on HTTP APIs).
  const bytes = isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return withCors({ status, headers: lines, body: bytes }, options.corsHeaders);
}

/** The same from the value a function returned (sls-ts/testing): serialised as Lambda would. */
export function mapHttpApiResult(result: unknown, options: HttpApiMapOptions = {}): MappedResult {
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    return failed(`the result cannot be serialised to JSON: ${(error as Error).message}`);
  }
  return mapHttpApiPayload(json ?? 'null', options);
}
