// The node:http server under sls-ts's own emulators (SNS, the event bus): each request's body is
// read whole, handed to the service, and its reply written back. No signature is checked: workers
// hold dummy credentials.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';

export interface LocalRequest {
  method: string;
  /** The path and query string. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface LocalReply {
  status: number;
  contentType: string;
  headers?: Record<string, string>;
  body: string;
}

export interface LocalServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalServer(
  options: { host: string; port?: number; maxBodyBytes: number },
  handle: (request: LocalRequest) => LocalReply,
  tooLarge: () => LocalReply,
): Promise<LocalServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const send = (reply: LocalReply) => {
      const payload = Buffer.from(reply.body);
      response.writeHead(reply.status, { ...reply.headers, 'content-type': reply.contentType, 'content-length': String(payload.length) });
      response.end(payload);
    };
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBodyBytes && !refused) {
        // Answered now and the rest discarded: the client gets the service's own error.
        refused = true;
        send(tooLarge());
      }
      if (!refused) chunks.push(chunk);
    });
    request.on('end', () => {
      if (refused) return;
      send(handle({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  const port = await listenOn(server, options.host, options.port);
  return {
    endpoint: `http://${options.host}:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Listens on `port` (a free one when undefined) and resolves with the port, or rejects (EADDRINUSE …). */
export async function listenOn(server: Server | NetServer, host: string, port: number | undefined): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
