// An engine's port, bound before the engine's package is loaded (s3rver alone takes ~120 ms):
// connections made meanwhile wait, unread, and are handed to the engine's HTTP server once its
// tables or buckets exist — so a function that reaches an engine early gets what it would get
// later, only later, and one that never reaches it does not wait for it at all.
import type { Server } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { listenOn } from './local-server.js';

export interface FrontDoor {
  readonly port: number;
  /** Hands the waiting connections, and every later one, to `server` (which itself listens nowhere public). */
  open(server: Server): void;
  /** Stops accepting and drops the connections still waiting (those handed over are the server's). */
  close(): void;
}

/** `onConnection`: called for each connection that arrives before open() (a lazy engine loads on the first). */
export async function openFrontDoor(host: string, port: number, onConnection?: () => void): Promise<FrontDoor> {
  let target: Server | undefined;
  const waiting = new Set<Socket>();
  const handOver = (socket: Socket) => {
    target!.emit('connection', socket);
    socket.resume();
  };
  const door = createServer({ pauseOnConnect: true }, (socket) => {
    if (target) return handOver(socket);
    waiting.add(socket);
    onConnection?.();
    socket.once('close', () => waiting.delete(socket));
  });
  const bound = await listenOn(door, host, port);
  return {
    port: bound,
    open(server) {
      target = server;
      for (const socket of waiting) handOver(socket);
      waiting.clear();
    },
    close() {
      for (const socket of waiting) socket.destroy();
      waiting.clear();
      // The port is free at once; the callback would also wait for the connections handed over,
      // which the engine's server closes (or keeps alive) on its own.
      door.close();
    },
  };
}
