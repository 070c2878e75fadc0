// Checks the declared resources (`resources`), the removal policy and what functions link.
// Every problem names its key path (`resources.posts.indexes.byAuthor.key`), as the rest of the
// config validator does, so one run reports them all.
import { isPlainObject } from '../shared/objects.js';
import { closestMatch } from '../shared/suggest.js';
import {
  DYNAMODB_ATTRIBUTE_MAX, DYNAMODB_INDEX_NAME, DYNAMODB_INDEXES_MAX, RESOURCE_NAME, RESOURCE_NAME_MAX, RESOURCE_TYPE, S3_EXPIRE_DAYS,
  SQS_DELAY, SQS_MAX_RECEIVES, SQS_RETENTION, SQS_VISIBILITY_TIMEOUT,
} from './limits.js';
import { describeValue, type ConfigReport, type KeyPath } from './report.js';
import { RESOURCE_KINDS } from './resources.js';
import { checkBoolean, checkInteger, checkOneOf, checkStringList, type Check } from './validate-values.js';

export const REMOVAL_POLICIES: readonly string[] = ['retain', 'destroy'];
const STREAM_VIEWS: readonly string[] = ['new-and-old', 'new', 'old', 'keys'];
const ATTRIBUTE_TYPES: readonly string[] = ['string', 'number', 'binary'];
const BUCKET_METHODS: readonly string[] = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

export const checkRemoval = checkOneOf(REMOVAL_POLICIES, "retain: kept when the stack is deleted or the resource leaves the config (the default on stages named like production); destroy: deleted with it (the default elsewhere)");

/** Runs `rules` on an object's keys after reporting unknown ones; false when it is no object at all. */
function checkKeys(value: unknown, path: KeyPath, report: ConfigReport, rules: Record<string, Check>, what: string, example: string): value is Record<string, unknown> {
  if (!isPlainObject(value)) {
    report.error(path, `must be an object, got ${describeValue(value)}`, `write ${example}`);
    return false;
  }
  report.unknownKeys(value, Object.keys(rules), path, what);
  for (const [key, rule] of Object.entries(rules)) {
    if (value[key] !== undefined) rule(value[key], [...path, key], report);
  }
  return true;
}

function checkAttributeName(value: unknown, path: KeyPath, report: ConfigReport, example: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > DYNAMODB_ATTRIBUTE_MAX) {
    report.error(path, `must be an attribute name (1 to ${DYNAMODB_ATTRIBUTE_MAX} characters), got ${describeValue(value)}`, `write ${example}`);
  }
}

/** `'id'` or `{ name: 'createdAt', type: 'number' }`. */
const checkKeyAttribute: Check = (value, path, report) => {
  const example = "'id' (a string attribute) or { name: 'createdAt', type: 'number' }";
  if (typeof value === 'string') return checkAttributeName(value, path, report, example);
  if (!isPlainObject(value)) {
    report.error(path, `must be an attribute name or { name, type }, got ${describeValue(value)}`, `write ${example}`);
    return;
  }
  report.unknownKeys(value, ['name', 'type'], path, 'key attribute');
  checkAttributeName(value.name, [...path, 'name'], report, example);
  if (value.type !== undefined) checkOneOf(ATTRIBUTE_TYPES, 'DynamoDB keys are strings, numbers or binary')(value.type, [...path, 'type'], report);
};

const attributeOf = (value: unknown): { name: string; type: string } | undefined => {
  if (typeof value === 'string') return { name: value, type: 'string' };
  if (isPlainObject(value) && typeof value.name === 'string') return { name: value.name, type: typeof value.type === 'string' ? value.type : 'string' };
  return undefined;
};

const checkProjection: Check = (value, path, report) => {
  if (value === 'all' || value === 'keys') return;
  if (Array.isArray(value)) return checkStringList("list the attributes the index copies, e.g. ['title', 'createdAt']")(value, path, report);
  report.error(path, `must be 'all', 'keys' or a list of attribute names, got ${describeValue(value)}`, "'all' (the default) copies whole items into the index");
};

const INDEX_RULES: Record<string, Check> = { key: checkKeyAttribute, sort: checkKeyAttribute, projection: checkProjection };

const checkIndexes: Check = (value, path, report) => {
  if (!isPlainObject(value)) {
    report.error(path, `must be an object keyed by index name, got ${describeValue(value)}`, "write indexes: { byAuthor: { key: 'authorId', sort: 'createdAt' } }");
    return;
  }
  const names = Object.keys(value);
  if (names.length > DYNAMODB_INDEXES_MAX) report.error(path, `has ${names.length} indexes, DynamoDB allows ${DYNAMODB_INDEXES_MAX} global secondary indexes per table`, 'drop or combine indexes');
  for (const [name, index] of Object.entries(value)) {
    const at = [...path, name];
    if (!DYNAMODB_INDEX_NAME.test(name)) report.error(at, 'is not a valid index name', 'DynamoDB index names are 3 to 255 letters, digits, underscores, hyphens and dots');
    if (checkKeys(index, at, report, INDEX_RULES, 'index', "{ key: 'authorId', sort: 'createdAt' }") && index.key === undefined) {
      report.error([...at, 'key'], 'is required', "name the index's partition key, e.g. key: 'authorId'");
    }
  }
};

const TABLE_RULES: Record<string, Check> = {
  kind: () => {},
  key: checkKeyAttribute,
  sort: checkKeyAttribute,
  indexes: checkIndexes,
  ttl: (value, path, report) => checkAttributeName(value, path, report, "ttl: 'expiresAt' (an attribute holding epoch seconds)"),
  stream: (value, path, report) => {
    if (value !== false) checkOneOf(STREAM_VIEWS, "what each stream record carries: 'new-and-old' images, 'new', 'old' or 'keys' only; false: no stream")(value, path, report);
  },
  pointInTimeRecovery: checkBoolean,
  removal: checkRemoval,
};

/** The same attribute used as a key twice must have one type: DynamoDB declares each attribute once. */
function checkAttributeTypes(value: Record<string, unknown>, path: KeyPath, report: ConfigReport): void {
  const declared = new Map<string, string>();
  const uses: Array<[unknown, KeyPath]> = [[value.key, [...path, 'key']], [value.sort, [...path, 'sort']]];
  if (isPlainObject(value.indexes)) {
    for (const [name, index] of Object.entries(value.indexes)) {
      if (isPlainObject(index)) uses.push([index.key, [...path, 'indexes', name, 'key']], [index.sort, [...path, 'indexes', name, 'sort']]);
    }
  }
  for (const [use, at] of uses) {
    const attribute = attributeOf(use);
    if (!attribute) continue;
    const earlier = declared.get(attribute.name);
    if (earlier && earlier !== attribute.type) {
      report.error(at, `declares ${attribute.name} as a ${attribute.type}, but another key of this table declares it as a ${earlier}`, 'an attribute has one type in a table: use the same type everywhere');
    }
    declared.set(attribute.name, earlier ?? attribute.type);
  }
  const sort = attributeOf(value.sort);
  if (sort && sort.name === attributeOf(value.key)?.name) report.error([...path, 'sort'], 'is the same attribute as the key', 'a sort key must be another attribute; leave sort out for a key-only table');
}

function checkTable(value: unknown, path: KeyPath, report: ConfigReport): void {
  if (!checkKeys(value, path, report, TABLE_RULES, 'table', "table({ key: 'id' })")) return;
  if (value.key === undefined) report.error([...path, 'key'], 'is required', "name the partition key: table({ key: 'id' })");
  checkAttributeTypes(value, path, report);
}

const checkBucketCors: Check = (value, path, report) => {
  if (typeof value === 'boolean') return;
  checkKeys(value, path, report, {
    origins: (origins, at, r) => {
      if (origins !== '*') checkStringList("write '*' or a list such as ['https://example.com']")(origins, at, r);
    },
    methods: checkStringList(`list methods among ${BUCKET_METHODS.join(', ')}`, { pattern: /^(GET|PUT|POST|DELETE|HEAD)$/, text: `must be one of ${BUCKET_METHODS.join(', ')}` }),
    headers: checkStringList("list header names such as ['Content-Type']"),
    maxAge: checkInteger({ min: 0, max: 86_400 }, 'seconds', 'how long browsers may cache a preflight response'),
  }, 'bucket cors', "cors: { origins: ['https://example.com'] }");
};

const BUCKET_RULES: Record<string, Check> = {
  kind: () => {},
  public: checkBoolean,
  cors: checkBucketCors,
  versioned: checkBoolean,
  expireAfterDays: checkInteger(S3_EXPIRE_DAYS, 'days', 'objects are deleted this many days after they are written'),
  removal: checkRemoval,
};

const QUEUE_RULES: Record<string, Check> = {
  kind: () => {},
  fifo: checkBoolean,
  visibilityTimeout: checkInteger(SQS_VISIBILITY_TIMEOUT, 'seconds', 'SQS hides a received message for 0 to 43200 seconds (12 hours); the default is 30'),
  retention: checkInteger(SQS_RETENTION, 'seconds', 'SQS keeps messages 60 seconds to 1209600 (14 days); the default is 345600 (4 days)'),
  delay: checkInteger(SQS_DELAY, 'seconds', 'SQS delays delivery by at most 900 seconds (15 minutes)'),
  deadLetter: (value, path, report) => {
    if (value === false) return;
    if (checkKeys(value, path, report, { maxReceives: checkInteger(SQS_MAX_RECEIVES, 'receives', 'how many times a message may fail before it moves to the dead-letter queue (1 to 1000)') }, 'deadLetter', '{ maxReceives: 3 }') && value.maxReceives === undefined) {
      report.error([...path, 'maxReceives'], 'is required', 'write deadLetter: { maxReceives: 3 }, or deadLetter: false for no dead-letter queue');
    }
  },
};

const TOPIC_RULES: Record<string, Check> = { kind: () => {}, fifo: checkBoolean };

function checkRaw(value: Record<string, unknown>, path: KeyPath, report: ConfigReport): void {
  report.unknownKeys(value, ['kind', 'resource'], path, 'cloudformation resource');
  const resource = value.resource;
  const at = [...path, 'resource'];
  if (!isPlainObject(resource)) {
    report.error(at, `must be a CloudFormation resource, got ${describeValue(resource)}`, "write cloudformation({ Type: 'AWS::SSM::Parameter', Properties: { … } })");
    return;
  }
  report.unknownKeys(resource, ['Type', 'Properties', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Condition', 'Metadata'], at, 'CloudFormation resource');
  if (typeof resource.Type !== 'string' || !RESOURCE_TYPE.test(resource.Type)) {
    report.error([...at, 'Type'], `must be a resource type such as AWS::SSM::Parameter, got ${describeValue(resource.Type)}`, 'write the type as in a CloudFormation template');
  }
  if (resource.Properties !== undefined && !isPlainObject(resource.Properties)) {
    report.error([...at, 'Properties'], `must be an object, got ${describeValue(resource.Properties)}`, 'write the properties as in a CloudFormation template');
  }
}

const KIND_CHECKS: Record<string, (value: Record<string, unknown>, path: KeyPath, report: ConfigReport) => void> = {
  table: checkTable,
  bucket: (value, path, report) => void checkKeys(value, path, report, BUCKET_RULES, 'bucket', 'bucket()'),
  queue: (value, path, report) => void checkKeys(value, path, report, QUEUE_RULES, 'queue', 'queue()'),
  topic: (value, path, report) => void checkKeys(value, path, report, TOPIC_RULES, 'topic', 'topic()'),
  cloudformation: checkRaw,
};

/** `resources: { posts: table({ key: 'id' }), … }`. */
export const checkResources: Check = (value, path, report) => {
  const hint = "import { table, bucket, queue, topic } from 'sls-ts/config' and write resources: { posts: table({ key: 'id' }) }";
  if (!isPlainObject(value)) {
    report.error(path, `must be an object keyed by resource name, got ${describeValue(value)}`, hint);
    return;
  }
  for (const [name, declaration] of Object.entries(value)) {
    const at = [...path, name];
    if (!RESOURCE_NAME.test(name) || name.length > RESOURCE_NAME_MAX) {
      report.error(at, `is not a valid resource name`, `resource names are camelCase identifiers (a lowercase letter first, then letters and digits, at most ${RESOURCE_NAME_MAX}), e.g. posts or userUploads: code reads them as resources.${'posts'}`);
    }
    if (!isPlainObject(declaration)) {
      report.error(at, `must be a resource, got ${describeValue(declaration)}`, hint);
      continue;
    }
    const kind = declaration.kind;
    const check = typeof kind === 'string' && Object.hasOwn(KIND_CHECKS, kind) ? KIND_CHECKS[kind] : undefined;
    if (!check) {
      report.error([...at, 'kind'], `must be one of ${RESOURCE_KINDS.join(', ')}, got ${describeValue(kind)}`, hint);
      continue;
    }
    check(declaration, at, report);
  }
  // Physical bucket names are lowercase, so `fooBar` and `foobar` would be one bucket locally and
  // read as one resource to anybody: names that differ only in case are refused for every kind.
  const byLowercase = new Map<string, string>();
  for (const name of Object.keys(value)) {
    const earlier = byLowercase.get(name.toLowerCase());
    if (earlier) report.error([...path, name], `differs from resources.${earlier} only in case`, 'physical names (buckets\' in particular) are lowercase, so the two would collide: rename one');
    else byLowercase.set(name.toLowerCase(), name);
  }
};

/** A link: `'posts'` or `{ name: 'posts', readOnly: true }`, naming a declared resource. */
export function checkLinks(resourceNames: readonly string[]): Check {
  return (value, path, report) => {
    const example = "link: ['posts', { name: 'uploads', readOnly: true }]";
    if (!Array.isArray(value)) {
      report.error(path, `must be an array of resource names, got ${describeValue(value)}`, `write ${example}`);
      return;
    }
    value.forEach((entry: unknown, index) => {
      const at = [...path, index];
      let name: unknown = entry;
      if (isPlainObject(entry)) {
        report.unknownKeys(entry, ['name', 'readOnly'], at, 'link');
        if (entry.readOnly !== undefined) checkBoolean(entry.readOnly, [...at, 'readOnly'], report);
        name = entry.name;
      }
      if (typeof name !== 'string') {
        report.error(at, `must be a resource name or { name, readOnly }, got ${describeValue(entry)}`, `write ${example}`);
      } else if (!resourceNames.includes(name)) {
        const near = closestMatch(name, resourceNames);
        const known = resourceNames.length > 0 ? `declared resources: ${resourceNames.join(', ')}` : 'no resources are declared: add them under `resources` in sls-ts.config.ts';
        report.error(at, `links ${JSON.stringify(name)}, which is not a declared resource`, near ? `did you mean '${near}'? ${known}` : known);
      }
    });
  };
}

/** Where a config (or a stage's overrides) can link: the app, controllers, their actions, jobs, functions. */
function linkPaths(settings: Record<string, unknown>, path: KeyPath): Array<[unknown, KeyPath]> {
  const found: Array<[unknown, KeyPath]> = [];
  if (settings.link !== undefined) found.push([settings.link, [...path, 'link']]);
  for (const group of ['controllers', 'jobs', 'functions']) {
    const entries = settings[group];
    if (!isPlainObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (!isPlainObject(entry)) continue;
      if (entry.link !== undefined) found.push([entry.link, [...path, group, name, 'link']]);
      if (group === 'controllers' && isPlainObject(entry.actions)) {
        for (const [action, actionSettings] of Object.entries(entry.actions)) {
          if (isPlainObject(actionSettings) && actionSettings.link !== undefined) found.push([actionSettings.link, [...path, group, name, 'actions', action, 'link']]);
        }
      }
    }
  }
  return found;
}

/** Checks `resources` and every `link` (the app's, each stage's) against the declared names. */
export function checkResourcesAndLinks(config: Record<string, unknown>, report: ConfigReport): void {
  if (config.resources !== undefined) checkResources(config.resources, ['resources'], report);
  const names = isPlainObject(config.resources) ? Object.keys(config.resources) : [];
  const checkLink = checkLinks(names);
  const places = linkPaths(config, []);
  if (isPlainObject(config.stages)) {
    for (const [stage, overrides] of Object.entries(config.stages)) {
      if (isPlainObject(overrides)) places.push(...linkPaths(overrides, ['stages', stage]));
    }
  }
  for (const [value, path] of places) checkLink(value, path, report);
}
