// sls-ts's own SQS service (no maintained embeddable one exists): a node:http server speaking the
// AWS JSON 1.0 protocol of SQS (`X-Amz-Target: AmazonSQS.<Operation>`), over an in-memory store.
// Signatures are not checked (any credentials pass), and queues live in memory only: messages do
// not survive a restart, even with --persist.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOn } from '../local-server.js';
import { SqsError } from './errors.js';
import { runOperation } from './operations.js';
import { createQueueStore, type QueueStore } from './store.js';

export interface SqsEngine {
  readonly endpoint: string;
  readonly store: QueueStore;
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'AmazonSQS.';
// SQS's request size limit, with room for the JSON around a batch of 1 MiB messages.
const MAX_REQUEST_BYTES = 12 * 1024 * 1024;

/** The access key id of a SigV4 Authorization header: SQS reports the sender by it. */
function senderOf(request: IncomingMessage): string {
  return /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? 'AIDALOCALSENDER000000';
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(payload.length), 'x-amzn-requestid': randomUUID(), ...headers });
  response.end(payload);
}

function replyError(response: ServerResponse, error: SqsError): void {
  reply(response, error.status, { __type: `com.amazonaws.sqs#${error.type}`, message: error.message }, { 'x-amzn-query-error': `${error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}` });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new SqsError('BatchRequestTooLong', 'The request is too long.', 'AWS.SimpleQueueService.BatchRequestTooLong');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new SqsError('SerializationException', 'The request body is not a JSON object.', 'SerializationException');
}

export async function startSqsEngine(options: { host: string; port?: number; region: string }): Promise<SqsEngine> {
  let store: QueueStore | undefined;
  const server = createServer((request, response) => {
    const abort = new AbortController();
    // A long poll whose client left stops waiting (and takes no message it could not return).
    response.on('close', () => abort.abort());
    void (async () => {
      const target = request.headers['x-amz-target'];
      if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
        throw new SqsError('UnknownOperationException', 'The local SQS service speaks the AWS JSON 1.0 protocol only (X-Amz-Target: AmazonSQS.<Operation>).', 'UnknownOperationException');
      }
      const input = await readJson(request);
      const output = await runOperation(store!, target.slice(TARGET_PREFIX.length), input, { senderId: senderOf(request), signal: abort.signal });
      if (!response.destroyed) reply(response, 200, output);
    })().catch((error: unknown) => {
      if (response.destroyed) return;
      if (error instanceof SqsError) replyError(response, error);
      else replyError(response, new SqsError('InternalError', error instanceof Error ? error.message : String(error), 'InternalError', 500));
    });
  });
  const port = await listenOn(server, options.host, options.port);
  const endpoint = `http://${options.host}:${port}`;
  store = createQueueStore({ endpoint, region: options.region });
  return {
    endpoint,
    store,
    async stop() {
      store!.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
