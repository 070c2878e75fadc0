// AWS SDK v3 sends stream bodies to S3 in `aws-chunked` framing with a checksum trailer (its
// default since 2025). S3 unwraps it; s3rver predates it and would store the framing as the
// object. This unwraps it in front of s3rver, so unmodified SDK code stores what it sent.
import { Transform, type TransformCallback } from 'node:stream';

/** True for a request whose body is framed: `Content-Encoding: aws-chunked` or a STREAMING- payload hash. */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  return /(^|,)\s*aws-chunked\s*(,|$)/i.test(encoding) || String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
}

/** Makes the headers describe the unwrapped body: its decoded length, no aws-chunked encoding. */
export function unframeHeaders(headers: Record<string, string | string[] | undefined>): void {
  const decoded = headers['x-amz-decoded-content-length'];
  if (decoded !== undefined) headers['content-length'] = String(decoded);
  else delete headers['content-length'];
  const encoding = String(headers['content-encoding'] ?? '').split(',').map((part) => part.trim()).filter((part) => part && part.toLowerCase() !== 'aws-chunked');
  if (encoding.length > 0) headers['content-encoding'] = encoding.join(', ');
  else delete headers['content-encoding'];
}

/** `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n<trailers>\r\n\r\n` → the data. */
export function createAwsChunkedDecoder(): Transform {
  let buffer: Buffer = Buffer.alloc(0);
  // Bytes of the current chunk's data still to pass on; -1 while reading a size line.
  let remaining = -1;
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      try {
        while (!done) {
          if (remaining < 0) {
            const end = buffer.indexOf('\r\n');
            if (end < 0) break;
            const size = Number.parseInt(buffer.subarray(0, end).toString('latin1').split(';')[0]!, 16);
            if (!Number.isFinite(size) || size < 0) throw new Error('malformed aws-chunked body: bad chunk size');
            buffer = buffer.subarray(end + 2);
            // The last chunk is empty; trailers (checksums) follow and carry no data.
            if (size === 0) done = true;
            else remaining = size;
          } else {
            const take = Math.min(remaining, buffer.length);
            if (take > 0) {
              this.push(buffer.subarray(0, take));
              buffer = buffer.subarray(take);
              remaining -= take;
            }
            // The chunk's data ends with a CRLF: wait for the rest of the data and for it.
            if (remaining > 0 || buffer.length < 2) break;
            buffer = buffer.subarray(2);
            remaining = -1;
          }
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
