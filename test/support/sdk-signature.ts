// What a fake AWS endpoint checks a hand-signed request with: the AWS SDK's own SigV4 signer
// (@smithy/signature-v4), given the headers the request says it signed. Shared by the tests of
// the runtime's signed calls (performLater's SQS call, a channel's @connections posts).
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

class NodeSha256 {
  private readonly hash;
  constructor(secret?: unknown) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: unknown) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const bytes = (data: unknown): string | Buffer => (typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data as ArrayBuffer));

/** The authorization header the SDK would send for this request (its signing date, headers and session token). */
export async function sdkAuthorization(request: IncomingMessage, body: string, scope: { service: string; region: string; secretAccessKey: string }): Promise<string> {
  const auth = String(request.headers.authorization);
  const signedNames = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
  const accessKeyId = /Credential=([^/]+)\//.exec(auth)?.[1] ?? '';
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`);
  const token = request.headers['x-amz-security-token'];
  const signer = new SignatureV4({
    service: scope.service,
    region: scope.region,
    sha256: NodeSha256,
    applyChecksum: false,
    credentials: { accessKeyId, secretAccessKey: scope.secretAccessKey, ...(typeof token === 'string' && { sessionToken: token }) },
  });
  const headers = Object.fromEntries(signedNames.filter((name) => name !== 'x-amz-date' && name !== 'x-amz-security-token').map((name) => [name, String(request.headers[name])]));
  const [hostname, port] = String(request.headers.host).split(':');
  const signed = await signer.sign({ method: request.method!, protocol: 'http:', hostname: hostname!, port: Number(port), path: request.url!, query: {}, headers, body }, { signingDate });
  return String(signed.headers.authorization);
}
