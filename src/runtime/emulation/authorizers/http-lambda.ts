// A Lambda authorizer on an HTTP API: a REQUEST authorizer with payload format 1.0 (what the build
// deploys, cloudformation/http-api-auth.ts), answering with an IAM policy as on REST. Cited below as
// LAMBDA-DOC: doc APIGW "Control access to HTTP APIs with AWS Lambda authorizers".
import type { AuthorizerRequestEvent, HttpApiEvent } from '../../types.js';
import type { AuthorizerCache } from './cache.js';
import { readHttpApiSources } from './http-identity-source.js';
import { httpApiAuthorizerError, httpApiForbidden, httpApiUnauthorized } from './http-responses.js';
import { evaluatePolicy, parseAuthorizerAnswer } from './policy.js';
import type { AuthorizeOutcome, EmulatedAuthorizer, InvokeAuthorizer } from './types.js';

type LambdaAuthorizer = Extract<EmulatedAuthorizer, { type: 'token' | 'request' }>;

/** The 1.0 authorizer event with `version` (LAMBDA-DOC's example has it; REST's has not). */
export type HttpApiAuthorizerEvent = AuthorizerRequestEvent & { version: '1.0'; identitySource: string; authorizationToken: string };

export interface HttpLambdaAuthorizeOptions {
  authorizer: LambdaAuthorizer;
  event: HttpApiEvent;
  methodArn: string;
  invoke: InvokeAuthorizer;
  cache: AuthorizerCache;
  now: () => number;
}

export async function authorizeWithHttpLambda(options: HttpLambdaAuthorizeOptions): Promise<AuthorizeOutcome> {
  const { authorizer, event, methodArn, cache, now } = options;
  // A TOKEN authorizer is deployed as a REQUEST one on its single source (HTTP APIs have no TOKEN type).
  const sources = authorizer.type === 'token' ? [authorizer.identitySource] : authorizer.identitySources;
  // LAMBDA-DOC, Identity sources: a missing one → 401 without invoking the function.
  const read = readHttpApiSources(sources, event);
  if ('missing' in read) return { allowed: false, response: httpApiUnauthorized(), invoked: false, reason: `${read.missing} is missing or empty (authorizer ${authorizer.name} was not invoked)` };

  // LAMBDA-DOC, Caching: keyed by the identity source values, and shared by every route that uses the
  // authorizer ("uses the cached authorizer response for all routes"); the policy is evaluated again
  // for each route's ARN, as on REST (cache.ts). Caching needs at least one identity source.
  const cached = read.values.length > 0 ? cache.get(authorizer.name, read.values, now()) : undefined;
  let answer = cached;
  let invoked = false;
  if (!answer) {
    const invocation = await options.invoke(authorizer.functionKey, authorizerEvent(event, methodArn, read.values));
    invoked = true;
    if (!invocation.ok) {
      // As on REST (lambda.ts): exactly "Unauthorized" is the 401; any other failure the 500.
      if (invocation.errorMessage === 'Unauthorized') return { allowed: false, response: httpApiUnauthorized(), invoked, reason: `authorizer ${authorizer.name} threw Unauthorized` };
      return { allowed: false, response: httpApiAuthorizerError(), invoked, reason: `authorizer ${authorizer.name} failed: ${invocation.errorMessage}` };
    }
    const parsed = parseAuthorizerAnswer(invocation.payload, { context: 'as-returned' });
    if (typeof parsed === 'string') return { allowed: false, response: httpApiAuthorizerError(), invoked, reason: `authorizer ${authorizer.name}: ${parsed}` };
    answer = parsed;
    if (read.values.length > 0) cache.set(authorizer.name, read.values, answer, authorizer.ttl, now());
  }
  const decision = evaluatePolicy(answer.statements, methodArn);
  if (decision !== 'allow') {
    return { allowed: false, response: httpApiForbidden(), invoked, reason: `the authorizer's policy ${decision === 'explicit-deny' ? 'explicitly denies' : 'does not allow'} ${methodArn}${cached ? ' (cached answer)' : ''}` };
  }
  // The 2.0 event the function gets carries the context under `lambda` (powertools
  // APIGatewayRequestContextV2: `authorizer.lambda`; LAMBDA-DOC: "pass context properties to Lambda
  // integrations"). principalId is not among them (inf).
  return { allowed: true, authorizer: { lambda: { ...answer.context } }, cached: cached !== undefined, invoked };
}

/**
 * LAMBDA-DOC's payload format 1.0 example: REST's REQUEST event plus `version`, the identity values
 * comma-joined as `identitySource` and `authorizationToken`, and the route's `methodArn`. Built from
 * the request's 2.0 event: lowercase header names (inf: the same headers the function gets).
 */
function authorizerEvent(event: HttpApiEvent, arn: string, values: readonly string[]): HttpApiAuthorizerEvent {
  const { http } = event.requestContext;
  const resource = event.routeKey === '$default' ? '$default' : event.routeKey.slice(event.routeKey.indexOf(' ') + 1);
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(event.rawQueryString)) (multiQuery[name] ??= []).push(value);
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn: arn,
    identitySource: values.join(','),
    authorizationToken: values.join(','),
    resource,
    path: event.rawPath,
    httpMethod: http.method,
    headers: { ...event.headers },
    multiValueHeaders: Object.fromEntries(Object.entries(event.headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: event.queryStringParameters ?? null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: event.pathParameters ?? {},
    stageVariables: event.stageVariables ?? null,
    // LAMBDA-DOC's 1.0 requestContext holds these few of REST's fields, not the whole v1 context.
    requestContext: {
      path: event.rawPath, accountId: event.requestContext.accountId, stage: event.requestContext.stage, requestId: event.requestContext.requestId,
      resourcePath: resource, httpMethod: http.method, apiId: event.requestContext.apiId,
      identity: { sourceIp: http.sourceIp, userAgent: http.userAgent },
    } as unknown as AuthorizerRequestEvent['requestContext'],
  };
}
