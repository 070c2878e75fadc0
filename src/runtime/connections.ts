// API Gateway's @connections management API (PostToConnection, GetConnection, DeleteConnection),
// called by hand with SigV4 like performLater's SQS call: the runtime ships without the AWS SDK.
// Endpoint: https://<domainName>/<stage> of the event, or AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI
// (the variable the AWS SDK reads too, which sls-ts server sets to its local @connections service).
import { AwsError, parseJson, sendRequest, signRequest, type AwsCredentials } from './aws-request.js';

export interface ConnectionsTarget {
  /** `https://abc123.execute-api.eu-west-1.amazonaws.com/dev` */
  endpoint: string;
  region: string;
}

/** What a post to one connection came to: `gone` is API Gateway's 410 GoneException (the client has left). */
export type PostOutcome = 'sent' | 'gone';

export function connectionsTarget(domainName: string, stage: string): ConnectionsTarget {
  const env = globalThis.process?.env ?? {};
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || /\.execute-api\.([a-z0-9-]+)\./.exec(domainName)?.[1] || 'us-east-1';
  const endpoint = env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI || `https://${domainName}/${stage}`;
  return { endpoint, region };
}

/** The bytes a post sends: text as UTF-8, bytes as they are, anything else as JSON. */
export function messageBytes(data: unknown): string | Uint8Array {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  const json = JSON.stringify(data);
  if (json === undefined) throw new TypeError(`a channel message must be text, bytes or JSON-serializable, got ${typeof data}`);
  return json;
}

export async function postToConnection(target: ConnectionsTarget, connectionId: string, data: unknown): Promise<PostOutcome> {
  const { status, text } = await call(target, 'POST', connectionId, messageBytes(data));
  if (status >= 200 && status < 300) return 'sent';
  if (status === 410) return 'gone';
  throw failure(status, text);
}

/** Closes a connection from the server's side (DeleteConnection); false when it was already gone. */
export async function deleteConnection(target: ConnectionsTarget, connectionId: string): Promise<boolean> {
  const { status, text } = await call(target, 'DELETE', connectionId, '');
  if (status >= 200 && status < 300) return true;
  if (status === 410) return false;
  throw failure(status, text);
}

function credentialsFromEnv(): AwsCredentials {
  const env = globalThis.process?.env ?? {};
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) throw new Error('channel: no AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) in the environment to sign the @connections call');
  return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
}

async function call(target: ConnectionsTarget, method: string, connectionId: string, body: string | Uint8Array) {
  const url = new URL(target.endpoint);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/@connections/${encodeURIComponent(connectionId)}`;
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const headers = signRequest(
    { method, url, headers: length > 0 ? { 'content-type': typeof body === 'string' ? 'application/json' : 'application/octet-stream' } : {}, body },
    { region: target.region, service: 'execute-api', credentials: credentialsFromEnv(), now: new Date(), escapePath: true },
  );
  return sendRequest(method, url, { ...headers, 'content-length': String(length) }, body);
}

function failure(status: number, text: string): AwsError {
  const parsed = parseJson(text);
  return new AwsError(String(parsed?.__type ?? parsed?.code ?? `HTTP ${status}`), String(parsed?.message ?? parsed?.Message ?? text), status);
}
