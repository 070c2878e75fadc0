// The statics of an authorizer class (app/authorizers/<name>-authorizer.ts) as plain data, with
// their defaults. Here rather than in runtime/ because both sides read them: the runtime's
// Authorizer declares them, and the build (which may import router/ but not runtime/, DESIGN.md §2)
// turns them into the Authorizer resource. No code, so importing this pulls nothing into a bundle.

/** API Gateway's Lambda authorizer types: TOKEN gets one header's value, REQUEST the request's parts. */
export type AuthorizerType = 'token' | 'request';

/** What an authorizer class may declare as statics (`static ttl = 60`). */
export interface AuthorizerSettings {
  /** Default `'token'`. */
  type?: AuthorizerType;
  /**
   * API Gateway's identity source expressions: `method.request.header.X`,
   * `method.request.querystring.x`, `stageVariables.x`, `context.x`. TOKEN takes one header;
   * REQUEST takes one or more of any kind (a list). Default `method.request.header.Authorization`.
   */
  identitySource?: string | readonly string[];
  /** Seconds API Gateway caches a result per identity source value (0 = no cache; at most 3600). Default 300. */
  ttl?: number;
  /** TOKEN only: a regular expression the token must match, else API Gateway answers 401 without invoking. */
  validation?: string;
}

/**
 * The TTL is API Gateway's own default (doc AWS::ApiGateway::Authorizer, AuthorizerResultTtlInSeconds:
 * "If this field is not set, the default value is 300"); the header is the usual bearer-token one.
 */
export const AUTHORIZER_DEFAULTS = {
  type: 'token',
  identitySource: 'method.request.header.Authorization',
  ttl: 300,
} as const satisfies Required<Omit<AuthorizerSettings, 'validation'>>;

/** doc AWS::ApiGateway::Authorizer, AuthorizerResultTtlInSeconds: "The maximum value is 3600, or 1 hour". */
export const AUTHORIZER_MAX_TTL = 3600;

/**
 * A WebSocket API names identity sources from the $connect request: REST's `method.request.header.X`
 * and `method.request.querystring.x` become `route.request.header.X` and `route.request.querystring.x`;
 * `stageVariables.x` and `context.x` read the same (doc AWS::ApiGatewayV2::Authorizer, IdentitySource:
 * "For WEBSOCKET APIs … route.request.header.Auth, route.request.querystring.Name"). Undefined for an
 * expression that is none of those.
 */
export function websocketIdentitySource(source: string): string | undefined {
  if (/^method\.request\.(header|querystring)\.[^.\s]+/.test(source)) return source.replace(/^method\./, 'route.');
  return /^(stageVariables|context)\.[^.\s]+$/.test(source) ? source : undefined;
}
