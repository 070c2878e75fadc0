// The checksums SQS returns: MD5 of the body (which the AWS SDK v3 checks on every send and
// receive), and MD5 of the message attributes, over SQS's own binary encoding of them: for each
// attribute in name order, the name, the data type, a transport byte (1 string, 2 binary, 3 string
// list, 4 binary list) and the value(s), every string or value prefixed by its 4-byte big-endian length.
import { createHash, type Hash } from 'node:crypto';

/** A message attribute as the JSON protocol carries it (binary values base64). */
export interface WireAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function lengthPrefixed(hash: Hash, bytes: Buffer): void {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  hash.update(length).update(bytes);
}

export function md5OfAttributes(attributes: Readonly<Record<string, WireAttribute>>): string {
  const hash = createHash('md5');
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    lengthPrefixed(hash, Buffer.from(name, 'utf8'));
    lengthPrefixed(hash, Buffer.from(value.DataType, 'utf8'));
    if (value.StringValue !== undefined) {
      hash.update(Buffer.of(1));
      lengthPrefixed(hash, Buffer.from(value.StringValue, 'utf8'));
    } else if (value.BinaryValue !== undefined) {
      hash.update(Buffer.of(2));
      lengthPrefixed(hash, Buffer.from(value.BinaryValue, 'base64'));
    } else if (value.StringListValues !== undefined) {
      hash.update(Buffer.of(3));
      for (const item of value.StringListValues) lengthPrefixed(hash, Buffer.from(item, 'utf8'));
    } else {
      hash.update(Buffer.of(4));
      for (const item of value.BinaryListValues ?? []) lengthPrefixed(hash, Buffer.from(item, 'base64'));
    }
  }
  return hash.digest('hex');
}
