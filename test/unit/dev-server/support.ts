// Shared helpers for the dev server's black-box tests: start the server on the fixture app, talk
// to it over HTTP (fetch, or node:http when exact bytes, header casing or repeats matter).
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createDevServer, type DevServer, type DevServerEvent, type DevServerOptions } from '../../../src/dev-server/index.js';
import type { ApiGatewayProxyEvent } from '../../../src/runtime/types.js';

export const fixtureRoot = fileURLToPath(new URL('../../fixtures/dev-app', import.meta.url));

export const INTERNAL_SERVER_ERROR = '{"message": "Internal server error"}';
export const MISSING_AUTHENTICATION_TOKEN = '{"message":"Missing Authentication Token"}';

export interface Started {
  server: DevServer;
  url: string;
  events: DevServerEvent[];
  /** The `request` event the server reported for a response (by its x-amzn-RequestId). */
  requestEvent(requestId: string | null): Extract<DevServerEvent, { type: 'request' }>;
  close(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<Started> {
  const events: DevServerEvent[] = [];
  const server = await createDevServer({ root: fixtureRoot, port: 0, watch: false, onEvent: (event) => events.push(event), ...options });
  return {
    server,
    url: server.url,
    events,
    requestEvent(requestId) {
      const found = events.find((event): event is Extract<DevServerEvent, { type: 'request' }> => event.type === 'request' && event.requestId === requestId);
      if (!found) throw new Error(`no request event for ${requestId}`);
      return found;
    },
    close: () => server.close(),
  };
}

/** What app/functions/echo.ts answers. */
export interface Echo {
  event: ApiGatewayProxyEvent;
  context: {
    functionName: string;
    functionVersion: string;
    invokedFunctionArn: string;
    memoryLimitInMB: unknown;
    awsRequestId: string;
    logGroupName: string;
    logStreamName: string;
    callbackWaitsForEmptyEventLoop: boolean;
    hasIdentity: boolean;
    hasClientContext: boolean;
    remainingAtStart: number;
    remainingLater: number;
  };
  env: Record<string, string | null>;
  environmentId: string;
  threadId: number;
  invocations: number;
}

export async function echo(url: string, path: string, init?: RequestInit): Promise<Echo> {
  const response = await fetch(url + path, init);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path} → ${response.status}: ${text}`);
  return JSON.parse(text) as Echo;
}

export interface RawResponse {
  status: number;
  /** Header names as the server wrote them, repeats kept. */
  rawHeaders: Array<[string, string]>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request through node:http: the path is sent byte for byte, header names keep their casing. */
export function rawRequest(url: string, options: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: Buffer | string }): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const rawHeaders: Array<[string, string]> = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) rawHeaders.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, rawHeaders, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function rawEcho(url: string, options: Parameters<typeof rawRequest>[1]): Promise<Echo> {
  return rawRequest(url, options).then((response) => {
    if (response.status !== 200) throw new Error(`${options.path} → ${response.status}: ${response.body.toString()}`);
    return JSON.parse(response.body.toString()) as Echo;
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
