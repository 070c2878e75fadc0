// The `cidr` operator: is an address inside a block. Parsed by hand (node:net has no "contains"
// for IPv6 before BlockList, and BlockList cannot say why a block is malformed).

type Address = { bits: bigint; width: 32 | 128 };

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let bits = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    bits = (bits << 8n) | BigInt(Number(part));
  }
  return bits;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => parseInt(group, 16));
}

function parseIpv6(text: string): bigint | undefined {
  // An embedded IPv4 tail (::ffff:10.0.0.1) is the last two groups written another way.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    return parseIpv6(`${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const left = parseGroups(halves[0]!);
  const right = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const given = left.length + right.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const groups = [...left, ...Array<number>(8 - given).fill(0), ...right];
  return groups.reduce((bits, group) => (bits << 16n) | BigInt(group), 0n);
}

function parseAddress(text: string): Address | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { bits: v4, width: 32 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { bits: v6, width: 128 };
}

type Block = Address & { prefix: number };

/** `10.0.0.0/24`, `2001:db8::/32`, or a bare address (a block of one). Undefined when malformed. */
export function parseCidr(text: string): Block | undefined {
  const [ip = '', length, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const address = parseAddress(ip);
  if (!address) return undefined;
  if (length === undefined) return { ...address, prefix: address.width };
  if (!/^\d{1,3}$/.test(length) || Number(length) > address.width) return undefined;
  return { ...address, prefix: Number(length) };
}

export function isInCidr(ip: string, block: string): boolean {
  const range = parseCidr(block);
  const address = parseAddress(ip);
  if (!range || !address || range.width !== address.width) return false;
  const shift = BigInt(range.width - range.prefix);
  return address.bits >> shift === range.bits >> shift;
}
