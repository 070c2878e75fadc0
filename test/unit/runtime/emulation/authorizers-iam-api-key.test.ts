import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accountIdOf, apiKeyResponse, authorizeRequest, checkApiKey, createAuthorizerCache } from '../../../../src/runtime/emulation/index.js';
import { REGION, request } from './authorizer-fixtures.js';
import type { ApiGatewayEventOptions } from '../../../../src/runtime/events/api-gateway.js';

const KEY_ID = 'ASIAY34FZKBOKMUTVV7A';
const SIGNATURE = `AWS4-HMAC-SHA256 Credential=${KEY_ID}/20260710/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123`;

function iam(options: Partial<ApiGatewayEventOptions>) {
  return authorizeRequest({
    auth: { type: 'iam' },
    authorizers: [],
    event: request(options),
    region: REGION,
    invoke: async () => {
      throw new Error('AWS_IAM invokes nothing');
    },
    cache: createAuthorizerCache(),
    now: () => 0,
    cognitoKeys: () => undefined,
  });
}

describe('AWS_IAM methods (doc KC api-gateway-authentication-token-errors)', () => {
  it('an unsigned request → 403 {"message":"Missing Authentication Token"} MissingAuthenticationTokenException', async () => {
    for (const options of [{}, { headers: { Authorization: '' } }, { query: { 'X-Amz-Credential': 'AKIDEXAMPLE/x' } }]) {
      const outcome = await iam(options);
      expect(outcome.allowed).toBe(false);
      if (outcome.allowed) continue;
      expect([outcome.response.status, outcome.response.body.toString()]).toEqual([403, '{"message":"Missing Authentication Token"}']);
      expect(outcome.response.headers).toContainEqual(['x-amzn-ErrorType', 'MissingAuthenticationTokenException']);
    }
  });

  it('an Authorization header of another scheme → 403 IncompleteSignatureException naming its SHA-256 (obs captures)', async () => {
    const outcome = await iam({ headers: { Authorization: 'Bearer abc' } });
    expect(outcome.allowed).toBe(false);
    if (outcome.allowed) return;
    const hashed = createHash('sha256').update('Bearer abc').digest('base64');
    expect(outcome.response.status).toBe(403);
    expect(JSON.parse(outcome.response.body.toString())).toEqual({
      message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashed}'.`,
    });
    expect(outcome.response.headers).toContainEqual(['x-amzn-ErrorType', 'IncompleteSignatureException']);
  });

  it("a SigV4 Authorization header is accepted unchecked and fills identity.accessKey and the key's account", async () => {
    expect(await iam({ headers: { authorization: SIGNATURE } })).toEqual({
      allowed: true,
      identity: { accessKey: KEY_ID, accountId: '609629065308' },
      cached: false,
      invoked: false,
    });
  });

  it('so does a presigned URL (X-Amz-Algorithm / X-Amz-Credential query parameters)', async () => {
    const outcome = await iam({ query: { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': `AKIDEXAMPLE/20260710/eu-west-1/execute-api/aws4_request`, 'X-Amz-Signature': 'abc' } });
    expect(outcome).toMatchObject({ allowed: true, identity: { accessKey: 'AKIDEXAMPLE', accountId: null } });
  });

  it('accountIdOf decodes AKIA/ASIA key ids (obs Tal Be\'ery 2023: ASIAY34FZKBOKMUTVV7A → 609629065308) and nothing else', () => {
    expect(accountIdOf(KEY_ID)).toBe('609629065308');
    expect(accountIdOf('AKIDEXAMPLE')).toBeUndefined();
    expect(accountIdOf('ASIAY34FZKBOKMUTVV71')).toBeUndefined();
  });
});

describe('API keys (doc APIGW-GWR INVALID_API_KEY; obs ForbiddenException captures)', () => {
  const keys = [{ id: 'partner', value: 'k-123' }];

  it('a missing or unknown x-api-key on an apiKey: true method → 403 {"message":"Forbidden"} ForbiddenException', () => {
    for (const headers of [{}, { 'x-api-key': '' }, { 'x-api-key': 'k-999' }]) {
      const response = apiKeyResponse({ required: true, event: request({ headers }), keys });
      expect([response?.status, response?.body.toString()]).toEqual([403, '{"message":"Forbidden"}']);
      expect(response?.headers).toContainEqual(['x-amzn-ErrorType', 'ForbiddenException']);
    }
  });

  it('a known key, in any header case, passes and fills identity.apiKey / apiKeyId', () => {
    expect(apiKeyResponse({ required: true, event: request({ headers: { 'X-API-Key': 'k-123' } }), keys })).toBeUndefined();
    expect(checkApiKey({ required: true, event: request({ headers: { 'x-api-key': 'k-123' } }), keys })).toEqual({ ok: true, identity: { apiKey: 'k-123', apiKeyId: 'partner' } });
  });

  it('a method without apiKey needs none', () => {
    expect(checkApiKey({ required: undefined, event: request(), keys })).toEqual({ ok: true });
  });
});
