// WebSocket channels through the real dev server with a real client (the ws package): connect
// (and a refused connect), message routing by the selection expression, broadcast to several
// clients, disconnect, 410 GoneException after close, the SDK reaching the local @connections API,
// and API Gateway's frame limit.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiGatewayManagementApiClient, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectClient, type WsClient } from '../../support/ws-client.js';
import { createDevServer, invokeLocal, type DevServer, type DevServerEvent } from '../../../src/dev-server/index.js';

const root = fileURLToPath(new URL('../../fixtures/channels-app', import.meta.url));

type Client = WsClient;
const connect = connectClient;

async function whoami(client: Client): Promise<string> {
  client.say({ action: 'whoami' });
  return String((await client.next()).connectionId);
}

describe('WebSocket channels in sls-ts server', () => {
  let server: DevServer;
  const events: DevServerEvent[] = [];
  let wsUrl: string;
  beforeAll(async () => {
    server = await createDevServer({ root, port: 0, watch: false, onEvent: (event) => events.push(event) });
    wsUrl = server.websocketUrl()!;
  });
  afterAll(() => server?.close());

  it('plans one channel function per channel class, with its route keys', () => {
    const channels = server.state().functions.filter((fn) => fn.kind === 'channel');
    expect(channels.map((fn) => [fn.key, fn.channel])).toEqual([
      ['chat-channel', { name: 'chat', routeSelection: '$request.body.action', routeKeys: ['$connect', '$disconnect', '$default', 'big', 'boom', 'sdk', 'shout', 'whoami'] }],
      ['rooms-channel', { name: 'rooms', routeSelection: '${request.body.service}/${request.body.action}', routeKeys: ['rooms/join'] }],
    ]);
    expect(wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('connects, and the channel sees real-shaped events (CONNECT, then MESSAGE with the same connection)', async () => {
    const client = await connect(`${wsUrl}/chat`);
    client.say({ action: 'whoami' });
    const answer = await client.next();
    const context = answer.requestContext as Record<string, unknown>;
    expect(context).toMatchObject({
      routeKey: 'whoami', eventType: 'MESSAGE', messageDirection: 'IN', stage: 'dev', connectionId: answer.connectionId,
      domainName: wsUrl.replace('ws://', ''), identity: { sourceIp: '127.0.0.1' },
    });
    expect(context.messageId).toEqual(expect.any(String));
    expect(context.connectedAt).toEqual(expect.any(Number));
    expect(context.requestTime).toMatch(/^\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(String(answer.connectionId)).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const connected = events.find((event) => event.type === 'websocket' && event.routeKey === '$connect' && event.connectionId === answer.connectionId);
    expect(connected).toMatchObject({ status: 'ok', statusCode: 200, functionName: 'channels-app-dev-chat-channel' });
    client.socket.close();
  });

  it('refuses a connection with the status connect() rejects it with', async () => {
    await expect(connect(`${wsUrl}/chat?token=bad`)).rejects.toMatchObject({ statusCode: 401 });
    await expect(connect(`${wsUrl}/nowhere`)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('routes by the selection expression: an action, default() for other or non-JSON messages, Forbidden without a default route', async () => {
    const chat = await connect(`${wsUrl}/chat`);
    chat.say({ action: 'nothing-here', n: 1 });
    expect(await chat.next()).toEqual({ route: '$default', data: { action: 'nothing-here', n: 1 } });
    chat.say('plain text');
    expect(await chat.next()).toEqual({ route: '$default', data: 'plain text' });
    const rooms = await connect(`${wsUrl}/rooms`);
    rooms.say({ service: 'rooms', action: 'join' });
    expect(await rooms.next()).toEqual({ route: 'rooms/join' });
    rooms.say({ action: 'join' });
    expect(await rooms.next()).toMatchObject({ message: 'Forbidden', connectionId: expect.any(String) });
    chat.socket.close();
    rooms.socket.close();
  });

  it('answers a message whose action throws with API Gateway\'s Internal server error, and the connection stays usable', async () => {
    const client = await connect(`${wsUrl}/chat`);
    client.say({ action: 'boom' });
    expect(await client.next()).toEqual({ message: 'Internal server error', connectionId: expect.any(String), requestId: expect.any(String) });
    expect(events).toContainEqual(expect.objectContaining({ type: 'function-error', functionName: 'channels-app-dev-chat-channel' }));
    expect(await whoami(client)).toMatch(/=$/);
    client.socket.close();
  });

  it('broadcasts to several clients, and reports a gone connection instead of failing', async () => {
    const [a, b, c] = await Promise.all([connect(`${wsUrl}/chat`), connect(`${wsUrl}/chat`), connect(`${wsUrl}/chat`)]);
    const ids = await Promise.all([whoami(a), whoami(b), whoami(c)]);
    const left = await connect(`${wsUrl}/chat`);
    const leftId = await whoami(left);
    left.socket.close();
    await left.closed;
    a.say({ action: 'shout', to: [...ids, leftId], text: 'hi all' });
    for (const client of [b, c]) expect(await client.next()).toEqual({ route: 'shout', from: ids[0], text: 'hi all' });
    // a gets its own shout, then the result (in either order: the posts are concurrent).
    const forA = [await a.next(), await a.next()];
    expect(forA).toContainEqual({ route: 'shout', from: ids[0], text: 'hi all' });
    expect(forA).toContainEqual({ route: 'shouted', sent: ids, gone: [leftId] });
    for (const client of [a, b, c]) client.socket.close();
  });

  it('runs disconnect() with a DISCONNECT event when a client leaves, and answers 410 GoneException after', async () => {
    const client = await connect(`${wsUrl}/chat`);
    const id = await whoami(client);
    const sdk = new ApiGatewayManagementApiClient({ endpoint: `${wsUrl.replace('ws://', 'http://')}/dev`, region: 'eu-west-1', credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' } });
    expect((await sdk.send(new GetConnectionCommand({ ConnectionId: id }))).Identity?.SourceIp).toBe('127.0.0.1');
    client.socket.close(4001, 'bye');
    await client.closed;
    await vi.waitFor(() => expect(events.find((event) => event.type === 'websocket' && event.routeKey === '$disconnect' && event.connectionId === id)).toBeDefined());
    expect(events.find((event) => event.type === 'websocket' && event.routeKey === '$disconnect' && event.connectionId === id)).toMatchObject({ status: 'ok' });
    const error = await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'late' })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'GoneException', $metadata: { httpStatusCode: 410 } });
  });

  it('lets channel code use the AWS SDK unmodified: GetConnection and PostToConnection through the endpoint variable, GoneException for a gone id', async () => {
    const client = await connect(`${wsUrl}/chat`);
    client.say({ action: 'sdk', gone: 'AAAAAAAAAAAAAAAA' });
    const answer = await client.next();
    expect(answer).toMatchObject({ route: 'sdk', sourceIp: '127.0.0.1', goneError: 'GoneException 410' });
    expect(Date.parse(String(answer.connectedAt))).not.toBeNaN();
    client.socket.close();
  });

  it('sends a message over 32 KB to the client whole (in frames of 32 KB), and closes with 1009 on a client frame over 32 KB', async () => {
    const client = await connect(`${wsUrl}/chat`);
    client.say({ action: 'big', bytes: 100_000 });
    expect((await client.nextRaw()).length).toBe(100_000);
    client.say({ action: 'big', text: 'y'.repeat(40 * 1024) });
    expect((await client.closed).code).toBe(1009);
  });
});

describe('API Gateway\'s WebSocket limits in sls-ts server', () => {
  let server: DevServer;
  beforeAll(async () => {
    // An idle timeout of 300 ms stands in for API Gateway's 10 minutes.
    server = await createDevServer({ root, port: 0, watch: false, websocketIdleTimeoutMs: 300 });
  });
  afterAll(() => server?.close());

  it('closes with 1009 a message over 128 KB sent in frames of 32 KB, and refuses a post over 128 KB with 413 PayloadTooLargeException', async () => {
    const client = await connect(`${server.websocketUrl()}/chat`);
    const id = await whoami(client);
    const sdk = new ApiGatewayManagementApiClient({ endpoint: `${server.websocketUrl()!.replace('ws://', 'http://')}/dev`, region: 'eu-west-1', credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' } });
    const error = await sdk.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'z'.repeat(130 * 1024) })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'PayloadTooLargeException', $metadata: { httpStatusCode: 413 } });
    const frame = Buffer.alloc(30 * 1024, 'a');
    for (let index = 0; index < 4; index += 1) client.socket.send(frame, { fin: false, binary: false });
    client.socket.send(frame, { fin: true, binary: false });
    expect((await client.closed).code).toBe(1009);
  });

  it('closes an idle connection (1001 Going away), and the channel still takes new ones', async () => {
    const client = await connect(`${server.websocketUrl()}/chat`);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    const next = await connect(`${server.websocketUrl()}/chat`);
    expect(await whoami(next)).toMatch(/=$/);
    next.socket.close();
  });
});

describe('a channel edited while sls-ts server runs', () => {
  let root: string;
  let server: DevServer;
  beforeAll(async () => {
    // Beside the fixture, so that 'sls-ts' still resolves by self-reference.
    root = mkdtempSync(join(dirname(fileURLToPath(new URL('../../fixtures/channels-app', import.meta.url))), '.tmp-ws-'));
    cpSync(fileURLToPath(new URL('../../fixtures/channels-app', import.meta.url)), root, { recursive: true, filter: (source) => !source.includes('.sls-ts') });
    server = await createDevServer({ root, port: 0, watch: true });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('routes to an action added to the class after a save (the class is inspected again)', async () => {
    const file = join(root, 'app', 'channels', 'chat-channel.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  whoami() {', "  wave() {\n    return this.send({ route: 'wave' });\n  }\n\n  whoami() {"));
    await server.settled();
    expect(server.state().functions.find((fn) => fn.key === 'chat-channel')?.channel?.routeKeys).toContain('wave');
    const client = await connect(`${server.websocketUrl()}/chat`);
    client.say({ action: 'wave' });
    expect(await client.next()).toEqual({ route: 'wave' });
    client.socket.close();
  });
});

describe('sls-ts invoke --local on a channel', () => {
  it('sends a $connect event by default, which the channel answers with 200 (or its refusal)', async () => {
    const accepted = await invokeLocal({ root, name: 'chat', onLog: () => {} });
    expect(accepted.event).toMatchObject({ requestContext: { routeKey: '$connect', eventType: 'CONNECT', stage: 'dev' } });
    expect(accepted.outcome).toMatchObject({ kind: 'result', payload: '{"statusCode":200}' });
    const refused = await invokeLocal({ root, name: 'chat', event: { ...(accepted.event as object), queryStringParameters: { token: 'bad' } }, onLog: () => {} });
    expect(refused.outcome).toMatchObject({ kind: 'result', payload: '{"statusCode":401,"body":"bad token"}' });
  });
});
