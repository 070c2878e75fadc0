// A real WebSocket client (the ws package) for the dev server's channel tests, with its messages
// queued so that none is missed between awaits.
import WebSocket from 'ws';

export interface WsClient {
  socket: WebSocket;
  /** The next message, parsed as JSON. */
  next(): Promise<Record<string, unknown>>;
  /** The next message as text. */
  nextRaw(): Promise<string>;
  /** Sends a value as JSON (a string as it is). */
  say(message: unknown): void;
  /** Settles when the connection closes, with the close frame's code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens `url`; a refused upgrade rejects with its status, body and `x-amzn-ErrorType`. */
export function connectClient(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const queue: string[] = [];
    const waiting: Array<(text: string) => void> = [];
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const waiter = waiting.shift();
      if (waiter) waiter(text);
      else queue.push(text);
    });
    const closed = new Promise<{ code: number; reason: string }>((done) => socket.on('close', (code, reason) => done({ code, reason: reason.toString() })));
    const nextRaw = () => new Promise<string>((done) => (queue.length > 0 ? done(queue.shift()!) : waiting.push(done)));
    socket.once('open', () => resolve({ socket, nextRaw, next: async () => JSON.parse(await nextRaw()) as Record<string, unknown>, say: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)), closed }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => reject(Object.assign(new Error(`refused: ${response.statusCode}`), { statusCode: response.statusCode, body, errorType: response.headers['x-amzn-errortype'] })));
    });
    socket.once('error', reject);
  });
}
