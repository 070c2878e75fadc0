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
  const now = options.requestTime ?? new Date();
  const stage = options.stage ?? 'dev';
  const method = options.method.toUpperCase();
  const { path, rawQuery } = splitPathAndQuery(options.path);
  const resource = options.resource ?? path;
  const query = toQueryMaps(mergeQuery(collectQuery(rawQuery, /[&;]/), options.query));
  const sourceIp = options.sourceIp ?? DEFAULT_SOURCE_IP;
  const apiId = options.apiId ?? DEFAULT_API_ID;
  const region = options.region ?? DEFAULT_REGION;

  let entries = toHeaderEntries(options.headers);
  const domainName =
    options.domainName ?? lastHeaderValue(entries, 'host') ?? `${apiId}.execute-api.${region}.amazonaws.com`;
  if (options.gatewayHeaders ?? true) entries = addGatewayHeaders(entries, domainName, sourceIp, now);

  const binary = isBinaryMediaType(lastHeaderValue(entries, 'content-type'), options.binaryMediaTypes ?? []);
  const body = encodeRequestBody(options.body, binary);
  const identity = { ...createIdentity(sourceIp, lastHeaderValue(entries, 'user-agent') ?? null), ...options.identity };

  return {
    resource,
    path,
    httpMethod: method,
    headers: Object.fromEntries(entries.map(([name, values]) => [name, values[values.length - 1] ?? ''])),
    multiValueHeaders: Object.fromEntries(entries.map(([name, values]) => [name, [...values]])),
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: nullIfEmpty(options.pathParameters),
    stageVariables: nullIfEmpty(options.stageVariables),
    requestContext: {
      accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
      apiId,
      ...(options.authorizer ? { authorizer: coerceAuthorizer(options.authorizer) } : {}),
      domainName,
      domainPrefix: domainPrefixOf(domainName),
      extendedRequestId: createShortRequestId(),
      httpMethod: method,
      identity,
      path: `/${stage}${path}`,
      protocol: 'HTTP/1.1',
      requestId: options.requestId ?? randomUUID(),
      requestTime: formatRequestTime(now),
      requestTimeEpoch: now.getTime(),
      // Real resource ids are stable per resource, so derive one from the template.
      resourceId: resourceIdOf(resource),
      resourcePath: resource,
      stage,
    },
    body: body.text,
    isBase64Encoded: body.isBase64Encoded,
  };
}

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

/** Case-insensitive lookup of the last value sent for `name`. */
export function lastHeaderValue(entries: HeaderEntries, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (const [key, values] of entries) if (key.toLowerCase() === lower) found = values[values.length - 1] ?? found;
  return found;
}

export function domainPrefixOf(domainName: string): string {
  return domainName.split(':')[0]?.split('.')[0] ?? domainName;
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

/**
 * Item 26: the gateway adds Host, X-Forwarded-*, X-Amzn-Trace-Id and re-cases the ones the client
 * sent in lowercase (HTTP/2) to Title-Case; values the client supplied are kept.
 */
function addGatewayHeaders(entries: HeaderEntries, host: string, sourceIp: string, now: Date): HeaderEntries {
  // Each gateway header from what the client sent for it (empty when nothing): the client's
  // value is kept, except that a proxy appends the address it saw to an X-Forwarded-For chain.
  const keep = (fallback: string | undefined) => (sent: string[]) => (sent.length > 0 ? sent : fallback === undefined ? undefined : [fallback]);
  const added: Array<[string, (sent: string[]) => string[] | undefined]> = [
    ['Host', keep(host)],
    ['User-Agent', keep(undefined)],
    ['X-Amzn-Trace-Id', keep(createTraceId(now))],
    ['X-Forwarded-For', (sent) => [sent.length > 0 ? `${sent.join(', ')}, ${sourceIp}` : sourceIp]],
    ['X-Forwarded-Port', keep('443')],
    ['X-Forwarded-Proto', keep('https')],
  ];
  // Lowercased once: this runs for every request the dev server handles.
  let result = [...entries];
  let lowered = result.map(([key]) => key.toLowerCase());
  for (const [name, valuesFor] of added) {
    const lower = name.toLowerCase();
    const sent = result.filter((_, index) => lowered[index] === lower).flatMap(([, values]) => values);
    const values = valuesFor(sent);
    if (values === undefined) continue;
    if (sent.length > 0) {
      result = result.filter((_, index) => lowered[index] !== lower);
      lowered = lowered.filter((key) => key !== lower);
    }
    lowered.push(lower);
    result.push([name, values]);
  }
  return result;
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

/** Item 30: a Lambda authorizer's context values reach the function as strings. */
function coerceAuthorizer(authorizer: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(authorizer).map(([key, value]) => [
      key,
      typeof value === 'number' || typeof value === 'boolean' ? String(value) : value,
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
