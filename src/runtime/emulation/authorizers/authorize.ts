// One entry point for the dev server and the in-process test client: given how a method is guarded,
// decide as API Gateway would, before the function runs.
import type { ApiGatewayProxyEvent } from '../../types.js';
import type { AuthorizerCache } from './cache.js';
import { authorizeWithCognito } from './cognito.js';
import { authorizeWithIam } from './iam.js';
import { authorizeWithLambda } from './lambda.js';
import { methodArn } from './method-arn.js';
import { authorizerConfigurationError } from './responses.js';
import type { AuthorizeOutcome, CognitoKeys, EmulatedAuthorizer, EmulatedMethodAuth, InvokeAuthorizer } from './types.js';

export interface AuthorizeRequestOptions {
  /** The route's guard; absent: a public method (and CORS preflights, never guarded). */
  auth: EmulatedMethodAuth | undefined;
  authorizers: readonly EmulatedAuthorizer[];
  /** The proxy event the function would get; its requestContext gives account, API id and stage. */
  event: ApiGatewayProxyEvent;
  region: string;
  invoke: InvokeAuthorizer;
  cache: AuthorizerCache;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now: () => number;
  cognitoKeys: CognitoKeys;
}

export async function authorizeRequest(options: AuthorizeRequestOptions): Promise<AuthorizeOutcome> {
  const { auth, event } = options;
  if (!auth) return { allowed: true, cached: false, invoked: false };
  if (auth.type === 'iam') return authorizeWithIam(event);

  const authorizer = options.authorizers.find((candidate) => candidate.name === auth.authorizer);
  if (!authorizer) {
    return { allowed: false, response: authorizerConfigurationError(), invoked: false, reason: `the route names authorizer "${auth.authorizer}", which the API does not have` };
  }
  // The build pairs them; a hand-made manifest might not.
  if ((auth.type === 'cognito') !== (authorizer.type === 'cognito')) {
    return { allowed: false, response: authorizerConfigurationError(), invoked: false, reason: `authorizer "${authorizer.name}" is a ${authorizer.type} authorizer, but the route uses it as ${auth.type}` };
  }
  if (authorizer.type === 'cognito') {
    const scopes = auth.type === 'cognito' ? auth.scopes : undefined;
    return authorizeWithCognito({ authorizer, scopes, event, keys: options.cognitoKeys(authorizer.name), now: options.now });
  }
  const { accountId, apiId, stage } = event.requestContext;
  const arn = methodArn({ region: options.region, accountId, apiId, stage, method: event.httpMethod, path: event.path });
  return authorizeWithLambda({ authorizer, event, methodArn: arn, invoke: options.invoke, cache: options.cache, now: options.now });
}
