// A JWT's signature checked against a JSON Web Key Set: what API Gateway does for a REST API's
// Cognito authorizer and for an HTTP API's JWT authorizer alike. Locally the keys come from the
// app (a JWKS file, or 'unverified' to skip the signature only), never from the identity provider.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import type { Jwks } from './types.js';

/**
 * RS256 only: what Cognito signs with, and "only RSA-based algorithms are supported" by an HTTP API's
 * JWT authorizer (doc APIGW "Control access to HTTP APIs with JWT authorizers", step 3). Returns the
 * payload, or why the token is refused.
 */
export function verifyJwt(token: string, keys: Jwks | 'unverified'): Record<string, unknown> | string {
  const parts = token.split('.');
  if (parts.length !== 3) return 'the token is not a JWT (three dot-separated parts)';
  const [headerText, payloadText, signatureText] = parts as [string, string, string];
  const header = decodeJson(headerText);
  const payload = decodeJson(payloadText);
  if (!header || !payload) return 'the token is not a readable JWT';
  if (keys === 'unverified') return payload;
  if (header.alg !== 'RS256') return `the token is signed with ${String(header.alg)}, not RS256`;
  const candidates = keys.keys.filter((key) => header.kid === undefined || key.kid === header.kid);
  if (candidates.length === 0) return `no key in the JWKS has kid ${String(header.kid)}`;
  const data = Buffer.from(`${headerText}.${payloadText}`);
  const signature = Buffer.from(signatureText, 'base64url');
  for (const jwk of candidates) {
    try {
      if (verify('RSA-SHA256', data, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), signature)) return payload;
    } catch {
      // A key that is not an RSA public key cannot have signed it; try the next.
    }
  }
  return 'the token signature does not verify against the JWKS';
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
