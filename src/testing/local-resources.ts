// Tests on the same engines as the dev server: a test file starts its app's declared tables and
// buckets on fresh, in-memory engines, empties them between tests, and stops them at the end.
// No mocks of the data layer: the app's AWS SDK code runs unmodified against real implementations.
import { startLocalEngines, type LocalBucket, type LocalTable } from '../local/index.js';
import { resolveLocalApp, type LocalAppInput } from '../local/local-app.js';

export interface LocalResourcesOptions {
  /** Default `test`: physical names are `<app>-test-<name>`. */
  stage?: string;
  /** Put the engines' endpoints, dummy credentials and resource names in process.env until stop(). Default true. */
  setEnv?: boolean;
}

export interface LocalResources {
  /** AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, AWS_REGION, dummy credentials, SLS_TS_RESOURCE_<NAME>_NAME … */
  readonly env: Readonly<Record<string, string>>;
  /** Physical name of each declared table and bucket: `names.posts` → `blog-test-posts`. */
  readonly names: Readonly<Record<string, string>>;
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  /** Deletes every item and object; tables and buckets stay. Call it in beforeEach. */
  reset(): Promise<void>;
  /** Deletes the items of tables with a `ttl` that expired before `now` (default: now), as DynamoDB's TTL does; returns how many. */
  expire(now?: Date): Promise<number>;
  /** Stops the engines and restores process.env. Call it in afterAll. */
  stop(): Promise<void>;
}

/** Sets `values` in process.env; returns what puts the earlier values back. */
function setProcessEnv(values: Record<string, string>): () => void {
  const earlier = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(earlier)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Starts the declared resources of an app (its folder, as a path or `new URL('..', import.meta.url)`,
 * or `{ name, resources }`) on fresh engines:
 * `const local = await useLocalResources(new URL('..', import.meta.url))` in beforeAll,
 * `local.reset()` in beforeEach, `local.stop()` in afterAll.
 */
export async function useLocalResources(app: string | URL | LocalAppInput, options: LocalResourcesOptions = {}): Promise<LocalResources> {
  const engines = await startLocalEngines(await resolveLocalApp(app, options.stage));
  const env = engines.env();
  const restoreEnv = options.setEnv === false ? () => {} : setProcessEnv(env);
  const names = Object.fromEntries([
    ...engines.tables.map((t) => [t.table.name, t.physicalName]),
    ...engines.buckets.map((b) => [b.bucket.name, b.physicalName]),
  ]);
  return {
    env,
    names,
    tables: engines.tables,
    buckets: engines.buckets,
    reset: () => engines.reset(),
    expire: (now) => engines.expire(now),
    async stop() {
      restoreEnv();
      await engines.stop();
    },
  };
}
