import { describe, expect, it } from 'vitest';
import { createAuthorizerCache, methodArn, type EmulatedAuthorizer } from '../../../../src/runtime/emulation/index.js';
import { REGION, allowPolicy, authorizeWith, fakeClock, recordingInvoke, request, tokenAuthorizer } from './authorizer-fixtures.js';

const UNAUTHORIZED = '{"message":"Unauthorized"}';
const CONFIG_ERROR = '{"message":null}';

describe('methodArn (doc APIGW "Input to an API Gateway Lambda authorizer")', () => {
  it('is arn:aws:execute-api:<region>:<account>:<api>/<stage>/<VERB>/<path without its leading slash>', () => {
    expect(methodArn({ region: 'us-east-1', accountId: '123456789012', apiId: 'abcdef123', stage: 'test', method: 'get', path: '/request' })).toBe(
      'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request',
    );
    expect(methodArn({ region: 'us-east-1', accountId: '1', apiId: 'a', stage: 's', method: 'GET', path: '/' })).toBe('arn:aws:execute-api:us-east-1:1:a/s/GET/');
  });

  it("uses the request's actual path and the account / API id of the dev server's events (obs rubyonjets/jets-docs)", async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    await authorizeWith(tokenAuthorizer, { invoke, event: request({ headers: { Authorization: 'abc' } }) });
    expect(events[0]).toEqual({ type: 'TOKEN', authorizationToken: 'abc', methodArn: `arn:aws:execute-api:${REGION}:123456789012:localapi01/dev/GET/posts/42` });
  });
});

describe('TOKEN authorizers (doc KC api-gateway-401-error-lambda-authorizer)', () => {
  it('a missing or empty token → 401 UnauthorizedException without invoking', async () => {
    for (const headers of [{}, { Authorization: '' }]) {
      const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
      const outcome = await authorizeWith(tokenAuthorizer, { invoke, event: request({ headers }) });
      expect(outcome.allowed).toBe(false);
      if (outcome.allowed) continue;
      expect(outcome.response.status).toBe(401);
      expect(outcome.response.body.toString()).toBe(UNAUTHORIZED);
      expect(outcome.response.headers).toContainEqual(['x-amzn-ErrorType', 'UnauthorizedException']);
      expect(outcome.invoked).toBe(false);
      expect(events).toHaveLength(0);
    }
  });

  it('the token header is found whatever its case', async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const outcome = await authorizeWith(tokenAuthorizer, { invoke, event: request({ headers: { authorization: 'lower' } }) });
    expect(outcome.allowed).toBe(true);
    expect(events[0]?.authorizationToken).toBe('lower');
  });

  it('a token not matching the whole validation expression → 401 without invoking', async () => {
    const authorizer: EmulatedAuthorizer = { ...tokenAuthorizer, validation: '\\w{5}' };
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const short = await authorizeWith(authorizer, { invoke, event: request({ headers: { Authorization: 'abcd' } }) });
    const long = await authorizeWith(authorizer, { invoke, event: request({ headers: { Authorization: 'abcdef' } }) });
    expect([short.allowed, long.allowed]).toEqual([false, false]);
    expect(events).toHaveLength(0);
    expect((await authorizeWith(authorizer, { invoke, event: request({ headers: { Authorization: 'abcde' } }) })).allowed).toBe(true);
  });

  it('a validation that is not a regular expression → 500 naming it, nothing invoked', async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const outcome = await authorizeWith({ ...tokenAuthorizer, validation: '([' }, { invoke, event: request({ headers: { Authorization: 't' } }) });
    expect(outcome.allowed === false && [outcome.response.status, outcome.reason]).toEqual([500, "authorizer jwt's validation /([/ is not a regular expression"]);
    expect(events).toHaveLength(0);
  });
});

describe('REQUEST authorizers (doc API Reference Authorizer.identitySource)', () => {
  const requestAuthorizer: EmulatedAuthorizer = {
    type: 'request',
    name: 'session',
    functionKey: 'session-authorizer',
    identitySources: ['method.request.header.X-Session', 'method.request.querystring.tenant', 'stageVariables.realm', 'context.identity.sourceIp'],
    ttl: 300,
  };

  it('gets the proxy event without its body, plus type and methodArn', async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const event = request({ method: 'POST', headers: { 'x-session': 's1' }, query: { tenant: 't1' }, stageVariables: { realm: 'r1' }, body: '{"secret":1}' });
    const outcome = await authorizeWith(requestAuthorizer, { invoke, event });
    expect(outcome.allowed).toBe(true);
    const { body: _body, isBase64Encoded: _b64, requestContext, ...rest } = event;
    expect(events[0]).toEqual({ type: 'REQUEST', methodArn: `arn:aws:execute-api:${REGION}:123456789012:localapi01/dev/POST/posts/42`, ...rest, requestContext });
    expect(events[0]).not.toHaveProperty('body');
    expect(events[0]).not.toHaveProperty('isBase64Encoded');
  });

  it('any listed source missing → 401 without invoking, with caching on or off (obs serverless/serverless#11233, dherault/serverless-offline#1720)', async () => {
    for (const ttl of [300, 0]) {
      const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
      const outcome = await authorizeWith({ ...requestAuthorizer, ttl }, { invoke, event: request({ headers: { 'X-Session': 's1' }, stageVariables: { realm: 'r1' } }) });
      expect(outcome.allowed).toBe(false);
      if (!outcome.allowed) expect(outcome.reason).toMatch(/method\.request\.querystring\.tenant is missing/);
      expect(events).toHaveLength(0);
    }
  });

  it('with no identity sources and ttl 0, it is invoked for every request (doc: optional without caching)', async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const open: EmulatedAuthorizer = { ...requestAuthorizer, identitySources: [], ttl: 0 };
    await authorizeWith(open, { invoke, event: request() });
    await authorizeWith(open, { invoke, event: request() });
    expect(events).toHaveLength(2);
  });
});

describe("the authorizer's answer (doc APIGW \"Output from an API Gateway Lambda authorizer\")", () => {
  it("a thrown 'Unauthorized' → 401; any other error → 500 {\"message\":null} AuthorizerConfigurationException (obs aws/chalice#670)", async () => {
    const unauthorized = await authorizeWith(tokenAuthorizer, { invoke: async () => ({ ok: false, errorMessage: 'Unauthorized' }), event: request({ headers: { Authorization: 't' } }) });
    expect(unauthorized.allowed === false && [unauthorized.response.status, unauthorized.response.body.toString(), unauthorized.invoked]).toEqual([401, UNAUTHORIZED, true]);
    for (const errorMessage of ['unauthorized', 'Unauthorized ', 'boom']) {
      const failed = await authorizeWith(tokenAuthorizer, { invoke: async () => ({ ok: false, errorMessage }), event: request({ headers: { Authorization: 't' } }) });
      expect(failed.allowed).toBe(false);
      if (failed.allowed) continue;
      expect([failed.response.status, failed.response.body.toString()]).toEqual([500, CONFIG_ERROR]);
      expect(failed.response.headers).toContainEqual(['x-amzn-ErrorType', 'AuthorizerConfigurationException']);
    }
  });

  it('a malformed answer → 500 (obs ExpanseLLC/lambda_authorizer#1 "Could not parse policy")', async () => {
    const statement = { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' };
    const malformed = [
      'null',
      'not json',
      JSON.stringify({ policyDocument: { Statement: [statement] } }),
      JSON.stringify({ principalId: 'u' }),
      JSON.stringify({ principalId: 'u', policyDocument: { Version: '2012-10-17' } }),
      JSON.stringify({ principalId: 'u', policyDocument: { Statement: [{ ...statement, Effect: 'allow' }] } }),
      JSON.stringify({ principalId: 'u', policyDocument: { Statement: [{ Effect: 'Allow', Resource: '*' }] } }),
      JSON.stringify({ principalId: 'u', policyDocument: { Statement: [statement] }, context: { user: { id: 1 } } }),
      JSON.stringify({ principalId: 'u', policyDocument: { Statement: [statement] }, context: { roles: ['a'] } }),
      JSON.stringify({ statusCode: 401, body: 'no' }),
    ];
    for (const payload of malformed) {
      const outcome = await authorizeWith(tokenAuthorizer, { invoke: async () => ({ ok: true, payload }), event: request({ headers: { Authorization: 't' } }) });
      expect(outcome.allowed, payload).toBe(false);
      if (!outcome.allowed) expect(outcome.response.status, payload).toBe(500);
    }
  });

  it('context values reach requestContext.authorizer as strings, with principalId and a numeric integrationLatency (fidelity item 30; obs CodeGenieApp/serverless-express#551)', async () => {
    const clock = fakeClock();
    const payload = allowPolicy('*', { context: { name: 'ada', count: 1, admin: true, gone: null }, usageIdentifierKey: 'key-1' });
    const invoke = async () => {
      clock.advance(42);
      return { ok: true as const, payload };
    };
    const outcome = await authorizeWith(tokenAuthorizer, { invoke, event: request({ headers: { Authorization: 't' } }), now: clock.now });
    expect(outcome).toEqual({
      allowed: true,
      authorizer: { name: 'ada', count: '1', admin: 'true', principalId: 'user-1', integrationLatency: 42 },
      usageIdentifierKey: 'key-1',
      cached: false,
      invoked: true,
    });
  });
});

describe('the result cache (doc KC api-gateway-lambda-authorization-errors)', () => {
  it('keeps an answer per token for ttl seconds on the injected clock', async () => {
    const clock = fakeClock();
    const cache = createAuthorizerCache();
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const run = (token: string) => authorizeWith(tokenAuthorizer, { invoke, cache, now: clock.now, event: request({ headers: { Authorization: token } }) });

    expect(await run('a')).toMatchObject({ allowed: true, cached: false, invoked: true });
    clock.advance(299_999);
    expect(await run('a')).toMatchObject({ allowed: true, cached: true, invoked: false, authorizer: { integrationLatency: 0 } });
    expect(await run('b')).toMatchObject({ cached: false, invoked: true });
    clock.advance(1);
    expect(await run('a')).toMatchObject({ cached: false, invoked: true });
    expect(events.map((event) => event.authorizationToken)).toEqual(['a', 'b', 'a']);
  });

  it('re-evaluates the cached policy per methodArn: a policy naming only the first method denies its sibling', async () => {
    const cache = createAuthorizerCache();
    const { invoke, events } = recordingInvoke((event) => ({ ok: true, payload: allowPolicy(String(event.methodArn)) }));
    const first = await authorizeWith(tokenAuthorizer, { invoke, cache, event: request({ headers: { Authorization: 't' } }) });
    const sibling = await authorizeWith(tokenAuthorizer, { invoke, cache, event: request({ path: '/posts/43', headers: { Authorization: 't' } }) });
    expect(first.allowed).toBe(true);
    expect(sibling.allowed).toBe(false);
    if (!sibling.allowed) {
      expect(sibling.response.status).toBe(403);
      expect(sibling.response.body.toString()).toBe('{"Message":"User is not authorized to access this resource"}');
      expect(sibling.invoked).toBe(false);
    }
    expect(events).toHaveLength(1);
  });

  it('ttl 0 caches nothing; a failed authorizer is not cached', async () => {
    const cache = createAuthorizerCache();
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const uncached: EmulatedAuthorizer = { ...tokenAuthorizer, ttl: 0 };
    await authorizeWith(uncached, { invoke, cache, event: request({ headers: { Authorization: 't' } }) });
    await authorizeWith(uncached, { invoke, cache, event: request({ headers: { Authorization: 't' } }) });
    expect(events).toHaveLength(2);

    let calls = 0;
    const failing = async () => ({ ok: false as const, errorMessage: `boom ${++calls}` });
    await authorizeWith(tokenAuthorizer, { invoke: failing, cache, event: request({ headers: { Authorization: 'f' } }) });
    await authorizeWith(tokenAuthorizer, { invoke: failing, cache, event: request({ headers: { Authorization: 'f' } }) });
    expect(calls).toBe(2);
  });

  it('a REQUEST authorizer is keyed by all its identity values', async () => {
    const cache = createAuthorizerCache();
    const authorizer: EmulatedAuthorizer = { type: 'request', name: 'r', functionKey: 'r', identitySources: ['method.request.header.A', 'method.request.querystring.b'], ttl: 60 };
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const run = (a: string, b: string) => authorizeWith(authorizer, { invoke, cache, event: request({ headers: { A: a }, query: { b } }) });
    await run('1', '2');
    await run('1', '2');
    await run('1', '3');
    expect(events).toHaveLength(2);
  });
});

describe('authorizeRequest: routing to the right guard', () => {
  it('a public method is allowed without invoking anything', async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    expect(await authorizeWith(tokenAuthorizer, { auth: undefined, invoke, event: request() })).toEqual({ allowed: true, cached: false, invoked: false });
    expect(events).toHaveLength(0);
  });

  it('an authorizer name the API does not have → 500 with a reason naming it', async () => {
    const outcome = await authorizeWith(tokenAuthorizer, { auth: { type: 'lambda', authorizer: 'nope' }, invoke: async () => ({ ok: true, payload: '' }), event: request() });
    expect(outcome.allowed === false && [outcome.response.status, outcome.reason]).toEqual([500, 'the route names authorizer "nope", which the API does not have']);
  });

  it('a route using a Lambda authorizer as a Cognito one → 500 saying so, nothing invoked', async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const outcome = await authorizeWith(tokenAuthorizer, { auth: { type: 'cognito', authorizer: 'jwt' }, invoke, event: request({ headers: { Authorization: 't' } }) });
    expect(outcome.allowed === false && [outcome.response.status, outcome.reason]).toEqual([500, 'authorizer "jwt" is a token authorizer, but the route uses it as cognito']);
    expect(events).toHaveLength(0);
  });
});
