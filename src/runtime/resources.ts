// `resources.posts.name`: the declared resources a function links, as the deploy put them in its
// environment (SLS_TS_RESOURCE_<NAME>_NAME / _ARN / _URL; the dev server sets the same names).
// Read at access time, so a test or the dev server may set them after import; no SDK here: the
// app passes the names to whatever client it uses.

/** A linked resource's physical identifiers. */
export interface LinkedResource {
  /** The table's, bucket's, queue's or topic's name; a raw CloudFormation resource's Ref. */
  readonly name: string;
  /** Its ARN (tables, buckets, queues, topics). */
  readonly arn: string;
  /** A queue's URL (what the SQS SDK calls take). */
  readonly url: string;
}

/**
 * The linked resources by name. Loosely typed: an app may list its own for autocompletion,
 * `declare module 'sls-ts' { interface Resources { posts: LinkedResource } }`.
 */
export interface Resources {
  readonly [name: string]: LinkedResource;
}

const PREFIX = 'SLS_TS_RESOURCE_';
/** Keys that test runners, loggers and `await` probe an object for: not resource names. */
const PROBES = new Set(['then', 'toJSON', 'constructor', 'asymmetricMatch', 'nodeType', '$$typeof']);

const env = (): Record<string, string | undefined> => globalThis.process?.env ?? {};

/** `userUploads` → `SLS_TS_RESOURCE_USER_UPLOADS_` (the tooling's linkEnvName, spelled again: the runtime imports none of it). */
export function linkEnvPrefix(name: string): string {
  return `${PREFIX}${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_`;
}

/** The names this function links, as written in the config (`USER_UPLOADS` → `userUploads`), for messages. */
function linkedNames(): string[] {
  return Object.keys(env()).flatMap((key) => {
    const match = /^SLS_TS_RESOURCE_(.+)_NAME$/.exec(key);
    return match ? [match[1]!.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] : [];
  }).sort();
}

function notLinked(name: string): Error {
  const linked = linkedNames();
  return new Error(`${name} is not linked to this function: add link: ['${name}'] to its controller, action, job or function (or the app) in sls-ts.config.ts (linked here: ${linked.join(', ') || 'nothing'})`);
}

function read(name: string, prefix: string, field: 'NAME' | 'ARN' | 'URL'): string {
  const value = env()[`${prefix}${field}`];
  if (value !== undefined) return value;
  if (env()[`${prefix}NAME`] === undefined) throw notLinked(name);
  throw new Error(`resources.${name}.${field.toLowerCase()} is not set (${prefix}${field}): only queues have a url, raw cloudformation resources a name only`);
}

function linkedResource(name: string): LinkedResource {
  const prefix = linkEnvPrefix(name);
  if (env()[`${prefix}NAME`] === undefined) throw notLinked(name);
  return {
    get name() { return read(name, prefix, 'NAME'); },
    get arn() { return read(name, prefix, 'ARN'); },
    get url() { return read(name, prefix, 'URL'); },
  };
}

function createResources(): Resources {
  return new Proxy({} as Resources, {
    get: (_target, key) => (typeof key !== 'string' || PROBES.has(key) ? undefined : linkedResource(key)),
    has: (_target, key) => typeof key === 'string' && env()[`${linkEnvPrefix(key)}NAME`] !== undefined,
  });
}

/** The resources this function links: `resources.posts.name`, `resources.uploads.arn`, `resources.emails.url`. */
export const resources: Resources = /* @__PURE__ */ createResources();
