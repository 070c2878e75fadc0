// AWS Signature Version 4 and one signed JSON-protocol call, by hand with node:crypto: the runtime
// ships without the AWS SDK. Only performLater uses it, so only bundles that enqueue jobs carry it.
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
}

export interface UnsignedRequest {
  method: string;
  url: URL;
  /** Every header given is signed; `host`, `x-amz-date` (and the session token) are added. */
  headers: Record<string, string>;
  body: string;
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
    request.url.pathname || '/',
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
  const { status, text } = await post(url, { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body);
  const parsed = parseJson(text);
  if (status >= 200 && status < 300) return parsed ?? {};
  // `__type` is `com.amazonaws.sqs#QueueDoesNotExist` (or the bare name); the message's key varies in case.
  const type = String(parsed?.__type ?? parsed?.code ?? `HTTP ${status}`);
  throw new AwsError(type.slice(type.lastIndexOf('#') + 1), String(parsed?.message ?? parsed?.Message ?? text), status);
}

function post(url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
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

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
