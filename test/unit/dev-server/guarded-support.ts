// Helpers of the dev server's authorizer tests on the guarded fixture: tokens signed in the test
// with node:crypto, the fixture's local JWKS holding their key, and a fetch that keeps the body.
import { writeFileSync } from 'node:fs';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';

export const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI';

/** A key pair whose public half goes into the app's config/jwks.json (kid `local-1`), and a JWT signer. */
export function createSigner() {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    jwt(claims: Record<string, unknown>, privateKey: KeyObject = keys.privateKey): string {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const data = `${part({ kid: 'local-1', alg: 'RS256' })}.${part(claims)}`;
      return `${data}.${sign('RSA-SHA256', Buffer.from(data), privateKey).toString('base64url')}`;
    },
    writeJwks(root: string): void {
      writeFileSync(join(root, 'config', 'jwks.json'), JSON.stringify({ keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: 'local-1', alg: 'RS256', use: 'sig' }] }));
    },
  };
}

export async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), text, json: () => JSON.parse(text) as any, headers: response.headers };
}
