// AWS Signature Version 4 and one signed JSON-protocol call, by hand with node:crypto: the runtime
// ships without the AWS SDK. performLater and channels' @connections calls use it, so only bundles
// that enqueue jobs or post to connections carry it.
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigningScope {
  region: string;
  service: string;
  credentials: AwsCredentials;
  now: Date;
  /**
   * Encode each path segment once more in the canonical request, as SigV4 wants for every service
   * but S3 (the SDK's default `uriEscapePath`): `/@connections/a%3D` is signed as `/%40connections/a%253D`.
   */
  escapePath?: boolean;
}

export interface UnsignedRequest {
  method: string;
  url: URL;
  /** Every header given is signed; `host`, `x-amz-date` (and the session token) are added. */
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** The request's headers, lower-cased, with `host`, `x-amz-date`, the session token and `authorization` added. */
export function signRequest(request: UnsignedRequest, scope: SigningScope): Record<string, string> {
  const { credentials } = scope;
  const amzDate = scope.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { host: request.url.host };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers['x-amz-date'] = amzDate;
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;

  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [
    request.method.toUpperCase(),
    scope.escapePath ? (request.url.pathname || '/').split('/').map(encodeRfc3986).join('/') : request.url.pathname || '/',
    canonicalQuery(request.url.searchParams),
    // Values trimmed, inner runs of spaces folded to one, as the algorithm defines.
    names.map((name) => `${name}:${headers[name]!.trim().replace(/ +/g, ' ')}\n`).join(''),
    signedHeaders,
    sha256(request.body),
  ].join('\n');
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

export interface JsonCall {
  service: string;
  /** `AmazonSQS.SendMessage` */
  target: string;
  /** `application/x-amz-json-1.0` */
  contentType: string;
  endpoint: string;
  region: string;
  credentials: AwsCredentials;
  body: unknown;
}

/** An error AWS answered with: `code` is the error's type (`QueueDoesNotExist`). */
export class AwsError extends Error {
  override name = 'AwsError';
  constructor(readonly code: string, message: string, readonly statusCode: number) {
    super(`${code}: ${message}`);
  }
}

/** POSTs a JSON-protocol operation (SQS, DynamoDB, EventBridge …) signed for `service`, and parses the answer. */
export async function callJsonApi(call: JsonCall): Promise<Record<string, unknown>> {
  const url = new URL(call.endpoint);
  const body = JSON.stringify(call.body);
  const headers = signRequest(
    { method: 'POST', url, headers: { 'content-type': call.contentType, 'x-amz-target': call.target }, body },
    { region: call.region, service: call.service, credentials: call.credentials, now: new Date() },
  );
  const { status, text } = await sendRequest('POST', url, { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body);
  const parsed = parseJson(text);
  if (status >= 200 && status < 300) return parsed ?? {};
  // `__type` is `com.amazonaws.sqs#QueueDoesNotExist` (or the bare name); the message's key varies in case.
  const type = String(parsed?.__type ?? parsed?.code ?? `HTTP ${status}`);
  throw new AwsError(type.slice(type.lastIndexOf('#') + 1), String(parsed?.message ?? parsed?.Message ?? text), status);
}

/** One HTTP(S) request with a signed set of headers; the answer's status and text. */
export function sendRequest(method: string, url: URL, headers: Record<string, string>, body: string | Uint8Array): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256 = (data: string | Uint8Array) => (typeof data === 'string' ? createHash('sha256').update(data, 'utf8') : createHash('sha256').update(data)).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
