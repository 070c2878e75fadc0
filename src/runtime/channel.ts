// WebSocket channels: a class in app/channels/<name>-channel.ts whose connect(), disconnect(),
// default() and named actions API Gateway's WebSocket API invokes, deployed as one function per
// channel. Which action a message reaches is chosen by the channel's route selection expression
// (`$request.body.action` unless `static routeSelection` says otherwise).
import { DEFAULT_ROUTE_SELECTION } from '../router/route-selection.js';
import { connectionsTarget, deleteConnection, postToConnection, type ConnectionsTarget } from './connections.js';
import type { LambdaContext } from './types.js';
import type { WebSocketEvent, WebSocketResult } from './websocket-types.js';

export { DEFAULT_ROUTE_SELECTION };

/** What broadcast() came to: the connections that got the message, and those API Gateway said are gone (410). */
export interface BroadcastResult {
  sent: string[];
  gone: string[];
}

/** Thrown by reject(): the $connect answer becomes this status, and API Gateway refuses the connection with it. */
class ConnectRejection extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
    this.name = 'ConnectRejection';
  }
}

/** The route keys API Gateway reserves, and the methods that serve them. */
export const CHANNEL_LIFECYCLE = { $connect: 'connect', $disconnect: 'disconnect', $default: 'default' } as const;

export abstract class Channel {
  /** The API's route selection expression, e.g. `${request.body.service}/${request.body.action}`. */
  static routeSelection?: string;
  /** The authorizer on $connect: an app authorizer's name (`admin` for app/authorizers/admin-authorizer.ts, a
   * REQUEST one — browsers cannot set headers on a WebSocket, so it usually reads the query string) or `'iam'`. */
  static auth?: string;
  /** A table declared in the config's `resources` that tracks this channel's open connections. */
  static connections?: string;

  readonly event: WebSocketEvent;
  readonly context: LambdaContext;
  /** API Gateway's id of the caller's connection: what send() posts to, and what broadcast() takes a list of. */
  readonly connectionId: string;
  /** The message: its JSON value when it is JSON, else its text (undefined on connect and disconnect). */
  readonly data: unknown;
  #target: ConnectionsTarget | undefined;

  constructor(event: WebSocketEvent, context: LambdaContext) {
    this.event = event;
    this.context = context;
    this.connectionId = event.requestContext.connectionId;
    this.data = messageData(event);
  }

  /** $connect: return normally to accept; `this.reject(401)` refuses the connection with that status. */
  connect?(): unknown;
  disconnect?(): unknown;
  /** Messages no action matches (and those that are not JSON). */
  default?(data: unknown): unknown;

  /** Posts `data` (text, bytes, or JSON) to the caller's connection. False when it is gone. */
  async send(data: unknown): Promise<boolean> {
    return (await postToConnection(this.#connections(), this.connectionId, data)) === 'sent';
  }

  /** Posts `data` to each connection (at once); gone ones (410) are reported, not thrown. */
  async broadcast(connectionIds: Iterable<string>, data: unknown): Promise<BroadcastResult> {
    const ids = [...new Set(connectionIds)];
    const outcomes = await Promise.all(ids.map((id) => postToConnection(this.#connections(), id, data)));
    return { sent: ids.filter((_, index) => outcomes[index] === 'sent'), gone: ids.filter((_, index) => outcomes[index] === 'gone') };
  }

  /** Closes a connection from the server (DeleteConnection); false when it was already gone. */
  disconnectClient(connectionId: string = this.connectionId): Promise<boolean> {
    return deleteConnection(this.#connections(), connectionId);
  }

  /** In connect(): refuse the connection. The client's upgrade request is answered with `statusCode`. */
  reject(statusCode = 403, message = 'Forbidden'): never {
    if (this.event.requestContext.eventType !== 'CONNECT') throw new Error('reject() refuses a connection: call it in connect() — to end an open one, use disconnectClient()');
    if (!Number.isInteger(statusCode) || statusCode < 400 || statusCode > 599) throw new RangeError(`reject(${statusCode}): the status must be a 4xx or 5xx code`);
    throw new ConnectRejection(statusCode, message);
  }

  #connections(): ConnectionsTarget {
    const { domainName, stage } = this.event.requestContext;
    return (this.#target ??= connectionsTarget(domainName, stage));
  }
}

export type ChannelClass = (new (event: WebSocketEvent, context: LambdaContext) => Channel) & { routeSelection?: string };
export type ChannelHandler = (event: WebSocketEvent, context: LambdaContext) => Promise<WebSocketResult>;

/** The Lambda handler of a channel class. `name` defaults to the class name; pass it when minifying renames classes. */
export function createChannelHandler(ChannelClass: ChannelClass, name = ChannelClass.name || 'Channel'): ChannelHandler {
  return async (event, context) => {
    const routeKey = event?.requestContext?.routeKey;
    if (typeof routeKey !== 'string') throw new TypeError(`sls-ts: channel ${name} expected an API Gateway WebSocket event (requestContext.routeKey)`);
    const channel = new ChannelClass(event, context);
    const method = (CHANNEL_LIFECYCLE as Record<string, string>)[routeKey] ?? routeKey;
    // The base class's own methods (send, broadcast…) are never actions, whatever a message says.
    const action = method in Channel.prototype ? undefined : (channel as unknown as Record<string, unknown>)[method];
    try {
      // Lifecycle methods are optional: a channel without connect() accepts every connection.
      if (typeof action === 'function') await (action as (data: unknown) => unknown).call(channel, channel.data);
      else if (!(routeKey in CHANNEL_LIFECYCLE)) throw new Error(`channel ${name} has no action "${routeKey}"`);
    } catch (error) {
      if (error instanceof ConnectRejection) return { statusCode: error.statusCode, body: error.message };
      console.error(`[sls-ts] channel ${name} ${routeKey} failed:`, error);
      throw error;
    }
    return { statusCode: 200 };
  };
}

function messageData(event: WebSocketEvent): unknown {
  const { body } = event;
  if (body === undefined || body === null) return undefined;
  if (event.isBase64Encoded) return Buffer.from(body, 'base64');
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
