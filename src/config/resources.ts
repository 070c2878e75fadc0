// Declared resources: what an app stores data in and talks through (DynamoDB tables, S3 buckets,
// SQS queues, SNS topics, and raw CloudFormation for anything else). The helpers only tag plain
// data with its kind, so a hand-written object (or a .js config) is checked by the same validator.

/** Whether a stage's tables and buckets outlive the stack: `retain` keeps them when it is deleted or they leave the config. */
export type RemovalPolicy = 'retain' | 'destroy';

export type AttributeType = 'string' | 'number' | 'binary';
/** An attribute of a key: `'id'` (a string) or `{ name: 'createdAt', type: 'number' }`. */
export type KeyAttribute = string | { name: string; type: AttributeType };

export type StreamView = 'new-and-old' | 'new' | 'old' | 'keys';

export interface TableIndex {
  key: KeyAttribute;
  sort?: KeyAttribute;
  /** What the index copies from each item: `all` (default), `keys`, or a list of attribute names. */
  projection?: 'all' | 'keys' | string[];
}

export interface TableOptions {
  key: KeyAttribute;
  sort?: KeyAttribute;
  /** Global secondary indexes by name. */
  indexes?: Record<string, TableIndex>;
  /** The attribute holding an item's expiry time (epoch seconds): DynamoDB deletes expired items. */
  ttl?: string;
  /** A DynamoDB stream of changes, and what each record carries. */
  stream?: StreamView | false;
  /** Point-in-time recovery (35 days of restores). Default true. */
  pointInTimeRecovery?: boolean;
  removal?: RemovalPolicy;
}

export interface BucketCors {
  origins?: string[] | '*';
  methods?: Array<'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD'>;
  headers?: string[];
  maxAge?: number;
}

export interface BucketOptions {
  /** true: anyone may read objects (a public website or assets). Default false: public access blocked. */
  public?: boolean;
  /** CORS for browsers uploading or reading directly; true allows GET/PUT/POST/HEAD from any origin. */
  cors?: boolean | BucketCors;
  versioned?: boolean;
  /** Delete objects this many days after they were written (and old versions as long after they were replaced). */
  expireAfterDays?: number;
  removal?: RemovalPolicy;
}

export interface QueueOptions {
  /** A FIFO queue: ordered per message group, deduplicated (its name ends in `.fifo`). */
  fifo?: boolean;
  /** Seconds a received message stays hidden from other receivers. Default 30 (as SQS). */
  visibilityTimeout?: number;
  /** Seconds a message is kept. Default 345600 (4 days, as SQS); 60 to 1209600 (14 days). */
  retention?: number;
  /** Seconds before a new message can be received. Default 0. */
  delay?: number;
  /** A dead-letter queue receiving messages that failed `maxReceives` times (default 3); false: none. */
  deadLetter?: { maxReceives: number } | false;
}

export interface TopicOptions {
  fifo?: boolean;
}

/** Any CloudFormation resource, as written in a template's Resources section. */
export interface RawResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot' | 'RetainExceptOnCreate';
  UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
  Condition?: string;
  Metadata?: Record<string, unknown>;
}

export type TableDeclaration = TableOptions & { kind: 'table' };
export type BucketDeclaration = BucketOptions & { kind: 'bucket' };
export type QueueDeclaration = QueueOptions & { kind: 'queue' };
export type TopicDeclaration = TopicOptions & { kind: 'topic' };
export type RawDeclaration = { kind: 'cloudformation'; resource: RawResource };

export type ResourceDeclaration = TableDeclaration | BucketDeclaration | QueueDeclaration | TopicDeclaration | RawDeclaration;
export type ResourceKind = ResourceDeclaration['kind'];
export const RESOURCE_KINDS: readonly ResourceKind[] = ['table', 'bucket', 'queue', 'topic', 'cloudformation'];

/** A DynamoDB table (on-demand billing, point-in-time recovery, encrypted): `posts: table({ key: 'id' })`. */
export function table(options: TableOptions): TableDeclaration {
  return { kind: 'table', ...options };
}

/** An S3 bucket (public access blocked, TLS only, encrypted): `uploads: bucket()`. */
export function bucket(options: BucketOptions = {}): BucketDeclaration {
  return { kind: 'bucket', ...options };
}

/** An SQS queue with a dead-letter queue: `emails: queue({ visibilityTimeout: 60 })`. */
export function queue(options: QueueOptions = {}): QueueDeclaration {
  return { kind: 'queue', ...options };
}

/** An SNS topic: `alerts: topic()`. */
export function topic(options: TopicOptions = {}): TopicDeclaration {
  return { kind: 'topic', ...options };
}

/** Any other resource, written as CloudFormation: `key: cloudformation({ Type: 'AWS::KMS::Key', Properties: {…} })`. */
export function cloudformation(resource: RawResource): RawDeclaration {
  return { kind: 'cloudformation', resource };
}

/**
 * What a function uses: a resource's name (read and write) or `{ name, readOnly: true }` (read
 * actions only). Linking grants least-privilege IAM and puts the physical names in its environment.
 */
export type LinkEntry = string | { name: string; readOnly?: boolean };

// What every tool reads: the declarations with each default filled in (see resolve-resources.ts).

export interface ResolvedAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface ResolvedIndex {
  readonly name: string;
  readonly key: ResolvedAttribute;
  readonly sort?: ResolvedAttribute;
  readonly projection: 'all' | 'keys' | readonly string[];
}

interface ResolvedBase {
  /** The name under `resources` (and in `link`, and in the runtime's `resources` accessor). */
  readonly name: string;
}

export interface ResolvedTable extends ResolvedBase {
  readonly kind: 'table';
  readonly key: ResolvedAttribute;
  readonly sort?: ResolvedAttribute;
  readonly indexes: readonly ResolvedIndex[];
  readonly ttl?: string;
  readonly stream: StreamView | false;
  readonly pointInTimeRecovery: boolean;
  readonly removal: RemovalPolicy;
}

export interface ResolvedBucketCors {
  readonly origins: readonly string[];
  readonly methods: readonly string[];
  readonly headers: readonly string[];
  readonly maxAge: number;
}

export interface ResolvedBucket extends ResolvedBase {
  readonly kind: 'bucket';
  readonly public: boolean;
  readonly cors: ResolvedBucketCors | false;
  readonly versioned: boolean;
  readonly expireAfterDays?: number;
  readonly removal: RemovalPolicy;
}

export interface ResolvedQueue extends ResolvedBase {
  readonly kind: 'queue';
  readonly fifo: boolean;
  readonly visibilityTimeout: number;
  readonly retention: number;
  readonly delay: number;
  readonly deadLetter: { readonly maxReceives: number } | false;
}

export interface ResolvedTopic extends ResolvedBase {
  readonly kind: 'topic';
  readonly fifo: boolean;
}

export interface ResolvedRawResource extends ResolvedBase {
  readonly kind: 'cloudformation';
  readonly resource: RawResource;
}

export type ResolvedResource = ResolvedTable | ResolvedBucket | ResolvedQueue | ResolvedTopic | ResolvedRawResource;

/** A link with its form settled: `'posts'` is `{ name: 'posts', readOnly: false }`. */
export interface ResolvedLink {
  readonly name: string;
  readonly readOnly: boolean;
}

/** What a function's environment says about a resource it links (see linkEnvName). */
export type LinkEnvField = 'NAME' | 'ARN' | 'URL';

/**
 * `posts`, `NAME` → `SLS_TS_RESOURCE_POSTS_NAME`; `userUploads` → `SLS_TS_RESOURCE_USER_UPLOADS_…`.
 * One scheme for the template, the dev server and the runtime's `resources` accessor (which
 * spells it again: the runtime imports nothing of the tooling).
 */
export function linkEnvName(name: string, field: LinkEnvField): string {
  return `SLS_TS_RESOURCE_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_${field}`;
}
