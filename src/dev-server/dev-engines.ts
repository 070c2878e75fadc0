// The declared tables and buckets on local engines, for the dev server's workers and for
// `invoke --local`: started in a worker thread only when the app declares a table or a bucket,
// brought in line when the config changes, and turned into each function's environment.
import { join } from 'node:path';
import type { PlannedFunction } from '../build/index.js';
import type { ResolvedConfig, ResolvedResource } from '../config/index.js';
import { describeLocalGaps, startLocalEnginesInWorker, type LocalEngines } from '../local/index.js';
import type { Diagnostic } from '../shared/errors.js';

export interface DevEnginesOptions {
  root: string;
  /** Keep data under `<root>/.sls-ts/local/` instead of in memory. */
  persist?: boolean;
  /** How often expired items of tables with a `ttl` are deleted (the dev server: a minute). */
  ttlSweepMs?: number;
}

/** Where one engine listens and the declared resources it serves, as the banner shows it. */
export interface EngineListing {
  service: 'DynamoDB' | 'S3';
  endpoint: string;
  /** Kind of resource and their names as declared: `tables` posts, comments. */
  kind: 'tables' | 'buckets';
  names: string[];
}

export interface DevEngines {
  /**
   * Starts the engines the config's resources need (nothing when there is no table or bucket) or
   * brings the running ones in line; resolves with what the engines do not emulate (and what
   * changed) as warnings. The app, stage and region are the first config's.
   */
  apply(config: AppResources): Promise<Diagnostic[]>;
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

const needsEngines = (resources: readonly ResolvedResource[]) => resources.some((resource) => resource.kind === 'table' || resource.kind === 'bucket');

export function createDevEngines(options: DevEnginesOptions): DevEngines {
  let engines: LocalEngines | undefined;
  let starting: Promise<unknown> | undefined;
  let stopped = false;

  async function start({ name, stage, region, resources }: AppResources): Promise<Diagnostic[]> {
    const started = await startLocalEnginesInWorker({
      app: name, stage, region, resources,
      ...(options.persist && { persistDir: join(options.root, PERSIST_FOLDER) }),
      ...(options.ttlSweepMs !== undefined && { ttlSweepMs: options.ttlSweepMs }),
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
    async apply(config) {
      await starting?.catch(() => {});
      if (engines) return engines.apply(config.resources);
      // No engine to run: the gaps (queues, topics, raw resources) are still worth saying.
      if (!needsEngines(config.resources) || stopped) return describeLocalGaps(config.resources);
      const started = start(config);
      starting = started;
      return started;
    },
    envFor(fn) {
      return engines ? engines.env(fn.links.map((link) => link.name)) : {};
    },
    listing() {
      if (!engines) return [];
      const { dynamodb, s3 } = engines.endpoints;
      return [
        ...(dynamodb ? [{ service: 'DynamoDB' as const, endpoint: dynamodb, kind: 'tables' as const, names: engines.tables.map((t) => t.table.name) }] : []),
        ...(s3 ? [{ service: 'S3' as const, endpoint: s3, kind: 'buckets' as const, names: engines.buckets.map((b) => b.bucket.name) }] : []),
      ];
    },
    async stop() {
      stopped = true;
      await starting?.catch(() => {});
      await engines?.stop();
      engines = undefined;
    },
  };
}
