// DynamoDB stream records as Lambda receives them (`event.Records[n]` of a DynamoDB stream event),
// built from an item's image before and after a write.
import { randomBytes } from 'node:crypto';
import type { StreamView } from '../config/resources.js';

/** An item in DynamoDB's JSON (`{ id: { S: 'a' } }`). */
export type Item = Record<string, AttributeValue>;
type AttributeValue = Record<string, unknown>;

export type StreamViewType = 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  eventSourceARN: string;
  /** Only on removals by TTL. */
  userIdentity?: { type: 'Service'; principalId: 'dynamodb.amazonaws.com' };
}

const VIEW_TYPES: Record<StreamView, StreamViewType> = { 'new-and-old': 'NEW_AND_OLD_IMAGES', new: 'NEW_IMAGE', old: 'OLD_IMAGE', keys: 'KEYS_ONLY' };

export const streamViewType = (view: StreamView): StreamViewType => VIEW_TYPES[view];

/** Bytes of a number as DynamoDB counts them: about one per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text.replace(/^[-+]?0*|[.eE].*$/g, '').length + (/\.(\d+)/.exec(text)?.[1]?.replace(/0+$/, '').length ?? 0);
  return Math.ceil(Math.max(digits, 1) / 2) + 1;
}

/** An attribute value's size by DynamoDB's item size rules (names are counted by the caller). */
function valueSize(value: AttributeValue): number {
  const [type, data] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S': return Buffer.byteLength(data as string);
    case 'N': return numberSize(data as string);
    case 'B': return Buffer.from(data as string, 'base64').length;
    case 'SS': return (data as string[]).reduce((sum, s) => sum + Buffer.byteLength(s), 0);
    case 'NS': return (data as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS': return (data as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    // A list or map costs 3 bytes, and each element 1 more.
    case 'L': return 3 + (data as AttributeValue[]).reduce((sum, element) => sum + 1 + valueSize(element), 0);
    case 'M': return 3 + Object.entries(data as Item).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueSize(element), 0);
    default: return 1;
  }
}

/** An item's size in bytes, as DynamoDB counts it: attribute names plus values. */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

/** The same item regardless of attribute order: a write that changed nothing writes no stream record. */
export function sameItem(a: Item, b: Item): boolean {
  const canonical = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  };
  return canonical(a) === canonical(b);
}

export interface StreamSource {
  region: string;
  /** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` */
  arn: string;
  viewType: StreamViewType;
  keyNames: readonly string[];
}

/** The record of one write, or undefined when it changed nothing (a delete of a missing item, an identical put). */
export function buildStreamRecord(source: StreamSource, change: { before?: Item; after?: Item; byTtl?: boolean }, sequenceNumber: string, now: Date): StreamRecord | undefined {
  const { before, after } = change;
  const image = after ?? before;
  if (!image || (before && after && sameItem(before, after))) return undefined;
  const keys = Object.fromEntries(source.keyNames.filter((name) => image[name] !== undefined).map((name) => [name, image[name]!]));
  const withNew = after && (source.viewType === 'NEW_IMAGE' || source.viewType === 'NEW_AND_OLD_IMAGES');
  const withOld = before && (source.viewType === 'OLD_IMAGE' || source.viewType === 'NEW_AND_OLD_IMAGES');
  return {
    eventID: randomBytes(16).toString('hex'),
    eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: source.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(now.getTime() / 1000),
      Keys: keys,
      ...(withNew && { NewImage: after }),
      ...(withOld && { OldImage: before }),
      SequenceNumber: sequenceNumber,
      SizeBytes: itemSize(keys) + (withNew ? itemSize(after) : 0) + (withOld ? itemSize(before) : 0),
      StreamViewType: source.viewType,
    },
    eventSourceARN: source.arn,
    ...(change.byTtl && !after && { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }),
  };
}
