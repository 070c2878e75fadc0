// Builds the HTTP API payload format 2.0 event (reference section C, cited as "item N"). It differs
// from REST v1 in ways emulators often get wrong: omitted keys instead of nulls, lowercased and
// comma-joined headers, cookies split out, a decoded rawPath, and base64 for every non-text body.
import type { HttpApiEvent } from '../types.js';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_API_ID,
  DEFAULT_REGION,
  DEFAULT_SOURCE_IP,
  collectQuery,
  createShortRequestId,
  createTraceId,
  domainPrefixOf,
  encodeRequestBody,
  formatRequestTime,
  mediaTypeOf,
  mergeQuery,
  splitPathAndQuery,
  toHeaderEntries,
} from './api-gateway.js';
import type { HeaderInput, QueryInput, RequestEventOptions } from './api-gateway.js';

export interface HttpApiEventOptions extends RequestEventOptions {
  /** `"GET /pets/{id}"`; defaults to `$default`. Stage defaults to `$default`, whose URLs carry no prefix (item 12). */
  routeKey?: string;
  pathParameters?: Record<string, string> | null;
}

// Item 40: only these arrive as text; everything else, including no Content-Type, is base64.
const TEXT_MEDIA_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

export function httpApiEvent(options: HttpApiEventOptions): HttpApiEvent {
  const now = options.requestTime ?? new Date();
  const stage = options.stage ?? '$default';
  const method = options.method.toUpperCase();
  const routeKey = options.routeKey ?? '$default';
  const { path, rawQuery } = splitPathAndQuery(options.path);
  const rawPath = (stage === '$default' ? '' : `/${stage}`) + decodePath(path);
  const rawQueryString = appendRawQuery(rawQuery, options.query);
  const query = mergeQuery(collectQuery(rawQuery, /&/), options.query);
  const sourceIp = options.sourceIp ?? DEFAULT_SOURCE_IP;
  const apiId = options.apiId ?? DEFAULT_API_ID;

  const headers = lowercaseHeaders(options.headers);
  const cookies = (headers.get('cookie') ?? []).flatMap((value) => value.split(';'));
  headers.delete('cookie');
  const domainName =
    options.domainName ??
    headers.get('host')?.at(-1) ??
    `${apiId}.execute-api.${options.region ?? DEFAULT_REGION}.amazonaws.com`;
  const body = encodeRequestBody(options.body, !isTextMediaType(headers.get('content-type')?.at(-1)));

  if (options.gatewayHeaders ?? true) {
    const bodyLength = options.body ? Buffer.byteLength(options.body) : 0;
    const added: Array<[string, string]> = [
      ['host', domainName],
      ['x-amzn-trace-id', createTraceId(now)],
      ['x-forwarded-for', sourceIp],
      ['x-forwarded-port', '443'],
      ['x-forwarded-proto', 'https'],
    ];
    if (bodyLength > 0) added.push(['content-length', String(bodyLength)]);
    for (const [name, value] of added) if (!headers.has(name)) headers.set(name, [value]);
  }
  const trimmedCookies = cookies.map((cookie) => cookie.trim()).filter((cookie) => cookie !== '');

  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(trimmedCookies.length > 0 ? { cookies: trimmedCookies } : {}),
    // Item 34: repeats joined with a bare comma.
    headers: Object.fromEntries([...headers].map(([name, values]) => [name, values.join(',')])),
    ...(query.size > 0
      ? { queryStringParameters: Object.fromEntries([...query].map(([key, values]) => [key, values.join(',')])) }
      : {}),
    requestContext: {
      accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
      apiId,
      ...(options.authorizer ? { authorizer: options.authorizer } : {}),
      domainName,
      domainPrefix: domainPrefixOf(domainName),
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: headers.get('user-agent')?.join(',') ?? '',
      },
      requestId: options.requestId ?? createShortRequestId(),
      routeKey,
      stage,
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.text === null ? {} : { body: body.text }),
    ...(hasKeys(options.pathParameters) ? { pathParameters: { ...options.pathParameters } } : {}),
    isBase64Encoded: body.isBase64Encoded,
    ...(hasKeys(options.stageVariables) ? { stageVariables: { ...options.stageVariables } } : {}),
  };
}

function isTextMediaType(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type !== undefined && (type.startsWith('text/') || TEXT_MEDIA_TYPES.has(type));
}

function lowercaseHeaders(input: HeaderInput | undefined): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const [name, values] of toHeaderEntries(input)) {
    const lower = name.toLowerCase();
    headers.set(lower, [...(headers.get(lower) ?? []), ...values]);
  }
  return headers;
}

/** Item 37: unlike REST, the v2 path arrives percent-decoded. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** `rawQueryString` is the query as sent (item 36); extra `query` values are appended encoded. */
function appendRawQuery(rawQuery: string, extra: QueryInput | undefined): string {
  const pairs = Object.entries(extra ?? {}).flatMap(([key, value]) =>
    (typeof value === 'string' ? [value] : [...value]).map(
      (item) => `${encodeURIComponent(key)}=${encodeURIComponent(item)}`,
    ),
  );
  return [rawQuery, ...pairs].filter((part) => part !== '').join('&');
}

function hasKeys(map: Record<string, string> | null | undefined): map is Record<string, string> {
  return map !== null && map !== undefined && Object.keys(map).length > 0;
}
