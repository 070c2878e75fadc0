import { Channel } from 'sls-ts';

/** What the chat page (public/chat.html) sends: `{ action: 'say', nick, text }` or `{ action: 'nick', was, nick }`. */
type Incoming = { nick?: unknown; was?: unknown; text?: unknown };

/** What every open chat connection receives. */
export type ChatEvent =
  | { type: 'message'; from: string; text: string; at: string }
  | { type: 'nick'; was: string; nick: string; at: string }
  | { type: 'error'; error: string };

const MAX_TEXT = 500;
const NICK = /^[\p{L}\p{N}_.-]{1,24}$/u;

// ws://127.0.0.1:8889/chat under `sls-ts server`; its own WebSocket API once deployed. Open
// connections are tracked in the `connections` table (sls-ts.config.ts), which is what lets
// broadcast('chat', …) reach every client, whichever Lambda instance handled their $connect.
export default class ChatChannel extends Channel {
  static override connections = 'connections';

  /** Broadcasts the text to everyone on the channel, the sender included (the page shows what arrives). */
  async say(data: Incoming) {
    const text = typeof data?.text === 'string' ? data.text.trim() : '';
    if (!text) return this.send(error('say needs a non-empty text'));
    if (text.length > MAX_TEXT) return this.send(error(`a message holds at most ${MAX_TEXT} characters`));
    await this.broadcast('chat', { type: 'message', from: this.#nickOf(data.nick), text, at: this.#receivedAt() } satisfies ChatEvent);
  }

  /** Tells everyone about a new nickname. The page keeps its own nickname and sends it with each `say`:
   * a channel function remembers nothing between messages. */
  async nick(data: Incoming) {
    if (typeof data?.nick !== 'string' || !NICK.test(data.nick)) return this.send(error('a nick is 1 to 24 letters, digits, _ . or -'));
    await this.broadcast('chat', { type: 'nick', was: this.#nickOf(data.was), nick: data.nick, at: this.#receivedAt() } satisfies ChatEvent);
  }

  override default() {
    return this.send(error('unknown action: send {"action":"say","nick":"…","text":"…"} or {"action":"nick","was":"…","nick":"…"}'));
  }

  // Helpers are `#private`: every method on the prototype is an action, and a route key of its own.
  #nickOf(value: unknown): string {
    return typeof value === 'string' && NICK.test(value) ? value : `guest-${this.connectionId.slice(0, 4)}`;
  }

  // When API Gateway received the message, not when this function ran: the order clients saw.
  #receivedAt(): string {
    return new Date(this.event.requestContext.requestTimeEpoch).toISOString();
  }
}

function error(message: string): ChatEvent {
  return { type: 'error', error: message };
}
