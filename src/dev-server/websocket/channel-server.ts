// `sls-ts server`'s WebSocket side: one local endpoint per channel (ws://host:port/<channel>),
// invoking the channel's function with the events API Gateway sends ($connect, messages routed by
// the route selection expression, $disconnect), the @connections management API on the same port,
// and API Gateway's limits (32 KB frames, 128 KB messages, 10-minute idle and 2-hour connections).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseRouteSelection, selectRoute } from '../../router/index.js';
import type { ChannelRouting } from '../../build/types.js';
import { createShortRequestId } from '../../runtime/events/api-gateway.js';
import type { GatewayResponse } from '../../runtime/emulation/index.js';
import type { WebSocketEvent, WebSocketIdentity } from '../../runtime/websocket-types.js';
import { SlsError } from '../../shared/errors.js';
import type { DevServerEvent } from '../events.js';
import type { InvokeOutcome } from '../pool.js';
import { connectEvent, disconnectEvent, messageEvent, newConnectionId, type ConnectionFacts } from '../../runtime/events/websocket.js';
import { handleConnectionsRequest, isConnectionsRequest, type LocalConnection } from '../../local/connections-api.js';
import { FRAME_LIMIT, MESSAGE_LIMIT, watchFrameSizes } from './frame-limit.js';

export interface ChannelTarget {
  key: string;
  functionName: string;
  routing: ChannelRouting;
}

/** What a guarded channel's $connect authorizer decided: the gateway's answer to the upgrade request, or what the connection's events carry. */
export type ConnectAuthorization = { response: GatewayResponse } | { authorizer?: Record<string, unknown>; identity?: Partial<WebSocketIdentity> };

export interface ChannelServerOptions {
  host: string;
  port: number;
  stage: string;
  region: string;
  /** The app's channels now (read on every connection, so a reload is seen). */
  channels(): readonly ChannelTarget[];
  invoke(key: string, event: WebSocketEvent): Promise<InvokeOutcome>;
  /** Runs the authorizer a guarded channel (`routing.auth`) has on $connect, given the $connect event. */
  authorize(channel: ChannelTarget, event: WebSocketEvent): Promise<ConnectAuthorization>;
  emit(event: DevServerEvent): void;
  /** API Gateway's idle timeout (10 minutes) and longest connection (2 hours). */
  idleTimeoutMs?: number;
  maxDurationMs?: number;
}

export interface ChannelServer {
  /** `ws://127.0.0.1:8889` (a channel listens at `/<name>`). */
  url: string;
  /** The variables that point the AWS SDK (and Channel#send) at the local @connections API. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/** The close code and reason API Gateway reports in $disconnect for a close frame without a status. */
const NO_STATUS = { code: 1005, reason: 'Client-side close frame status not set' };

export async function startChannelServer(options: ChannelServerOptions): Promise<ChannelServer> {
  const connections = new Map<string, LocalConnection & { socket: WebSocket }>();
  let closing = false;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MESSAGE_LIMIT, perMessageDeflate: false });
  const server = createServer((request, response) => {
    if (isConnectionsRequest(request.url ?? '')) {
      handleConnectionsRequest(request, response, (id) => connections.get(id)).catch((error: unknown) => {
        options.emit({ type: 'server-error', message: (error as Error).stack ?? String(error) });
        if (!response.headersSent) response.writeHead(500).end();
      });
      return;
    }
    response.writeHead(426, { 'content-type': 'text/plain' }).end('Upgrade Required: connect with a WebSocket client to ws://<host>:<port>/<channel>\n');
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    accept(request, socket, head).catch((error: unknown) => {
      options.emit({ type: 'server-error', message: (error as Error).stack ?? String(error) });
      refuse(socket, 500, 'Internal server error');
    });
  });

  const { host, port } = await listen(server, options.host, options.port);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const domainName = `${urlHost}:${port}`;

  async function accept(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const name = url.pathname.replace(/^\/+|\/+$/g, '');
    const channel = options.channels().find((candidate) => candidate.routing.name === name);
    if (!channel) {
      const names = options.channels().map((candidate) => `/${candidate.routing.name}`);
      return refuse(socket, 404, `No channel at /${name} — channels: ${names.join(', ') || 'none'}`);
    }
    const facts: ConnectionFacts = {
      connectionId: newConnectionId(),
      connectedAt: Date.now(),
      apiId: createHash('sha256').update(channel.routing.name).digest('hex').slice(0, 10),
      domainName,
      stage: options.stage,
      identity: { sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''), userAgent: request.headers['user-agent'] ?? null },
      headers: pairs(request.rawHeaders),
      query: url.searchParams,
    };
    const connect = connectEvent(facts);
    // The authorizer runs first; its refusal answers the upgrade request and $connect's function never
    // runs. What it allowed reaches requestContext.authorizer of $connect and of every later MESSAGE and
    // DISCONNECT event of the connection — doc APIGW "WebSocket API mapping template reference" lists
    // $context.authorizer.principalId / .<property> without the "only when eventType is …" that
    // $context.messageId has; obs
    // dherault/serverless-offline#1379 ("The requestContext need to be present on all routes, like the API Gateway behavior").
    if (channel.routing.auth) {
      const decided = await options.authorize(channel, connect);
      if ('response' in decided) return refuseWith(socket, decided.response);
      if (decided.identity) Object.assign(facts.identity, decided.identity);
      if (decided.authorizer) facts.authorizer = connect.requestContext.authorizer = decided.authorizer;
    }
    // Until $connect's integration answers, the upgrade request waits and no connection exists.
    if (channel.routing.routeKeys.includes('$connect')) {
      const answer = await run(channel, '$connect', facts.connectionId, connect);
      if (answer.status !== 'ok') return refuse(socket, answer.statusCode, answer.body);
    }
    if (socket.destroyed) return;
    wss.handleUpgrade(request, socket, head, (ws) => opened(ws, socket, channel, facts));
  }

  function opened(ws: WebSocket, socket: Duplex, channel: ChannelTarget, facts: ConnectionFacts): void {
    const parsed = parseRouteSelection(channel.routing.routeSelection);
    const parts = 'parts' in parsed ? parsed.parts : [];
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      connection.lastActiveAt = Date.now();
      clearTimeout(idle);
      idle = setTimeout(() => ws.close(1001, 'Going away'), options.idleTimeoutMs ?? 10 * 60_000).unref();
    };
    const lifetime = setTimeout(() => ws.close(1001, 'Going away'), options.maxDurationMs ?? 2 * 60 * 60_000).unref();
    const connection: LocalConnection & { socket: WebSocket } = {
      socket: ws,
      connectedAt: facts.connectedAt,
      lastActiveAt: facts.connectedAt,
      sourceIp: facts.identity.sourceIp,
      userAgent: facts.identity.userAgent ?? null,
      send: (data) => {
        touch();
        sendFramed(ws, data);
      },
      close: () => ws.close(1000, 'Going away'),
    };
    connections.set(facts.connectionId, connection);
    touch();
    watchFrameSizes(socket, FRAME_LIMIT, (bytes) => {
      options.emit({ type: 'websocket', channel: channel.routing.name, routeKey: '$default', connectionId: facts.connectionId, status: 'closed', statusCode: 1009, durationMs: 0, detail: `a ${bytes}-byte frame is over API Gateway's ${FRAME_LIMIT / 1024} KB frame limit: split messages into frames of 32 KB or less` });
      ws.close(1009, 'Message too big');
    });

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      touch();
      const body = isBinary ? data.toString('base64') : data.toString('utf8');
      const selected = isBinary ? undefined : selectRoute(parts, body);
      const keys = channel.routing.routeKeys;
      // API Gateway takes $default when the expression gives nothing, or a key no route has.
      const routeKey = selected !== undefined && !selected.startsWith('$') && keys.includes(selected) ? selected : keys.includes('$default') ? '$default' : undefined;
      if (!routeKey) {
        // API Gateway's answer when no route matches and there is no $default route.
        ws.send(JSON.stringify({ message: 'Forbidden', connectionId: facts.connectionId, requestId: createShortRequestId() }));
        options.emit({ type: 'websocket', channel: channel.routing.name, routeKey: selected ?? '$default', connectionId: facts.connectionId, status: 'no-route', durationMs: 0, detail: `no action "${selected ?? ''}" and no default() on the channel` });
        return;
      }
      const event = messageEvent(facts, routeKey, body, isBinary);
      void run(channel, routeKey, facts.connectionId, event).then((answer) => {
        if (answer.status === 'error' && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ message: 'Internal server error', connectionId: facts.connectionId, requestId: event.requestContext.requestId }));
      });
    });
    ws.on('error', () => {
      // A protocol error (a message over the limit: ws closes with 1009 itself); the close below reports it.
    });
    ws.on('close', (code: number, reason: Buffer) => {
      clearTimeout(idle);
      clearTimeout(lifetime);
      connections.delete(facts.connectionId);
      if (closing || !channel.routing.routeKeys.includes('$disconnect')) return;
      const { code: status, reason: text } = code === 1005 ? NO_STATUS : { code, reason: reason.toString('utf8') };
      void run(channel, '$disconnect', facts.connectionId, disconnectEvent(facts, status, text));
    });
  }

  /** Invokes the channel's function and reports it; `statusCode` is what $connect answers the client. */
  async function run(channel: ChannelTarget, routeKey: string, connectionId: string, event: WebSocketEvent): Promise<{ status: 'ok' | 'rejected' | 'error'; statusCode: number; body: string }> {
    const started = performance.now();
    const report = (status: 'ok' | 'rejected' | 'error', statusCode: number, detail?: string) =>
      options.emit({ type: 'websocket', channel: channel.routing.name, routeKey, connectionId, status, statusCode, durationMs: performance.now() - started, functionName: channel.functionName, ...(detail && { detail }) });
    let outcome: InvokeOutcome;
    try {
      outcome = await options.invoke(channel.key, event);
    } catch (error) {
      report('error', 500, (error as Error).message);
      return { status: 'error', statusCode: 500, body: 'Internal server error' };
    }
    if (outcome.kind === 'error') {
      options.emit({ type: 'function-error', functionName: channel.functionName, requestId: event.requestContext.requestId, error: outcome.error });
      report('error', 500, outcome.error.errorMessage);
      return { status: 'error', statusCode: 500, body: 'Internal server error' };
    }
    const result = parseResult(outcome.payload);
    if (result.statusCode >= 200 && result.statusCode < 300) {
      report('ok', result.statusCode);
      return { status: 'ok', statusCode: result.statusCode, body: result.body };
    }
    report('rejected', result.statusCode, result.body);
    return { status: 'rejected', statusCode: result.statusCode, body: result.body };
  }

  return {
    url: `ws://${domainName}`,
    env: () => ({ AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: `http://${domainName}/${options.stage}` }),
    async close() {
      closing = true;
      for (const { socket } of connections.values()) socket.terminate();
      connections.clear();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a $connect (or any route's) function answered: a Lambda proxy result; no statusCode reads as 200. */
function parseResult(payload: string): { statusCode: number; body: string } {
  try {
    const value = JSON.parse(payload) as { statusCode?: unknown; body?: unknown } | null;
    const statusCode = typeof value?.statusCode === 'number' ? value.statusCode : 200;
    return { statusCode, body: typeof value?.body === 'string' ? value.body : '' };
  } catch {
    return { statusCode: 200, body: '' };
  }
}

/** Messages over 32 KB go out as several frames of at most 32 KB, as API Gateway sends them. */
function sendFramed(ws: WebSocket, data: Buffer): void {
  if (ws.readyState !== ws.OPEN) return;
  const binary = !isUtf8(data);
  if (data.length <= FRAME_LIMIT) return ws.send(data, { binary });
  for (let offset = 0; offset < data.length; offset += FRAME_LIMIT) {
    ws.send(data.subarray(offset, offset + FRAME_LIMIT), { binary, fin: offset + FRAME_LIMIT >= data.length });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function isUtf8(data: Buffer): boolean {
  try {
    utf8.decode(data);
    return true;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: number, body: string): void {
  if (socket.destroyed) return;
  const text = body || (status === 403 ? 'Forbidden' : 'Error');
  socket.end(`HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/** The gateway's own answer (an authorizer's 401, 403 or 500) to an upgrade request it refuses. */
function refuseWith(socket: Duplex, response: GatewayResponse): void {
  if (socket.destroyed) return;
  const headers = response.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.write(`HTTP/1.1 ${response.status} ${statusText(response.status)}\r\n${headers}Content-Length: ${response.body.length}\r\nConnection: close\r\n\r\n`);
  socket.end(response.body);
}

function statusText(status: number): string {
  return { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error' }[status] ?? 'Error';
}

function pairs(raw: readonly string[]): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (let index = 0; index + 1 < raw.length; index += 2) found.push([raw[index]!, raw[index + 1]!]);
  return found;
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new SlsError({ text: `port ${port} on ${host} (the WebSocket channels' endpoint) is already in use`, hint: 'pass --websocket-port <another port> (0 picks a free one)' }));
      else reject(error);
    });
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({ host: address.address, port: address.port });
    });
  });
}
