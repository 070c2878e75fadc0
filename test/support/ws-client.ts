// A real WebSocket client (the ws package) for the dev server's channel tests, with its messages
// queued so that none is missed between awaits. (test/unit/dev-server/channels.test.ts has its own
// copy with a few more fields, written before this one: it may switch to this.)
import WebSocket from 'ws';

export interface WsClient {
  socket: WebSocket;
  /** The next message, parsed as JSON. */
  next(): Promise<Record<string, unknown>>;
  /** Sends a value as JSON (a string as it is). */
  say(message: unknown): void;
}

/** Opens `url`; rejects with the status when the upgrade is refused. */
export function connectClient(url: string): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const queue: string[] = [];
    const waiting: Array<(text: string) => void> = [];
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const waiter = waiting.shift();
      if (waiter) waiter(text);
      else queue.push(text);
    });
    const nextRaw = () => new Promise<string>((done) => (queue.length > 0 ? done(queue.shift()!) : waiting.push(done)));
    socket.once('open', () => resolve({ socket, next: async () => JSON.parse(await nextRaw()) as Record<string, unknown>, say: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)) }));
    socket.once('unexpected-response', (_request, response) => reject(Object.assign(new Error(`refused: ${response.statusCode}`), { statusCode: response.statusCode })));
    socket.once('error', reject);
  });
}
