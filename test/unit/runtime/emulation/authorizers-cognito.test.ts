import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizeRequest, createAuthorizerCache, issuerOf, type EmulatedAuthorizer, type Jwks } from '../../../../src/runtime/emulation/index.js';
import { REGION, request } from './authorizer-fixtures.js';

const POOL_ARN = 'arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_Abc123';
const ISSUER = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Abc123';
const NOW = Date.UTC(2026, 6, 10, 12, 0, 0);
const NOW_S = NOW / 1000;

function keyPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}
const signing = keyPair('key-1');
const other = keyPair('key-2');
const JWKS: Jwks = { keys: [signing.jwk] };

function jwt(claims: Record<string, unknown>, key: { kid: string; privateKey: KeyObject } = signing, alg = 'RS256'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const data = `${encode({ kid: key.kid, alg })}.${encode(claims)}`;
  return `${data}.${sign('RSA-SHA256', Buffer.from(data), key.privateKey).toString('base64url')}`;
}

const idToken = (extra: Record<string, unknown> = {}) => ({
  sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  iss: ISSUER,
  token_use: 'id',
  'cognito:username': 'janedoe',
  email_verified: true,
  auth_time: 1513492092,
  iat: 1513492092,
  exp: NOW_S + 3600,
  ...extra,
});

const cognito: EmulatedAuthorizer = { type: 'cognito', name: 'users', userPoolArns: [POOL_ARN], identitySource: 'method.request.header.Authorization', ttl: 300 };

function authorize(authorization: string | undefined, options: { scopes?: string[]; keys?: Jwks | 'unverified' | undefined } = {}) {
  const keys = 'keys' in options ? options.keys : JWKS;
  return authorizeRequest({
    auth: { type: 'cognito', authorizer: 'users', ...(options.scopes ? { scopes: options.scopes } : {}) },
    authorizers: [cognito],
    event: request({ headers: authorization === undefined ? {} : { Authorization: authorization } }),
    region: REGION,
    invoke: async () => {
      throw new Error('a Cognito authorizer invokes nothing');
    },
    cache: createAuthorizerCache(),
    now: () => NOW,
    cognitoKeys: (name) => (name === 'users' ? keys : undefined),
  });
}

async function expectUnauthorized(authorization: string | undefined, reason: RegExp, options: Parameters<typeof authorize>[1] = {}) {
  const outcome = await authorize(authorization, options);
  expect(outcome.allowed).toBe(false);
  if (outcome.allowed) return;
  expect(outcome.response.status).toBe(401);
  expect(outcome.response.body.toString()).toBe('{"message":"Unauthorized"}');
  expect(outcome.reason).toMatch(reason);
}

describe('Cognito user pool authorizers (doc KC api-gateway-cognito-401-unauthorized)', () => {
  it('a valid ID token passes; claims reach requestContext.authorizer.claims as strings, exp/iat as Java dates (obs captured REST event; src aws/serverless-java-container)', async () => {
    const outcome = await authorize(jwt(idToken({ 'cognito:groups': ['admin', 'editors'], address: { city: 'Oslo' } })));
    expect(outcome.allowed).toBe(true);
    if (!outcome.allowed) return;
    expect(outcome.authorizer).toEqual({
      claims: {
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        iss: ISSUER,
        token_use: 'id',
        'cognito:username': 'janedoe',
        email_verified: 'true',
        auth_time: '1513492092',
        iat: 'Sun Dec 17 06:28:12 UTC 2017',
        exp: 'Fri Jul 10 13:00:00 UTC 2026',
        'cognito:groups': 'admin,editors',
        address: '{"city":"Oslo"}',
      },
    });
    expect(outcome.invoked).toBe(false);
  });

  it('a "Bearer " prefix is accepted as well (obs AWS workshop; amazon-archives/amazon-cognito-identity-js#165)', async () => {
    expect((await authorize(`Bearer ${jwt(idToken())}`)).allowed).toBe(true);
  });

  it('no token, a non-JWT, an expired token, a foreign issuer → 401', async () => {
    await expectUnauthorized(undefined, /Authorization is missing/);
    await expectUnauthorized('not-a-jwt', /not a JWT/);
    await expectUnauthorized('a.b.c', /not a readable JWT/);
    await expectUnauthorized(jwt(idToken({ exp: NOW_S })), /expired/);
    await expectUnauthorized(jwt(idToken({ exp: undefined })), /expired/);
    await expectUnauthorized(jwt(idToken({ iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Other' })), /issuer/);
  });

  it('a signature by another key, an unknown kid, a tampered payload or another algorithm → 401', async () => {
    await expectUnauthorized(jwt(idToken(), { kid: 'key-1', privateKey: other.privateKey }), /signature does not verify/);
    await expectUnauthorized(jwt(idToken(), other), /no key in the JWKS has kid key-2/);
    const [header, , signature] = jwt(idToken()).split('.');
    const forged = Buffer.from(JSON.stringify(idToken({ sub: 'someone-else' }))).toString('base64url');
    await expectUnauthorized(`${header}.${forged}.${signature}`, /signature does not verify/);
    await expectUnauthorized(jwt(idToken(), signing, 'HS256'), /HS256, not RS256/);
  });

  it("'unverified' skips the signature only: expiry and issuer still count", async () => {
    expect((await authorize(jwt(idToken(), other), { keys: 'unverified' })).allowed).toBe(true);
    await expectUnauthorized(jwt(idToken({ exp: NOW_S - 1 }), other), /expired/, { keys: 'unverified' });
  });

  it('without method scopes an access token is refused; with scopes an access token must hold one (obs awslabs/nx-plugin-for-aws#828)', async () => {
    const access = (scope: string) => jwt(idToken({ token_use: 'access', scope }));
    await expectUnauthorized(access('orders/read'), /needs an ID token/);
    expect((await authorize(access('openid orders/read'), { scopes: ['orders/write', 'orders/read'] })).allowed).toBe(true);
    await expectUnauthorized(access('openid'), /holds none of orders\/read/, { scopes: ['orders/read'] });
    await expectUnauthorized(jwt(idToken()), /needs an access token/, { scopes: ['orders/read'] });
  });

  it('an authorizer without local keys → 500 with a hint to configure them', async () => {
    const outcome = await authorize(jwt(idToken()), { keys: undefined });
    expect(outcome.allowed === false && [outcome.response.status, outcome.reason]).toEqual([500, expect.stringMatching(/local\.jwks or local\.unverified/)]);
  });

  it('issuerOf turns a user pool ARN into its token issuer', () => {
    expect(issuerOf(POOL_ARN)).toBe(ISSUER);
    expect(issuerOf('not-an-arn')).toBeUndefined();
  });
});
