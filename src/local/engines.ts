// The local engines of an app's declared resources: DynamoDB (dynalite) for tables, S3 (s3rver)
// for buckets, sls-ts's own SQS service for queues (declared ones and jobs' own), its SNS service
// for topics and its EventBridge bus for jobs' rules, each started only when a resource or a job
// needs it, on a free port, in parallel. Jobs subscribed to a source get its events through the
// host's `deliver`.
import type { ResolvedBucket, ResolvedResource, ResolvedTable } from '../config/index.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { bucketDeliveries, watchBucketEvents, type S3EventRecord } from './bucket-events.js';
import { createAsyncServices } from './async-services.js';
import type { Deliver, LocalSubscriber } from './deliveries.js';
import { createDeliveryHub } from './delivery-hub.js';
import { startDynamoEngine, type DynamoEngine, type LocalTable } from './dynamo-engine.js';
import { declaredAs, engineError, jobsAs, startEngine } from './engine-errors.js';
import { describeLocalGaps } from './local-gaps.js';
import { localEnv } from './local-env.js';
import { localBucketName, localTableName } from './names.js';
import { startS3Engine, type LocalBucket, type S3Engine } from './s3-engine.js';
import type { LocalTopic } from './sns/sns-topics.js';
import type { LocalJobQueue, LocalQueueInfo } from './sqs/local-queues.js';
import { createQueueService } from './sqs/queue-service.js';
import { streamFailureMessage } from './sqs/stream-failures.js';
import { startTableStreams, type TableStreams } from './table-streams.js';

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
  ports?: { dynamodb?: number; s3?: number; sqs?: number; sns?: number; events?: number };
  /**
   * Delete expired items of tables with a `ttl` this often (dynalite has no TTL of its own). The dev
   * server passes a minute; tests leave it off and call expire() when they mean to.
   */
  ttlSweepMs?: number;
  /**
   * Called once the first start's engines take connections, before dynalite and s3rver are
   * loaded: a connection made from then on waits, and is answered once the tables and buckets exist.
   */
  onListening?: () => void;
  /**
   * Load dynalite and s3rver only this many milliseconds after their ports are bound, or at once
   * when a connection reaches one (it waits there, as while they load): a server whose first
   * requests touch no table or bucket does not share its first second's CPU with them. Default:
   * load at once (tests). The dev server passes a second.
   */
  lazyMs?: number;
  /** The jobs and what they subscribe to: jobs with `static queue` get their own queue, and every subscribed job its events. */
  subscribers?: readonly LocalSubscriber[];
  /**
   * Runs a job for an event (the dev server's worker pool, a test's in-process job). Without it,
   * events are not delivered: messages wait in their queues.
   */
  deliver?: Deliver;
  /**
   * Waits before the retries of a job run by a topic or a rule (Lambda's asynchronous invoke),
   * default AWS's one and two minutes; tests pass short ones.
   */
  retryDelaysMs?: readonly number[];
}

export interface LocalEngines {
  /** Where each started engine listens. */
  readonly endpoints: { readonly dynamodb?: string; readonly s3?: string; readonly sqs?: string; readonly sns?: string; readonly events?: string };
  /** Declared tables, buckets, queues and topics with their physical names on the engines. */
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  readonly queues: readonly LocalQueueInfo[];
  /** Declared topics, served once the SNS service runs. */
  readonly topics: readonly LocalTopic[];
  /** Each queued job's own queue (`static queue`). */
  readonly jobQueues: readonly LocalJobQueue[];
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
  /**
   * Re-routes events after the app's jobs changed (a reload): new job queues are created (the SQS
   * service starts if it was not running), pollers start and stop. Returns what is not delivered locally.
   */
  subscribe(subscribers: readonly LocalSubscriber[]): Promise<Diagnostic[]>;
  /** Resolves once no delivery is in flight and no subscribed source (topics and the bus included, retries too) has an event ready to deliver. */
  settled(): Promise<void>;
  /** Deletes every item, object and message of the declared tables, buckets and queues (tests call it between tests). */
  reset(): Promise<void>;
  /** Deletes the items of tables with a `ttl` whose expiry time is before `now`, as DynamoDB's TTL does; returns how many. */
  expire(now?: Date): Promise<number>;
  /** Closes every engine and its connections. */
  stop(): Promise<void>;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_REGION = 'us-east-1';

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
const SQS_ENGINE = 'SQS engine (sls-ts)';

/** Starts the engines `resources` need, creates their tables and buckets, and returns them running. */
export async function startLocalEngines(options: LocalEnginesOptions): Promise<LocalEngines> {
  const host = options.host ?? DEFAULT_HOST;
  const settings = { host, ...(options.persistDir !== undefined && { persistDir: options.persistDir }) };
  let dynamo: DynamoEngine | undefined;
  let s3: S3Engine | undefined;
  let declared = localResources(options, options.resources);
  let warnings = describeLocalGaps(options.resources);
  let resources = options.resources;
  let subscribers = options.subscribers ?? [];
  const hub = createDeliveryHub(options.deliver);
  const region = options.region ?? DEFAULT_REGION;
  const queues = createQueueService({ app: options.app, stage: options.stage, region, host, hub });
  // Topics and the bus: jobs run through the same hub, and SNS fills queues of the SQS service.
  const notifications = createAsyncServices({
    app: options.app, stage: options.stage, region, host, hub, sendToQueue: queues.sendToArn,
    ...(options.retryDelaysMs !== undefined && { retryDelaysMs: options.retryDelaysMs }),
  });
  let queueNotes: Diagnostic[] = [];
  // Bucket events and table streams reach jobs through the same hub as queue messages.
  let routeBucketEvent: ((bucket: string, record: S3EventRecord) => void) | undefined;
  let stopBucketEvents: (() => void) | undefined;
  let streams: TableStreams | undefined;

  /** Points bucket events and table streams at the current subscribers, starting what they need. */
  function routeEngineEvents(): void {
    if (!options.deliver) return;
    if (s3) {
      routeBucketEvent = bucketDeliveries(subscribers, declared.buckets, hub.deliver);
      stopBucketEvents ??= watchBucketEvents(s3, (bucket, record) => routeBucketEvent?.(bucket, record), { region });
    }
    const streamed = subscribers.some((subscriber) => subscriber.events.some((event) => event.kind === 'table'));
    if (dynamo && streams) streams.apply(declared.tables, subscribers);
    else if (dynamo && streamed) {
      streams = startTableStreams(dynamo, declared.tables, subscribers, hub.deliver, {
        region,
        // A declared queue as the on-failure destination gets Lambda's record of the batch.
        onFailure: (failure) => {
          if (queues.sendTo(failure.destination, streamFailureMessage(failure, { region, app: options.app, stage: options.stage }))) return;
          console.warn(`[sls-ts] ${failure.job}: ${failure.records.length} record(s) of the resources.${failure.source} stream were dropped (${failure.reason}); its on-failure destination ${failure.destination} is not a local queue`);
        },
      });
    }
  }
  /** What the engines do not emulate, what is not delivered locally, and that queues are not kept. */
  const gapsOf = (current: readonly ResolvedResource[]): Diagnostic[] => [
    ...describeLocalGaps(current),
    ...queueNotes,
    ...notifications.warnings,
    ...(options.persistDir !== undefined && queues.endpoint !== undefined ? [{ level: 'warning' as const, text: 'queues are kept in memory only: their messages do not survive a restart, persist or not' }] : []),
  ];
  // Only the first start is lazy: an engine a later apply() starts is needed for the tables it brings.
  const lazy = options.lazyMs === undefined ? {} : { lazy: lazyLoad(options.lazyMs) };
  // For the first start only: an engine started later by apply() takes a free port, the given one may be long taken.
  let ports = { ...options.ports };
  const portFor = (engine: keyof typeof ports) => (ports[engine] === undefined ? {} : { port: ports[engine] });

  async function bringUpQueues(nextResources: readonly ResolvedResource[], nextSubscribers: readonly LocalSubscriber[]): Promise<Diagnostic[]> {
    const names = nextResources.filter((r) => r.kind === 'queue').map((r) => r.name);
    const port = ports.sqs;
    const running = queues.endpoint !== undefined;
    try {
      return await queues.bringUp(nextResources, nextSubscribers, port);
    } catch (error) {
      // A declaration the service refuses already names the resource at fault.
      if (error instanceof SlsError) throw error;
      if (running) throw new SlsError({ text: `${SQS_ENGINE}: ${error instanceof Error ? error.message : String(error)}`, hint: 'fix the declaration in sls-ts.config.ts; the engine keeps running' });
      throw engineError(SQS_ENGINE, names.length > 0 ? declaredAs(names) : jobsAs(nextSubscribers.filter((s) => s.queue).map((s) => s.job)), undefined, error);
    }
  }

  async function bringUp(nextResources: readonly ResolvedResource[], onListening?: () => void): Promise<Diagnostic[]> {
    const next = localResources(options, nextResources);
    // Listening: dynalite and s3rver once their ports are bound (before they load), sls-ts's own
    // services (SQS, SNS, the bus) once they are up (they load nothing).
    let starting = 2 + (next.tables.length > 0 && !dynamo ? 1 : 0) + (next.buckets.length > 0 && !s3 ? 1 : 0);
    const listening = () => {
      if (--starting === 0) onListening?.();
    };
    const upDynamo = async (): Promise<Diagnostic[]> => {
      if (next.tables.length === 0) return [];
      const engine = dynamo ??= await startEngine(DYNAMODB_ENGINE, declaredAs(next.tables.map((t) => t.table.name)), options.persistDir, () => startDynamoEngine({ ...settings, ...portFor('dynamodb'), onListening: listening, holdConnections: true, ...lazy }));
      return setUp(DYNAMODB_ENGINE, () => engine.ensure(next.tables));
    };
    const upS3 = async (): Promise<void> => {
      if (next.buckets.length === 0) return;
      const engine = s3 ??= await startEngine(S3_ENGINE, declaredAs(next.buckets.map((b) => b.bucket.name)), options.persistDir, () => startS3Engine({ ...settings, ...portFor('s3'), onListening: listening, holdConnections: true, ...lazy }));
      await setUp(S3_ENGINE, () => engine.ensure(next.buckets));
    };
    // A service that fails to come up leaves the count short: the start then fails without ever listening.
    const thenListening = async <T>(up: Promise<T>): Promise<T> => {
      const value = await up;
      listening();
      return value;
    };
    const upQueues = () => thenListening(bringUpQueues(nextResources, subscribers));
    const upNotifications = () => thenListening(notifications.bringUp(nextResources, subscribers, ports));
    // Settled, not Promise.all: when one engine fails, the other must have finished starting
    // before stop() runs, or it would be left listening.
    const [tableNotes, bucketsDone, queuesDone, notificationsDone] = await Promise.allSettled([upDynamo(), upS3(), upQueues(), upNotifications()]);
    try {
      if (tableNotes.status === 'rejected') throw tableNotes.reason;
      if (bucketsDone.status === 'rejected') throw bucketsDone.reason;
      if (queuesDone.status === 'rejected') throw queuesDone.reason;
      if (notificationsDone.status === 'rejected') throw notificationsDone.reason;
      declared = next;
      resources = nextResources;
      queueNotes = queuesDone.value;
      routeEngineEvents();
      warnings = gapsOf(nextResources);
      return [...tableNotes.value, ...warnings];
    } finally {
      // The app's connections, held at the engines' ports, go in once tables, buckets and the
      // routing of their events are in place — also when a declaration was refused (the engines
      // keep running, the error says which).
      dynamo?.open();
      s3?.open();
    }
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
    stopBucketEvents?.();
    streams?.stop();
    stopBucketEvents = undefined;
    streams = undefined;
    await Promise.all([dynamo?.stop(), s3?.stop(), queues.stop(), notifications.stop()]);
    dynamo = undefined;
    s3 = undefined;
  }

  try {
    await bringUp(options.resources, options.onListening);
    delete lazy.lazy;
    ports = {};
  } catch (error) {
    // One engine may be up while the other failed: close it so the process can exit.
    await stop();
    throw error;
  }

  const endpoints = () => ({
    ...(dynamo && { dynamodb: dynamo.endpoint }), ...(s3 && { s3: s3.endpoint }), ...(queues.endpoint !== undefined && { sqs: queues.endpoint }),
    ...notifications.endpoints,
  });
  const state = () => ({ endpoints: endpoints(), tables: declared.tables, buckets: declared.buckets, queues: queues.plan.queues, jobQueues: queues.plan.jobQueues, topics: notifications.topics });
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
    get queues() {
      return queues.plan.queues;
    },
    get jobQueues() {
      return queues.plan.jobQueues;
    },
    get topics(): readonly LocalTopic[] {
      return notifications.topics;
    },
    get warnings() {
      return warnings;
    },
    env(linked) {
      return localEnv(state(), options.region, linked);
    },
    apply: (next) => bringUp(next),
    async subscribe(next) {
      subscribers = next;
      queueNotes = await bringUpQueues(resources, next);
      await notifications.bringUp(resources, next);
      routeEngineEvents();
      warnings = gapsOf(resources);
      return [...queueNotes, ...notifications.warnings];
    },
    settled: () => notifications.settled(),
    async reset() {
      queues.purge();
      await Promise.all([dynamo?.clear(declared.tables), s3?.clear(declared.buckets)]);
    },
    expire,
    stop,
  };
}

/** Settles after `ms`, or as soon as wake() is called, whichever comes first. */
function lazyLoad(ms: number): { until: Promise<void>; wake(): void } {
  let wake!: () => void;
  const until = new Promise<void>((resolve) => (wake = resolve));
  setTimeout(wake, ms).unref();
  return { until, wake };
}
