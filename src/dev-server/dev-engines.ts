// The declared tables, buckets, queues and topics on local engines, for the dev server's workers
// and for `invoke --local`: started in a worker thread only when the app declares one (or a job has
// its own queue, or a rule on the event bus), brought in line when the config or the jobs change, and turned into each function's
// environment. Events reach the jobs subscribed to them through the host's `deliver`.
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { PlannedFunction } from '../build/index.js';
import type { ResolvedConfig, ResolvedResource } from '../config/index.js';
import {
  describeLocalGaps, localEnv, localResources, localTopics, needsEventBus, needsQueues, planQueues, startLocalEnginesInWorker,
  type Deliver, type LocalEngines, type LocalSubscriber,
} from '../local/index.js';
import type { Diagnostic } from '../shared/errors.js';

export interface DevEnginesOptions {
  root: string;
  /** Keep data under `<root>/.sls-ts/local/` instead of in memory. */
  persist?: boolean;
  /** How often expired items of tables with a `ttl` are deleted (the dev server: a minute). */
  ttlSweepMs?: number;
  /** Load dynalite and s3rver this long after their ports are bound, or at the first connection (see LocalEnginesOptions.lazyMs). */
  lazyMs?: number;
  /** Runs a job for a local event (the dev server's worker pools). */
  deliver?: Deliver;
}

/** Where one engine listens and the declared resources it serves, as the banner shows it. */
export interface EngineListing {
  service: 'DynamoDB' | 'S3' | 'SQS' | 'SNS' | 'EventBridge';
  endpoint: string;
  /**
   * Kind of resource and their names as declared: `tables` posts, comments; a job's own queue is
   * `mail-job (job)`; the bus lists the jobs with a rule (`rules` report-job).
   */
  kind: 'tables' | 'buckets' | 'queues' | 'topics' | 'rules';
  names: string[];
}

export interface DevEngines {
  /**
   * Starts the engines the config's resources need (nothing when it declares no table, bucket, queue or topic and no job needs one) or
   * brings the running ones in line. `done` resolves once they are up, with what the engines do
   * not emulate (and what changed) as warnings; `planned` as soon as envFor() gives the final
   * environment — for a first start that is before the engines listen: their ports are chosen
   * first, so workers can start (and load the app's code) while the engines load. `listening`
   * once their ports take connections (for a first start, before the engines are loaded: what
   * reaches them waits until the tables and buckets exist; rejected if they fail before). The app,
   * stage and region are the first config's.
   */
  apply(config: AppResources): { planned: Promise<void>; listening: Promise<void>; done: Promise<Diagnostic[]> };
  /**
   * Routes local events to the app's jobs (after the first build plan, and after every reload):
   * jobs with `static queue` get their queue (the SQS service starts if it was not running), and
   * every subscribed job its events. Resolves once done, with what is not delivered locally.
   */
  subscribe(functions: readonly PlannedFunction[]): Promise<Diagnostic[]>;
  /**
   * A function's share of the engines: endpoints, region and dummy credentials for every function
   * once an engine runs (so no local function ever reaches the real AWS tables and buckets of the
   * same names with the developer's credentials), and the names of only the resources it links, as deployed.
   */
  envFor(fn: Pick<PlannedFunction, 'links'>): Record<string, string>;
  listing(): EngineListing[];
  stop(): Promise<void>;
}

export type AppResources = Pick<ResolvedConfig, 'name' | 'stage' | 'region' | 'resources'>;

export const PERSIST_FOLDER = join('.sls-ts', 'local');

const HOST = '127.0.0.1';

/** A resource an engine serves (raw CloudFormation has none). */
const isServedLocally = (resource: ResolvedResource): boolean => resource.kind !== 'cloudformation';

/** Whether the jobs alone need engines: a job's own queue, or a rule on the bus. */
const jobsNeedEngines = (resources: readonly ResolvedResource[], subscribers: readonly LocalSubscriber[]) => needsQueues(resources, subscribers) || needsEventBus(subscribers);

/**
 * Whether subscribing these jobs may start an engine the config alone did not (a job's own queue,
 * the bus for a rule): the functions' environment, and the banner, wait for that subscribe.
 */
export const subscribeStartsEngines = (subscribers: readonly LocalSubscriber[]): boolean =>
  subscribers.some((subscriber) => subscriber.queue !== undefined) || needsEventBus(subscribers);

/** The jobs as the engines route events to them. */
export function subscribersOf(functions: readonly PlannedFunction[]): LocalSubscriber[] {
  return functions.filter((fn) => fn.kind === 'job' && (fn.events.length > 0 || fn.jobQueue !== undefined)).map((fn) => ({
    job: fn.key, className: fn.source, events: fn.events, timeout: fn.timeout, ...(fn.jobQueue && { queue: fn.jobQueue }),
  }));
}

/**
 * A port free now: the engine listens on it some hundred milliseconds later (another process
 * taking it meanwhile is the engine's one-line EADDRINUSE error; running again picks another).
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** What the engines will serve, and where, before they do: the state their env() reads. */
async function planEngines({ name, stage, region, resources }: AppResources, subscribers: readonly LocalSubscriber[]) {
  const { tables, buckets } = localResources({ app: name, stage }, resources);
  const topics = localTopics(name, stage, resources);
  const needed = { dynamodb: tables.length > 0, s3: buckets.length > 0, sqs: needsQueues(resources, subscribers), sns: topics.length > 0, events: needsEventBus(subscribers) };
  const engines = Object.keys(needed).filter((engine) => needed[engine as keyof typeof needed]) as (keyof typeof needed)[];
  const ports = Object.fromEntries(await Promise.all(engines.map(async (engine) => [engine, await freePort()] as const))) as Partial<Record<keyof typeof needed, number>>;
  const at = (port: number) => `http://${HOST}:${port}`;
  const endpoints = Object.fromEntries(Object.entries(ports).map(([engine, port]) => [engine, at(port)])) as Partial<Record<keyof typeof needed, string>>;
  const { queues, jobQueues } = ports.sqs === undefined ? { queues: [], jobQueues: [] } : planQueues(name, stage, region, at(ports.sqs), resources, subscribers);
  return { ports, state: { endpoints, tables, buckets, queues, jobQueues, topics: ports.sns === undefined ? [] : topics } };
}

export function createDevEngines(options: DevEnginesOptions): DevEngines {
  let engines: LocalEngines | undefined;
  let starting: Promise<unknown> | undefined;
  let plan: { region: string; state: Awaited<ReturnType<typeof planEngines>>['state'] } | undefined;
  let stopped = false;
  let subscribers: LocalSubscriber[] = [];
  let latest: AppResources | undefined;

  async function start(config: AppResources, onPlanned: () => void, onListening: () => void): Promise<Diagnostic[]> {
    const { name, stage, region, resources } = config;
    const { ports, state } = await planEngines(config, subscribers);
    plan = { region, state };
    onPlanned();
    const started = await startLocalEnginesInWorker({
      app: name, stage, region, resources, ports, subscribers, onListening,
      ...(options.deliver && { deliver: options.deliver }),
      ...(options.persist && { persistDir: join(options.root, PERSIST_FOLDER) }),
      ...(options.ttlSweepMs !== undefined && { ttlSweepMs: options.ttlSweepMs }),
      ...(options.lazyMs !== undefined && { lazyMs: options.lazyMs }),
    }).catch((error: unknown) => {
      plan = undefined;
      throw error;
    });
    // stop() ran while they started: nothing may keep listening after it.
    if (stopped) {
      await started.stop();
      return [];
    }
    engines = started;
    return [...started.warnings];
  }

  return {
    apply(config) {
      latest = config;
      let onPlanned!: () => void;
      const planned = new Promise<void>((resolve) => (onPlanned = resolve));
      let onListening!: () => void;
      let onFailed!: (error: unknown) => void;
      const listening = new Promise<void>((resolve, reject) => {
        onListening = resolve;
        onFailed = reject;
      });
      const done = (async () => {
        await starting?.catch(() => {});
        if (engines) return engines.apply(config.resources);
        // No engine to run: the gaps (queues, topics, raw resources) are still worth saying.
        if ((!config.resources.some(isServedLocally) && !jobsNeedEngines(config.resources, subscribers)) || stopped) return describeLocalGaps(config.resources);
        const started = start(config, onPlanned, onListening);
        starting = started;
        return started;
      })();
      // Otherwise the environment is known once they are done (or failed: the caller hears it from `done`).
      void done.then(onPlanned, onPlanned);
      // Running engines listen already; a failure after they listened leaves `listening` resolved.
      void done.then(onListening, onFailed);
      listening.catch(() => {});
      return { planned, listening, done };
    },
    async subscribe(functions) {
      subscribers = subscribersOf(functions);
      await starting?.catch(() => {});
      if (engines) return engines.subscribe(subscribers);
      // No engine runs (nothing declared) but a job has its own queue or a rule: start them for it.
      if (!latest || stopped || !jobsNeedEngines(latest.resources, subscribers)) return [];
      const started = start(latest, () => {}, () => {});
      starting = started;
      return started;
    },
    envFor(fn) {
      const linked = fn.links.map((link) => link.name);
      if (engines) return engines.env(linked);
      return plan ? localEnv(plan.state, plan.region, linked) : {};
    },
    listing() {
      // While they start, where they will listen.
      const current = engines ?? plan?.state;
      if (!current) return [];
      const { dynamodb, s3, sqs, sns, events } = current.endpoints;
      const ruled = subscribers.filter((subscriber) => needsEventBus([subscriber])).map((subscriber) => subscriber.job);
      return [
        ...(dynamodb ? [{ service: 'DynamoDB' as const, endpoint: dynamodb, kind: 'tables' as const, names: current.tables.map((t) => t.table.name) }] : []),
        ...(s3 ? [{ service: 'S3' as const, endpoint: s3, kind: 'buckets' as const, names: current.buckets.map((b) => b.bucket.name) }] : []),
        ...(sqs ? [{ service: 'SQS' as const, endpoint: sqs, kind: 'queues' as const, names: [...current.queues.map((q) => q.queue.name), ...current.jobQueues.map((q) => `${q.job} (job)`)] }] : []),
        ...(sns ? [{ service: 'SNS' as const, endpoint: sns, kind: 'topics' as const, names: current.topics.map((t) => t.name) }] : []),
        ...(events ? [{ service: 'EventBridge' as const, endpoint: events, kind: 'rules' as const, names: ruled }] : []),
      ];
    },
    async stop() {
      stopped = true;
      plan = undefined;
      await starting?.catch(() => {});
      await engines?.stop();
      engines = undefined;
    },
  };
}
