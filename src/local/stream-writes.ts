// What a write to dynalite changed, item by item: the interceptor in front of dynalite reads each
// affected item before the write and after it. Writes to the watched tables are serialised per
// table for this, so the two images are exactly the write's. Everything else passes straight to
// dynalite: reads never wait, and a write to an unwatched table costs one JSON parse.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { ENGINE_WRITE_HEADER, type DynamoApi } from './dynamo-api.js';
import type { DynamoInterceptor } from './dynamo-engine.js';
import type { Item } from './stream-records.js';

/** One item a successful write touched; no `before` for a new item, no `after` for a removed one. */
export interface ItemChange {
  table: string;
  before?: Item;
  after?: Item;
  /** Deleted by (the engine's emulation of) DynamoDB's TTL, not by a request of the app. */
  byTtl?: boolean;
}

interface Target {
  table: string;
  key: Item;
}

/** Every write dynalite knows: it has neither transactions (TransactWriteItems) nor PartiQL (ExecuteStatement). */
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

type Body = Record<string, any>;

function keyOf(item: Item, keyNames: readonly string[]): Item {
  return Object.fromEntries(keyNames.map((name) => [name, item[name]!]));
}

/** The items a write names, in its order, on watched tables only (`keyNamesOf` says which and by what key). */
function targetsOf(operation: string, body: Body, keyNamesOf: (table: string) => readonly string[] | undefined): Target[] {
  const targets: Target[] = [];
  const add = (table: unknown, item: Item | undefined, key: Item | undefined) => {
    const keyNames = typeof table === 'string' ? keyNamesOf(table) : undefined;
    if (!keyNames) return;
    const found = key ?? (item && keyOf(item, keyNames));
    if (found) targets.push({ table: table as string, key: found });
  };
  if (operation === 'PutItem') add(body.TableName, body.Item, undefined);
  if (operation === 'UpdateItem' || operation === 'DeleteItem') add(body.TableName, undefined, body.Key);
  if (operation === 'BatchWriteItem') {
    for (const [table, requests] of Object.entries((body.RequestItems ?? {}) as Record<string, Body[]>)) {
      for (const request of Array.isArray(requests) ? requests : []) add(table, request?.PutRequest?.Item, request?.DeleteRequest?.Key);
    }
  }
  return targets;
}

/** The request again, for dynalite, whose handler reads the body from 'data' and 'end' events. */
function replayOf(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from(body.length > 0 ? [body] : []), { headers: req.headers, method: req.method, url: req.url }) as unknown as IncomingMessage;
}

/** Runs `run` once no other run holds any of `tables`; all are claimed at once, so two runs never wait on each other. */
function createTableLocks() {
  const tails = new Map<string, Promise<void>>();
  return async <T>(tables: readonly string[], run: () => Promise<T>): Promise<T> => {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const before = tables.map((table) => tails.get(table));
    for (const table of tables) tails.set(table, done);
    await Promise.all(before);
    try {
      return await run();
    } finally {
      release();
      for (const table of tables) if (tails.get(table) === done) tails.delete(table);
    }
  };
}

export function observeWrites(api: DynamoApi, keyNamesOf: (table: string) => readonly string[] | undefined, onChanges: (changes: ItemChange[]) => void): DynamoInterceptor {
  const exclusive = createTableLocks();
  const read = async ({ table, key }: Target): Promise<Item | undefined> =>
    (await api<{ Item?: Item }>('GetItem', { TableName: table, Key: key, ConsistentRead: true })).Item;

  async function observe(operation: string, req: IncomingMessage, body: Buffer, res: ServerResponse, pass: RequestListener): Promise<void> {
    const byTtl = req.headers[ENGINE_WRITE_HEADER] === 'ttl';
    let targets: Target[] = [];
    try {
      targets = targetsOf(operation, JSON.parse(body.toString('utf8')) as Body, keyNamesOf);
    } catch {
      // Not JSON: dynalite answers it with its own error.
    }
    if (targets.length === 0) return pass(replayOf(req, body), res);
    const tables = [...new Set(targets.map((target) => target.table))];
    await exclusive(tables, async () => {
      // A key dynalite would refuse fails the read too: the write then fails alike, and records nothing.
      const before = await Promise.all(targets.map(read)).catch(() => undefined);
      const status = await new Promise<number>((resolve) => {
        res.once('close', () => resolve(res.statusCode));
        pass(replayOf(req, body), res);
      });
      if (!before || status !== 200) return;
      const after = await Promise.all(targets.map(read));
      onChanges(targets.map((target, i) => ({ table: target.table, ...(before[i] && { before: before[i] }), ...(after[i] && { after: after[i] }), ...(byTtl && { byTtl }) })));
    });
  }

  return (req, res, pass) => {
    const target = req.headers['x-amz-target'];
    const operation = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : '';
    if (!WRITE_OPERATIONS.has(operation) || req.headers[ENGINE_WRITE_HEADER] === 'maintenance') return pass(req, res);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      observe(operation, req, Buffer.concat(chunks), res, pass).catch(() => {
        // A read after the write failed (the table was deleted meanwhile): the write stands, unrecorded.
      });
    });
  };
}
