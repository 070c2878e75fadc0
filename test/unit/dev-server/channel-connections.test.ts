// A channel tracking its connections (`static connections`) through the real dev server, its declared
// table on the local DynamoDB engine and several real clients (the ws package): broadcast by name
// reaches every open client, a closed client's row is gone after its $disconnect, and a row whose
// connection vanished without one is dropped when a broadcast meets API Gateway's 410.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevServer, type DevServer, type DevServerEvent } from '../../../src/dev-server/index.js';
import { connectClient, type WsClient } from '../../support/ws-client.js';

const root = fileURLToPath(new URL('../../fixtures/channel-connections-app', import.meta.url));

interface Client extends WsClient {
  id: string;
}

/** Connects to the lobby and learns the connection's id. */
async function connect(url: string): Promise<Client> {
  const client = await connectClient(url);
  client.say({ action: 'who' });
  return { ...client, id: String((await client.next()).me) };
}

/** What `who` answers: the lobby's tracked connection ids, read from the table. */
async function tracked(client: Client): Promise<string[]> {
  client.say({ action: 'who' });
  return (await client.next()).ids as string[];
}

describe('tracked channel connections in sls-ts server', () => {
  let server: DevServer;
  let url: string;
  const events: DevServerEvent[] = [];
  /** Resolves once the dev server has finished a connection's $disconnect invocation. */
  const disconnected = new Map<string, () => void>();
  beforeAll(async () => {
    server = await createDevServer({
      root, port: 0, watch: false,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'websocket' && event.routeKey === '$disconnect') disconnected.get(event.connectionId)?.();
      },
    });
    url = `${server.websocketUrl()!}/lobby`;
  });
  afterAll(() => server?.close());

  it('links the channel to its table and runs the table on the local DynamoDB', () => {
    const lobby = server.state().functions.find((fn) => fn.key === 'lobby-channel')!;
    expect(lobby.channel).toEqual({ name: 'lobby', routeSelection: '$request.body.action', routeKeys: ['$connect', '$disconnect', 'ghost', 'shout', 'who'], connections: 'connections' });
    expect(lobby.links).toEqual([{ name: 'connections', readOnly: false }]);
    expect(server.engines()).toEqual([expect.objectContaining({ service: 'DynamoDB', names: ['connections'] })]);
  });

  it("records every open client; broadcast('lobby') reaches each; a closed client's row is gone after its $disconnect", async () => {
    const a = await connect(url);
    const b = await connect(url);
    const c = await connect(url);
    const everyone = [a.id, b.id, c.id].sort();
    expect(await tracked(a)).toEqual(everyone);

    a.say({ action: 'shout', text: 'hello' });
    for (const client of [b, c]) expect(await client.next()).toEqual({ route: 'shout', from: a.id, text: 'hello' });
    // The caller is in the lobby too: its own copy first (posted during the broadcast), then the result.
    expect(await a.next()).toEqual({ route: 'shout', from: a.id, text: 'hello' });
    expect(await a.next()).toEqual({ route: 'shouted', sent: everyone, gone: [] });

    const gone = new Promise<void>((done) => disconnected.set(c.id, done));
    c.socket.close();
    await gone;
    expect(events).toContainEqual(expect.objectContaining({ type: 'websocket', routeKey: '$disconnect', connectionId: c.id, status: 'ok' }));
    expect(await tracked(a)).toEqual([a.id, b.id].sort());

    // Their rows must be gone before the next test counts the lobby.
    const left = [a, b].map((client) => new Promise<void>((done) => disconnected.set(client.id, done)));
    a.socket.close();
    b.socket.close();
    await Promise.all(left);
  });

  it('drops the row of a connection that vanished without $disconnect once a broadcast meets its 410', async () => {
    const a = await connect(url);
    const ghost = 'GhostConnIdAA=';
    a.say({ action: 'ghost', id: ghost });
    expect(await a.next()).toEqual({ route: 'ghost' });
    expect(await tracked(a)).toContain(ghost);

    a.say({ action: 'shout', text: 'anyone?' });
    expect(await a.next()).toEqual({ route: 'shout', from: a.id, text: 'anyone?' });
    expect(await a.next()).toEqual({ route: 'shouted', sent: [a.id], gone: [ghost] });
    expect(await tracked(a)).not.toContain(ghost);
    a.socket.close();
  });
});
