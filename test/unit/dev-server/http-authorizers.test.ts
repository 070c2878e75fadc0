// Issue #19: authorizers of an HTTP API (api: 'http') as `sls-ts server` emulates API Gateway v2,
// black-box over HTTP on the guarded fixture with api: 'http'. Sources:
//   doc JWT-DOC: API Gateway Dev Guide, "Control access to HTTP APIs with JWT authorizers" (Bearer
//     prefix, iss / aud or client_id / exp / nbf / iat / scope or scp);
//   doc JWT-TROUBLE: "Troubleshooting issues with HTTP API JWT authorizers" (401 with www-authenticate);
//   doc LAMBDA-DOC: "Control access to HTTP APIs with AWS Lambda authorizers" (payload 1.0, identity
//     sources → 401 without invoking, cache shared by routes, invalid response → 500);
//   reference event shared/reference/aws-events/apigw-v2-request-jwt-authorizer.json (claims as strings).
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevServer, type DevServer, type DevServerEvent } from '../../../src/dev-server/index.js';
import { copyApp, createScratch, fixture, repoRoot, useHttpApiConfig } from '../build/support.js';

const SAMPLE_JWT_EVENT = join(repoRoot, '..', 'shared', 'reference', 'aws-events', 'apigw-v2-request-jwt-authorizer.json');
import { call as fetchText, createSigner, ISSUER } from './guarded-support.js';

const scratch = createScratch();
const { jwt, writeJwks } = createSigner();
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

let now = Date.UTC(2026, 11, 7, 12, 0, 0);
const nowSeconds = () => Math.floor(now / 1000);
let server: DevServer;
const events: DevServerEvent[] = [];
const authorizerRuns = (name: string) => events.filter((event) => event.type === 'authorizer' && event.name === name && event.invoked).length;

beforeAll(async () => {
  const root = copyApp(fixture('guarded'), scratch.dir);
  writeJwks(root);
  // The app as an HTTP API (no usage plans, an audience for the user pool's JWT authorizer), without
  // the apiKey route, which the router refuses with api: 'http'.
  useHttpApiConfig(root);
  const routes = join(root, 'config', 'routes.ts');
  writeFileSync(routes, readFileSync(routes, 'utf8').replace(/^.*apiKey: true.*$/m, ''));
  server = await createDevServer({ root, port: 0, watch: false, now: () => now, onEvent: (event) => events.push(event) });
}, 60_000);
afterAll(async () => {
  await server?.close();
  scratch.cleanup();
});

const call = (path: string, init: RequestInit = {}) => fetchText(server.url + path, init);
const authorization = (value: string) => ({ headers: { Authorization: value } });

describe('JWT authorizer (a Cognito user pool with api: \'http\')', () => {
  const token = (extra: Record<string, unknown> = {}) =>
    jwt({ sub: 'user-1', iss: ISSUER, token_use: 'id', aud: 'members-client', email: 'ada@example.com', email_verified: true, 'cognito:groups': ['admin', 'staff'], exp: nowSeconds() + 600, iat: nowSeconds() - 5, ...extra });

  it('a valid token, bare or after "Bearer " (JWT-DOC step 1) → 200; claims reach the function as v2 renders them', async () => {
    const bare = await call('/profile', authorization(token()));
    expect(bare.status).toBe(200);
    const bearer = await call('/profile', authorization(`Bearer ${token()}`));
    expect(bearer.status).toBe(200);
    expect(bearer.json().auth.claims).toEqual({
      sub: 'user-1', iss: ISSUER, token_use: 'id', aud: 'members-client', email: 'ada@example.com', email_verified: 'true',
      'cognito:groups': '[admin staff]', exp: String(nowSeconds() + 600), iat: String(nowSeconds() - 5),
    });
    // The event's requestContext.authorizer has the shape of AWS's own sample, byte for byte from
    // shared/reference/aws-events: `jwt` alone, holding `claims` (string values) and `scopes`.
    const sample = (JSON.parse(readFileSync(SAMPLE_JWT_EVENT, 'utf8')) as { requestContext: { authorizer: { jwt: Record<string, unknown> } } }).requestContext.authorizer;
    const sent = bearer.json().authorizer as typeof sample;
    expect(Object.keys(sent)).toEqual(Object.keys(sample));
    expect(Object.keys(sent.jwt).sort()).toEqual(Object.keys(sample.jwt).sort());
    for (const claims of [sample.jwt.claims, sent.jwt.claims] as Array<Record<string, unknown>>) expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
  });

  it('a refused token → 401 {"message":"Unauthorized"} with v2\'s www-authenticate challenge (JWT-TROUBLE)', async () => {
    const wrongAudience = await call('/profile', authorization(token({ aud: 'another-client' })));
    expect([wrongAudience.status, wrongAudience.text]).toEqual([401, '{"message":"Unauthorized"}']);
    expect(wrongAudience.headers.get('www-authenticate')).toBe('Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"');
    expect(wrongAudience.headers.get('x-amzn-errortype')).toBeNull();
    for (const refused of [
      await call('/profile'),
      await call('/profile', authorization(token({ exp: nowSeconds() - 1 }))),
      await call('/profile', authorization(token({ nbf: nowSeconds() + 60 }))),
      await call('/profile', authorization(token({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }))),
      await call('/profile', authorization(jwt({ iss: ISSUER, aud: 'members-client', exp: nowSeconds() + 600 }, otherKeys.privateKey))),
    ]) {
      expect([refused.status, refused.text]).toEqual([401, '{"message":"Unauthorized"}']);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer scope="" error="invalid_token" error_description="[^"]+"$/);
    }
  });

  it('client_id stands for a missing aud (an access token); aud wins when both are there', async () => {
    const access = (extra: Record<string, unknown>) => jwt({ sub: 'user-1', iss: ISSUER, token_use: 'access', scope: 'openid', exp: nowSeconds() + 600, ...extra });
    expect((await call('/profile', authorization(access({ client_id: 'members-client' })))).status).toBe(200);
    expect((await call('/profile', authorization(access({ client_id: 'members-client', aud: 'another-client' })))).status).toBe(401);
  });

  it('a route with scopes wants one of them in `scope` or `scp`, and names them in the challenge; jwt.scopes lists the token\'s', async () => {
    const access = (extra: Record<string, unknown>) => jwt({ sub: 'user-1', iss: ISSUER, token_use: 'access', client_id: 'members-client', exp: nowSeconds() + 600, ...extra });
    const granted = await call('/reports', authorization(access({ scope: 'openid reports/read' })));
    expect(granted.status).toBe(200);
    expect(granted.json().scopes).toEqual(['openid', 'reports/read']);
    expect((await call('/reports', authorization(access({ scp: ['reports/read'] })))).status).toBe(200);
    const missing = await call('/reports', authorization(access({ scope: 'orders/read' })));
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('scope="reports/read"');
  });

  it('the fake clock decides expiry: a token valid now is refused once its exp has passed', async () => {
    const soon = token({ exp: nowSeconds() + 30 });
    expect((await call('/profile', authorization(soon))).status).toBe(200);
    now += 31_000;
    expect((await call('/profile', authorization(soon))).status).toBe(401);
  });
});

describe('Lambda authorizer (REQUEST, payload format 1.0)', () => {
  it('all identity sources present → invoked with the 1.0 event; its context reaches requestContext.authorizer.lambda', async () => {
    const me = await call('/me?tenant=acme', { headers: { 'X-Session': 'good' } });
    expect(me.status).toBe(200);
    expect(me.json().auth.context).toEqual({ tenant: 'acme' });
  });

  it('a missing identity source → 401 {"message":"Unauthorized"} without invoking it (LAMBDA-DOC)', async () => {
    const runs = authorizerRuns('session');
    const missing = await call('/me', { headers: { 'X-Session': 'good' } });
    expect([missing.status, missing.text]).toEqual([401, '{"message":"Unauthorized"}']);
    expect(authorizerRuns('session')).toBe(runs);
  });

  it('a policy that does not allow the route → 403 {"message":"Forbidden"}; "Unauthorized" thrown → 401; another error → 500', async () => {
    const denied = await call('/me?tenant=acme', { headers: { 'X-Session': 'bad' } });
    expect([denied.status, denied.text]).toEqual([403, '{"message":"Forbidden"}']);
    const expired = await call('/me?tenant=acme', { headers: { 'X-Session': 'expired' } });
    expect([expired.status, expired.text]).toEqual([401, '{"message":"Unauthorized"}']);
    const broken = await call('/me?tenant=acme', { headers: { 'X-Session': 'broken' } });
    expect([broken.status, broken.text]).toEqual([500, '{"message":"Internal Server Error"}']);
    expect(events.some((event) => event.type === 'authorizer' && event.outcome === 'error' && /session store is down/.test(event.detail ?? ''))).toBe(true);
  });

  it('answers are cached per identity value for the TTL and shared by the routes the authorizer guards', async () => {
    // ScopedAuthorizer (a TOKEN authorizer, run as REQUEST on its Authorization header; ttl 300 s)
    // gets no token of its own on an HTTP API and denies: that answer is what is cached.
    const header = authorization('Bearer narrow');
    expect((await call('/scoped/1', header)).status).toBe(403);
    const runs = authorizerRuns('scoped');
    expect((await call('/scoped/2/notes', header)).status).toBe(403);
    expect(authorizerRuns('scoped')).toBe(runs);
    expect((await call('/scoped/3', authorization('Bearer other'))).status).toBe(403);
    expect(authorizerRuns('scoped')).toBe(runs + 1);
    now += 301_000;
    expect((await call('/scoped/2', header)).status).toBe(403);
    expect(authorizerRuns('scoped')).toBe(runs + 2);
  });
});

describe('AWS_IAM', () => {
  it('unsigned → 403 {"message":"Forbidden"}; signed → 200 with requestContext.authorizer.iam', async () => {
    const unsigned = await call('/signed');
    expect([unsigned.status, unsigned.text]).toEqual([403, '{"message":"Forbidden"}']);
    const signed = await call('/signed', authorization('AWS4-HMAC-SHA256 Credential=ASIAY34FZKBOKMUTVV7A/20261207/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123'));
    expect(signed.status).toBe(200);
    expect(signed.json().auth.iam).toMatchObject({ accessKey: 'ASIAY34FZKBOKMUTVV7A', accountId: '609629065308' });
  });
});

describe('what is not guarded', () => {
  it('a public route runs no authorizer, and nothing says guarded routes are served unguarded', async () => {
    const before = events.length;
    expect((await call('/health')).status).toBe(200);
    expect(events.slice(before).some((event) => event.type === 'authorizer')).toBe(false);
    expect(events.some((event) => event.type === 'warning' && /without its authorizer/.test(event.diagnostic.text))).toBe(false);
  });

  it('a CORS preflight of a guarded route is answered by the API itself, without its authorizer', async () => {
    const before = events.length;
    const preflight = await call('/profile', { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
    expect(preflight.status).toBeLessThan(300);
    expect(events.slice(before).some((event) => event.type === 'authorizer')).toBe(false);
  });
});
