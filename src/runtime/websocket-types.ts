// The events API Gateway (WebSocket API, Lambda proxy integration) sends a channel's function.
// Shapes as AWS sends them (obs gist noid11/4aa8933d0b5cdbcc09d377c5d65d28c1: $connect, $default and
// $disconnect events of a deployed API); the fields that are null on some event types are typed so.

export type WebSocketEventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

export interface WebSocketIdentity {
  sourceIp: string;
  userAgent?: string | null;
  [field: string]: string | null | undefined;
}

export interface WebSocketRequestContext {
  /** `$connect`, `$disconnect`, `$default`, or the key the route selection expression chose. */
  routeKey: string;
  eventType: WebSocketEventType;
  /** Set on MESSAGE events only. */
  messageId?: string | null;
  /** Set on DISCONNECT events: the close code (1005 when the close frame carried none) and its text. */
  disconnectStatusCode?: number | null;
  disconnectReason?: string | null;
  extendedRequestId: string;
  /** `07/Dec/2026:18:56:57 +0000` */
  requestTime: string;
  requestTimeEpoch: number;
  messageDirection: 'IN';
  stage: string;
  /** ms since the epoch, the same on every event of one connection. */
  connectedAt: number;
  identity: WebSocketIdentity;
  requestId: string;
  /** `<apiId>.execute-api.<region>.amazonaws.com`; `https://<domainName>/<stage>` is the @connections endpoint. */
  domainName: string;
  connectionId: string;
  apiId: string;
  /** What the $connect authorizer allowed with: principalId and its context (as strings), on every event of the connection. */
  authorizer?: Record<string, unknown>;
}

export interface WebSocketEvent {
  requestContext: WebSocketRequestContext;
  /** The message, on MESSAGE events (base64 for a binary frame, with isBase64Encoded). */
  body?: string;
  isBase64Encoded: boolean;
  /** The upgrade request's headers, on CONNECT (and DISCONNECT) events. */
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
}

/** What a channel's function answers: on $connect, a status outside 2xx refuses the connection. */
export interface WebSocketResult {
  statusCode: number;
  body?: string;
}
