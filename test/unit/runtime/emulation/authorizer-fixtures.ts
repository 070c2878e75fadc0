// Shared pieces of the authorizer emulation tests: a request, a recording invoke, a fake clock.
import { apiGatewayEvent, type ApiGatewayEventOptions } from '../../../../src/runtime/events/api-gateway.js';
import {
  authorizeRequest,
  createAuthorizerCache,
  type AuthorizeRequestOptions,
  type AuthorizerInvocation,
  type EmulatedAuthorizer,
} from '../../../../src/runtime/emulation/index.js';
import type { ApiGatewayProxyEvent } from '../../../../src/runtime/types.js';

export const REGION = 'eu-west-1';

export function request(options: Partial<ApiGatewayEventOptions> = {}): ApiGatewayProxyEvent {
  return apiGatewayEvent({ method: 'GET', path: '/posts/42', resource: '/posts/{id}', pathParameters: { id: '42' }, stage: 'dev', ...options });
}

export function allowPolicy(resource: string | string[] = '*', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    principalId: 'user-1',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] },
    ...extra,
  });
}

/** An authorizer function double: answers with `answer(event)` and records every event it got. */
export function recordingInvoke(answer: (event: Record<string, unknown>) => AuthorizerInvocation) {
  const events: Array<Record<string, unknown>> = [];
  const invoke = async (_key: string, event: unknown): Promise<AuthorizerInvocation> => {
    events.push(event as Record<string, unknown>);
    return answer(event as Record<string, unknown>);
  };
  return { invoke, events };
}

export function fakeClock(start = Date.UTC(2026, 6, 10, 12, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

export const tokenAuthorizer: Extract<EmulatedAuthorizer, { type: 'token' }> = {
  type: 'token',
  name: 'jwt',
  functionKey: 'jwt-authorizer',
  identitySource: 'method.request.header.Authorization',
  ttl: 300,
};

/** authorizeRequest with a Lambda authorizer, the rest defaulted. */
export function authorizeWith(authorizer: EmulatedAuthorizer, options: Partial<AuthorizeRequestOptions> & Pick<AuthorizeRequestOptions, 'invoke' | 'event'>) {
  return authorizeRequest({
    auth: { type: 'lambda', authorizer: authorizer.name },
    authorizers: [authorizer],
    region: REGION,
    cache: createAuthorizerCache(),
    now: () => Date.UTC(2026, 6, 10),
    cognitoKeys: () => undefined,
    ...options,
  });
}
