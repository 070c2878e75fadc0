// `testChannel(ChatChannel)`: a channel class run in-process as API Gateway's WebSocket API would run
// it — $connect (which may refuse), messages routed by the class's route selection expression,
// $disconnect — with a local @connections endpoint, so send(), broadcast() and the AWS SDK's
// ApiGatewayManagementApiClient reach the test's connections unmodified. No socket is opened: a test
// connection is a list of what the channel posted to it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleConnectionsRequest, isConnectionsRequest, type LocalConnection } from '../local/connections-api.js';
import { channelBase, channelLifecycleRoutes, channelMethods, CHANNEL_LIFECYCLE_METHODS, parseRouteSelection, selectRoute, type SelectionPart } from '../router/index.js';
import { Channel, channelNameOf, createChannelHandler, type ChannelClass } from '../runtime/channel.js';
import { createLambdaContext } from '../runtime/context.js';
import { createShortRequestId, DEFAULT_REGION } from '../runtime/events/api-gateway.js';
import { connectEvent, disconnectEvent, messageEvent, newConnectionId, type ConnectionFacts } from '../runtime/events/websocket.js';
import type { WebSocketEvent, WebSocketResult } from '../runtime/websocket-types.js';

export interface TestChannelOptions {
  /** The stage in the events' requestContext and the @connections URL. Default `test`. */
  stage?: string;
  /** Settles the Lambda context's deadline (default 3 s, as Lambda's own default). */
  timeoutSeconds?: number;
}

export interface ConnectOptions {
  /** The upgrade URL's query string (`?token=…`): what browsers can send a $connect authorizer. */
  query?: Record<string, string | readonly string[]>;
  headers?: Record<string, string>;
  sourceIp?: string;
  /**
   * What the channel's $connect authorizer allowed with — `{ principalId, ...context }` (strings, as API
   * Gateway passes them) — on every event of the connection. testChannel does not run the authorizer:
   * test it on its own with createAuthorizerHandler.
   */
  authorizer?: Record<string, unknown>;
}

/** Thrown by connect() when $connect refused the connection (reject(), or a non-2xx answer). */
export class ChannelRefusedError extends Error {
  constructor(readonly statusCode: number, readonly body: string) {
    super(`the channel refused the connection with ${statusCode}${body ? `: ${body}` : ''}`);
    this.name = 'ChannelRefusedError';
  }
}

export interface TestConnection {
  readonly connectionId: string;
  /** What the channel posted to this connection, in order: JSON values parsed, other text as strings, bytes as Buffers. */
  readonly received: unknown[];
  /** True after close(), or once the channel disconnected it (DeleteConnection). */
  readonly closed: boolean;
  /**
   * Sends a message as a client would (text, bytes, or a value sent as JSON) and resolves once its
   * route's invocation has finished. A message no route takes, and an action that throws, get API
   * Gateway's answers in `received` (`{ message: 'Forbidden' … }`, `{ message: 'Internal server error' … }`).
   */
  send(data: unknown): Promise<void>;
  /** Closes it from the client's side: $disconnect runs with this close code (1005 when none is given). */
  close(code?: number, reason?: string): Promise<void>;
}

export interface TestChannel {
  connect(options?: ConnectOptions): Promise<TestConnection>;
  /** Ids of the open connections. */
  connectionIds(): string[];
  /** Waits for the $disconnect invocations the channel itself started (disconnectClient). */
  settled(): Promise<void>;
  /** Stops the local @connections endpoint and restores the environment. */
  close(): Promise<void>;
}

interface OpenConnection extends LocalConnection {
  view: TestConnection & { closed: boolean };
  facts: ConnectionFacts;
}

export function testChannel(ChannelType: ChannelClass, options: TestChannelOptions = {}): TestChannel {
  const stage = options.stage ?? 'test';
  // The channel's name (`chat` for ChatChannel): what broadcast('chat', …) and its table rows use.
  const name = channelNameOf(ChannelType.name || 'Channel');
  const handler = createChannelHandler(ChannelType, name);
  const parsed = parseRouteSelection(ChannelType.routeSelection ?? '$request.body.action');
  if ('problem' in parsed) throw new Error(`${ChannelType.name}: static routeSelection "${ChannelType.routeSelection}": ${parsed.problem}`);
  const routeKeys = channelRouteKeys(ChannelType);
  const open = new Map<string, OpenConnection>();
  const pending = new Set<Promise<unknown>>();
  let endpoint: Promise<{ server: Server; domainName: string; restoreEnv: () => void }> | undefined;

  const started = () =>
    (endpoint ??= (async () => {
      const server = createServer((request, response) => {
        if (!isConnectionsRequest(request.url ?? '')) return void response.writeHead(404).end();
        void handleConnectionsRequest(request, response, (id) => open.get(id));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const domainName = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      return { server, domainName, restoreEnv: pointAwsAt(`http://${domainName}/${stage}`) };
    })());

  const invoke = (event: WebSocketEvent): Promise<WebSocketResult> =>
    handler(event, createLambdaContext({ functionName: `${name}-channel-test`, ...(options.timeoutSeconds !== undefined && { timeoutSeconds: options.timeoutSeconds }) }));

  function disconnect(connection: OpenConnection, code: number, reason: string): Promise<void> {
    open.delete(connection.facts.connectionId);
    connection.view.closed = true;
    if (!routeKeys.has('$disconnect')) return Promise.resolve();
    return invoke(disconnectEvent(connection.facts, code, reason)).then(() => undefined);
  }

  return {
    async connect(connect = {}) {
      const { domainName } = await started();
      const facts: ConnectionFacts = {
        connectionId: newConnectionId(),
        connectedAt: Date.now(),
        apiId: 'testapi000',
        domainName,
        stage,
        identity: { sourceIp: connect.sourceIp ?? '127.0.0.1', userAgent: connect.headers?.['User-Agent'] ?? null },
        headers: Object.entries({ Host: domainName, 'Sec-WebSocket-Version': '13', ...connect.headers }),
        query: searchParams(connect.query),
        ...(connect.authorizer && { authorizer: connect.authorizer }),
      };
      if (routeKeys.has('$connect')) {
        const answer = await invoke(connectEvent(facts));
        const status = typeof answer?.statusCode === 'number' ? answer.statusCode : 200;
        if (status < 200 || status > 299) throw new ChannelRefusedError(status, answer?.body ?? '');
      }
      const received: unknown[] = [];
      const connection: OpenConnection = {
        facts,
        connectedAt: facts.connectedAt,
        lastActiveAt: facts.connectedAt,
        sourceIp: facts.identity.sourceIp,
        userAgent: facts.identity.userAgent ?? null,
        send: (data) => void received.push(decode(data)),
        // DeleteConnection: API Gateway closes the socket, then invokes $disconnect (1000, as a normal close).
        close: () => {
          const done = disconnect(connection, 1000, '');
          pending.add(done);
          void done.finally(() => pending.delete(done));
        },
        view: {
          connectionId: facts.connectionId,
          received,
          closed: false,
          async send(data: unknown) {
            if (connection.view.closed) throw new Error(`connection ${facts.connectionId} is closed`);
            connection.lastActiveAt = Date.now();
            const { body, binary } = frameOf(data);
            const selected = binary ? undefined : selectRoute(parsed.parts as SelectionPart[], body);
            const routeKey = selected !== undefined && !selected.startsWith('$') && routeKeys.has(selected) ? selected : routeKeys.has('$default') ? '$default' : undefined;
            if (!routeKey) return void received.push({ message: 'Forbidden', connectionId: facts.connectionId, requestId: createShortRequestId() });
            const event = messageEvent(facts, routeKey, body, binary);
            await invoke(event).catch(() => received.push({ message: 'Internal server error', connectionId: facts.connectionId, requestId: event.requestContext.requestId }));
          },
          close: (code = 1005, reason = '') => (connection.view.closed ? Promise.resolve() : disconnect(connection, code, code === 1005 && !reason ? 'Client-side close frame status not set' : reason)),
        },
      };
      open.set(facts.connectionId, connection);
      return connection.view;
    },
    connectionIds: () => [...open.keys()],
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
    async close() {
      await this.settled();
      if (!endpoint) return;
      const { server, restoreEnv } = await endpoint;
      restoreEnv();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      endpoint = undefined;
    },
  };
}

/** The route keys the class serves, as the build plans them (the same rules, from router/). */
function channelRouteKeys(ChannelType: ChannelClass): Set<string> {
  const base = channelBase(ChannelType) ?? Channel.prototype;
  const methods = channelMethods(ChannelType, base);
  const lifecycle = CHANNEL_LIFECYCLE_METHODS.filter((method) => methods.includes(method));
  const actions = methods.filter((method) => !(CHANNEL_LIFECYCLE_METHODS as readonly string[]).includes(method));
  const { auth, connections } = ChannelType as { auth?: unknown; connections?: unknown };
  return new Set([...channelLifecycleRoutes({ lifecycle, auth, connections }), ...actions]);
}

/** What a client's frame carries: text as it is, bytes base64-encoded (as API Gateway passes a binary frame), other values as JSON. */
function frameOf(data: unknown): { body: string; binary: boolean } {
  if (typeof data === 'string') return { body: data, binary: false };
  if (data instanceof Uint8Array) return { body: Buffer.from(data).toString('base64'), binary: true };
  return { body: JSON.stringify(data), binary: false };
}

function decode(data: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return Buffer.from(data);
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function searchParams(query: ConnectOptions['query']): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) for (const one of typeof value === 'string' ? [value] : value) params.append(key, one);
  return params;
}

/**
 * Points Channel#send and the AWS SDK at the local @connections endpoint (and gives them credentials
 * to sign with and a region, when the test has none); returns what puts the environment back.
 */
function pointAwsAt(endpoint: string): () => void {
  const set: Record<string, string> = { AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: endpoint };
  if (!process.env.AWS_ACCESS_KEY_ID || !process.env.AWS_SECRET_ACCESS_KEY) Object.assign(set, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  // Lambda always sets the region; an SDK client made in the channel needs it.
  if (!process.env.AWS_REGION) set.AWS_REGION = DEFAULT_REGION;
  const before = Object.fromEntries(Object.keys(set).map((key) => [key, process.env[key]]));
  Object.assign(process.env, set);
  return () => {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
