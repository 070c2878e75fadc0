// The authorizer on a WebSocket API's $connect route, decided on the upgrade request before any
// connection exists. Cited below as WS-AUTH: doc APIGW "Control access to WebSocket APIs with AWS
// Lambda REQUEST authorizers" (apigateway-websocket-api-lambda-auth): REQUEST authorizers only, on
// $connect only; methodArn `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/$connect`; its
// input example (type REQUEST, headers, multiValueHeaders, queryStringParameters,
// multiValueQueryStringParameters, stageVariables, and the $connect event's own requestContext:
// routeKey $connect, eventType CONNECT, messageDirection IN, connectionId, …); a connection without
// its identity values gets 401 ("error: Unexpected server response: 401").
import type { WebSocketEvent, WebSocketRequestContext } from '../../websocket-types.js';
import type { ApiGatewayProxyEvent } from '../../types.js';
import { DEFAULT_ACCOUNT_ID } from '../../events/api-gateway.js';
import type { AuthorizerCache } from './cache.js';
import { authorizeWithIam } from './iam.js';
import { readIdentitySources } from './identity-source.js';
import { runLambdaAuthorizer } from './lambda.js';
import { authorizerConfigurationError, unauthorized } from './responses.js';
import type { AuthorizeOutcome, EmulatedAuthorizer, InvokeAuthorizer } from './types.js';

/** WS-AUTH's input example: REST's REQUEST event without resource, path, httpMethod and pathParameters. */
export interface WebSocketAuthorizerEvent {
  type: 'REQUEST';
  methodArn: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  stageVariables: Record<string, string>;
  requestContext: WebSocketRequestContext;
}

export interface AuthorizeConnectOptions {
  /** The channel's `static auth`: an authorizer's name, or 'iam'. */
  auth: string;
  authorizers: readonly EmulatedAuthorizer[];
  /** The $connect event the channel's function would get (its requestContext names API, stage and connection). */
  event: WebSocketEvent;
  region: string;
  /** Default: the local account every emulated event names (DEFAULT_ACCOUNT_ID). */
  accountId?: string;
  invoke: InvokeAuthorizer;
  cache: AuthorizerCache;
  now: () => number;
}

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/$connect` (WS-AUTH: no HTTP method in it). */
export function connectArn(region: string, accountId: string, context: Pick<WebSocketRequestContext, 'apiId' | 'stage'>): string {
  return `arn:aws:execute-api:${region}:${accountId}:${context.apiId}/${context.stage}/$connect`;
}

export async function authorizeConnect(options: AuthorizeConnectOptions): Promise<AuthorizeOutcome> {
  const { auth, event } = options;
  // The identity sources and IAM read the upgrade request as they read a REST request: headers, query, context.
  const request = { headers: event.headers ?? {}, queryStringParameters: event.queryStringParameters ?? null, stageVariables: null, requestContext: event.requestContext } as unknown as ApiGatewayProxyEvent;
  if (auth === 'iam') return authorizeWithIam(request);

  const authorizer = options.authorizers.find((candidate) => candidate.name === auth);
  if (!authorizer) return { allowed: false, response: authorizerConfigurationError(), invoked: false, reason: `the channel names authorizer "${auth}", which the app does not have` };
  // WS-AUTH: a WebSocket API takes REQUEST Lambda authorizers only (the build refuses the others).
  if (authorizer.type !== 'request') return { allowed: false, response: authorizerConfigurationError(), invoked: false, reason: `authorizer "${authorizer.name}" is a ${authorizer.type} authorizer; a WebSocket API's $connect takes REQUEST ones only` };

  // As on REST (lambda.ts): every listed source must hold a value, else 401 without invoking.
  const read = readIdentitySources(authorizer.identitySources, request);
  if ('missing' in read) return { allowed: false, response: unauthorized(), invoked: false, reason: `${read.missing.replace(/^method\./, 'route.')} is missing or empty (authorizer ${authorizer.name} was not invoked)` };

  const methodArn = connectArn(options.region, options.accountId ?? DEFAULT_ACCOUNT_ID, event.requestContext);
  return runLambdaAuthorizer({
    // A WebSocket API's authorizer has no result cache: AWS::ApiGatewayV2::Authorizer's
    // AuthorizerResultTtlInSeconds is "supported only for HTTP API Lambda authorizers" (doc), and the
    // templates set none. Each connection runs the authorizer, whatever the class's ttl says.
    authorizer: { ...authorizer, ttl: 0 },
    values: read.values,
    methodArn,
    authorizerEvent: () => authorizerEvent(event, methodArn),
    invoke: options.invoke,
    cache: options.cache,
    // Never read (ttl 0), but kept apart from the REST API's cache of the same authorizer all the same.
    cacheName: `${authorizer.name}\u0000wss:${event.requestContext.apiId}`,
    now: options.now,
  });
}

function authorizerEvent(event: WebSocketEvent, methodArn: string): WebSocketAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    headers: { ...event.headers },
    multiValueHeaders: { ...event.multiValueHeaders },
    // inf: null when the URL has no query string, as REST's REQUEST event has them (WS-AUTH's example has one).
    queryStringParameters: event.queryStringParameters ?? null,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters ?? null,
    // WS-AUTH's example: `"stageVariables": {}` for a stage without variables.
    stageVariables: {},
    requestContext: { ...event.requestContext },
  };
}
