// AWS_IAM methods: API Gateway wants a SigV4-signed request. Locally there is no AWS account to
// check the signature against, so a request that carries one is accepted as signed; one that does
// not gets the answer AWS gives an unsigned request.
import { createHash } from 'node:crypto';
import type { ApiGatewayIdentity, ApiGatewayProxyEvent } from '../../types.js';
import { missingAuthenticationToken } from '../gateway-responses.js';
import { headerValue } from './identity-source.js';
import { incompleteSignature } from './responses.js';
import type { AuthorizeOutcome } from './types.js';

/**
 * Unsigned → 403 `{"message":"Missing Authentication Token"}` (MissingAuthenticationTokenException),
 * the same answer as an unknown route. — doc KC api-gateway-authentication-token-errors ("The API
 * request isn't signed when IAM authentication is turned on"). An Authorization header of another
 * scheme → 403 IncompleteSignatureException (see responses.ts). Signed: `identity.accessKey` is the
 * credential's key id and `accountId` the account encoded in it (AKIA/ASIA keys). caller, user and
 * userArn need STS to resolve and stay null locally.
 */
export function authorizeWithIam(event: ApiGatewayProxyEvent): AuthorizeOutcome {
  const accessKey = signingKeyId(event);
  if (accessKey === undefined) {
    const authorization = headerValue(event, 'authorization');
    if (authorization !== undefined && authorization !== '') {
      // Some other scheme (a Bearer token): API Gateway tries to read it as SigV4 and fails.
      const hashed = createHash('sha256').update(authorization).digest('base64');
      return { allowed: false, response: incompleteSignature(hashed), invoked: false, reason: 'the method uses AWS_IAM and the Authorization header is not a SigV4 signature' };
    }
    return { allowed: false, response: missingAuthenticationToken(), invoked: false, reason: 'the method uses AWS_IAM and the request is not SigV4-signed' };
  }
  const identity: Partial<ApiGatewayIdentity> = { accessKey, accountId: accountIdOf(accessKey) ?? null };
  return { allowed: true, identity, cached: false, invoked: false };
}

/**
 * The access key id of a SigV4 signature: `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/…`
 * or the presigned-URL form `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=<key>/…` — doc AWS
 * "Elements of an AWS API request signature" / "Authentication methods" (header and query string).
 */
/** (A REST proxy event or an HTTP API 2.0 event: both have these two.) */
export function signingKeyId(event: { headers: Record<string, string>; queryStringParameters?: Record<string, string> | null }): string | undefined {
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//.exec(headerValue(event, 'authorization')?.trim() ?? '');
  if (match) return match[1];
  const query = event.queryStringParameters;
  if (query?.['X-Amz-Algorithm'] === 'AWS4-HMAC-SHA256') {
    const key = query['X-Amz-Credential']?.split('/')[0];
    if (key) return key;
  }
  return undefined;
}

/**
 * The 12-digit account an AKIA/ASIA key id belongs to: base32 after the 4-character prefix, the
 * account in bits 1–40 of the first six bytes. — obs Tal Be'ery, "A short note on AWS KEY ID" (2023,
 * ASIAY34FZKBOKMUTVV7A → 609629065308, as sts:GetAccessKeyInfo returns); Aidan Steele, "AWS Access
 * Key ID formats" (2020). Other key ids (the SDK's examples, made-up local keys) → undefined.
 */
export function accountIdOf(accessKeyId: string): string | undefined {
  if (!/^(AKIA|ASIA)[A-Z2-7]{16}$/.test(accessKeyId)) return undefined;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0n;
  // The first 10 base32 characters (50 bits) cover the first six bytes (48 bits).
  for (const char of accessKeyId.slice(4, 14)) bits = (bits << 5n) | BigInt(alphabet.indexOf(char));
  const firstSixBytes = bits >> 2n;
  return String((firstSixBytes & 0x7fffffffff80n) >> 7n).padStart(12, '0');
}
