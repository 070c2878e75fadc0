// The ids and timestamps API Gateway stamps on each request: trace ids, short request ids,
// resource ids and the request time, in the formats the real gateway uses.
import { createHash, randomBytes } from 'node:crypto';

// Ids are made for every request the dev server handles: one randomBytes call per 4 KB of ids
// instead of two per request keeps that off the request path's profile — and its hex text made
// once per 4 KB too, so that a trace id is a slice of a string rather than a Buffer encoded.
let entropy = Buffer.alloc(0);
let entropyHex = '';
let entropyOffset = 0;
function randomHex(bytes: number): string {
  const start = reserve(bytes);
  return entropyHex.slice(2 * start, 2 * (start + bytes));
}
function randomChunk(bytes: number): Buffer {
  const start = reserve(bytes);
  return entropy.subarray(start, start + bytes);
}
/** The offset of `bytes` fresh random bytes in `entropy`. */
function reserve(bytes: number): number {
  if (entropyOffset + bytes > entropy.length) {
    entropy = randomBytes(4096);
    entropyHex = entropy.toString('hex');
    entropyOffset = 0;
  }
  const start = entropyOffset;
  entropyOffset += bytes;
  return start;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `10/Jul/2026:19:19:04 +0000` — the format of `requestTime` (v1) and `time` (v2). */
let lastSecond = NaN;
let lastFormatted = '';

export function formatRequestTime(date: Date): string {
  // Second precision: a dev server under load formats the same second thousands of times.
  const second = Math.floor(date.getTime() / 1000);
  if (second === lastSecond) return lastFormatted;
  lastSecond = second;
  return (lastFormatted = formatSecond(date));
}

function formatSecond(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}`;
  return `${day}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** X-Ray trace header value as the gateway stamps it: `Root=1-<epoch hex>-<96 random bits>`. */
let traceSecond = NaN;
let tracePrefix = '';
export function createTraceId(date: Date): string {
  // The epoch part changes once a second: made once a second.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== traceSecond) {
    traceSecond = second;
    tracePrefix = `Root=1-${second.toString(16).padStart(8, '0')}-`;
  }
  return tracePrefix + randomHex(12);
}

/** API Gateway's short ids (`ATfSmjLgPHcESJw=`) are 11 random bytes in base64. */
export function createShortRequestId(): string {
  return randomChunk(11).toString('base64');
}

const resourceIds = new Map<string, string>();
/** A stable 6-character id per resource template, as real resource ids are (memoised: a dev server asks per request). */
export function resourceIdOf(resource: string): string {
  let id = resourceIds.get(resource);
  if (!id) resourceIds.set(resource, (id = createHash('sha1').update(resource).digest('hex').slice(0, 6)));
  return id;
}
