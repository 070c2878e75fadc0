import { deflateSync } from 'node:zlib';
import ApplicationController from './application-controller';

export default class ImagesController extends ApplicationController {
  /** A binary response: the Buffer goes out base64-encoded with isBase64Encoded: true. */
  logo() {
    this.setHeader('Cache-Control', 'public, max-age=86400');
    return this.send(logoPng(), { contentType: 'image/png' });
  }
}

let cached: Buffer | undefined;

/** A 16×16 PNG with a diagonal stripe, built once per warm environment. */
function logoPng(): Buffer {
  if (cached) return cached;
  const size = 16;
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < size; x++) rows.push(...(Math.abs(x - y) < 3 ? [255, 153, 0] : [35, 47, 62]));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return (cached = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]));
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
