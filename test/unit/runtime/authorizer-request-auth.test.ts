// request.auth through the real handler path, fed AWS's own sample events (shared/reference/aws-events).
import { describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { apiGatewayEvent } from '../../../src/runtime/events/index.js';
import { Controller, createHandler, defineRoutes, type ApiEvent, type RequestAuth } from '../../../src/runtime/index.js';
import type { ApiGatewayProxyEvent, HttpApiEvent } from '../../../src/runtime/types.js';
import { awsSample } from './aws-samples.js';

let seen: { auth: RequestAuth | undefined; again: RequestAuth | undefined } | undefined;
class WhoController extends Controller {
  show() {
    seen = { auth: this.request.auth, again: this.request.auth };
    return this.json({ principal: this.request.auth?.principalId ?? null });
  }
}

const handler = createHandler({
  routes: defineRoutes((r) => {
    r.post('/*proxy', 'who#show');
    r.get('/*proxy', 'who#show');
    r.get('/', 'who#show');
  }),
  controllers: { who: WhoController },
});

async function authOf(event: ApiEvent): Promise<RequestAuth | undefined> {
  seen = undefined;
  const result = await handler(event, createLambdaContext({ functionName: 'who' }));
  expect(result.statusCode).toBe(200);
  expect(seen).toBeDefined();
  return seen!.auth;
}

/** AWS's REST sample (apigw-request.json) with its requestContext.authorizer / identity replaced. */
function restSample(authorizer: Record<string, unknown> | undefined, accessKey: string | null = null): ApiGatewayProxyEvent {
  const event = awsSample<ApiGatewayProxyEvent>('apigw-request.json');
  if (authorizer) event.requestContext.authorizer = authorizer;
  else delete event.requestContext.authorizer;
  event.requestContext.identity.accessKey = accessKey;
  return event;
}

describe('request.auth (REST API)', () => {
  it('reads the sample as AWS publishes it: a Lambda authorizer principal and context, and the IAM caller its identity names', async () => {
    const auth = await authOf(awsSample<ApiGatewayProxyEvent>('apigw-request.json'));
    expect(auth?.principalId).toBe('admin');
    expect(auth?.context).toEqual({ clientId: 1, clientName: 'Exata' });
    expect(auth?.claims).toBeUndefined();
    expect(auth?.iam).toMatchObject({ accessKey: 'ANEXAMPLEOFACCESSKEY', accountId: 'theAccountId', caller: 'theCaller', user: 'theUser', userArn: 'theUserArn' });
  });

  it('gives a Lambda authorizer principal and its (stringified) context, without integrationLatency', async () => {
    const auth = await authOf(restSample({ principalId: 'user-42', integrationLatency: 312, role: 'admin', level: '3', staff: 'true' }));
    expect(auth).toEqual({ principalId: 'user-42', context: { role: 'admin', level: '3', staff: 'true' } });
    expect(auth?.iam).toBeUndefined();
  });

  it("gives a Cognito authorizer's claims with an empty context", async () => {
    const claims = { sub: '7d8ca528-4931-4254-9273-ea5ee853f271', email: 'ada@example.com', 'cognito:username': 'ada' };
    const auth = await authOf(restSample({ claims }));
    expect(auth).toEqual({ context: {}, claims });
    expect(auth?.principalId).toBeUndefined();
  });

  it('gives an IAM caller (SigV4) its identity when no authorizer ran', async () => {
    const auth = await authOf(restSample(undefined, 'AKIAIOSFODNN7EXAMPLE'));
    expect(auth).toMatchObject({ context: {}, iam: { accessKey: 'AKIAIOSFODNN7EXAMPLE', user: 'theUser', userArn: 'theUserArn', caller: 'theCaller', accountId: 'theAccountId' } });
  });

  it('is undefined on a public route (no authorizer, no access key), as for an event our factory builds', async () => {
    expect(await authOf(restSample(undefined))).toBeUndefined();
    expect(await authOf(apiGatewayEvent({ method: 'GET', path: '/posts', resource: '/{proxy+}', pathParameters: { proxy: 'posts' } }))).toBeUndefined();
  });

  it('is the same object on every read of one request', async () => {
    await authOf(restSample({ principalId: 'u' }));
    expect(seen!.again).toBe(seen!.auth);
  });
});

describe('request.auth (HTTP API payload 2.0)', () => {
  it("reads the JWT authorizer sample unchanged: the token's claims", async () => {
    const auth = await authOf(awsSample<HttpApiEvent>('apigw-v2-request-jwt-authorizer.json'));
    expect(auth?.claims).toEqual({ claim1: 'value1', claim2: 'value2' });
    expect(auth?.context).toEqual({});
    expect(auth?.principalId).toBeUndefined();
    expect(auth?.iam).toBeUndefined();
  });

  it("gives a Lambda authorizer's context from authorizer.lambda, its values as returned", async () => {
    const event = awsSample<HttpApiEvent>('apigw-v2-request-no-authorizer.json');
    event.requestContext.authorizer = { lambda: { userId: 'u-1', admin: true } };
    expect(await authOf(event)).toEqual({ context: { userId: 'u-1', admin: true } });
  });

  it('is undefined without an authorizer (the no-authorizer sample)', async () => {
    expect(await authOf(awsSample<HttpApiEvent>('apigw-v2-request-no-authorizer.json'))).toBeUndefined();
  });
});
