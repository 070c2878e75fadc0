// Issue #19 in sls-ts/testing: `request(await loadApp(root))` guards routes as `sls-ts server` does
// (test/unit/dev-server/authorizers.test.ts shows the same behaviours over HTTP), on the guarded
// fixture: a TOKEN authorizer (admin), a REQUEST one (session), a Cognito pool, AWS_IAM, an API key.
// Sources as there: doc APIGW-LAMBDA-AUTH (input, output, "Unauthorized" → 401, cache per identity
// source, validation expression), doc APIGW-GWR (UNAUTHORIZED 401, ACCESS_DENIED 403,
// AUTHORIZER_CONFIGURATION_ERROR 500, INVALID_API_KEY 403).
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadApp, request, type TestApp } from '../../../src/testing/index.js';
import AdminAuthorizer from '../../fixtures/apps/guarded/app/authorizers/admin-authorizer.js';
import { copyApp, createScratch, fixture } from '../build/support.js';

const root = fixture('guarded');
let app: TestApp;
beforeAll(async () => {
  app = await loadApp(root);
}, 60_000);
afterEach(() => vi.restoreAllMocks());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
/** Counts runs of the fixture's admin authorizer: the test client imports the very same module. */
const countAdminRuns = () => vi.spyOn(AdminAuthorizer.prototype, 'authorize');

describe('loadApp() finds the app\'s edge', () => {
  it('its authorizer classes by name and the config\'s Cognito authorizers, usage plans and local key values', () => {
    expect(Object.keys(app.edge!.authorizers).sort()).toEqual(['admin', 'scoped', 'session']);
    expect(app.edge!.config.authorizers.map((authorizer) => authorizer.name)).toEqual(['members']);
    expect([...app.edge!.config.apiKeys.keys()]).toEqual(['local-acme-key-00000']);
    expect(app.edge!.config.stage).toBe('test');
  });
});

describe('a Lambda TOKEN authorizer, run in-process', () => {
  it('allow: the controller reads principalId and the context as strings; a function gets requestContext.authorizer', async () => {
    const api = request(app);
    const allowed = await api.get('/admin/users').set('Authorization', 'Bearer letmein');
    expect(allowed.status).toBe(200);
    expect(allowed.body.auth).toEqual({ principalId: 'admin-user', context: { role: 'admin', level: '3', active: 'true' } });
    const ping = await api.get('/ping', { headers: bearer('letmein') });
    expect(ping.body.authorizer).toMatchObject({ principalId: 'admin-user', role: 'admin', level: '3', active: 'true' });
    expect(typeof ping.body.authorizer.integrationLatency).toBe('number');
  });

  it('deny: 403 with API Gateway\'s body and error type, the function never runs', async () => {
    const denied = await request(app).get('/admin/users', { headers: bearer('wrong') });
    expect([denied.status, denied.text, denied.headers['x-amzn-errortype']]).toEqual([403, '{"Message":"User is not authorized to access this resource with an explicit deny"}', 'AccessDeniedException']);
    expect(denied.result).toBeUndefined();
  });

  it('a missing token, or one failing the validation expression: 401 without invoking the authorizer', async () => {
    const runs = countAdminRuns();
    const missing = await request(app).get('/admin/users');
    expect([missing.status, missing.text, missing.headers['x-amzn-errortype']]).toEqual([401, '{"message":"Unauthorized"}', 'UnauthorizedException']);
    expect((await request(app).get('/admin/users').set('Authorization', 'Basic YWRtaW46YWRtaW4=')).status).toBe(401);
    expect(runs).not.toHaveBeenCalled();
  });

  it('this.unauthorized() → 401; any other error → 500 AuthorizerConfigurationException', async () => {
    const api = request(app);
    expect((await api.get('/admin/users', { headers: bearer('expired') })).status).toBe(401);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = await api.get('/admin/users', { headers: bearer('broken') });
    expect([broken.status, broken.text, broken.headers['x-amzn-errortype']]).toEqual([500, '{"message":null}', 'AuthorizerConfigurationException']);
  });

  it('results are cached per token for the class\'s ttl, per client, on the client\'s clock', async () => {
    let now = Date.UTC(2026, 11, 7, 12, 0, 0);
    const api = request(app, { now: () => now });
    const runs = countAdminRuns();
    expect((await api.get('/admin/users/1', { headers: bearer('letmein') })).status).toBe(200);
    expect((await api.get('/admin/users/2', { headers: bearer('letmein') })).status).toBe(200);
    expect(runs).toHaveBeenCalledTimes(1);
    now += 61_000; // AdminAuthorizer.ttl is 60 s
    expect((await api.get('/admin/users/3', { headers: bearer('letmein') })).status).toBe(200);
    expect(runs).toHaveBeenCalledTimes(2);
    // Another client is another stage: nothing cached.
    await request(app, { now: () => now }).get('/admin/users/4', { headers: bearer('letmein') });
    expect(runs).toHaveBeenCalledTimes(3);
  });

  it('the authorizer gets a real TOKEN event for the method called', async () => {
    const runs = countAdminRuns();
    await request(app).get('/admin/users/7', { headers: bearer('someone') });
    const [asked] = runs.mock.calls[0]!;
    expect(asked.event).toEqual({ type: 'TOKEN', authorizationToken: 'Bearer someone', methodArn: expect.stringMatching(/^arn:aws:execute-api:eu-west-1:\d{12}:\w+\/test\/GET\/admin\/users\/7$/) });
  });

  it('precedence: the route\'s auth: false beats its controller\'s static auth; unguarded routes run no authorizer', async () => {
    const runs = countAdminRuns();
    expect((await request(app).get('/admin/open')).status).toBe(200);
    const home = await request(app).get('/');
    expect([home.status, home.body.auth]).toEqual([200, null]);
    expect(runs).not.toHaveBeenCalled();
  });
});

describe('other guards', () => {
  it('a REQUEST authorizer: every identity source present → invoked; one missing → 401', async () => {
    const me = await request(app).get('/me?tenant=acme').set('X-Session', 'good');
    expect(me.body.auth).toEqual({ principalId: 'session-acme', context: { tenant: 'acme' } });
    expect((await request(app).get('/me').set('X-Session', 'good')).status).toBe(401);
    expect((await request(app).get('/me?tenant=acme').set('X-Session', 'bad')).status).toBe(403);
  });

  it('AWS_IAM: unsigned → 403 Missing Authentication Token; signed → the function, with the caller in request.auth.iam', async () => {
    const unsigned = await request(app).get('/signed');
    expect([unsigned.status, unsigned.text]).toEqual([403, '{"message":"Missing Authentication Token"}']);
    const signed = await request(app).get('/signed', {
      headers: {
        Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261207/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123',
        'X-Amz-Date': '20261207T120000Z',
      },
    });
    expect(signed.status).toBe(200);
    expect(signed.body.auth.iam.accessKey).toBe('AKIAIOSFODNN7EXAMPLE');
  });

  it('a Cognito authorizer whose local.jwks holds no key of the token: 401', async () => {
    const token = ['{"kid":"other","alg":"RS256"}', '{"sub":"u","token_use":"id"}', 'sig'].map((part) => Buffer.from(part).toString('base64url')).join('.');
    expect((await request(app).get('/profile').set('Authorization', token)).status).toBe(401);
    expect((await request(app).get('/profile')).status).toBe(401);
  });

  it('a Cognito authorizer verifies ID tokens with the config\'s local.jwks (read from the app folder) → claims in request.auth', async () => {
    const scratch = createScratch();
    try {
      const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const copy = copyApp(root, scratch.dir);
      writeFileSync(join(copy, 'config', 'jwks.json'), JSON.stringify({ keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: 'local-1', alg: 'RS256', use: 'sig' }] }));
      const now = Date.UTC(2026, 11, 7, 12, 0, 0);
      const claims = { sub: 'user-1', iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI', token_use: 'id', aud: 'client-1', email: 'ada@example.com', exp: now / 1000 + 600 };
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const data = `${part({ kid: 'local-1', alg: 'RS256' })}.${part(claims)}`;
      const token = `${data}.${sign('RSA-SHA256', Buffer.from(data), keys.privateKey).toString('base64url')}`;
      const api = request(await loadApp(copy), { now: () => now });
      const profile = await api.get('/profile').set('Authorization', token);
      expect(profile.status).toBe(200);
      expect(profile.body.auth.claims).toMatchObject({ sub: 'user-1', email: 'ada@example.com' });
      // Past its exp on the client's clock: 401.
      expect((await request(await loadApp(copy), { now: () => now + 601_000 }).get('/profile').set('Authorization', token)).status).toBe(401);
    } finally {
      scratch.cleanup();
    }
  }, 60_000);

  it('loadApp(root, { stage }) applies that stage\'s auth: `locked` puts every route without its own behind the session authorizer', async () => {
    const locked = await loadApp(root, { stage: 'locked' });
    const api = request(locked);
    expect((await api.get('/')).status).toBe(401);
    const home = await api.get('/?tenant=acme').set('X-Session', 'good');
    expect([home.status, home.body.auth.principalId, home.event.requestContext.stage]).toEqual([200, 'session-acme', 'locked']);
    expect((await api.get('/health')).status).toBe(200);
  });
});

describe('API keys', () => {
  it('missing or unknown x-api-key → 403 {"message":"Forbidden"}; a plan key\'s local value passes and fills the identity', async () => {
    const api = request(app);
    const missing = await api.get('/partner');
    expect([missing.status, missing.text]).toEqual([403, '{"message":"Forbidden"}']);
    expect((await api.get('/partner').set('x-api-key', 'not-a-key-of-any-plan')).status).toBe(403);
    const keyed = await api.get('/partner').set('x-api-key', 'local-acme-key-00000');
    expect(keyed.status).toBe(200);
    expect(keyed.event.requestContext.identity).toMatchObject({ apiKey: 'local-acme-key-00000', apiKeyId: 'acme' });
  });

  it('the plan\'s throttle is metered per key: past the burst on a standing clock, 429', async () => {
    const now = Date.UTC(2026, 11, 7, 12, 0, 0);
    const api = request(app, { now: () => now });
    const statuses: number[] = [];
    // partners: rate 10, burst 20.
    for (let i = 0; i < 21; i++) statuses.push((await api.get('/partner').set('x-api-key', 'local-acme-key-00000')).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe('CORS of a loaded app (`cors: true` in the guarded fixture)', () => {
  it('API Gateway\'s own answers carry the headers of the gateway responses sls-ts deploys; the function\'s carry the runtime\'s', async () => {
    const api = request(app);
    const missing = await api.get('/admin/users').set('Origin', 'https://app.example.com');
    expect(missing.status).toBe(401);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
    const unknown = await api.get('/nowhere').set('Origin', 'https://app.example.com');
    expect([unknown.status, unknown.headers['access-control-allow-origin']]).toEqual([403, '*']);
    const open = await api.get('/health').set('Origin', 'https://app.example.com');
    expect([open.status, open.headers['access-control-allow-origin']]).toEqual([200, '*']);
  });
});
