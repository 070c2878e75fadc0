// Which objects a request to s3rver created or removed, reported once the request succeeded: what
// bucket notifications are built from. s3rver emits an 'event' for most writes, but not for a
// multi-object delete, names a completed multipart upload a `Post`, and gives a copy no ETag; so
// each request runs in its own async context that collects s3rver's events and the store's
// deletions, and the changes are completed from the request once its reply is known.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { S3rverInstance } from './engine-packages.js';

/** One created or removed object, with what S3 puts in a notification about the request. */
export interface ObjectChange {
  bucket: string;
  key: string;
  /** As S3 names it in an event, without the `s3:` prefix: `ObjectCreated:Put`, `ObjectRemoved:Delete` … */
  eventName: string;
  /** Created objects only. */
  size?: number;
  eTag?: string;
  time: Date;
  sourceIp: string;
  requestId: string;
  hostId: string;
  /** `AWS:<access key id>` of the signed request, `Anonymous` without a signature. */
  principal: string;
}

export type ObjectChangeListener = (change: ObjectChange) => void;

type Found = Pick<ObjectChange, 'bucket' | 'key' | 'eventName' | 'size' | 'eTag'>;

// The part of a Koa context this reads; s3rver ships no types.
interface RequestContext {
  ip: string;
  status: number;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  set(name: string, value: string): void;
}

interface S3rverRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
}

/** A copy's ETag, from its reply (s3rver has turned it into XML by the time the request is done). */
function copiedETag(body: unknown): string | undefined {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
  return /<ETag>(?:&quot;|")?([0-9a-f-]+)(?:&quot;|")?<\/ETag>/i.exec(text)?.[1];
}

function principalOf(headers: RequestContext['headers']): string {
  const credential = /Credential=([^/,\s]+)/.exec(String(headers.authorization ?? ''))?.[1];
  return credential ? `AWS:${credential}` : 'Anonymous';
}

/** What s3rver's event says, named as S3 would. */
function foundFromEvent(record: S3rverRecord, ctx: RequestContext): Found {
  const { bucket, object } = record.s3;
  const multipart = record.eventName === 'ObjectCreated:Post' && ctx.query.uploadId !== undefined;
  const copied = record.eventName === 'ObjectCreated:Copy';
  const eTag = copied ? copiedETag(ctx.body) : object.eTag;
  return {
    bucket: bucket.name,
    key: object.key,
    eventName: multipart ? 'ObjectCreated:CompleteMultipartUpload' : record.eventName,
    ...(object.size !== undefined && { size: object.size }),
    ...(eTag !== undefined && { eTag }),
  };
}

/**
 * Hooks into a s3rver that has not started yet: returns the Koa middleware to put first and a
 * `watch` to subscribe to changes.
 */
export function trackObjectChanges(server: S3rverInstance) {
  const requests = new AsyncLocalStorage<{ ctx: RequestContext; events: S3rverRecord[]; removed: Found[] }>();
  const listeners = new Set<ObjectChangeListener>();

  server.on('event', (event: { Records: S3rverRecord[] }) => {
    requests.getStore()?.events.push(...event.Records);
  });
  // Removals are taken from the store: one place sees both the single and the multi-object
  // delete, and only objects that existed (as s3rver's own Delete event).
  const deleteObject = server.store.deleteObject.bind(server.store);
  server.store.deleteObject = async (bucket: string, key: string) => {
    await deleteObject(bucket, key);
    requests.getStore()?.removed.push({ bucket, key, eventName: 'ObjectRemoved:Delete' });
  };

  async function middleware(ctx: RequestContext, next: () => Promise<void>): Promise<void> {
    const request = { ctx, events: [] as S3rverRecord[], removed: [] as Found[] };
    // S3 names the request in its reply and in the notification alike.
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const hostId = randomBytes(48).toString('base64');
    ctx.set('x-amz-request-id', requestId);
    ctx.set('x-amz-id-2', hostId);
    await requests.run(request, next);
    if (ctx.status >= 300 || listeners.size === 0) return;
    const created = request.events.filter((record) => record.eventName.startsWith('ObjectCreated:')).map((record) => foundFromEvent(record, ctx));
    const time = new Date();
    const identity = { time, sourceIp: ctx.ip.replace(/^::ffff:/, ''), requestId, hostId, principal: principalOf(ctx.headers) };
    for (const found of [...created, ...request.removed]) {
      for (const listener of listeners) listener({ ...found, ...identity });
    }
  }

  return {
    middleware,
    watch(listener: ObjectChangeListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
