// Builds the REST API v1 Lambda proxy event exactly as API Gateway does (reference sections B and G,
// cited as "item N"). The dev server, the testing helper and unit tests all go through this one
// function, so a fidelity fix here reaches every caller.
import { randomUUID } from 'node:crypto';
import type { ApiGatewayIdentity, ApiGatewayProxyEvent } from '../types.js';
import { createShortRequestId, createTraceId, formatRequestTime, resourceIdOf } from './ids.js';

// http-api.ts and the dev server import these from here, with the other pieces events share.
export { createShortRequestId, createTraceId, formatRequestTime } from './ids.js';

export type HeaderInput = Record<string, string | readonly string[] | undefined>;
export type QueryInput = Record<string, string | readonly string[]>;
/** Ordered header list; REST keeps names as sent, so two casings of one name stay two entries. */
export type HeaderEntries = Array<[name: string, values: string[]]>;

/** What a client request and its API Gateway carry; shared by REST v1 and HTTP API 2.0 events. */
export interface RequestEventOptions {
  method: string;
  /** Concrete path as the client sent it, without the stage; may carry `?query`. */
  path: string;
  /** Already-decoded values, merged after the URL's own query. */
  query?: QueryInput;
  headers?: HeaderInput;
  body?: string | Buffer | null;
  stage?: string;
  stageVariables?: Record<string, string> | null;
  sourceIp?: string;
  requestId?: string;
  requestTime?: Date;
  accountId?: string;
  apiId?: string;
  region?: string;
  /** Defaults to the Host header, else the execute-api host name. */
  domainName?: string;
  authorizer?: Record<string, unknown>;
  /** Add the headers the gateway adds (items 26 and 39). Default true. */
  gatewayHeaders?: boolean;
}

export interface ApiGatewayEventOptions extends RequestEventOptions {
  /** Route template such as `/posts/{id}`; defaults to the concrete path (percent-encoding kept). */
  resource?: string;
  /** Raw (still encoded) values, as API Gateway passes them (item 18). */
  pathParameters?: Record<string, string> | null;
  binaryMediaTypes?: readonly string[];
  /** Caller identity fields an API key, IAM/Cognito auth or mutual TLS fill in (item 29); the rest stay null. */
  identity?: Partial<ApiGatewayIdentity>;
}

export interface ParsedQuery {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_API_ID = 'localapi01';
export const DEFAULT_SOURCE_IP = '127.0.0.1';

export function apiGatewayEvent(options: ApiGatewayEventOptions): ApiGatewayProxyEvent {
  return restEvent(options, toHeaderEntries(options.headers));
}

/**
 * The same from request headers as Node gives them (IncomingMessage.rawHeaders: name, value, …),
 * grouped by exact name in the order first sent — what the dev server's worker builds every event
 * from, without a record of them first.
 */
export function apiGatewayEventFromRawHeaders(options: Omit<ApiGatewayEventOptions, 'headers'>, rawHeaders: readonly string[]): ApiGatewayProxyEvent {
  return restEvent(options, rawHeaderEntries(rawHeaders));
}

// Runs for every request the dev server handles: one pass over the headers, objects built in
// place (no Object.fromEntries, spreads or per-call closures) — the event itself is unchanged.
function restEvent(options: Omit<ApiGatewayEventOptions, 'headers'>, entries: HeaderEntries): ApiGatewayProxyEvent {
  const now = options.requestTime ?? new Date();
  const stage = options.stage ?? 'dev';
  const method = options.method.toUpperCase();
  const { path, rawQuery } = splitPathAndQuery(options.path);
  const resource = options.resource ?? path;
  const query = rawQuery === '' && options.query === undefined ? NO_QUERY : toQueryMaps(mergeQuery(collectQuery(rawQuery, /[&;]/), options.query));
  const sourceIp = options.sourceIp ?? DEFAULT_SOURCE_IP;
  const apiId = options.apiId ?? DEFAULT_API_ID;
  const region = options.region ?? DEFAULT_REGION;

  const sorted = sortHeaders(entries);
  const domainName = options.domainName ?? lastOf(sorted.host) ?? `${apiId}.execute-api.${region}.amazonaws.com`;
  const final = (options.gatewayHeaders ?? true) ? addGatewayHeaders(sorted, domainName, sourceIp, now) : entries;

  const binary = isBinaryMediaType(sorted.contentType, options.binaryMediaTypes ?? []);
  const body = encodeRequestBody(options.body, binary);
  const created = createIdentity(sourceIp, lastOf(sorted.userAgent) ?? null);
  const identity = options.identity ? { ...created, ...options.identity } : created;

  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, values] of final) {
    setOwn(headers, name, values[values.length - 1] ?? '');
    setOwn(multiValueHeaders, name, values.slice());
  }
  const requestContext: Record<string, unknown> = { accountId: options.accountId ?? DEFAULT_ACCOUNT_ID, apiId };
  if (options.authorizer) requestContext.authorizer = coerceAuthorizer(options.authorizer);
  requestContext.domainName = domainName;
  requestContext.domainPrefix = domainPrefixOf(domainName);
  requestContext.extendedRequestId = createShortRequestId();
  requestContext.httpMethod = method;
  requestContext.identity = identity;
  requestContext.path = `/${stage}${path}`;
  requestContext.protocol = 'HTTP/1.1';
  requestContext.requestId = options.requestId ?? randomUUID();
  requestContext.requestTime = formatRequestTime(now);
  requestContext.requestTimeEpoch = now.getTime();
  // Real resource ids are stable per resource, so derive one from the template.
  requestContext.resourceId = resourceIdOf(resource);
  requestContext.resourcePath = resource;
  requestContext.stage = stage;

  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: nullIfEmpty(options.pathParameters),
    stageVariables: nullIfEmpty(options.stageVariables),
    requestContext: requestContext as unknown as ApiGatewayProxyEvent['requestContext'],
    body: body.text,
    isBase64Encoded: body.isBase64Encoded,
  };
}

const NO_QUERY: ParsedQuery = { single: null, multi: null };

/** REST query rules (items 19, 21–23): decoded, `+` → space, last value wins in `single`. */
export function parseQueryString(raw: string): ParsedQuery {
  return toQueryMaps(collectQuery(raw, /[&;]/));
}

/** Splits `raw` (leading `?` tolerated) into decoded key → values, keeping order of repeats. */
export function collectQuery(raw: string, separator: RegExp): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const text = raw.startsWith('?') ? raw.slice(1) : raw;
  for (const part of text.split(separator)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeQueryComponent(eq === -1 ? part : part.slice(0, eq));
    if (key === '') continue;
    const value = eq === -1 ? '' : decodeQueryComponent(part.slice(eq + 1));
    const values = result.get(key);
    if (values) values.push(value);
    else result.set(key, [value]);
  }
  return result;
}

export function mergeQuery(parsed: Map<string, string[]>, extra: QueryInput | undefined): Map<string, string[]> {
  for (const [key, value] of Object.entries(extra ?? {})) {
    const added = typeof value === 'string' ? [value] : [...value];
    if (added.length === 0) continue;
    parsed.set(key, [...(parsed.get(key) ?? []), ...added]);
  }
  return parsed;
}

export function splitPathAndQuery(target: string): { path: string; rawQuery: string } {
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  return { path: path.startsWith('/') ? path : `/${path}`, rawQuery: mark === -1 ? '' : target.slice(mark + 1) };
}

export function toHeaderEntries(headers: HeaderInput | undefined): HeaderEntries {
  const entries: HeaderEntries = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : [...value];
    if (values.length > 0) entries.push([name, values]);
  }
  return entries;
}


/** The first label of the host name (before the first `.`, or `:` and a port). */
export function domainPrefixOf(domainName: string): string {
  for (let i = 0; i < domainName.length; i++) {
    const char = domainName.charCodeAt(i);
    if (char === 46 /* . */ || char === 58 /* : */) return domainName.slice(0, i);
  }
  return domainName;
}

/** Lowercased media type without parameters, e.g. `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

export function encodeRequestBody(
  body: string | Buffer | null | undefined,
  binary: boolean,
): { text: string | null; isBase64Encoded: boolean } {
  // Item 20: an absent or empty body is null, never "".
  if (body === undefined || body === null || body.length === 0) return { text: null, isBase64Encoded: false };
  if (binary) return { text: Buffer.from(body).toString('base64'), isBase64Encoded: true };
  return { text: typeof body === 'string' ? body : body.toString('utf8'), isBase64Encoded: false };
}

// Item 72: an entry matches exactly, as `type/*`, or as the match-all `*/*`.
function isBinaryMediaType(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (binaryMediaTypes.length === 0) return false;
  // API Gateway assumes application/json when a request has no Content-Type (inferred, not measured).
  const type = mediaTypeOf(contentType) ?? 'application/json';
  return binaryMediaTypes.some((entry) => {
    const candidate = entry.trim().toLowerCase();
    if (candidate === '*/*' || candidate === type) return true;
    return candidate.endsWith('/*') && type.startsWith(candidate.slice(0, -1));
  });
}

/** Request headers split once: the gateway's own (item 26) by kind, with every value sent for each, and the rest in order. */
interface SortedHeaders {
  rest: HeaderEntries;
  host: string[];
  userAgent: string[];
  traceId: string[];
  forwardedFor: string[];
  forwardedPort: string[];
  forwardedProto: string[];
  contentType: string | undefined;
}

function sortHeaders(entries: HeaderEntries): SortedHeaders {
  const sorted: SortedHeaders = { rest: [], host: [], userAgent: [], traceId: [], forwardedFor: [], forwardedPort: [], forwardedProto: [], contentType: undefined };
  for (const entry of entries) {
    const values = entry[1];
    switch (entry[0].toLowerCase()) {
      case 'host': sorted.host.push(...values); break;
      case 'user-agent': sorted.userAgent.push(...values); break;
      case 'x-amzn-trace-id': sorted.traceId.push(...values); break;
      case 'x-forwarded-for': sorted.forwardedFor.push(...values); break;
      case 'x-forwarded-port': sorted.forwardedPort.push(...values); break;
      case 'x-forwarded-proto': sorted.forwardedProto.push(...values); break;
      case 'content-type':
        sorted.contentType = values[values.length - 1] ?? sorted.contentType;
        sorted.rest.push(entry);
        break;
      default: sorted.rest.push(entry);
    }
  }
  return sorted;
}

function lastOf(values: string[]): string | undefined {
  return values[values.length - 1];
}

/**
 * Item 26: the gateway adds Host, X-Forwarded-*, X-Amzn-Trace-Id and re-cases the ones the client
 * sent in lowercase (HTTP/2) to Title-Case, after the client's other headers; values the client
 * supplied are kept, except that a proxy appends the address it saw to an X-Forwarded-For chain.
 */
function addGatewayHeaders(sorted: SortedHeaders, host: string, sourceIp: string, now: Date): HeaderEntries {
  const result = sorted.rest.slice();
  const { userAgent, traceId, forwardedFor, forwardedPort, forwardedProto } = sorted;
  result.push(['Host', sorted.host.length > 0 ? sorted.host : [host]]);
  if (userAgent.length > 0) result.push(['User-Agent', userAgent]);
  result.push(['X-Amzn-Trace-Id', traceId.length > 0 ? traceId : [createTraceId(now)]]);
  result.push(['X-Forwarded-For', [forwardedFor.length > 0 ? `${forwardedFor.join(', ')}, ${sourceIp}` : sourceIp]]);
  result.push(['X-Forwarded-Port', forwardedPort.length > 0 ? forwardedPort : ['443']]);
  result.push(['X-Forwarded-Proto', forwardedProto.length > 0 ? forwardedProto : ['https']]);
  return result;
}

/** rawHeaders (name, value, …) grouped by exact name, in the order each name was first sent. */
function rawHeaderEntries(raw: readonly string[]): HeaderEntries {
  const entries: HeaderEntries = [];
  const byName = new Map<string, string[]>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const values = byName.get(name);
    if (values) values.push(raw[i + 1]!);
    else {
      const first = [raw[i + 1]!];
      byName.set(name, first);
      entries.push([name, first]);
    }
  }
  return entries;
}

/** `target[name] = value`, also for a header named `__proto__` (which assignment would take as the prototype). */
function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

function createIdentity(sourceIp: string, userAgent: string | null): ApiGatewayIdentity {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}

/**
 * Item 30: a Lambda authorizer's context values reach the function as strings — except the
 * `integrationLatency` API Gateway adds itself, a number (obs CodeGenieApp/serverless-express#551).
 */
function coerceAuthorizer(authorizer: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(authorizer).map(([key, value]) => [
      key,
      key !== 'integrationLatency' && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : value,
    ]),
  );
}

function toQueryMaps(parsed: Map<string, string[]>): ParsedQuery {
  if (parsed.size === 0) return { single: null, multi: null };
  const entries = [...parsed];
  return {
    single: Object.fromEntries(entries.map(([key, values]) => [key, values[values.length - 1] ?? ''])),
    multi: Object.fromEntries(entries.map(([key, values]) => [key, [...values]])),
  };
}

function decodeQueryComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function nullIfEmpty(map: Record<string, string> | null | undefined): Record<string, string> | null {
  return map && Object.keys(map).length > 0 ? { ...map } : null;
}
