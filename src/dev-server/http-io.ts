import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayResponse } from '../runtime/emulation/index.js';

/**
 * Reads the body, or reports `tooLarge` as soon as it passes `limit` bytes (API Gateway's 10 MB), or
 * `timedOut` when it has not all arrived within `timeoutMs` (API Gateway cuts a request at ~30 s).
 */
export function readBody(request: IncomingMessage, limit: number, timeoutMs: number): Promise<{ body: Buffer; tooLarge: boolean; timedOut: boolean }> {
  const declared = Number(request.headers['content-length'] ?? 0);
  // No Content-Length and no chunked body: nothing to wait for (most GETs).
  if (declared === 0 && request.headers['transfer-encoding'] === undefined) {
    request.resume();
    return Promise.resolve({ body: Buffer.alloc(0), tooLarge: false, timedOut: false });
  }
  if (declared > limit) {
    request.resume();
    return Promise.resolve({ body: Buffer.alloc(0), tooLarge: true, timedOut: false });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    };
    const onEnd = () => {
      clearTimeout(timer);
      resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge, timedOut: false });
    };
    // Only our own listeners go: node:http keeps its own on the request. What still arrives is
    // dropped (the stream keeps flowing) until the connection closes with the answer.
    const timer = setTimeout(() => {
      request.off('data', onData).off('end', onEnd);
      request.on('data', () => {});
      resolve({ body: Buffer.alloc(0), tooLarge: false, timedOut: true });
    }, timeoutMs);
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Bytes in the values of every request header (API Gateway's REST header quota counts these, item 69). */
export function headerValuesSize(raw: readonly string[]): number {
  let size = 0;
  for (let i = 1; i < raw.length; i += 2) size += Buffer.byteLength(raw[i]!);
  return size;
}

/** The last value the client sent for a header, whatever the casing of its name. */
export function lastRawHeader(raw: readonly string[], lowerName: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === lowerName) found = raw[i + 1];
  return found;
}

const SMALL_BODY = 16 * 1024;

/** Writes a response keeping repeated headers (several Set-Cookie) as separate lines (item 47). */
export function writeResponse(response: ServerResponse, method: string, gateway: GatewayResponse, extraHeaders: Array<[string, string]> = []): void {
  const flat: string[] = [];
  for (const [name, value] of gateway.headers) flat.push(name, value);
  for (const [name, value] of extraHeaders) flat.push(name, value);
  // Node computes Content-Length itself; a HEAD response carries the headers but no body.
  flat.push('Content-Length', String(gateway.body.length));
  response.writeHead(gateway.status, flat);
  if (method === 'HEAD') response.end();
  // A small body as latin1 text (byte for byte the same): Node then sends it with the head in one
  // write, where a Buffer takes a writev of two — a cost a server answering thousands a second feels.
  else if (gateway.body.length <= SMALL_BODY) response.end(gateway.body.toString('latin1'), 'latin1');
  else response.end(gateway.body);
}
