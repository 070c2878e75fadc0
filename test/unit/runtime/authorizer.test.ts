import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUTHORIZER_DEFAULTS, Authorizer, createAuthorizerHandler } from '../../../src/runtime/index.js';
import type { AuthorizerRequest, AuthorizerRequestEvent, AuthorizerTokenEvent, LambdaContext } from '../../../src/runtime/index.js';
import { createLambdaContext } from '../../../src/runtime/context.js';

// Shaped as AWS documents them (API Gateway Developer Guide, "Input to an API Gateway Lambda
// authorizer"): a TOKEN event is exactly these three keys; the REQUEST one is the doc's
// `GET /request` example (headers trimmed to a few of its CloudFront ones).
const tokenEvent = (authorizationToken: string, methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/admin/users'): AuthorizerTokenEvent => ({
  type: 'TOKEN',
  authorizationToken,
  methodArn,
});

const requestEvent = (): AuthorizerRequestEvent => ({
  type: 'REQUEST',
  methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request',
  resource: '/request',
  path: '/request',
  httpMethod: 'GET',
  headers: {
    'X-AMZ-Date': '20170718T062915Z',
    Accept: '*/*',
    HeaderAuth1: 'headerValue1',
    'CloudFront-Viewer-Country': 'US',
    Host: 'abcdef123.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'curl/7.54.0',
  },
  multiValueHeaders: {
    'X-AMZ-Date': ['20170718T062915Z'],
    Accept: ['*/*'],
    HeaderAuth1: ['headerValue1'],
    'CloudFront-Viewer-Country': ['US'],
    Host: ['abcdef123.execute-api.us-east-1.amazonaws.com'],
    'User-Agent': ['curl/7.54.0'],
  },
  queryStringParameters: { QueryString1: 'queryValue1' },
  multiValueQueryStringParameters: { QueryString1: ['queryValue1'] },
  pathParameters: {},
  stageVariables: { StageVar1: 'stageValue1' },
  requestContext: {
    path: '/request',
    accountId: '123456789012',
    resourceId: '05c7jb',
    stage: 'test',
    requestId: '...',
    identity: {
      apiKey: '...',
      sourceIp: '...',
      clientCert: {
        clientCertPem: 'CERT_CONTENT',
        subjectDN: 'www.example.com',
        issuerDN: 'Example issuer',
        serialNumber: 'a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1',
        validity: { notBefore: 'May 28 12:30:02 2019 GMT', notAfter: 'Aug  5 09:36:04 2021 GMT' },
      },
    } as AuthorizerRequestEvent['requestContext']['identity'],
    resourcePath: '/request',
    httpMethod: 'GET',
    apiId: 'abcdef123',
  } as AuthorizerRequestEvent['requestContext'],
});

const context: LambdaContext = createLambdaContext({ functionName: 'blog-dev-admin-authorizer' });

class AdminAuthorizer extends Authorizer {
  static override ttl = 60;
  static override validation = '^Bearer .+$';

  async authorize(request: AuthorizerRequest) {
    if (request.token === 'Bearer s3cret') return this.allow('admin', { role: 'admin', level: 3, staff: true });
    if (request.token === 'Bearer expired') this.unauthorized();
    if (request.token === 'Bearer broken') throw new Error('user store unreachable');
    return this.deny('anonymous');
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs an allow-all authorizer on the event; gives what authorize() was asked and what it answered. */
async function captured(event: AuthorizerTokenEvent | AuthorizerRequestEvent) {
  let request: AuthorizerRequest | undefined;
  class Spy extends Authorizer {
    authorize(seen: AuthorizerRequest) {
      request = seen;
      return this.allow('u');
    }
  }
  const result = await createAuthorizerHandler(Spy)(event, context);
  return { request: request!, result };
}

describe('createAuthorizerHandler (TOKEN)', () => {
  const handler = createAuthorizerHandler(AdminAuthorizer);

  it('allows with an IAM policy covering the whole stage, so a cached result serves every route it guards', async () => {
    const result = await handler(tokenEvent('Bearer s3cret'), context);
    expect(result).toEqual({
      principalId: 'admin',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*/*'] }],
      },
      context: { role: 'admin', level: 3, staff: true },
    });
  });

  it('denies with a Deny statement for the stage (API Gateway answers 403)', async () => {
    const result = await handler(tokenEvent('Bearer guess'), context);
    expect(result.principalId).toBe('anonymous');
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*/*'] }]);
    expect(result).not.toHaveProperty('context');
  });

  it('fails with exactly "Unauthorized" on unauthorized() (API Gateway answers 401), without logging an error', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = await handler(tokenEvent('Bearer expired'), context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('Unauthorized');
    expect(logged).not.toHaveBeenCalled();
  });

  it('rethrows any other error (API Gateway answers 500) and logs it with the authorizer name', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(handler(tokenEvent('Bearer broken'), context)).rejects.toThrow('user store unreachable');
    expect(logged).toHaveBeenCalledWith('[sls-ts] authorizer AdminAuthorizer failed:', expect.objectContaining({ message: 'user store unreachable' }));
  });

  it('keeps the partition of the method ARN (aws-cn) and the root path', async () => {
    const { request, result } = await captured(tokenEvent('t', 'arn:aws-cn:execute-api:cn-north-1:123456789012:abcdef123/prod/GET/'));
    expect(request).toMatchObject({ region: 'cn-north-1', stage: 'prod', method: 'GET', path: '/' });
    expect(result.policyDocument.Statement[0]!.Resource).toEqual(['arn:aws-cn:execute-api:cn-north-1:123456789012:abcdef123/prod/*/*']);
  });

  it('gives the token and the method ARN split into its parts', async () => {
    const { request: seen } = await captured(tokenEvent('Bearer abc'));
    expect(seen).toMatchObject({
      token: 'Bearer abc',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/admin/users',
      region: 'us-east-1',
      accountId: '123456789012',
      apiId: 'abcdef123',
      stage: 'test',
      method: 'GET',
      path: '/admin/users',
      query: {},
      pathParameters: {},
      stageVariables: {},
    });
    expect(seen.headers.has('authorization')).toBe(false);
    expect(seen.event.type).toBe('TOKEN');
  });
});

describe('createAuthorizerHandler (REQUEST)', () => {
  it("gives the request's headers (case-insensitive), query, stage variables and path parameters", async () => {
    let seen: AuthorizerRequest | undefined;
    class ParamsAuthorizer extends Authorizer {
      static override type = 'request';
      static override identitySource = ['method.request.header.HeaderAuth1', 'method.request.querystring.QueryString1', 'stageVariables.StageVar1'];
      authorize(request: AuthorizerRequest) {
        seen = request;
        const ok = request.headers.get('headerauth1') === 'headerValue1' && request.query.QueryString1 === 'queryValue1' && request.stageVariables.StageVar1 === 'stageValue1';
        return ok ? this.allow('user') : this.unauthorized();
      }
    }
    const result = await createAuthorizerHandler(ParamsAuthorizer)(requestEvent(), context);
    expect(result.principalId).toBe('user');
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*/*'] });
    expect(seen).toMatchObject({ token: undefined, method: 'GET', path: '/request', multiQuery: { QueryString1: ['queryValue1'] }, pathParameters: {} });
    expect(seen!.headers.get('CLOUDFRONT-VIEWER-COUNTRY')).toBe('US');
  });

  it('reads headers from `headers` when a hand-written event has no multiValueHeaders', async () => {
    const { multiValueHeaders: _dropped, ...event } = requestEvent();
    const { request } = await captured(event as AuthorizerRequestEvent);
    expect(request.headers.get('headerauth1')).toBe('headerValue1');
  });
});

describe('policies', () => {
  const run = async (authorize: (this: Authorizer, request: AuthorizerRequest) => unknown) => {
    class Custom extends Authorizer {
      authorize(request: AuthorizerRequest) {
        return authorize.call(this, request) as ReturnType<Authorizer['authorize']>;
      }
    }
    return createAuthorizerHandler(Custom)(tokenEvent('t'), context);
  };

  it('narrows the resources with options.resources ("VERB /path" of this stage, or full ARNs)', async () => {
    const result = await run(function () {
      return this.allow('u', undefined, { resources: ['GET /posts/*', '* /admin', 'arn:aws:execute-api:us-east-1:123456789012:other/prod/GET/'] });
    });
    expect(result.policyDocument.Statement[0]!.Resource).toEqual([
      'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/posts/*',
      'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*/admin',
      'arn:aws:execute-api:us-east-1:123456789012:other/prod/GET/',
    ]);
  });

  it('builds a result from hand-made statements, with a usage plan key', async () => {
    const result = await run(function () {
      return this.policy('u', [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: this.resource('GET /posts/*') },
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: this.resource('DELETE /posts/*') },
      ], { plan: 'gold' }, { usageIdentifierKey: 'key-123' });
    });
    expect(result).toEqual({
      principalId: 'u',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/posts/*' },
          { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/DELETE/posts/*' },
        ],
      },
      context: { plan: 'gold' },
      usageIdentifierKey: 'key-123',
    });
  });

  it('rejects a resource that is neither "VERB /path" nor an ARN', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(run(function () {
      return this.allow('u', undefined, { resources: ['posts/*'] });
    })).rejects.toThrow('authorizer resource "posts/*": write a verb (or *) and a path, as in "GET /posts/*", or a full execute-api ARN');
  });
});

describe('context values', () => {
  const allowWith = (value: unknown) => {
    class Ctx extends Authorizer {
      authorize() {
        return this.allow('u', { user: value as string });
      }
    }
    return createAuthorizerHandler(Ctx)(tokenEvent('t'), context);
  };

  it.each([
    [{ id: 1 }, 'is an object'],
    [['a'], 'is an array'],
    [null, 'is null'],
  ])('rejects %j (API Gateway would answer 500) with a clear error', async (value, kind) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(allowWith(value)).rejects.toThrow(`authorizer context "user" ${kind}: API Gateway accepts only strings, numbers and booleans there`);
  });

  it('leaves out undefined values', async () => {
    const result = await allowWith(undefined);
    expect(result.context).toEqual({});
  });

  it('checks a hand-built result too', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    class Raw extends Authorizer {
      authorize() {
        return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [] }, context: { roles: ['a'] as unknown as string } };
      }
    }
    await expect(createAuthorizerHandler(Raw)(tokenEvent('t'), context)).rejects.toThrow('authorizer context "roles" is an array');
  });
});

describe('bad input', () => {
  it('says what to return when authorize() returns nothing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    class Empty extends Authorizer {
      authorize() {
        return undefined as never;
      }
    }
    await expect(createAuthorizerHandler(Empty, 'empty')(tokenEvent('t'), context)).rejects.toThrow(
      'authorizer empty returned nothing: return this.allow(principalId) or this.deny(principalId), or call this.unauthorized()',
    );
  });

  it('rejects an event that is not a REST authorizer event, naming HTTP API payload 2.0', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = createAuthorizerHandler(AdminAuthorizer);
    await expect(handler({ version: '2.0', type: 'REQUEST', routeArn: 'arn' } as never, context)).rejects.toThrow('expected a REST API authorizer event (type TOKEN or REQUEST), got an HTTP API payload 2.0 one: use payload format 1.0');
    await expect(handler({ httpMethod: 'GET' } as never, context)).rejects.toThrow(/^sls-ts: expected a REST API authorizer event \(type TOKEN or REQUEST\)$/);
  });

  it('rejects a methodArn that is not an execute-api ARN', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(createAuthorizerHandler(AdminAuthorizer)(tokenEvent('Bearer s3cret', 'GET /admin'), context)).rejects.toThrow(
      'the authorizer event\'s methodArn "GET /admin" is not arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>',
    );
  });
});

describe('statics', () => {
  it("are plain data the build reads, with API Gateway's defaults", () => {
    expect(AdminAuthorizer.ttl).toBe(60);
    expect(AdminAuthorizer.validation).toBe('^Bearer .+$');
    expect(AdminAuthorizer.type).toBeUndefined();
    expect(AUTHORIZER_DEFAULTS).toEqual({ type: 'token', identitySource: 'method.request.header.Authorization', ttl: 300 });
  });
});

describe('createAuthorizerHandler (a WebSocket API\'s $connect)', () => {
  // doc APIGW "Control access to WebSocket APIs with AWS Lambda REQUEST authorizers": its input
  // example, trimmed; the methodArn has a route key where REST has a verb and a path.
  const connectEvent = {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/default/$connect',
    headers: { Host: 'abcdef123.execute-api.us-east-1.amazonaws.com', Upgrade: 'websocket' },
    multiValueHeaders: { Host: ['abcdef123.execute-api.us-east-1.amazonaws.com'], Upgrade: ['websocket'] },
    queryStringParameters: { QueryString1: 'queryValue1' },
    multiValueQueryStringParameters: { QueryString1: ['queryValue1'] },
    stageVariables: {},
    requestContext: { routeKey: '$connect', eventType: 'CONNECT', messageDirection: 'IN', stage: 'default', connectionId: 'L0SM9cOFvHcCIhw=', apiId: 'abcdef123' },
  } as unknown as AuthorizerRequestEvent;

  class TicketAuthorizer extends Authorizer {
    static override type = 'request' as const;
    authorize(request: AuthorizerRequest) {
      return request.query.QueryString1 === 'queryValue1' ? this.allow(`${request.method} ${request.stage}`) : this.deny('nobody');
    }
  }

  it('allows the whole stage with `/*`: REST\'s `/*/*` would not match …/default/$connect, and API Gateway would answer 403', async () => {
    const result = await createAuthorizerHandler(TicketAuthorizer)(connectEvent, context);
    expect(result.principalId).toBe('$connect default');
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abcdef123/default/*'] }]);
  });
});
