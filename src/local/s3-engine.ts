// S3 on s3rver (a real implementation of the S3 REST API over the filesystem). s3rver always
// stores on disk: "in memory" is a fresh temporary folder removed at stop; with persistDir the
// objects live under `<persistDir>/s3`.
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedBucket, ResolvedBucketCors } from '../config/index.js';
import { createAwsChunkedDecoder, isAwsChunked, unframeHeaders } from './aws-chunked.js';
import { createHttpCall, type HttpReply } from './http-call.js';
import { ensureWritableDir } from './persist-dir.js';
import type { EngineStartOptions } from './dynamo-engine.js';
import { importS3rver, type S3rverInstance } from './engine-packages.js';
import { openFrontDoor, type FrontDoor } from './front-door.js';
import { trackObjectChanges, type ObjectChangeListener } from './s3-changes.js';

/** A declared bucket and its name on the engine. */
export interface LocalBucket {
  bucket: ResolvedBucket;
  physicalName: string;
}

export interface S3Engine {
  readonly endpoint: string;
  /** With holdConnections: lets in the connections held at the endpoint until now (see front-door.ts). */
  open(): void;
  /** Creates missing buckets and sets each one's CORS rules as declared. */
  ensure(buckets: readonly LocalBucket[]): Promise<void>;
  /** Deletes every object of these buckets (the buckets stay; others are left alone). */
  clear(buckets: readonly LocalBucket[]): Promise<void>;
  /** Calls `listener` for every object a request created or removed, once the request succeeded; returns the unsubscribe. */
  watch(listener: ObjectChangeListener): () => void;
  stop(): Promise<void>;
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (text: string) => text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) => {
  if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)));
  return XML_ENTITIES[name] ?? entity;
});

function corsXml(cors: ResolvedBucketCors): string {
  const list = (tag: string, values: readonly string[]) => values.map((value) => `<${tag}>${escapeXml(value)}</${tag}>`).join('');
  return `<CORSConfiguration><CORSRule>${list('AllowedOrigin', cors.origins)}${list('AllowedMethod', cors.methods)}${list('AllowedHeader', cors.headers)}<MaxAgeSeconds>${cors.maxAge}</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

/** s3rver's XML error reply → `Code: Message`, one line. */
function describeS3Error(reply: HttpReply): string {
  const field = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(reply.body)?.[1];
  return `${field('Code') ?? `HTTP ${reply.status}`}: ${field('Message') ?? reply.body.slice(0, 200).replace(/\s+/g, ' ')}`;
}

/** Koa middleware (s3rver is a Koa app): object and part uploads read `ctx.req`, so they get the unwrapped body. */
async function unframeAwsChunked(ctx: { req: IncomingMessage }, next: () => Promise<void>): Promise<void> {
  if (isAwsChunked(ctx.req.headers)) {
    const original = ctx.req;
    unframeHeaders(original.headers);
    const decoder = createAwsChunkedDecoder();
    original.on('error', (error) => decoder.destroy(error));
    ctx.req = original.pipe(decoder) as unknown as IncomingMessage;
  }
  await next();
}

export async function startS3Engine(options: EngineStartOptions): Promise<S3Engine> {
  const directory = options.persistDir === undefined
    ? await mkdtemp(join(tmpdir(), 'sls-ts-s3-'))
    : await ensureWritableDir(join(options.persistDir, 's3'));
  const removeDirectory = () => (options.persistDir === undefined ? rm(directory, { recursive: true, force: true }) : Promise.resolve());
  let door: FrontDoor;
  try {
    door = await openFrontDoor(options.host, options.port ?? 0, options.lazy?.wake);
  } catch (error) {
    await removeDirectory();
    throw error;
  }
  options.onListening?.();
  let server: S3rverInstance;
  let changes: ReturnType<typeof trackObjectChanges>;
  let port: number;
  try {
    await options.lazy?.until;
    const { default: S3rver } = await importS3rver();
    // Signatures are not checked: workers hold dummy credentials, and s3rver's SigV4 support is partial.
    // Its own port, for sls-ts's setup calls while the app's connections wait at the door.
    server = new S3rver({ address: options.host, port: 0, directory, silent: true, allowMismatchedSignatures: true, vhostBuckets: false });
    changes = trackObjectChanges(server);
    server.middleware.unshift(changes.middleware, unframeAwsChunked);
    ({ port } = await server.run());
  } catch (error) {
    door.close();
    await removeDirectory();
    throw error;
  }
  const endpoint = `http://${options.host}:${door.port}`;
  const setupEndpoint = `http://${options.host}:${port}`;
  const http = createHttpCall();

  // Unsigned requests are allowed by s3rver: they set up buckets without an SDK.
  async function ensureBucket({ bucket, physicalName }: LocalBucket): Promise<void> {
    const created = await http('PUT', `${setupEndpoint}/${physicalName}`);
    if (created.status !== 200 && !created.body.includes('BucketAlreadyExists')) {
      throw new Error(`resources.${bucket.name} (bucket ${physicalName}) could not be created: ${describeS3Error(created)}`);
    }
    const cors = bucket.cors
      ? await http('PUT', `${setupEndpoint}/${physicalName}?cors`, { 'content-type': 'application/xml' }, corsXml(bucket.cors))
      : await http('DELETE', `${setupEndpoint}/${physicalName}?cors`);
    if (cors.status >= 300) throw new Error(`resources.${bucket.name}.cors (bucket ${physicalName}) could not be set: ${describeS3Error(cors)}`);
  }

  const ensure = async (buckets: readonly LocalBucket[]) => {
    await Promise.all(buckets.map(ensureBucket));
  };

  // Through the S3 API rather than s3rver's reset(), which would drop every bucket, declared or not.
  async function emptyBucket({ physicalName }: LocalBucket): Promise<void> {
    for (;;) {
      const listing = await http('GET', `${setupEndpoint}/${physicalName}?max-keys=1000`);
      if (listing.status !== 200) throw new Error(`bucket ${physicalName} could not be listed: ${describeS3Error(listing)}`);
      const keys = [...listing.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => unescapeXml(match[1]!));
      if (keys.length === 0) return;
      await Promise.all(keys.map((key) => http('DELETE', `${setupEndpoint}/${physicalName}/${key.split('/').map(encodeURIComponent).join('/')}`)));
    }
  }

  if (!options.holdConnections) door.open(server.httpServer);
  return {
    endpoint,
    open: () => door.open(server.httpServer),
    ensure,
    watch: changes.watch,
    async clear(buckets) {
      await Promise.all(buckets.map(emptyBucket));
    },
    async stop() {
      http.close();
      door.close();
      await server.close();
      await removeDirectory();
    },
  };
}
