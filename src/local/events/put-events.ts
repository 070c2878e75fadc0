// PutEvents as EventBridge checks it: the request's limits (1 to 10 entries, 256 KB together),
// then each entry on its own, failing alone with EventBridge's error code; an accepted entry
// becomes the event rules match and targets receive.
import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../../shared/objects.js';

export class EventsError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** An event as a bus delivers it to a rule's targets; the runtime's ScheduledEvent spells it again for app code (local may not import runtime; a test keeps them assignable). */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** Whole seconds, as EventBridge writes it: `2016-12-30T18:44:49Z`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface AcceptedEntry {
  bus: string;
  event: BusEvent;
}

export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;
export const DEFAULT_BUS = 'default';

const utf8 = (text: unknown) => (typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0);

/** EventBridge's documented count ("Calculating PutEvents event entry size"): Time counts 14 bytes. */
function entrySize(entry: Record<string, unknown>): number {
  const resources = Array.isArray(entry.Resources) ? entry.Resources.reduce((sum: number, resource) => sum + utf8(resource), 0) : 0;
  return (entry.Time === undefined ? 0 : 14) + utf8(entry.Source) + utf8(entry.DetailType) + utf8(entry.Detail) + resources;
}

/** A bus's name from its name or ARN (`arn:aws:events:…:event-bus/orders`). */
export function busName(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return arn ? arn[1]! : nameOrArn;
}

/** The request's entries, when the request as a whole is acceptable. */
export function readEntries(input: Record<string, unknown>): Record<string, unknown>[] {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new EventsError('ValidationException', '1 validation error detected: Value at \'entries\' failed to satisfy constraint: Member must have length greater than or equal to 1');
  }
  if (entries.length > MAX_ENTRIES) {
    throw new EventsError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`);
  }
  if (!entries.every(isPlainObject)) throw new EventsError('SerializationException', 'Each entry must be a JSON object.');
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > MAX_REQUEST_BYTES) throw new EventsError('ValidationException', `Total size of the entries in the request is over the limit (${total} bytes; at most ${MAX_REQUEST_BYTES}).`);
  return entries;
}

const invalid = (parameter: string, reason: string): EntryResult => ({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` });

/** `Time` as the SDK sends it (epoch seconds) or as a string; the call's time without it. */
function eventTime(time: unknown, now: Date): string | undefined {
  const date = time === undefined ? now : typeof time === 'number' ? new Date(time * 1000) : typeof time === 'string' ? new Date(time) : undefined;
  if (!date || Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** One entry: the event it makes, or why EventBridge would refuse it. */
export function acceptEntry(entry: Record<string, unknown>, where: { region: string; account: string; now: Date }): AcceptedEntry | EntryResult {
  for (const name of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[name] !== 'string' || entry[name] === '') return invalid(name, `${name} is a required argument.`);
  }
  const source = entry.Source as string;
  // AWS services' events come from AWS: an application may not put events in their name.
  if (source.startsWith('aws.')) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  if (!isPlainObject(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((resource) => typeof resource === 'string')) return invalid('Resources', 'Resources must be a list of ARNs.');
  const time = eventTime(entry.Time, where.now);
  if (time === undefined) return invalid('Time', 'Time must be a timestamp.');
  return {
    bus: busName(typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined),
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType as string,
      source,
      account: where.account,
      time,
      region: where.region,
      resources: resources as string[],
      detail,
    },
  };
}
