// WebSocket channels: a class in app/channels/<name>-channel.ts whose connect(), disconnect(),
// default() and named actions API Gateway's WebSocket API invokes, deployed as one function per
// channel. Which action a message reaches is chosen by the channel's route selection expression
// (`$request.body.action` unless `static routeSelection` says otherwise).
import { DEFAULT_ROUTE_SELECTION } from '../router/route-selection.js';
import { forgetConnection, listConnections, recordConnection, type ConnectionRow, type ConnectionTable } from './channel-table.js';
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

/** The channel's name each instance the handler made serves (`chat`): rows and messages carry it. */
const NAMES = new WeakMap<object, string>();

/**
 * Posts at a time in one broadcast: Lambda gives a function 1,024 file descriptors (doc: Lambda quotas, gettingstarted-limits:
 * "File descriptors | 1,024"), and a channel may have thousands of connections.
 */
const POSTS_AT_ONCE = 64;

/** `ChatRoomChannel` → `chat-room`, as the build names app/channels/chat-room-channel.ts. */
export function channelNameOf(className: string): string {
  return className.replace(/Channel$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase() || 'channel';
}

/** The route keys API Gateway reserves, and the methods that serve them. */
export const CHANNEL_LIFECYCLE = { $connect: 'connect', $disconnect: 'disconnect', $default: 'default' } as const;

export abstract class Channel {
  /** The API's route selection expression, e.g. `${request.body.service}/${request.body.action}`. */
  static routeSelection?: string;
  /** The authorizer on $connect: an app authorizer's name (`admin` for app/authorizers/admin-authorizer.ts, a
   * REQUEST one — browsers cannot set headers on a WebSocket, so it usually reads the query string) or `'iam'`. */
  static auth?: string;
  /**
   * A table declared in the config's `resources`, shaped `table({ key: 'channel', sort: 'connectionId', ttl: 'expiresAt' })`,
   * that tracks this channel's open connections: the handler records each accepted one and forgets it on $disconnect, so
   * `broadcast('chat', data)` and `connectionIds()` find them. Channels may share one table.
   */
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

  /**
   * Posts `data` to a channel's open connections (`'chat'`: a name, read from the `static connections`
   * table) or to the given connection ids. Gone ones (410) are reported, not thrown, and their rows
   * deleted when this channel tracks connections.
   */
  async broadcast(to: string | Iterable<string>, data: unknown): Promise<BroadcastResult> {
    // A string is iterable too: without this test broadcast('chat') would post to 'c', 'h', 'a' and 't'.
    if (typeof to === 'string') {
      const table = this.#trackedTable(`broadcast('${to}', …)`);
      return this.#post(await listConnections(table, to), data, table, to);
    }
    if (to === null || to === undefined || typeof (to as Iterable<string>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`channel ${this.#name()}: broadcast() takes a channel's name or connection ids, got ${to === null ? 'null' : typeof to}`);
    }
    const rows = [...new Set(to)].map((connectionId) => ({ connectionId }));
    // Ids are this channel's own connections as far as the table knows: a gone one's row is deleted there.
    return this.#post(rows, data, this.#table(), this.#name());
  }

  /** The open connections of a channel (this one by default), from the `static connections` table. */
  async connectionIds(channel: string = this.#name()): Promise<string[]> {
    const rows = await listConnections(this.#trackedTable(`connectionIds('${channel}')`), channel);
    return rows.map((row) => row.connectionId);
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

  #name(): string {
    return NAMES.get(this) ?? channelNameOf(this.constructor.name);
  }

  #table(): ConnectionTable | undefined {
    const resource = (this.constructor as { connections?: unknown }).connections;
    return typeof resource === 'string' && resource !== '' ? { channel: this.#name(), resource } : undefined;
  }

  #trackedTable(call: string): ConnectionTable {
    const table = this.#table();
    if (table) return table;
    throw new Error(`channel ${this.#name()}: ${call} reads the connections a table tracks, but ${this.constructor.name} has no static connections — add static connections = 'connections' (a table declared in resources: table({ key: 'channel', sort: 'connectionId', ttl: 'expiresAt' })), or broadcast to connection ids`);
  }

  /** Posts to each row's connection through its own API (a row may be another channel's), a bounded number at a time. */
  async #post(rows: readonly ConnectionRow[], data: unknown, table: ConnectionTable | undefined, channel: string): Promise<BroadcastResult> {
    const outcomes: Array<'sent' | 'gone'> = [];
    const targets = new Map<string, ConnectionsTarget>();
    const targetOf = (row: ConnectionRow): ConnectionsTarget => {
      if (!row.domainName || !row.stage) return this.#connections();
      const key = `${row.domainName}/${row.stage}`;
      let target = targets.get(key);
      if (!target) targets.set(key, (target = connectionsTarget(row.domainName, row.stage)));
      return target;
    };
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const index = next++;
        outcomes[index] = await postToConnection(targetOf(rows[index]!), rows[index]!.connectionId, data);
      }
    };
    await Promise.all(Array.from({ length: Math.min(POSTS_AT_ONCE, rows.length) }, worker));
    const sent = rows.filter((_, index) => outcomes[index] === 'sent').map((row) => row.connectionId);
    const gone = rows.filter((_, index) => outcomes[index] === 'gone').map((row) => row.connectionId);
    // A gone connection whose $disconnect never came (a lost invocation): its row would be posted to again and again.
    if (table) await Promise.all(gone.map((id) => forgetConnection(table, channel, id)));
    return { sent, gone };
  }
}

export type ChannelClass = (new (event: WebSocketEvent, context: LambdaContext) => Channel) & { routeSelection?: string; connections?: string };
export type ChannelHandler = (event: WebSocketEvent, context: LambdaContext) => Promise<WebSocketResult>;

/**
 * The Lambda handler of a channel class. `name` is the channel's (`chat` for app/channels/chat-channel.ts, what the
 * build passes); by default it is read from the class name (`ChatChannel` → `chat`), which minifying may rename.
 * With `static connections`, the connection is recorded once connect() accepted it and forgotten on $disconnect.
 */
export function createChannelHandler(ChannelClass: ChannelClass, name = channelNameOf(ChannelClass.name || 'Channel')): ChannelHandler {
  return async (event, context) => {
    const routeKey = event?.requestContext?.routeKey;
    if (typeof routeKey !== 'string') throw new TypeError(`sls-ts: channel ${name} expected an API Gateway WebSocket event (requestContext.routeKey)`);
    const channel = new ChannelClass(event, context);
    NAMES.set(channel, name);
    const resource = ChannelClass.connections;
    const table = typeof resource === 'string' && resource !== '' ? { channel: name, resource } : undefined;
    const method = (CHANNEL_LIFECYCLE as Record<string, string>)[routeKey] ?? routeKey;
    // The base class's own methods (send, broadcast…) are never actions, whatever a message says.
    const action = method in Channel.prototype ? undefined : (channel as unknown as Record<string, unknown>)[method];
    let failed = false;
    try {
      // Lifecycle methods are optional: a channel without connect() accepts every connection.
      if (typeof action === 'function') await (action as (data: unknown) => unknown).call(channel, channel.data);
      else if (!(routeKey in CHANNEL_LIFECYCLE)) throw new Error(`channel ${name} has no action "${routeKey}"`);
      // Only an accepted connection is recorded: a refused one never opens, and gets no $disconnect to delete it.
      if (table && routeKey === '$connect') {
        const { connectionId, connectedAt, domainName, stage } = event.requestContext;
        await recordConnection(table, { connectionId, connectedAt: typeof connectedAt === 'number' ? connectedAt : Date.now(), domainName, stage });
      }
    } catch (error) {
      if (error instanceof ConnectRejection) return { statusCode: error.statusCode, body: error.message };
      failed = true;
      console.error(`[sls-ts] channel ${name} ${routeKey} failed:`, error);
      throw error;
    } finally {
      // The connection is closed whatever disconnect() did: its row must go even when disconnect() threw.
      if (table && routeKey === '$disconnect') {
        const forgotten = forgetConnection(table, name, event.requestContext.connectionId);
        // disconnect()'s own error is the one to report; this one is logged beside it.
        if (failed) await forgotten.catch((error: unknown) => console.error(`[sls-ts] channel ${name} $disconnect failed:`, error));
        else await forgotten;
      }
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
