// TOKEN and REQUEST Lambda authorizers: what API Gateway checks before invoking, the event it sends,
// how it reads the answer, and its cache.
import type { ApiGatewayProxyEvent, AuthorizerRequestEvent, AuthorizerTokenEvent } from '../../types.js';
import type { AuthorizerCache } from './cache.js';
import { readIdentitySources } from './identity-source.js';
import { evaluatePolicy, parseAuthorizerAnswer, type AuthorizerAnswer } from './policy.js';
import { accessDenied, authorizerConfigurationError, unauthorized } from './responses.js';
import type { AuthorizeOutcome, EmulatedAuthorizer, InvokeAuthorizer } from './types.js';

export type LambdaAuthorizer = Extract<EmulatedAuthorizer, { type: 'token' | 'request' }>;

export interface LambdaAuthorizeOptions {
  authorizer: LambdaAuthorizer;
  event: ApiGatewayProxyEvent;
  methodArn: string;
  invoke: InvokeAuthorizer;
  cache: AuthorizerCache;
  now: () => number;
}

export async function authorizeWithLambda(options: LambdaAuthorizeOptions): Promise<AuthorizeOutcome> {
  const { authorizer, event, methodArn } = options;
  const identity = identityValues(authorizer, event);
  if ('misconfigured' in identity) return { allowed: false, response: authorizerConfigurationError(), invoked: false, reason: identity.misconfigured };
  if ('denied' in identity) return { allowed: false, response: unauthorized(), invoked: false, reason: identity.denied };
  return runLambdaAuthorizer({ ...options, values: identity.values, authorizerEvent: () => authorizerEvent(authorizer, event, methodArn, identity.values) });
}

export interface RunLambdaAuthorizerOptions {
  authorizer: LambdaAuthorizer;
  /** The identity source values: the cache key. */
  values: readonly string[];
  methodArn: string;
  /** The event the authorizer's function gets, built only when it is invoked. */
  authorizerEvent: () => unknown;
  invoke: InvokeAuthorizer;
  cache: AuthorizerCache;
  /** The cache's name for this authorizer; default its name. Another API's copy of it (a WebSocket API's) has a cache of its own. */
  cacheName?: string;
  now: () => number;
}

/**
 * Past the identity check: the cached answer or a fresh invocation, read as API Gateway reads it,
 * and the policy evaluated for `methodArn`. Shared by REST methods and WebSocket $connect routes
 * (websocket.ts), whose Lambda authorizers answer the same way.
 */
export async function runLambdaAuthorizer(options: RunLambdaAuthorizerOptions): Promise<AuthorizeOutcome> {
  const { authorizer, values, methodArn, cache, now } = options;
  const cacheName = options.cacheName ?? authorizer.name;
  const cached = cache.get(cacheName, values, now());
  if (cached) return decide(cached, methodArn, true, false, 0);

  const started = now();
  const invocation = await options.invoke(authorizer.functionKey, options.authorizerEvent());
  const latency = Math.max(0, now() - started);
  if (!invocation.ok) {
    // doc APIGW "Output from … Lambda authorizer" / AWS blueprints: throw exactly 'Unauthorized' for a
    // 401; any other error is a failed authorizer (obs serverless/examples#305, aws/chalice#670) → 500.
    if (invocation.errorMessage === 'Unauthorized') return { allowed: false, response: unauthorized(), invoked: true, reason: `authorizer ${authorizer.name} threw Unauthorized` };
    return { allowed: false, response: authorizerConfigurationError(), invoked: true, reason: `authorizer ${authorizer.name} failed: ${invocation.errorMessage}` };
  }
  const answer = parseAuthorizerAnswer(invocation.payload);
  if (typeof answer === 'string') return { allowed: false, response: authorizerConfigurationError(), invoked: true, reason: `authorizer ${authorizer.name}: ${answer}` };
  // Only a well-formed answer is kept: a failed authorizer is asked again next time (inf, as KensioSoftware/yulin#805 does).
  cache.set(cacheName, values, answer, authorizer.ttl, now());
  return decide(answer, methodArn, false, true, latency);
}

/**
 * TOKEN: the token source must hold a value, matching `validation` when set, else 401 without
 * invoking. REQUEST: every listed source must hold a value, else 401 without invoking; a REQUEST
 * authorizer may list none only with caching off (ttl 0), and is then always invoked. — doc API
 * Reference Authorizer.identitySource ("verifying all of the identity-related request parameters are
 * present, not null and non-empty … otherwise, it returns a 401 Unauthorized response without calling
 * the Lambda function"; "When the authorization caching is not enabled, this property is optional");
 * doc KC api-gateway-401-error-lambda-authorizer; obs serverless/serverless#11233 (verified: any
 * missing → 401), dherault/serverless-offline#1720 (AWS checks listed sources even with caching off,
 * so they must be removed for the authorizer to always run).
 */
function identityValues(authorizer: LambdaAuthorizer, event: ApiGatewayProxyEvent): { values: string[] } | { denied: string } | { misconfigured: string } {
  const read = authorizer.type === 'token' ? readIdentitySources([authorizer.identitySource], event, 'token') : readIdentitySources(authorizer.identitySources, event);
  if ('missing' in read) return { denied: `${read.missing} is missing or empty (authorizer ${authorizer.name} was not invoked)` };
  if (authorizer.type === 'token' && authorizer.validation !== undefined) {
    // The token must match the whole expression (doc KC 401: `\w{5}` admits five-character tokens).
    let validation: RegExp;
    try {
      validation = new RegExp(`^(?:${authorizer.validation})$`);
    } catch {
      return { misconfigured: `authorizer ${authorizer.name}'s validation /${authorizer.validation}/ is not a regular expression` };
    }
    if (!validation.test(read.values[0]!)) {
      return { denied: `the token does not match authorizer ${authorizer.name}'s validation /${authorizer.validation}/ (not invoked)` };
    }
  }
  return read;
}

/** doc APIGW "Input to an API Gateway Lambda authorizer": TOKEN and REQUEST event formats. */
function authorizerEvent(authorizer: LambdaAuthorizer, event: ApiGatewayProxyEvent, arn: string, values: string[]): AuthorizerTokenEvent | AuthorizerRequestEvent {
  if (authorizer.type === 'token') return { type: 'TOKEN', authorizationToken: values[0]!, methodArn: arn };
  // The request's parts without its body (a REQUEST authorizer never sees the body).
  const { authorizer: _drop, ...requestContext } = event.requestContext;
  return {
    type: 'REQUEST',
    methodArn: arn,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    pathParameters: event.pathParameters,
    stageVariables: event.stageVariables,
    requestContext,
  };
}

/**
 * The function sees `principalId`, the context values as strings and `integrationLatency` (a number,
 * ms) in requestContext.authorizer. — doc APIGW "Output from … Lambda authorizer"; fidelity item 30;
 * obs CodeGenieApp/serverless-express#551 (`authorizer: { principalId, integrationLatency: 180 }`).
 * A cached answer reports 0 (inf: nothing was invoked; not measured on AWS).
 */
function decide(answer: AuthorizerAnswer, arn: string, cached: boolean, invoked: boolean, latency: number): AuthorizeOutcome {
  const decision = evaluatePolicy(answer.statements, arn);
  if (decision !== 'allow') {
    const explicit = decision === 'explicit-deny';
    return { allowed: false, response: accessDenied(explicit), invoked, reason: `the authorizer's policy ${explicit ? 'explicitly denies' : 'does not allow'} ${arn}${cached ? ' (cached answer)' : ''}` };
  }
  const outcome: AuthorizeOutcome = {
    allowed: true,
    authorizer: { ...answer.context, principalId: answer.principalId, integrationLatency: latency },
    cached,
    invoked,
  };
  if (answer.usageIdentifierKey !== undefined) outcome.usageIdentifierKey = answer.usageIdentifierKey;
  return outcome;
}
