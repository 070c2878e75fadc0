// COGNITO_USER_POOLS: API Gateway verifies the user pool's JWT itself. Locally the keys come from the
// app (a JWKS file, or 'unverified' to skip the signature only), never from Cognito.
import type { ApiGatewayProxyEvent } from '../../types.js';
import { parseIdentitySource, readIdentitySource } from './identity-source.js';
import { verifyJwt } from './jwt.js';
import { authorizerConfigurationError, unauthorized } from './responses.js';
import type { AuthorizeOutcome, EmulatedAuthorizer, Jwks } from './types.js';

type CognitoAuthorizer = Extract<EmulatedAuthorizer, { type: 'cognito' }>;

export interface CognitoAuthorizeOptions {
  authorizer: CognitoAuthorizer;
  scopes: readonly string[] | undefined;
  event: ApiGatewayProxyEvent;
  keys: Jwks | 'unverified' | undefined;
  now: () => number;
}

export function authorizeWithCognito(options: CognitoAuthorizeOptions): AuthorizeOutcome {
  const { authorizer, event, keys } = options;
  if (keys === undefined) {
    return { allowed: false, response: authorizerConfigurationError(), invoked: false, reason: `Cognito authorizer ${authorizer.name} has no local keys: set local.jwks or local.unverified in its config` };
  }
  const source = parseIdentitySource(authorizer.identitySource, 'token');
  const raw = typeof source === 'string' ? undefined : readIdentitySource(source, event);
  const deny = (reason: string): AuthorizeOutcome => ({ allowed: false, response: unauthorized(), invoked: false, reason: `Cognito authorizer ${authorizer.name}: ${reason}` });
  if (raw === undefined) return deny(`${authorizer.identitySource} is missing or empty`);
  // A `Bearer ` prefix is accepted as well as the bare token (obs AWS workshop testing a REST Cognito
  // authorizer with "Bearer <token>"; amazon-archives/amazon-cognito-identity-js#165).
  const token = raw.replace(/^Bearer\s+/i, '');
  const claims = verifyJwt(token, keys);
  if (typeof claims === 'string') return deny(claims);
  const problem = checkClaims(claims, authorizer.userPoolArns, options.scopes, options.now());
  if (problem) return deny(problem);
  return { allowed: true, authorizer: { claims: stringifyClaims(claims) }, cached: false, invoked: false };
}

/**
 * Not expired; issued by one of the authorizer's pools; without method scopes an ID token, with
 * scopes an access token holding one of them. — doc KC api-gateway-cognito-401-unauthorized ("isn't
 * expired", "issuer … matches the Amazon Cognito user pool configured", "If you didn't configure any
 * scopes … use a valid ID token. If you configure additional scopes … a valid access token"); doc
 * Cognito "Verifying a JSON web token" (iss = https://cognito-idp.<region>.amazonaws.com/<poolId>);
 * obs awslabs/nx-plugin-for-aws#828 (deployed REST authorizer without scopes rejects an access token).
 */
function checkClaims(claims: Record<string, unknown>, userPoolArns: readonly string[], scopes: readonly string[] | undefined, now: number): string | undefined {
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return 'the token has expired (or has no exp)';
  const issuers = userPoolArns.map(issuerOf).filter((issuer): issuer is string => issuer !== undefined);
  if (!issuers.includes(String(claims.iss))) return `the token's issuer ${String(claims.iss)} is none of ${issuers.join(', ')}`;
  if (!scopes || scopes.length === 0) return claims.token_use === 'id' ? undefined : `a method without scopes needs an ID token, got token_use ${String(claims.token_use)}`;
  if (claims.token_use !== 'access') return `a method with scopes needs an access token, got token_use ${String(claims.token_use)}`;
  const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  return scopes.some((scope) => granted.includes(scope)) ? undefined : `the token's scope "${granted.join(' ')}" holds none of ${scopes.join(', ')}`;
}

/** `arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>` → `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
export function issuerOf(userPoolArn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/(.+)$/.exec(userPoolArn);
  return match ? `https://cognito-idp.${match[1]}.amazonaws.com/${match[2]}` : undefined;
}

/**
 * REST hands claims to the function as strings: `email_verified: "true"`, `auth_time: "1513492092"`,
 * but `exp` and `iat` as Java dates, `"Sun Dec 17 07:28:12 UTC 2017"`. — obs captured REST event
 * (claims of a Cognito-authorized request, Dec 2017); src aws/serverless-java-container
 * CognitoAuthorizerClaims (parses exp/iat as `EEE MMM dd HH:mm:ss zzz yyyy`). Lists are joined with
 * commas (inf: aws/chalice#783 splits cognito:groups on ","); objects are JSON text (inf).
 */
export function stringifyClaims(claims: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if ((key === 'exp' || key === 'iat') && typeof value === 'number') result[key] = javaDate(value);
    else if (Array.isArray(value)) result[key] = value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(',');
    else result[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return result;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function javaDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}
