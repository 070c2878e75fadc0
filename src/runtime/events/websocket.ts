// The events API Gateway's WebSocket API sends a Lambda proxy integration, as the dev server and
// sls-ts/testing build them for a local connection (not exported from events/index.ts: controller
// bundles never need them). Shapes: obs gist noid11/4aa8933d0b5cdbcc09d377c5d65d28c1 (2020:
// $connect, $default, $disconnect of a deployed API) and src typelevel/feral
// ApiGatewayV2WebSocketEventSuite.scala (2024 captures: fields that do not apply to an event type
// are left out rather than null; $disconnect's 1005 "Client-side close frame status not set").
import { randomBytes } from 'node:crypto';
import { createShortRequestId, formatRequestTime } from './api-gateway.js';
import type { WebSocketEvent, WebSocketIdentity, WebSocketRequestContext } from '../websocket-types.js';

/** What every event of one connection shares. */
export interface ConnectionFacts {
  connectionId: string;
  connectedAt: number;
  apiId: string;
  domainName: string;
  stage: string;
  identity: WebSocketIdentity;
  /** The upgrade request's headers, as sent (repeats kept). */
  headers: Array<[string, string]>;
  query: URLSearchParams;
  /** What the channel's $connect authorizer allowed with (principalId, context): on every event of the connection. */
  authorizer?: Record<string, unknown>;
}

/** API Gateway's connection ids are 11 random bytes in base64 (`L0SM9cOFvHcCIhw=`, 16 characters). */
export const newConnectionId = () => randomBytes(11).toString('base64');

function context(facts: ConnectionFacts, fields: Pick<WebSocketRequestContext, 'routeKey' | 'eventType'> & Partial<WebSocketRequestContext>): WebSocketRequestContext {
  const now = new Date();
  const { routeKey, eventType, ...rest } = fields;
  return {
    routeKey,
    eventType,
    extendedRequestId: createShortRequestId(),
    requestTime: formatRequestTime(now),
    messageDirection: 'IN',
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: facts.identity,
    requestId: createShortRequestId(),
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
    ...(facts.authorizer && { authorizer: facts.authorizer }),
    ...rest,
  };
}

function headerMaps(pairs: Array<[string, string]>): Pick<WebSocketEvent, 'headers' | 'multiValueHeaders'> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

export function connectEvent(facts: ConnectionFacts): WebSocketEvent {
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of facts.query) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  return {
    ...headerMaps(facts.headers),
    // Present only when the URL had a query string, as API Gateway sends them.
    ...(Object.keys(query).length > 0 && { queryStringParameters: query, multiValueQueryStringParameters: multiQuery }),
    requestContext: context(facts, { routeKey: '$connect', eventType: 'CONNECT' }),
    isBase64Encoded: false,
  };
}

export function messageEvent(facts: ConnectionFacts, routeKey: string, body: string, isBase64Encoded: boolean): WebSocketEvent {
  // A MESSAGE event's identity carries the source IP alone.
  return {
    requestContext: { ...context(facts, { routeKey, eventType: 'MESSAGE', messageId: createShortRequestId() }), identity: { sourceIp: facts.identity.sourceIp } },
    body,
    isBase64Encoded,
  };
}

export function disconnectEvent(facts: ConnectionFacts, statusCode: number, reason: string): WebSocketEvent {
  return {
    // What API Gateway sends, whatever the upgrade request had: four headers, three of them empty.
    ...headerMaps([['Host', facts.domainName], ['x-api-key', ''], ['X-Forwarded-For', ''], ['x-restapi', '']]),
    requestContext: context(facts, { routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: statusCode, disconnectReason: reason }),
    isBase64Encoded: false,
  };
}
