// sls-ts/testing's testChannel: a channel class run in-process as API Gateway's WebSocket API runs it
// (the same behaviours test/unit/dev-server/channels.test.ts checks over real sockets): $connect and
// its refusal, routing by the selection expression, API Gateway's Forbidden and Internal server error
// answers, send/broadcast/the AWS SDK through the local @connections endpoint, 410 after close,
// disconnectClient running $disconnect.
import { afterEach, describe, expect, it } from 'vitest';
import { Channel } from 'sls-ts';
import { ChannelRefusedError, testChannel, type TestChannel } from 'sls-ts/testing';
import ChatChannel from '../../fixtures/channels-app/app/channels/chat-channel.js';
import RoomsChannel from '../../fixtures/channels-app/app/channels/rooms-channel.js';

let channel: TestChannel | undefined;
afterEach(async () => {
  await channel?.close();
  channel = undefined;
});

describe('testChannel', () => {
  it('connects, routes a message to its action, and hands the action real-shaped events', async () => {
    channel = testChannel(ChatChannel);
    const alice = await channel.connect({ query: { token: 'good' } });
    expect(alice.connectionId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    await alice.send({ action: 'whoami' });
    expect(alice.received).toEqual([
      {
        route: 'whoami',
        connectionId: alice.connectionId,
        requestContext: expect.objectContaining({ routeKey: 'whoami', eventType: 'MESSAGE', connectionId: alice.connectionId, stage: 'test', messageDirection: 'IN', messageId: expect.any(String) }),
      },
    ]);
    await alice.send('not json');
    expect(alice.received.at(-1)).toEqual({ route: '$default', data: 'not json' });
  });

  it('throws ChannelRefusedError with the status connect() refused with, and keeps no connection', async () => {
    channel = testChannel(ChatChannel);
    const refused = await channel.connect({ query: { token: 'bad' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChannelRefusedError);
    expect(refused).toMatchObject({ statusCode: 401, body: 'bad token' });
    expect(channel.connectionIds()).toEqual([]);
  });

  it("broadcasts to other connections, reports the closed ones as gone, and the AWS SDK's GoneException says 410", async () => {
    channel = testChannel(ChatChannel);
    const [alice, bob, carol] = [await channel.connect(), await channel.connect(), await channel.connect()];
    await carol.close(1000, 'bye');
    expect(carol.closed).toBe(true);
    await alice.send({ action: 'shout', to: [bob.connectionId, carol.connectionId], text: 'hi' });
    expect(bob.received).toEqual([{ route: 'shout', from: alice.connectionId, text: 'hi' }]);
    expect(alice.received).toEqual([{ route: 'shouted', sent: [bob.connectionId], gone: [carol.connectionId] }]);
    await bob.send({ action: 'sdk', gone: carol.connectionId });
    expect(bob.received.at(-1)).toMatchObject({ route: 'sdk', sourceIp: '127.0.0.1', goneError: 'GoneException 410' });
    await expect(carol.send({ action: 'whoami' })).rejects.toThrow(/is closed/);
  });

  it("answers as API Gateway does a message no route takes, and an action that throws", async () => {
    channel = testChannel(RoomsChannel);
    const client = await channel.connect();
    await client.send({ service: 'rooms', action: 'join' });
    await client.send({ service: 'rooms', action: 'leave' });
    expect(client.received).toEqual([{ route: 'rooms/join' }, { message: 'Forbidden', connectionId: client.connectionId, requestId: expect.any(String) }]);
    await channel.close();
    channel = testChannel(ChatChannel);
    const other = await channel.connect();
    await other.send({ action: 'boom' });
    expect(other.received).toEqual([{ message: 'Internal server error', connectionId: other.connectionId, requestId: expect.any(String) }]);
  });

  it('runs $disconnect with the close code, or 1005 and its reason when the client gave none, also after disconnectClient()', async () => {
    const seen: Array<{ code: unknown; reason: unknown }> = [];
    class DeskChannel extends Channel {
      override disconnect() {
        seen.push({ code: this.event.requestContext.disconnectStatusCode, reason: this.event.requestContext.disconnectReason });
      }
      kick() {
        return this.disconnectClient();
      }
    }
    channel = testChannel(DeskChannel);
    await (await channel.connect()).close(4000, 'done');
    await (await channel.connect()).close();
    const kicked = await channel.connect();
    await kicked.send({ action: 'kick' });
    await channel.settled();
    expect(kicked.closed).toBe(true);
    expect(seen).toEqual([{ code: 4000, reason: 'done' }, { code: 1005, reason: 'Client-side close frame status not set' }, { code: 1000, reason: '' }]);
    expect(channel.connectionIds()).toEqual([]);
  });

  it("hands every event of a connection the authorizer's answer given to connect()", async () => {
    channel = testChannel(ChatChannel);
    const member = await channel.connect({ authorizer: { principalId: 'ann', role: 'member' } });
    await member.send({ action: 'whoami' });
    expect(member.received).toEqual([expect.objectContaining({ requestContext: expect.objectContaining({ authorizer: { principalId: 'ann', role: 'member' } }) })]);
  });

  it('restores the environment it pointed at the local @connections endpoint', async () => {
    const before = process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI;
    channel = testChannel(ChatChannel);
    await channel.connect();
    expect(process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/test$/);
    await channel.close();
    channel = undefined;
    expect(process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI).toBe(before);
  });
});
