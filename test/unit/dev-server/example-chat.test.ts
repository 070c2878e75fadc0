// example-app's ChatChannel through the real dev server and real clients (the ws package), without
// a browser: what the chat page relies on — `say` reaching every open client with the sender's
// nick and API Gateway's receive time, `nick` announced to all, and one-line errors to the sender
// only. (test/e2e/chat-page.test.ts drives the page itself in Chromium.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevServer, type DevServer } from '../../../src/dev-server/index.js';
import { connectClient, type WsClient } from '../../support/ws-client.js';
import { copyApp, createScratch, exampleApp } from '../build/support.js';

const scratch = createScratch();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("example-app's chat channel in sls-ts server", () => {
  let server: DevServer;
  let url: string;
  const clients: WsClient[] = [];
  beforeAll(async () => {
    server = await createDevServer({ root: copyApp(exampleApp, scratch.dir), port: 0, watch: false, onEvent: () => {} });
    await server.ready();
    url = `${server.websocketUrl()!}/chat`;
  });
  afterAll(async () => {
    for (const client of clients) client.socket.close();
    await server?.close();
    scratch.cleanup();
  });

  async function join(): Promise<WsClient> {
    const client = await connectClient(url);
    clients.push(client);
    return client;
  }

  it('broadcasts what one client says to every connected client, the sender included', async () => {
    const [ada, bob, eve] = [await join(), await join(), await join()];
    ada.say({ action: 'say', nick: 'ada', text: '  hello  ' });
    for (const client of [ada, bob, eve]) expect(await client.next()).toEqual({ type: 'message', from: 'ada', text: 'hello', at: expect.stringMatching(ISO) });

    bob.say({ action: 'nick', was: 'bob', nick: 'bobby' });
    for (const client of [ada, bob, eve]) expect(await client.next()).toEqual({ type: 'nick', was: 'bob', nick: 'bobby', at: expect.stringMatching(ISO) });

    // A missing or invalid nick becomes a guest name made from the connection id.
    eve.say({ action: 'say', nick: 'no spaces allowed', text: 'hi' });
    const guest = await ada.next();
    expect(guest.from).toMatch(/^guest-[A-Za-z0-9+/]{4}$/);
    expect(await bob.next()).toEqual(guest);
    expect(await eve.next()).toEqual(guest);
  });

  it('answers bad messages to the sender alone, with what to send instead', async () => {
    const [ada, bob] = [await join(), await join()];
    ada.say({ action: 'say', nick: 'ada', text: '   ' });
    expect(await ada.next()).toEqual({ type: 'error', error: 'say needs a non-empty text' });
    ada.say({ action: 'say', nick: 'ada', text: 'x'.repeat(501) });
    expect(await ada.next()).toEqual({ type: 'error', error: 'a message holds at most 500 characters' });
    ada.say({ action: 'nick', was: 'ada', nick: '' });
    expect(await ada.next()).toEqual({ type: 'error', error: 'a nick is 1 to 24 letters, digits, _ . or -' });
    ada.say({ action: 'dance' });
    expect((await ada.next()).error).toMatch(/^unknown action: send \{"action":"say"/);
    ada.say('not json');
    expect((await ada.next()).type).toBe('error');
    // bob saw none of it: the next thing bob (and every other client) gets is his own message. Waiting
    // for all of them also lets the broadcast finish before the server closes.
    bob.say({ action: 'say', nick: 'bob', text: 'anyone?' });
    for (const client of clients) expect(await client.next()).toMatchObject({ type: 'message', from: 'bob', text: 'anyone?' });
  });
});
