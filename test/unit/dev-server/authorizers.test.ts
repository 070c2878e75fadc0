// Issue #19: API Gateway's authorizers and API keys as `sls-ts server` emulates them, black-box over
// HTTP on the guarded fixture (a TOKEN authorizer, a REQUEST one, one with narrow policies, a Cognito
// user pool, AWS_IAM, an API key). Sources as in the fidelity reference:
//   doc APIGW-LAMBDA-AUTH: API Gateway Dev Guide, "Use API Gateway Lambda authorizers" (input, output,
//     "Unauthorized" → 401, caching per identity source, identity validation expression);
//   doc APIGW-GWR: "Gateway response types" (UNAUTHORIZED 401, ACCESS_DENIED 403,
//     AUTHORIZER_CONFIGURATION_ERROR 500, INVALID_API_KEY 403, MISSING_AUTHENTICATION_TOKEN 403);
//   doc APIGW-COGNITO: "Control access to REST APIs using Amazon Cognito user pools as an authorizer";
//   obs serverless/serverless#6176 (a cached methodArn-only policy denies the next method).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevServer, type DevServer, type DevServerEvent } from '../../../src/dev-server/index.js';
import { copyApp, createScratch, fixture } from '../build/support.js';
import { call as fetchText, createSigner, ISSUER } from './guarded-support.js';

const scratch = createScratch();
const { jwt, writeJwks } = createSigner();

let now = Date.UTC(2026, 11, 7, 12, 0, 0);
let server: DevServer;
const events: DevServerEvent[] = [];
const authorizerRuns = (name: string) => events.filter((event) => event.type === 'authorizer' && event.name === name && event.invoked).length;

beforeAll(async () => {
  const root = copyApp(fixture('guarded'), scratch.dir);
  writeJwks(root);
  server = await createDevServer({ root, port: 0, watch: false, now: () => now, onEvent: (event) => events.push(event) });
}, 60_000);
afterAll(async () => {
  await server?.close();
  scratch.cleanup();
});

const call = (path: string, init: RequestInit = {}) => fetchText(server.url + path, init);
const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

describe('Lambda TOKEN authorizer', () => {
  it('a public route has no requestContext.authorizer (item 30) and runs no authorizer', async () => {
    const before = events.length;
    const home = await call('/');
    expect(home.status).toBe(200);
    expect(home.json().auth).toBeNull();
    expect(events.slice(before).some((event) => event.type === 'authorizer')).toBe(false);
  });

  it('no identity source → 401 {"message":"Unauthorized"} without invoking the authorizer (doc APIGW-LAMBDA-AUTH)', async () => {
    const runs = authorizerRuns('admin');
    const missing = await call('/admin/users');
    expect([missing.status, missing.text, missing.type]).toEqual([401, '{"message":"Unauthorized"}', 'UnauthorizedException']);
    expect(authorizerRuns('admin')).toBe(runs);
  });

  it('a token failing the validation expression → 401 without invoking it', async () => {
    const runs = authorizerRuns('admin');
    const basic = await call('/admin/users', { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect([basic.status, basic.type]).toEqual([401, 'UnauthorizedException']);
    expect(authorizerRuns('admin')).toBe(runs);
  });

  it('allow: the controller reads principalId and the context, its values as strings (item 30)', async () => {
    const allowed = await call('/admin/users', bearer('letmein'));
    expect(allowed.status).toBe(200);
    expect(allowed.json().auth).toEqual({ principalId: 'admin-user', context: { role: 'admin', level: '3', active: 'true' } });
    const ping = await call('/ping', bearer('letmein'));
    expect(ping.json().authorizer).toMatchObject({ principalId: 'admin-user', role: 'admin', level: '3', active: 'true' });
  });

  it('an explicit deny → 403 with AccessDeniedException and API Gateway\'s capitalised Message (doc APIGW-GWR)', async () => {
    const denied = await call('/admin/users', bearer('wrong'));
    expect([denied.status, denied.text, denied.type]).toEqual([403, '{"Message":"User is not authorized to access this resource with an explicit deny"}', 'AccessDeniedException']);
  });

  it('"Unauthorized" from the authorizer → 401; any other error → 500 AuthorizerConfigurationException', async () => {
    const expired = await call('/admin/users', bearer('expired'));
    expect([expired.status, expired.text]).toEqual([401, '{"message":"Unauthorized"}']);
    const broken = await call('/admin/users', bearer('broken'));
    expect([broken.status, broken.text, broken.type]).toEqual([500, '{"message":null}', 'AuthorizerConfigurationException']);
    expect(events.some((event) => event.type === 'authorizer' && event.outcome === 'error' && /token service is down|error/i.test(event.detail ?? ''))).toBe(true);
  });

  it('results are cached per token for the TTL: the second request is not invoked, one after the TTL is', async () => {
    const token = bearer('letmein');
    await call('/admin/users/1', token);
    const runs = authorizerRuns('admin');
    expect((await call('/admin/users/2', token)).status).toBe(200);
    expect(authorizerRuns('admin')).toBe(runs);
    expect(events.filter((event) => event.type === 'authorizer' && event.name === 'admin').at(-1)).toMatchObject({ cached: true, outcome: 'allow' });
    now += 61_000; // AdminAuthorizer.ttl is 60 s
    expect((await call('/admin/users/3', token)).status).toBe(200);
    expect(authorizerRuns('admin')).toBe(runs + 1);
  });

  it('auth: false opens one route of a guarded controller', async () => {
    expect((await call('/admin/open')).status).toBe(200);
  });
});

describe('policies', () => {
  it('a cached policy naming only one methodArn denies the next route it guards (obs serverless#6176)', async () => {
    expect((await call('/scoped/1', bearer('narrow'))).status).toBe(200);
    const next = await call('/scoped/2', bearer('narrow'));
    expect([next.status, next.text, next.type]).toEqual([403, '{"Message":"User is not authorized to access this resource"}', 'AccessDeniedException']);
  });

  it('wildcards in the policy\'s resource: GET /scoped/* covers deeper paths, not another verb', async () => {
    expect((await call('/scoped/7', bearer('reader'))).json().auth).toEqual({ principalId: 'reader', context: { scope: 'read' } });
    expect((await call('/scoped/7/notes', bearer('reader'))).status).toBe(200);
    const post = await call('/scoped/7', { method: 'POST', ...bearer('reader') });
    expect([post.status, post.type]).toEqual([403, 'AccessDeniedException']);
  });
});

describe('Lambda REQUEST authorizer', () => {
  it('reads its identity sources: all present → invoked; one missing → 401', async () => {
    const me = await call('/me?tenant=acme', { headers: { 'X-Session': 'good' } });
    expect(me.json().auth).toEqual({ principalId: 'session-acme', context: { tenant: 'acme' } });
    expect((await call('/me', { headers: { 'X-Session': 'good' } })).status).toBe(401);
    expect((await call('/me?tenant=acme', { headers: { 'X-Session': 'bad' } })).status).toBe(403);
  });
});

describe('Cognito user pool authorizer (doc APIGW-COGNITO)', () => {
  const nowSeconds = () => Math.floor(now / 1000);
  const idToken = (extra: Record<string, unknown> = {}) => jwt({ sub: 'user-1', iss: ISSUER, token_use: 'id', aud: 'client-1', email: 'ada@example.com', exp: nowSeconds() + 600, iat: nowSeconds(), ...extra });

  it('an ID token signed by a key of the local JWKS → 200, its claims in requestContext.authorizer.claims', async () => {
    const profile = await call('/profile', { headers: { Authorization: idToken() } });
    expect(profile.status).toBe(200);
    expect(profile.json().auth.claims).toMatchObject({ sub: 'user-1', email: 'ada@example.com', token_use: 'id' });
  });

  it('no token, an expired one, another issuer → 401', async () => {
    expect((await call('/profile')).status).toBe(401);
    expect((await call('/profile', { headers: { Authorization: idToken({ exp: nowSeconds() - 10 }) } })).status).toBe(401);
    expect((await call('/profile', { headers: { Authorization: idToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }) } })).status).toBe(401);
  });

  it('a route with scopes wants an access token holding one of them', async () => {
    expect((await call('/reports', { headers: { Authorization: idToken() } })).status).toBe(401);
    const access = jwt({ sub: 'user-1', iss: ISSUER, token_use: 'access', client_id: 'client-1', scope: 'reports/read openid', exp: nowSeconds() + 600 });
    expect((await call('/reports', { headers: { Authorization: access } })).status).toBe(200);
    const other = jwt({ sub: 'user-1', iss: ISSUER, token_use: 'access', client_id: 'client-1', scope: 'orders/read', exp: nowSeconds() + 600 });
    expect((await call('/reports', { headers: { Authorization: other } })).status).toBe(401);
  });
});

describe('AWS_IAM and API keys', () => {
  it('an unsigned request to an iam route → 403 Missing Authentication Token; a signed one reaches the function', async () => {
    const unsigned = await call('/signed');
    expect([unsigned.status, unsigned.text, unsigned.type]).toEqual([403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException']);
    const signed = await call('/signed', {
      headers: {
        Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261207/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123',
        'X-Amz-Date': '20261207T120000Z',
      },
    });
    expect(signed.status).toBe(200);
  });

  it('an apiKey route without a key, or with an unknown one → 403 {"message":"Forbidden"} (doc APIGW-GWR INVALID_API_KEY)', async () => {
    const missing = await call('/partner');
    expect([missing.status, missing.text]).toEqual([403, '{"message":"Forbidden"}']);
    expect((await call('/partner', { headers: { 'x-api-key': 'not-a-key-of-any-plan' } })).status).toBe(403);
  });

  it('a key of a usage plan (its local value, as the banner prints it) passes; the plan\'s burst is metered per key', async () => {
    expect([...server.apiKeys().keys()]).toEqual(['local-acme-key-00000']);
    expect((await call('/partner', { headers: { 'x-api-key': 'local-acme-key-00000' } })).status).toBe(200);
    // partners: rate 10, burst 20 — the clock stands still, so the bucket empties within the burst.
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await call('/partner', { headers: { 'x-api-key': 'local-acme-key-00000' } })).status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    const over = await call('/partner', { headers: { 'x-api-key': 'local-acme-key-00000' } });
    expect([over.status, over.text]).toEqual([429, '{"message":"Too Many Requests"}']);
  });
});

describe('CORS', () => {
  it('a preflight of a guarded route is answered without its authorizer (Jets #465)', async () => {
    const before = events.length;
    const preflight = await call('/admin/users', { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBeTruthy();
    expect(events.slice(before).some((event) => event.type === 'authorizer')).toBe(false);
  });

  it('an authorizer\'s 401 carries the CORS headers, as the gateway responses sls-ts deploys do', async () => {
    const missing = await call('/admin/users', { headers: { Origin: 'https://app.example.com' } });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('access-control-allow-origin')).toBeTruthy();
  });
});
