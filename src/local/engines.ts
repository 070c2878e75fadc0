// The local engines of an app's declared resources: DynamoDB (dynalite) for tables, S3 (s3rver)
// for buckets, each started only when a resource needs it, on a free port, in parallel.
import type { ResolvedBucket, ResolvedResource, ResolvedTable } from '../config/index.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { startDynamoEngine, type DynamoEngine, type LocalTable } from './dynamo-engine.js';
import { describeLocalGaps } from './local-gaps.js';
import { localEnv } from './local-env.js';
import { localBucketName, localTableName } from './names.js';
import { startS3Engine, type LocalBucket, type S3Engine } from './s3-engine.js';

export interface LocalEnginesOptions {
  /** The app's name and stage: physical names are `<app>-<stage>-<name>`, as deployed. */
  app: string;
  stage: string;
  resources: readonly ResolvedResource[];
  /** Given to workers as AWS_REGION. Default us-east-1. */
  region?: string;
  /** Keep data here (the dev server passes `.sls-ts/local/`); in memory without it. */
  persistDir?: string;
  /** Default 127.0.0.1: an IP host makes S3 clients use path-style URLs. */
  host?: string;
  /**
   * Ports for the engines' first start (default: free ones). The dev server picks them itself, so
   * that its workers know the endpoints, and start, while the engines are still loading.
   */
  ports?: { dynamodb?: number; s3?: number };
  /**
   * Delete expired items of tables with a `ttl` this often (dynalite has no TTL of its own). The dev
   * server passes a minute; tests leave it off and call expire() when they mean to.
   */
  ttlSweepMs?: number;
  /**
   * Called once the first start's engines take connections, before their packages are loaded:
   * a connection made from then on waits, and is answered once the tables and buckets exist.
   */
  onListening?: () => void;
}

export interface LocalEngines {
  /** Where each started engine listens. */
  readonly endpoints: { readonly dynamodb?: string; readonly s3?: string };
  /** Declared tables and buckets with their physical names on the engines. */
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  /** What the engines do not emulate of the declared resources (TTL, queues …), as warnings. */
  readonly warnings: readonly Diagnostic[];
  /**
   * What a function needs to reach the engines with unmodified AWS SDK v3 code, and the resources'
   * names; empty when no engine runs. Given the names a function links, only those resources'
   * variables are included, as on AWS, so code reading an unlinked resource fails locally too.
   */
  env(linked?: Iterable<string>): Record<string, string>;
  /**
   * Brings the engines in line with changed resources: new tables and buckets are created (an
   * engine starts if it was not running), changed indexes rebuilt. Tables and buckets that left
   * the config are left alone, data included, so putting one back brings its data back.
   */
  apply(resources: readonly ResolvedResource[]): Promise<Diagnostic[]>;
  /** Deletes every item and object of the declared tables and buckets (tests call it between tests). */
  reset(): Promise<void>;
  /** Deletes the items of tables with a `ttl` whose expiry time is before `now`, as DynamoDB's TTL does; returns how many. */
  expire(now?: Date): Promise<number>;
  /** Closes every engine and its connections. */
  stop(): Promise<void>;
}

const DEFAULT_HOST = '127.0.0.1';

/** The declared tables and buckets with their local physical names: what the engines serve. */
export function localResources(options: Pick<LocalEnginesOptions, 'app' | 'stage'>, resources: readonly ResolvedResource[]) {
  const tables = resources.filter((r): r is ResolvedTable => r.kind === 'table').map((table) => ({ table, physicalName: localTableName(options.app, options.stage, table.name) }));
  const buckets = resources.filter((r): r is ResolvedBucket => r.kind === 'bucket').map((bucket) => ({ bucket, physicalName: localBucketName(options.app, options.stage, bucket.name) }));
  checkBucketNamesDistinct(buckets);
  return { tables, buckets };
}

/** Bucket names are lowercase: `fooBar` and `foobar` would silently share one bucket. */
function checkBucketNamesDistinct(buckets: readonly LocalBucket[]): void {
  const seen = new Map<string, string>();
  for (const { bucket, physicalName } of buckets) {
    const other = seen.get(physicalName);
    if (other !== undefined) {
      throw new SlsError({ text: `resources.${bucket.name}: its bucket would be ${physicalName}, as resources.${other}'s is (bucket names are lowercase)`, hint: 'rename one of the two buckets' });
    }
    seen.set(physicalName, bucket.name);
  }
}

/** One line naming the engine, why it failed, and the resources that needed it. */
function engineError(engine: string, names: readonly string[], persistDir: string | undefined, error: unknown): SlsError {
  const reason = error instanceof Error ? error.message : String(error);
  return new SlsError({
    text: `${engine} could not start for ${names.map((name) => `resources.${name}`).join(', ')}: ${reason}`,
    hint: persistDir === undefined
      ? 'run again; if it persists, report it with this message'
      : `check that ${persistDir} is a writable folder no other sls-ts server uses, or run without --persist`,
  });
}

async function startEngine<T>(engine: string, names: readonly string[], persistDir: string | undefined, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    throw engineError(engine, names, persistDir, error);
  }
}

/** Runs an engine's table or bucket setup; its errors already name the resource at fault. */
async function setUp<T>(engine: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new SlsError({ text: `${engine}: ${error instanceof Error ? error.message : String(error)}`, hint: 'fix the declaration in sls-ts.config.ts; the engine keeps running' });
  }
}

const DYNAMODB_ENGINE = 'DynamoDB engine (dynalite)';
const S3_ENGINE = 'S3 engine (s3rver)';

/** Starts the engines `resources` need, creates their tables and buckets, and returns them running. */
export async function startLocalEngines(options: LocalEnginesOptions): Promise<LocalEngines> {
  const host = options.host ?? DEFAULT_HOST;
  const settings = { host, ...(options.persistDir !== undefined && { persistDir: options.persistDir }) };
  let dynamo: DynamoEngine | undefined;
  let s3: S3Engine | undefined;
  let declared = localResources(options, options.resources);
  let warnings = describeLocalGaps(options.resources);
  // For the first start only: an engine started later by apply() takes a free port, the given one may be long taken.
  let ports = { ...options.ports };
  const portFor = (engine: keyof typeof ports) => (ports[engine] === undefined ? {} : { port: ports[engine] });

  async function bringUp(resources: readonly ResolvedResource[], onListening?: () => void): Promise<Diagnostic[]> {
    const next = localResources(options, resources);
    let starting = (next.tables.length > 0 && !dynamo ? 1 : 0) + (next.buckets.length > 0 && !s3 ? 1 : 0);
    const listening = () => {
      if (--starting === 0) onListening?.();
    };
    if (starting === 0) onListening?.();
    // An engine lets the app's connections in once its tables or buckets exist, even if some
    // could not be set up (the engine keeps running, the error says which).
    const upDynamo = async (): Promise<Diagnostic[]> => {
      if (next.tables.length === 0) return [];
      const engine = dynamo ??= await startEngine(DYNAMODB_ENGINE, next.tables.map((t) => t.table.name), options.persistDir, () => startDynamoEngine({ ...settings, ...portFor('dynamodb'), onListening: listening }));
      try {
        return await setUp(DYNAMODB_ENGINE, () => engine.ensure(next.tables));
      } finally {
        engine.open();
      }
    };
    const upS3 = async (): Promise<void> => {
      if (next.buckets.length === 0) return;
      const engine = s3 ??= await startEngine(S3_ENGINE, next.buckets.map((b) => b.bucket.name), options.persistDir, () => startS3Engine({ ...settings, ...portFor('s3'), onListening: listening }));
      try {
        await setUp(S3_ENGINE, () => engine.ensure(next.buckets));
      } finally {
        engine.open();
      }
    };
    // Settled, not Promise.all: when one engine fails, the other must have finished starting
    // before stop() runs, or it would be left listening.
    const [tableNotes, bucketsDone] = await Promise.allSettled([upDynamo(), upS3()]);
    if (tableNotes.status === 'rejected') throw tableNotes.reason;
    if (bucketsDone.status === 'rejected') throw bucketsDone.reason;
    declared = next;
    warnings = describeLocalGaps(resources);
    return [...tableNotes.value, ...warnings];
  }

  const expire = async (now = new Date()) => (dynamo ? dynamo.expire(declared.tables, now.getTime() / 1000) : 0);
  // A sweep that fails (a table being rebuilt) is simply retried at the next one.
  // The sweep in flight is kept: stop() waits for it, since dynalite throws (uncaught, from a
  // timer of its own) on a delete that reaches a database closed under it.
  let sweeping: Promise<unknown> | undefined;
  const sweep = options.ttlSweepMs === undefined ? undefined : setInterval(() => {
    sweeping ??= expire().catch(() => {}).finally(() => (sweeping = undefined));
  }, options.ttlSweepMs);
  sweep?.unref();

  async function stop(): Promise<void> {
    if (sweep) clearInterval(sweep);
    await sweeping;
    await Promise.all([dynamo?.stop(), s3?.stop()]);
    dynamo = undefined;
    s3 = undefined;
  }

  try {
    await bringUp(options.resources, options.onListening);
    ports = {};
  } catch (error) {
    // One engine may be up while the other failed: close it so the process can exit.
    await stop();
    throw error;
  }

  const endpoints = () => ({ ...(dynamo && { dynamodb: dynamo.endpoint }), ...(s3 && { s3: s3.endpoint }) });
  return {
    get endpoints() {
      return endpoints();
    },
    get tables() {
      return declared.tables;
    },
    get buckets() {
      return declared.buckets;
    },
    get warnings() {
      return warnings;
    },
    env(linked) {
      return localEnv({ endpoints: endpoints(), tables: declared.tables, buckets: declared.buckets }, options.region, linked);
    },
    apply: (resources) => bringUp(resources),
    async reset() {
      await Promise.all([dynamo?.clear(declared.tables), s3?.clear(declared.buckets)]);
    },
    expire,
    stop,
  };
}
