// DynamoDB's attribute-value JSON (what a stream record carries) to plain values, so a job reads
// `record.newImage.title` rather than `NewImage.title.S`. The SDK's util-dynamodb does this too,
// but the runtime ships without dependencies.
import type { AttributeValue } from './types.js';

export type DynamoValue = string | number | boolean | null | Buffer | DynamoValue[] | Set<string | number | Buffer> | { [name: string]: DynamoValue };

/** An item or key: `{ id: { S: 'a' }, n: { N: '1' } }` → `{ id: 'a', n: 1 }`. */
export function unmarshallItem(item: Record<string, AttributeValue>): Record<string, DynamoValue> {
  const plain: Record<string, DynamoValue> = {};
  for (const [name, value] of Object.entries(item)) plain[name] = unmarshallValue(value);
  return plain;
}

export function unmarshallValue(value: AttributeValue): DynamoValue {
  if ('S' in value) return value.S;
  if ('N' in value) return toNumber(value.N);
  if ('B' in value) return Buffer.from(value.B, 'base64');
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('M' in value) return unmarshallItem(value.M);
  if ('L' in value) return value.L.map(unmarshallValue);
  if ('SS' in value) return new Set(value.SS);
  if ('NS' in value) return new Set(value.NS.map(toNumber));
  if ('BS' in value) return new Set(value.BS.map((b64) => Buffer.from(b64, 'base64')));
  throw new TypeError(`sls-ts: unknown DynamoDB attribute value ${JSON.stringify(value)}`);
}

/**
 * DynamoDB numbers carry up to 38 digits; a JS number keeps about 15. A number that would lose
 * digits stays the string DynamoDB sent, so no amount or id is silently rounded.
 */
function toNumber(text: string): number | string {
  const number = Number(text);
  if (!Number.isFinite(number)) return text;
  if (Number.isInteger(number) && /^-?\d+$/.test(text)) return Number.isSafeInteger(number) ? number : text;
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length <= 15 ? number : text;
}

/** Plain values to DynamoDB's JSON, as the stream carries them (for events/ builders): the inverse of unmarshallValue. */
export function marshallValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null || value === undefined) return { NULL: true };
  if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { L: value.map(marshallValue) };
  if (value instanceof Set) {
    const members = [...value];
    if (members.every((member) => typeof member === 'string')) return { SS: members };
    if (members.every((member) => typeof member === 'number' || typeof member === 'bigint')) return { NS: members.map(String) };
    if (members.every((member) => member instanceof Uint8Array)) return { BS: members.map((member) => Buffer.from(member).toString('base64')) };
    throw new TypeError('sls-ts: a DynamoDB set holds only strings, only numbers or only binary values');
  }
  if (typeof value === 'object') return { M: marshallItem(value as Record<string, unknown>) };
  throw new TypeError(`sls-ts: ${typeof value} is no DynamoDB value`);
}

export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, marshallValue(value)]));
}
