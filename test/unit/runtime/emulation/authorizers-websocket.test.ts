// The $connect authorizer of a WebSocket API (authorizeConnect): the event its function gets, and a
// cache of its own. doc WS-AUTH: API Gateway Dev Guide, "Control access to WebSocket APIs with AWS
// Lambda REQUEST authorizers" (input example; methodArn …/<stage>/$connect).
import { describe, expect, it } from 'vitest';
import { authorizeConnect, createAuthorizerCache, type EmulatedAuthorizer } from '../../../../src/runtime/emulation/index.js';
import type { WebSocketEvent } from '../../../../src/runtime/websocket-types.js';
import { REGION, allowPolicy, authorizeWith, fakeClock, recordingInvoke, request } from './authorizer-fixtures.js';

const ticket: Extract<EmulatedAuthorizer, { type: 'request' }> = { type: 'request', name: 'ticket', functionKey: 'ticket-authorizer', identitySources: ['method.request.querystring.token'], ttl: 300 };

/** A $connect event as the dev server builds it (channel-events.ts). */
function connectEvent(query?: Record<string, string>): WebSocketEvent {
  return {
    headers: { Host: '127.0.0.1:8889', Upgrade: 'websocket' },
    multiValueHeaders: { Host: ['127.0.0.1:8889'], Upgrade: ['websocket'] },
    ...(query && { queryStringParameters: query, multiValueQueryStringParameters: Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])) }),
    requestContext: {
      routeKey: '$connect', eventType: 'CONNECT', extendedRequestId: 'abc=', requestTime: '07/Dec/2026:12:00:00 +0000', messageDirection: 'IN', stage: 'dev',
      connectedAt: 1, requestTimeEpoch: 1, identity: { sourceIp: '127.0.0.1' }, requestId: 'abc=', domainName: '127.0.0.1:8889', connectionId: 'L0SM9cOFvHcCIhw=', apiId: 'a1b2c3d4e5',
    },
    isBase64Encoded: false,
  };
}

describe('authorizeConnect', () => {
  it('sends WS-AUTH\'s REQUEST event: no resource, path, httpMethod or pathParameters; the $connect requestContext; methodArn …/dev/$connect', async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy('arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/dev/$connect', { context: { seat: 7 } }) }));
    const event = connectEvent({ token: 't1' });
    const outcome = await authorizeConnect({ auth: 'ticket', authorizers: [ticket], event, region: REGION, invoke, cache: createAuthorizerCache(), now: () => 0 });
    expect(events).toEqual([{
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/dev/$connect',
      headers: event.headers,
      multiValueHeaders: event.multiValueHeaders,
      queryStringParameters: { token: 't1' },
      multiValueQueryStringParameters: { token: ['t1'] },
      stageVariables: {},
      requestContext: event.requestContext,
    }]);
    expect(outcome).toMatchObject({ allowed: true, authorizer: { principalId: 'user-1', seat: '7' } });
  });

  it('runs the authorizer on every connection, whatever its ttl, and never answers from the REST API\'s cache of it', async () => {
    const clock = fakeClock();
    const cache = createAuthorizerCache();
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    await authorizeWith(ticket, { invoke, event: request({ query: { token: 't1' } }), cache, now: clock.now });
    await authorizeConnect({ auth: 'ticket', authorizers: [ticket], event: connectEvent({ token: 't1' }), region: REGION, invoke, cache, now: clock.now });
    const again = await authorizeConnect({ auth: 'ticket', authorizers: [ticket], event: connectEvent({ token: 't1' }), region: REGION, invoke, cache, now: clock.now });
    // doc AWS::ApiGatewayV2::Authorizer: AuthorizerResultTtlInSeconds is supported only for HTTP API Lambda authorizers.
    expect(events).toHaveLength(3);
    expect(again).toMatchObject({ allowed: true });
    expect(again).not.toMatchObject({ cached: true });
  });

  it('a TOKEN authorizer (which the build refuses) → 500 without invoking it', async () => {
    const { invoke, events } = recordingInvoke(() => ({ ok: true, payload: allowPolicy() }));
    const badge: EmulatedAuthorizer = { type: 'token', name: 'badge', functionKey: 'badge-authorizer', identitySource: 'method.request.header.Authorization', ttl: 0 };
    const outcome = await authorizeConnect({ auth: 'badge', authorizers: [badge], event: connectEvent(), region: REGION, invoke, cache: createAuthorizerCache(), now: () => 0 });
    expect(outcome).toMatchObject({ allowed: false, invoked: false, reason: expect.stringContaining('REQUEST ones only') });
    expect(outcome.allowed === false && outcome.response.status).toBe(500);
    expect(events).toHaveLength(0);
  });
});
