// The local @connections management API (PostToConnection, GetConnection, DeleteConnection): what
// `https://<domainName>/<stage>/@connections/{id}` answers on AWS, so that the AWS SDK's
// ApiGatewayManagementApiClient (through AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI) and the runtime's
// Channel#send reach local connections. Signatures are not checked, as the other local services do not.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** API Gateway's largest WebSocket message (doc "Quotas for configuring and running a WebSocket in API Gateway": 128 KB). */
export const MESSAGE_LIMIT = 128 * 1024;

export interface LocalConnection {
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string | null;
  /** Sends one message to the client (split into frames as API Gateway does). */
  send(data: Buffer): void;
  /** Closes it from the server's side. */
  close(): void;
}

/** `/@connections/{id}`, with or without the stage before it (the SDK's endpoint carries it). */
const CONNECTIONS_PATH = /^(?:\/[^/]+)?\/@connections\/([^/?]+)\/?$/;

export function isConnectionsRequest(url: string): boolean {
  return CONNECTIONS_PATH.test(url.split('?')[0] ?? '');
}

export async function handleConnectionsRequest(request: IncomingMessage, response: ServerResponse, find: (id: string) => LocalConnection | undefined): Promise<void> {
  const id = decodeURIComponent(CONNECTIONS_PATH.exec((request.url ?? '').split('?')[0] ?? '')![1]!);
  const body = await readAll(request, MESSAGE_LIMIT);
  const connection = find(id);
  switch (request.method) {
    case 'POST':
      if (body === 'too-large') return fail(response, 413, 'PayloadTooLargeException', `Message payload is over the ${MESSAGE_LIMIT / 1024} KB limit`);
      if (!connection) return gone(response);
      connection.send(body);
      response.writeHead(200, { 'content-length': '0' }).end();
      return;
    case 'GET':
      if (!connection) return gone(response);
      json(response, 200, { connectedAt: new Date(connection.connectedAt).toISOString(), identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent }, lastActiveAt: new Date(connection.lastActiveAt).toISOString() });
      return;
    case 'DELETE':
      if (!connection) return gone(response);
      connection.close();
      response.writeHead(204).end();
      return;
    default:
      return fail(response, 403, 'ForbiddenException', `${request.method} is not an @connections operation: POST, GET and DELETE are`);
  }
}

/** 410 GoneException: the connection is closed (or never was): what the SDK raises as GoneException. */
const gone = (response: ServerResponse) => fail(response, 410, 'GoneException', null);

function fail(response: ServerResponse, status: number, type: string, message: string | null): void {
  // restJson1 clients read the error's name from this header (and the body's message).
  json(response, status, { message }, { 'x-amzn-ErrorType': type });
}

function json(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
}

function readAll(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
