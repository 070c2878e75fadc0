// The HTTP API (api: 'http') counterpart of authorize.ts: how API Gateway v2 decides, before the
// function runs, on a route guarded by a JWT authorizer (Cognito), a Lambda authorizer or AWS_IAM.
import type { HttpApiEvent } from '../../types.js';
import type { AuthorizerCache } from './cache.js';
import { authorizeWithJwt } from './http-jwt.js';
import { authorizeWithHttpLambda } from './http-lambda.js';
import { httpApiAuthorizerError, httpApiForbidden } from './http-responses.js';
import { accountIdOf, signingKeyId } from './iam.js';
import { methodArn } from './method-arn.js';
import type { AuthorizeOutcome, CognitoKeys, EmulatedAuthorizer, EmulatedMethodAuth, InvokeAuthorizer } from './types.js';

export interface AuthorizeHttpApiRequestOptions {
  /** The route's guard; absent: a public route (and CORS preflights, which v2 answers itself). */
  auth: EmulatedMethodAuth | undefined;
  authorizers: readonly EmulatedAuthorizer[];
  /** The payload 2.0 event the function would get. */
  event: HttpApiEvent;
  region: string;
  invoke: InvokeAuthorizer;
  cache: AuthorizerCache;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now: () => number;
  cognitoKeys: CognitoKeys;
  /** A Cognito authorizer's app client ids (its JWT authorizer's Audience). */
  audienceOf: (authorizerName: string) => readonly string[] | undefined;
}

export async function authorizeHttpApiRequest(options: AuthorizeHttpApiRequestOptions): Promise<AuthorizeOutcome> {
  const { auth, event } = options;
  if (!auth) return { allowed: true, cached: false, invoked: false };
  if (auth.type === 'iam') return authorizeHttpApiIam(event);
  const authorizer = options.authorizers.find((candidate) => candidate.name === auth.authorizer);
  if (!authorizer || (auth.type === 'cognito') !== (authorizer.type === 'cognito')) {
    return { allowed: false, response: httpApiAuthorizerError(), invoked: false, reason: `the route's authorizer "${auth.authorizer}" is not a ${auth.type} authorizer of the API` };
  }
  if (authorizer.type === 'cognito') {
    const scopes = auth.type === 'cognito' ? auth.scopes : undefined;
    return authorizeWithJwt({ authorizer, audience: options.audienceOf(authorizer.name), scopes, event, keys: options.cognitoKeys(authorizer.name), now: options.now });
  }
  const { accountId, apiId, stage, http } = event.requestContext;
  const arn = methodArn({ region: options.region, accountId, apiId, stage, method: http.method, path: event.rawPath });
  return authorizeWithHttpLambda({ authorizer, event, methodArn: arn, invoke: options.invoke, cache: options.cache, now: options.now });
}

/**
 * AWS_IAM: an unsigned request → 403 (see httpApiForbidden). A SigV4-signed one (Authorization
 * `AWS4-HMAC-SHA256 Credential=<key>/…`, or the presigned query) is accepted locally, there being no
 * account to check it against, and the caller reaches the function as `requestContext.authorizer.iam`
 * — its fields per src aws-lambda-powertools APIGatewayRequestContextV2 / aws_lambda_events
 * ApiGatewayRequestAuthorizerIamDescription (accessKey, accountId, callerId, cognitoIdentity,
 * principalOrgId, userArn, userId). Those that need STS stay null locally.
 */
export function authorizeHttpApiIam(event: HttpApiEvent): AuthorizeOutcome {
  const accessKey = signingKeyId(event);
  if (!accessKey) return { allowed: false, response: httpApiForbidden(), invoked: false, reason: 'the route uses AWS_IAM and the request is not SigV4-signed' };
  const iam = { accessKey, accountId: accountIdOf(accessKey) ?? null, callerId: null, cognitoIdentity: null, principalOrgId: null, userArn: null, userId: null };
  return { allowed: true, authorizer: { iam }, cached: false, invoked: false };
}
