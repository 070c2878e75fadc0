// DynamoDB on dynalite (a real implementation of the DynamoDB API over LevelDB): in memory by
// default, on disk under `<persistDir>/dynamodb` when data must survive a restart.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ResolvedTable } from '../config/index.js';
import type { Diagnostic } from '../shared/errors.js';
import { createDynamoApi, createTable, deleteTable, describeTable, type DynamoApi } from './dynamo-api.js';
import { createHttpCall } from './http-call.js';
import { createTableRequest, summarizeTable } from './dynamo-tables.js';
import { ensureWritableDir } from './persist-dir.js';
import { importDynalite } from './engine-packages.js';
import { openFrontDoor } from './front-door.js';

/** A declared table and its name on the engine. */
export interface LocalTable {
  table: ResolvedTable;
  physicalName: string;
}

/** Sees a request before dynalite does; `pass` hands it (or a replay of it) to dynalite. */
export type DynamoInterceptor = (req: IncomingMessage, res: ServerResponse, pass: RequestListener) => void;

export interface DynamoEngine {
  readonly endpoint: string;
  /** With holdConnections: lets in the connections held at the endpoint until now (see front-door.ts). */
  open(): void;
  /** Creates missing tables and rebuilds those whose keys or indexes changed; returns what the user should know. */
  ensure(tables: readonly LocalTable[]): Promise<Diagnostic[]>;
  /** Deletes every item of these tables (the tables stay). */
  clear(tables: readonly LocalTable[]): Promise<void>;
  /** Deletes the items whose TTL attribute is before `nowSeconds`, as DynamoDB's TTL would; returns how many. */
  expire(tables: readonly LocalTable[], nowSeconds: number): Promise<number>;
  /**
   * Puts `interceptor` in front of dynalite, on the same server and port (table streams watch
   * writes this way), or removes it. In-process, so a request it passes on costs no extra hop.
   */
  intercept(interceptor: DynamoInterceptor | undefined): void;
  stop(): Promise<void>;
}

/** Where an engine listens, and the data it keeps. */
export interface EngineStartOptions {
  host: string;
  /** Default: a free port. */
  port?: number;
  persistDir?: string;
  /** Called once the port takes connections, before the engine's package is loaded. */
  onListening?: () => void;
  /** Hold the app's connections until open() (startLocalEngines: until every table, bucket and event route is in place); otherwise they go in once the engine has started. */
  holdConnections?: boolean;
  /** Load the engine's package only once this settles (its port takes connections meanwhile), and call `wake` when a connection arrives before then. */
  lazy?: { until: Promise<unknown>; wake(): void };
}

const BATCH_WRITE_MAX = 25;

type Item = Record<string, unknown>;

interface ScanOptions {
  /** Fetch just the key attributes (what a delete needs). */
  keysOnly?: boolean;
  /** Only items whose TTL attribute is a number below this (epoch seconds), as DynamoDB's TTL reads it. */
  expiredBefore?: number;
}

/** Every item of a table (or those `options` select), page by page. */
async function* scanTable(api: DynamoApi, table: LocalTable, options: ScanOptions = {}): AsyncGenerator<Item[]> {
  const keys = [table.table.key.name, ...(table.table.sort ? [table.table.sort.name] : [])];
  const names: Record<string, string> = {};
  const request: Record<string, unknown> = { TableName: table.physicalName };
  if (options.keysOnly) {
    keys.forEach((key, i) => (names[`#k${i}`] = key));
    request.ProjectionExpression = keys.map((_, i) => `#k${i}`).join(', ');
  }
  if (options.expiredBefore !== undefined && table.table.ttl !== undefined) {
    names['#ttl'] = table.table.ttl;
    request.FilterExpression = '#ttl < :now';
    request.ExpressionAttributeValues = { ':now': { N: String(Math.floor(options.expiredBefore)) } };
  }
  if (Object.keys(names).length > 0) request.ExpressionAttributeNames = names;
  let start: Item | undefined;
  do {
    const page: { Items?: Item[]; LastEvaluatedKey?: Item } = await api('Scan', { ...request, ...(start && { ExclusiveStartKey: start }) });
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Deletes the items a scan selects; returns how many. */
async function deleteScanned(api: DynamoApi, table: LocalTable, options: ScanOptions): Promise<number> {
  let count = 0;
  for await (const page of scanTable(api, table, { ...options, keysOnly: true })) {
    await batchWrite(api, table.physicalName, page.map((Key) => ({ DeleteRequest: { Key } })));
    count += page.length;
  }
  return count;
}

async function batchWrite(api: DynamoApi, name: string, requests: Item[]): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) {
    let pending: Record<string, Item[]> | undefined = { [name]: requests.slice(i, i + BATCH_WRITE_MAX) };
    while (pending && Object.keys(pending).length > 0) {
      const reply: { UnprocessedItems?: Record<string, Item[]> } = await api('BatchWriteItem', { RequestItems: pending });
      pending = reply.UnprocessedItems;
    }
  }
}

/**
 * Brings one table in line with its declaration. dynalite cannot add or drop an index on a live
 * table (UpdateTable ignores GlobalSecondaryIndexUpdates), so an index change rebuilds the table
 * with its items copied back, which indexes them. A key change replaces the table, empty, as a
 * deploy would.
 */
async function ensureTable(api: DynamoApi, local: LocalTable): Promise<Diagnostic[]> {
  const request = createTableRequest(local.table, local.physicalName);
  const existing = await describeTable(api, local.physicalName);
  if (!existing) {
    await createTable(api, request);
    return [];
  }
  const wanted = summarizeTable(request as Parameters<typeof summarizeTable>[0]);
  const actual = summarizeTable(existing as Parameters<typeof summarizeTable>[0]);
  if (wanted.keys !== actual.keys) {
    await deleteTable(api, local.physicalName);
    await createTable(api, request);
    return [{
      level: 'warning',
      text: `resources.${local.table.name}: the key changed, so the local table ${local.physicalName} was recreated empty`,
      hint: 'a deploy replaces the table too: its data does not follow a key change',
    }];
  }
  if (wanted.indexes !== actual.indexes) {
    const items: Item[] = [];
    for await (const page of scanTable(api, local)) items.push(...page);
    await deleteTable(api, local.physicalName);
    await createTable(api, request);
    await batchWrite(api, local.physicalName, items.map((Item) => ({ PutRequest: { Item } })));
  }
  return [];
}

function describeStartFailure(error: unknown): string {
  const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return cause.split('\n')[0]!;
}

/**
 * Opens the persisted store once before dynalite does: dynalite turns a store it cannot open (held
 * by another `sls-ts server`, corrupt) into an unhandled error event that ends the process.
 */
async function checkStoreOpens(path: string): Promise<void> {
  const { Level } = await import('level');
  const store = new Level(path);
  try {
    await store.open();
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    const held = /lock/i.test(cause);
    throw new Error(held ? `${path} is in use by another process (another sls-ts server?)` : `${path} cannot be opened: ${cause.split('\n')[0]}`, { cause: error });
  }
  await store.close();
}

export async function startDynamoEngine(options: EngineStartOptions): Promise<DynamoEngine> {
  const path = options.persistDir === undefined ? undefined : await ensureWritableDir(join(options.persistDir, 'dynamodb'));
  if (path) await checkStoreOpens(path);
  const door = await openFrontDoor(options.host, options.port ?? 0, options.lazy?.wake);
  options.onListening?.();
  let server: Server;
  let interceptor: DynamoInterceptor | undefined;
  try {
    await options.lazy?.until;
    const { default: dynalite } = await importDynalite();
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path && { path }) });
    const handle = server.listeners('request')[0] as RequestListener;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => (interceptor ? interceptor(req, res, handle) : handle(req, res)));
    // Its own port, for sls-ts's setup calls while the app's connections wait at the door.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, options.host, () => resolve());
    });
  } catch (error) {
    door.close();
    throw error;
  }
  const endpoint = `http://${options.host}:${door.port}`;
  const setupEndpoint = `http://${options.host}:${(server.address() as AddressInfo).port}`;
  const http = createHttpCall();
  const api = createDynamoApi(http, setupEndpoint, 'maintenance');
  const ttlApi = createDynamoApi(http, setupEndpoint, 'ttl');
  const stop = async () => {
    http.close();
    door.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Clients of the app keep sockets alive; at stop nothing is owed to them.
      server.closeAllConnections();
    });
  };
  try {
    // LevelDB opens lazily: a first request surfaces a locked or unreadable store now, not on the app's first query.
    await api('ListTables', {});
  } catch (error) {
    await stop();
    throw new Error(describeStartFailure(error), { cause: error });
  }
  if (!options.holdConnections) door.open(server);
  return {
    endpoint,
    open: () => door.open(server),
    async ensure(tables) {
      const found = await Promise.all(tables.map((table) => ensureTable(api, table).catch((error: unknown) => {
        throw new Error(`resources.${table.table.name} (table ${table.physicalName}) could not be set up: ${(error as Error).message}`, { cause: error });
      })));
      return found.flat();
    },
    async clear(tables) {
      await Promise.all(tables.map((table) => deleteScanned(api, table, {})));
    },
    async expire(tables, nowSeconds) {
      const counts = await Promise.all(tables.filter((t) => t.table.ttl !== undefined).map((table) => deleteScanned(ttlApi, table, { expiredBefore: nowSeconds })));
      return counts.reduce((sum, count) => sum + count, 0);
    },
    intercept(next) {
      interceptor = next;
    },
    stop,
  };
}
