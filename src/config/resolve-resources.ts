// Declared resources → their resolved form: every default filled in, the stage's removal policy
// applied. Expects declarations validateUserConfig accepted.
import { PRODUCTION_STAGE } from './limits.js';
import type {
  KeyAttribute, LinkEntry, RemovalPolicy, ResolvedAttribute, ResolvedBucketCors, ResolvedLink, ResolvedResource, ResourceDeclaration, BucketOptions,
} from './resources.js';

/** SQS's own defaults, so a declared queue behaves as one made in the console. */
export const QUEUE_DEFAULTS = { visibilityTimeout: 30, retention: 345_600, delay: 0, maxReceives: 3 } as const;

/** What `cors: true` on a bucket allows: browsers reading and uploading from any origin. */
const BUCKET_CORS_DEFAULTS: ResolvedBucketCors = { origins: ['*'], methods: ['GET', 'PUT', 'POST', 'HEAD'], headers: ['*'], maxAge: 3000 };

/**
 * Tables and buckets hold data nobody can recreate: on stages named like production (prod,
 * production, prd, live, prod-eu …) they are retained unless the config says otherwise.
 */
export function defaultRemoval(stage: string): RemovalPolicy {
  return PRODUCTION_STAGE.test(stage) ? 'retain' : 'destroy';
}

function resolveAttribute(attribute: KeyAttribute): ResolvedAttribute {
  return typeof attribute === 'string' ? { name: attribute, type: 'string' } : { name: attribute.name, type: attribute.type ?? 'string' };
}

function resolveBucketCors(cors: BucketOptions['cors']): ResolvedBucketCors | false {
  if (!cors) return false;
  if (cors === true) return BUCKET_CORS_DEFAULTS;
  return {
    origins: cors.origins === undefined || cors.origins === '*' ? ['*'] : cors.origins,
    methods: cors.methods ?? BUCKET_CORS_DEFAULTS.methods,
    headers: cors.headers ?? BUCKET_CORS_DEFAULTS.headers,
    maxAge: cors.maxAge ?? BUCKET_CORS_DEFAULTS.maxAge,
  };
}

function resolveResource(name: string, declaration: ResourceDeclaration, removal: RemovalPolicy): ResolvedResource {
  switch (declaration.kind) {
    case 'table':
      return {
        kind: 'table',
        name,
        key: resolveAttribute(declaration.key),
        ...(declaration.sort !== undefined && { sort: resolveAttribute(declaration.sort) }),
        indexes: Object.entries(declaration.indexes ?? {}).map(([indexName, index]) => ({
          name: indexName,
          key: resolveAttribute(index.key),
          ...(index.sort !== undefined && { sort: resolveAttribute(index.sort) }),
          projection: index.projection ?? 'all',
        })),
        ...(declaration.ttl !== undefined && { ttl: declaration.ttl }),
        stream: declaration.stream ?? false,
        pointInTimeRecovery: declaration.pointInTimeRecovery ?? true,
        removal: declaration.removal ?? removal,
      };
    case 'bucket':
      return {
        kind: 'bucket',
        name,
        public: declaration.public ?? false,
        cors: resolveBucketCors(declaration.cors),
        versioned: declaration.versioned ?? false,
        ...(declaration.expireAfterDays !== undefined && { expireAfterDays: declaration.expireAfterDays }),
        removal: declaration.removal ?? removal,
      };
    case 'queue':
      return {
        kind: 'queue',
        name,
        fifo: declaration.fifo ?? false,
        visibilityTimeout: declaration.visibilityTimeout ?? QUEUE_DEFAULTS.visibilityTimeout,
        retention: declaration.retention ?? QUEUE_DEFAULTS.retention,
        delay: declaration.delay ?? QUEUE_DEFAULTS.delay,
        deadLetter: declaration.deadLetter === false ? false : { maxReceives: declaration.deadLetter?.maxReceives ?? QUEUE_DEFAULTS.maxReceives },
      };
    case 'topic':
      return { kind: 'topic', name, fifo: declaration.fifo ?? false };
    case 'cloudformation':
      return { kind: 'cloudformation', name, resource: declaration.resource };
  }
}

/** Every declared resource, in declaration order, for `stage` (whose `removal` setting is given, if any). */
export function resolveResources(declarations: Readonly<Record<string, ResourceDeclaration>> | undefined, stage: string, removal?: RemovalPolicy): ResolvedResource[] {
  const policy = removal ?? defaultRemoval(stage);
  return Object.entries(declarations ?? {}).map(([name, declaration]) => resolveResource(name, declaration, policy));
}

/** `['posts', { name: 'uploads', readOnly: true }]` → resolved links; a resource linked twice keeps its widest access. */
export function resolveLinks(entries: readonly LinkEntry[] | undefined): ResolvedLink[] {
  const byName = new Map<string, ResolvedLink>();
  for (const entry of entries ?? []) {
    const link = typeof entry === 'string' ? { name: entry, readOnly: false } : { name: entry.name, readOnly: entry.readOnly ?? false };
    const earlier = byName.get(link.name);
    byName.set(link.name, earlier && !earlier.readOnly ? earlier : link);
  }
  return [...byName.values()];
}
