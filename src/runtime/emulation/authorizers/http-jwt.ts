// An HTTP API's JWT authorizer (what a Cognito authorizer becomes with api: 'http'): API Gateway v2
// checks the token itself. The steps and claims follow doc APIGW "Control access to HTTP APIs with
// JWT authorizers" ("Authorizing API requests with a JWT authorizer"), cited below as JWT-DOC.
import type { HttpApiEvent } from '../../types.js';
import { issuerOf } from './cognito.js';
import { readHttpApiSource } from './http-identity-source.js';
import { httpApiAuthorizerError, httpApiJwtUnauthorized } from './http-responses.js';
import { parseIdentitySource } from './identity-source.js';
import { verifyJwt } from './jwt.js';
import type { AuthorizeOutcome, EmulatedAuthorizer, Jwks } from './types.js';

type CognitoAuthorizer = Extract<EmulatedAuthorizer, { type: 'cognito' }>;

export interface JwtAuthorizeOptions {
  authorizer: CognitoAuthorizer;
  /** The app client ids the deployed authorizer lists as its Audience (the config's `audience`). */
  audience: readonly string[] | undefined;
  /** The route's authorizationScopes. */
  scopes: readonly string[] | undefined;
  event: HttpApiEvent;
  keys: Jwks | 'unverified' | undefined;
  now: () => number;
}

export function authorizeWithJwt(options: JwtAuthorizeOptions): AuthorizeOutcome {
  const { authorizer, event, keys } = options;
  const routeScopes = options.scopes ?? [];
  const misconfigured = (reason: string): AuthorizeOutcome => ({ allowed: false, response: httpApiAuthorizerError(), invoked: false, reason: `JWT authorizer ${authorizer.name}: ${reason}` });
  if (keys === undefined) return misconfigured('it has no local keys: set local.jwks or local.unverified in its config');
  if (!options.audience || options.audience.length === 0) return misconfigured("its config has no audience, which an HTTP API's JWT authorizer requires");
  const issuer = authorizer.userPoolArns.length === 1 ? issuerOf(authorizer.userPoolArns[0]!) : undefined;
  if (!issuer) return misconfigured('an HTTP API trusts the tokens of exactly one user pool, named by its ARN');

  const deny = (description: string, detail = description): AuthorizeOutcome => ({
    allowed: false, response: httpApiJwtUnauthorized(description, routeScopes), invoked: false, reason: `JWT authorizer ${authorizer.name}: ${detail}`,
  });
  const source = parseIdentitySource(authorizer.identitySource, 'token');
  const raw = typeof source === 'string' ? undefined : readHttpApiSource(source, event);
  if (raw === undefined) return deny('the token is missing', `${authorizer.identitySource} is missing or empty`);
  // JWT-DOC step 1: "The identitySource can include only the token, or the token prefixed with Bearer."
  const token = raw.replace(/^Bearer /, '');
  // JWT-DOC steps 2–3 and the `kid` claim: decoded, RSA-signed by a key of the issuer's JWKS.
  const claims = verifyJwt(token, keys);
  if (typeof claims === 'string') return deny('the token is invalid', claims);
  const problem = checkClaims(claims, issuer, options.audience, routeScopes, options.now());
  if (problem) return deny(problem);
  const scopes = tokenScopes(claims);
  return { allowed: true, authorizer: { jwt: { claims: renderClaims(claims), scopes: scopes.length > 0 ? scopes : null } }, cached: false, invoked: false };
}

/**
 * JWT-DOC step 4, in its order: `iss` equals the issuer; `aud`, or `client_id` only when there is no
 * `aud`, is one of the audience (doc "Troubleshooting issues with HTTP API JWT authorizers": "API
 * Gateway validates client_id only if aud is not present"); `exp` after now; `nbf` and `iat` before
 * now; with route scopes, `scope` or `scp` holds at least one of them. Unlike REST's Cognito
 * authorizer, ID and access tokens are both accepted (JWT-DOC: "There is no standard mechanism to
 * differentiate JWT access tokens from other types"). A missing `exp` is refused (inf).
 */
function checkClaims(claims: Record<string, unknown>, issuer: string, audience: readonly string[], routeScopes: readonly string[], now: number): string | undefined {
  if (claims.iss !== issuer) return 'the token does not have a valid issuer';
  const aud = claims.aud !== undefined ? claims.aud : claims.client_id;
  const auds = Array.isArray(aud) ? aud : [aud];
  // The one description AWS publishes (doc "Troubleshooting issues with HTTP API JWT authorizers").
  if (!auds.some((value) => typeof value === 'string' && audience.includes(value))) return 'the token does not have a valid audience';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return 'the token has expired';
  if (typeof claims.nbf === 'number' && claims.nbf * 1000 > now) return 'the token is not valid yet';
  if (typeof claims.iat === 'number' && claims.iat * 1000 > now) return 'the token was issued in the future';
  if (routeScopes.length === 0) return undefined;
  const granted = tokenScopes(claims);
  return routeScopes.some((scope) => granted.includes(scope)) ? undefined : 'the token does not have a valid scope';
}

/** `scope` (OAuth's space-separated string, what Cognito access tokens carry) or `scp` (a list, or a string). */
function tokenScopes(claims: Record<string, unknown>): string[] {
  const value = claims.scope ?? claims.scp;
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * `requestContext.authorizer.jwt.claims` as v2 renders them: every value a string (the reference
 * event apigw-v2-request-jwt-authorizer.json; numbers such as `exp` as their digits), a list as
 * `[a b c]` — obs aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock#803
 * ("API Gateway HTTP API JWT authorizer serializes array claims as bracketed space-separated
 * strings"). Objects as JSON text (inf).
 */
export function renderClaims(claims: Record<string, unknown>): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) rendered[key] = `[${value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(' ')}]`;
    else rendered[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return rendered;
}
