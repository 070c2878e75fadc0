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
