import { parseCookies } from './cookies.js';
import { authOf, type RequestAuth } from './request-auth.js';
import type { ApiGatewayProxyEvent, HttpApiEvent } from './types.js';

/** Request headers with case-insensitive lookup (REST v1 keeps the client's casing, item 25). */
export class HeaderMap {
  readonly #source: Record<string, string | string[] | undefined>;
  #lower: Map<string, string[]> | undefined;

  constructor(source: Record<string, string | string[] | undefined> | null | undefined) {
    this.#source = source ?? {};
  }

  #map(): Map<string, string[]> {
    if (this.#lower) return this.#lower;
    const map = new Map<string, string[]>();
    for (const [name, value] of Object.entries(this.#source)) {
      if (value === undefined) continue;
      const key = name.toLowerCase();
      map.set(key, [...(map.get(key) ?? []), ...(Array.isArray(value) ? value : [value])]);
    }
    return (this.#lower = map);
  }

  /** The last value, as API Gateway's single-value `headers` map holds (item 24). */
  get(name: string): string | undefined {
    return this.getAll(name).at(-1);
  }

  getAll(name: string): string[] {
    return this.#map().get(name.toLowerCase()) ?? [];
  }

  has(name: string): boolean {
    return this.#map().has(name.toLowerCase());
  }

  /** Lowercased names → last value. */
  toJSON(): Record<string, string> {
    return Object.fromEntries([...this.#map()].map(([name, values]) => [name, values.at(-1)!]));
  }
}

export type ApiEvent = ApiGatewayProxyEvent | HttpApiEvent;

export function isHttpApiEvent(event: ApiEvent): event is HttpApiEvent {
  return (event as HttpApiEvent).version === '2.0';
}

/** The incoming HTTP request, read from a REST v1 or HTTP API 2.0 event; costly parts are lazy. */
export class Request {
  // `declare`d fields are set by the constructor without emitted field declarations (bytes in every bundle).
  declare readonly method: string;
  /** The path as the event carries it (REST: still percent-encoded, item 17; HTTP API: decoded, item 37). */
  declare readonly path: string;
  declare readonly headers: HeaderMap;
  /** Query parameters, decoded; a repeated key holds its last value (items 21, 36). */
  declare readonly query: Readonly<Record<string, string>>;
  /** Path parameters exactly as API Gateway sent them (not decoded, item 18). */
  declare readonly pathParameters: Readonly<Record<string, string>>;
  declare readonly ip: string;
  declare readonly requestId: string;
  declare readonly stage: string;
  /**
   * Who API Gateway let through: a Lambda authorizer's `principalId` and `context`, a Cognito or
   * JWT authorizer's `claims`, an IAM caller's `iam`; undefined on a public route.
   */
  declare readonly auth: RequestAuth | undefined;
  readonly #event: ApiEvent;
  #multiQuery: Record<string, string[]> | undefined;
  #cookies: Record<string, string> | undefined;
  #rawBody: Buffer | null | undefined;

  constructor(event: ApiEvent, pathParameters?: Record<string, string> | null) {
    this.#event = event;
    // Optional: a hand-written REST event may leave requestContext out.
    const context = event.requestContext as Partial<ApiGatewayProxyEvent['requestContext'] & HttpApiEvent['requestContext']> | undefined;
    if (isHttpApiEvent(event)) {
      this.method = event.requestContext.http.method;
      this.path = event.rawPath;
      this.headers = new HeaderMap(event.cookies?.length ? { ...event.headers, cookie: event.cookies.join('; ') } : event.headers);
      // Repeats arrive comma-joined in queryStringParameters (item 36): the raw query has each value.
      // Grouped once: multiQuery (which params reads on every request) keeps it.
      const multi = typeof event.rawQueryString == 'string' ? (this.#multiQuery = groupQuery(event.rawQueryString)) : undefined;
      this.query = multi ? Object.fromEntries(Object.entries(multi).map(([key, values]) => [key, values.at(-1)!])) : event.queryStringParameters ?? {};
      this.ip = event.requestContext.http.sourceIp;
    } else {
      this.method = event.httpMethod;
      this.path = event.path;
      // API Gateway fills both maps; a hand-written event may fill only one of them.
      const multi = event.multiValueHeaders;
      this.headers = new HeaderMap(multi && Object.keys(multi).length > 0 ? multi : event.headers);
      this.query = event.queryStringParameters ?? {};
      this.ip = context?.identity?.sourceIp ?? '';
    }
    this.requestId = context?.requestId ?? '';
    this.stage = context?.stage ?? '';
    this.auth = authOf(context);
    this.pathParameters = pathParameters ?? event.pathParameters ?? {};
  }

  /** Every value of every query key, in order (`?r=one&r=two` → `{ r: ['one', 'two'] }`). */
  get multiQuery(): Readonly<Record<string, string[]>> {
    const event = this.#event;
    return (this.#multiQuery ??= isHttpApiEvent(event) ? groupQuery(event.rawQueryString) : event.multiValueQueryStringParameters ?? {});
  }

  get cookies(): Readonly<Record<string, string>> {
    return (this.#cookies ??= parseCookies(this.headers.getAll('cookie').join('; ') || undefined));
  }

  get contentType(): string | undefined {
    return this.headers.get('content-type');
  }

  /** The body bytes, base64-decoded when API Gateway encoded them; null when there is no body. */
  get rawBody(): Buffer | null {
    if (this.#rawBody !== undefined) return this.#rawBody;
    const { body, isBase64Encoded } = this.#event;
    if (body === undefined || body === null) return (this.#rawBody = null);
    return (this.#rawBody = Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8'));
  }

  /** The body as UTF-8 text (null without a body). */
  get body(): string | null {
    const { body, isBase64Encoded } = this.#event;
    if (body === undefined || body === null) return null;
    return isBase64Encoded ? this.rawBody!.toString('utf8') : body;
  }

  /** The proxy event this request came from. */
  get event(): ApiEvent {
    return this.#event;
  }
}

/** Every value of every key of a raw query string, decoded, in order. */
function groupQuery(raw: string | undefined): Record<string, string[]> {
  const multi: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) (multi[key] ??= []).push(value);
  return multi;
}
