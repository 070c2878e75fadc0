// API Gateway closes a WebSocket connection with 1009 when a client sends a frame over 32 KB,
// even inside a message under the 128 KB message limit (doc "Quotas for configuring and running a
// WebSocket in API Gateway": larger messages must be split into frames of 32 KB or less). The ws
// package limits only whole messages (maxPayload), so this reads the frame headers of what the
// client sends, beside ws, and says when one is over the limit.
import type { Duplex } from 'node:stream';

export { MESSAGE_LIMIT } from '../../local/connections-api.js';
export const FRAME_LIMIT = 32 * 1024;

/** Calls `onTooLarge(bytes)` for the first client frame whose payload exceeds `limit`. */
export function watchFrameSizes(socket: Duplex, limit: number, onTooLarge: (bytes: number) => void): void {
  let pending = Buffer.alloc(0);
  // Payload bytes of the current frame still to come before the next frame header.
  let skip = 0;
  const onData = (chunk: Buffer) => {
    let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (skip > 0) {
        const taken = Math.min(skip, data.length);
        skip -= taken;
        data = data.subarray(taken);
        continue;
      }
      const header = frameHeader(data);
      if (!header) {
        pending = Buffer.from(data);
        return;
      }
      if (header.payload > limit) {
        socket.off('data', onData);
        onTooLarge(header.payload);
        return;
      }
      skip = header.payload;
      data = data.subarray(header.length);
    }
  };
  socket.on('data', onData);
}

/** RFC 6455 §5.2: the header's length (mask key included) and the payload's, or undefined when not all here yet. */
function frameHeader(data: Buffer): { length: number; payload: number } | undefined {
  if (data.length < 2) return undefined;
  const masked = (data[1]! & 0x80) !== 0;
  const short = data[1]! & 0x7f;
  const extra = short === 126 ? 2 : short === 127 ? 8 : 0;
  const length = 2 + extra + (masked ? 4 : 0);
  if (data.length < length) return undefined;
  const payload = short === 126 ? data.readUInt16BE(2) : short === 127 ? Number(data.readBigUInt64BE(2)) : short;
  return { length, payload };
}
