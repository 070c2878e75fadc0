// A small in-process AWS endpoint for wire-level tests: point AWS_ENDPOINT_URL at it and every
// SDK client talks to it. It tells services apart by the SigV4 credential scope (…/<region>/<service>/aws4_request),
// records every request, and can be told to fail the next calls (throttling, missing credentials…).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCloudFormation, queryError } from './cloudformation.js';
import { handleApiGateway, handleLambda, handleLogs } from './json-services.js';
import { handleS3, type RestReply } from './s3.js';
import { DoubleState } from './state.js';

export interface RecordedRequest {
  /** The SigV4 signing name: `cloudformation`, `s3`, `apigateway`, `lambda`, `logs`. */
  service: string;
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** CloudFormation's Action, the Logs X-Amz-Target operation, or `METHOD path` for REST services. */
  operation: string;
  /** Decoded form parameters of a query-protocol request. */
  params?: URLSearchParams;
}

export interface AwsDouble {
  url: string;
  state: DoubleState;
  requests: RecordedRequest[];
  /** Requests of one service (and CloudFormation Action / operation, when given). */
  calls(service: string, operation?: string): RecordedRequest[];
  /**
   * Answers the next matching request with an error (queued, first in first out); `raw` sends
   * that body verbatim instead of the service's own error shape, as moto sometimes does.
   */
  failNext(failure: { service: string; action?: string; code: string; message?: string; status?: number; raw?: { contentType: string; body: string } }): void;
  close(): Promise<void>;
}

function serviceOf(request: IncomingMessage): string {
  const auth = String(request.headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1] ?? 'unknown';
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function errorReply(service: string, code: string, message: string, status: number): RestReply {
  if (service === 'cloudformation') return { ...queryError(code, message, status), headers: { 'content-type': 'text/xml' } };
  if (service === 's3') return { status, headers: { 'content-type': 'application/xml' }, body: `<Error><Code>${code}</Code><Message>${message}</Message></Error>` };
  if (service === 'logs') return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: code, message }) };
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': code }, body: JSON.stringify({ message }) };
}

export async function startAwsDouble(options: { region?: string } = {}): Promise<AwsDouble> {
  const state = new DoubleState(options.region ?? 'us-east-1');
  const requests: RecordedRequest[] = [];

  const route = (recorded: RecordedRequest, url: URL): RestReply => {
    const failure = state.failures.findIndex((f) => f.service === recorded.service && (!f.action || f.action === recorded.operation));
    if (failure >= 0) {
      const [f] = state.failures.splice(failure, 1);
      if (f!.raw) return { status: f!.status, headers: { 'content-type': f!.raw.contentType }, body: f!.raw.body };
      return errorReply(recorded.service, f!.code, f!.message, f!.status);
    }
    switch (recorded.service) {
      case 'cloudformation':
        return { ...handleCloudFormation(state, recorded.params!), headers: { 'content-type': 'text/xml' } };
      case 's3':
        return handleS3(state, recorded.method, url, recorded.headers, recorded.body);
      case 'apigateway':
        return handleApiGateway(state, recorded.method, url);
      case 'lambda':
        return handleLambda(state, recorded.method, url, recorded.body);
      case 'logs':
        return handleLogs(state, recorded.operation, recorded.body);
      default:
        return { status: 400, body: `unknown service ${recorded.service}` };
    }
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://double');
      const service = serviceOf(request);
      const params = service === 'cloudformation' ? new URLSearchParams(body.toString('utf8')) : undefined;
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = params?.get('Action') ?? (target ? target.split('.').pop()! : `${request.method} ${url.pathname}`);
      const recorded: RecordedRequest = { service, method: request.method ?? 'GET', url: request.url ?? '/', path: url.pathname, headers: request.headers, body, operation, ...(params && { params }) };
      requests.push(recorded);
      let reply: RestReply;
      try {
        reply = route(recorded, url);
      } catch (error) {
        reply = { status: 500, body: String((error as Error).stack) };
      }
      const payload = reply.body === undefined ? undefined : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, 'utf8');
      response.writeHead(reply.status, { ...reply.headers, ...(payload && request.method !== 'HEAD' && { 'content-length': String(payload.length) }), 'x-amzn-requestid': 'double' });
      response.end(request.method === 'HEAD' ? undefined : payload);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    calls: (service, operation) => requests.filter((r) => r.service === service && (operation === undefined || r.operation === operation)),
    failNext: (failure) => state.failures.push({ message: failure.code, status: 400, ...failure }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
