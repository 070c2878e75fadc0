// A minimal HTTP client for talking to the engines we started (creating tables and buckets),
// so starting them does not load an AWS SDK client into the dev server.
import { Agent, request } from 'node:http';

export interface HttpReply {
  status: number;
  body: string;
}

export interface HttpCall {
  (method: string, url: string, headers?: Record<string, string>, body?: string): Promise<HttpReply>;
  /** Closes the kept-alive sockets so nothing holds the process open. */
  close(): void;
}

/** A caller with its own keep-alive agent: engine setup makes many small requests in a row. */
export function createHttpCall(): HttpCall {
  const agent = new Agent({ keepAlive: true });
  const call = (method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<HttpReply> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(body);
      const req = request(url, { method, agent, headers: { ...headers, ...(payload && { 'content-length': String(payload.length) }) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  return Object.assign(call, { close: () => agent.destroy() });
}
