// Issue #20: authorizers on a channel's $connect, through the real dev server with ws clients. The
// fixture's TicketAuthorizer reads `?token=` (a REQUEST authorizer, ttl 60 s); DeskChannel uses it,
// VaultChannel uses AWS_IAM. Sources:
//   doc WS-AUTH: API Gateway Dev Guide, "Control access to WebSocket APIs with AWS Lambda REQUEST
//     authorizers" (REQUEST only, $connect only, methodArn …/<stage>/$connect, missing identity → 401);
//   doc APIGW-GWR: "Gateway response types" (UNAUTHORIZED 401, ACCESS_DENIED 403, AUTHORIZER_CONFIGURATION_ERROR 500);
//   obs dherault/serverless-offline#1379 (the authorizer's requestContext reaches every route, as on AWS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type WsClient } from '../../support/ws-client.js';
import { createDevServer, type DevServer, type DevServerEvent } from '../../../src/dev-server/index.js';
import { copyApp, createScratch, repoRoot } from '../build/support.js';
import { join } from 'node:path';

const scratch = createScratch();
let now = Date.UTC(2026, 11, 7, 12, 0, 0);
let server: DevServer;
let wsUrl: string;
const events: DevServerEvent[] = [];
const ticketRuns = () => events.filter((event) => event.type === 'authorizer' && event.name === 'ticket' && event.invoked).length;

beforeAll(async () => {
  const root = copyApp(join(repoRoot, 'test', 'fixtures', 'channel-auth-app'), scratch.dir);
  server = await createDevServer({ root, port: 0, watch: false, now: () => now, onEvent: (event) => events.push(event) });
  wsUrl = server.websocketUrl()!;
}, 60_000);
afterAll(async () => {
  await server?.close();
  scratch.cleanup();
});

type Client = WsClient;
const connect = (path: string, headers: Record<string, string> = {}) => connectClient(`${wsUrl}${path}`, headers);

async function whoami(client: Client): Promise<Record<string, unknown>> {
  client.socket.send(JSON.stringify({ action: 'whoami' }));
  return client.next();
}

describe('a REQUEST authorizer on a channel\'s $connect', () => {
  it('allows: principalId and context (as strings) reach a later message\'s handler; the authorizer got WS-AUTH\'s event', async () => {
    const client = await connect('/desk?token=user-ann');
    const answer = await whoami(client);
    const authorizer = answer.authorizer as Record<string, unknown>;
    expect(authorizer).toMatchObject({ principalId: 'user-ann', role: 'member', seat: '7', type: 'REQUEST', routeKey: '$connect', eventType: 'CONNECT', connectionId: answer.connectionId });
    expect(authorizer.methodArn).toMatch(/^arn:aws:execute-api:eu-west-1:123456789012:[0-9a-f]{10}\/dev\/\$connect$/);
    expect(authorizer.host).toBe(wsUrl.replace('ws://', ''));
    expect(events).toContainEqual(expect.objectContaining({ type: 'authorizer', name: 'ticket', outcome: 'allow', method: 'WS', path: '/desk', invoked: true }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'websocket', channel: 'desk', routeKey: '$connect', connectionId: answer.connectionId, status: 'ok' }));
    client.socket.close();
    await client.closed;
  });

  it('the $disconnect event carries the authorizer\'s context too', async () => {
    const client = await connect('/desk?token=user-bo');
    const { connectionId } = await whoami(client);
    const disconnected = new Promise<DevServerEvent>((resolve) => {
      const poll = () => {
        const found = events.find((event) => event.type === 'websocket' && event.routeKey === '$disconnect' && event.connectionId === connectionId);
        if (found) resolve(found);
        else setImmediate(poll);
      };
      poll();
    });
    client.socket.close();
    // DeskChannel#disconnect throws when requestContext.authorizer is missing: 'error' would say so.
    expect(await disconnected).toMatchObject({ status: 'ok' });
  });

  it('no token → 401 Unauthorized without invoking the authorizer', async () => {
    const runs = ticketRuns();
    await expect(connect('/desk')).rejects.toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}', errorType: 'UnauthorizedException' });
    await expect(connect('/desk?token=')).rejects.toMatchObject({ statusCode: 401 });
    expect(ticketRuns()).toBe(runs);
    expect(events).toContainEqual(expect.objectContaining({ type: 'authorizer', name: 'ticket', outcome: 'unauthorized', invoked: false, detail: expect.stringContaining('route.request.querystring.token is missing') }));
  });

  it('deny → 403, "Unauthorized" thrown → 401, any other error → 500; the channel\'s $connect never runs', async () => {
    const connects = () => events.filter((event) => event.type === 'websocket' && event.channel === 'desk' && event.routeKey === '$connect').length;
    const before = connects();
    await expect(connect('/desk?token=stranger')).rejects.toMatchObject({ statusCode: 403, body: '{"Message":"User is not authorized to access this resource with an explicit deny"}', errorType: 'AccessDeniedException' });
    await expect(connect('/desk?token=expired')).rejects.toMatchObject({ statusCode: 401, body: '{"message":"Unauthorized"}' });
    await expect(connect('/desk?token=broken')).rejects.toMatchObject({ statusCode: 500, body: '{"message":null}', errorType: 'AuthorizerConfigurationException' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'authorizer', name: 'ticket', outcome: 'error', detail: expect.stringContaining('the ticket service is down') }));
    expect(connects()).toBe(before);
  });

  it('connect() still runs after an allow, and may refuse the connection itself', async () => {
    await expect(connect('/desk?token=user-banned')).rejects.toMatchObject({ statusCode: 403, body: 'banned from the desk' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'websocket', channel: 'desk', routeKey: '$connect', status: 'rejected', statusCode: 403 }));
  });

  it('runs the authorizer for every connection, even within its ttl: a WebSocket API keeps no authorizer cache', async () => {
    const first = await connect('/desk?token=user-cy');
    const runs = ticketRuns();
    const second = await connect('/desk?token=user-cy');
    expect(ticketRuns()).toBe(runs + 1);
    expect(events).not.toContainEqual(expect.objectContaining({ type: 'authorizer', name: 'ticket', cached: true }));
    const [a, b] = [await whoami(first), await whoami(second)];
    expect((b.authorizer as Record<string, unknown>).principalId).toBe('user-cy');
    expect(b.connectionId).not.toBe(a.connectionId);
    for (const client of [first, second]) client.socket.close();
  });
});

describe('AWS_IAM on a channel\'s $connect', () => {
  it('an unsigned upgrade request → 403 Missing Authentication Token', async () => {
    await expect(connect('/vault')).rejects.toMatchObject({ statusCode: 403, body: '{"message":"Missing Authentication Token"}' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'authorizer', name: 'iam', outcome: 'deny', method: 'WS', path: '/vault', invoked: false }));
  });

  it('a SigV4-signed one connects, its key id in $connect\'s identity', async () => {
    const signature = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261207/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    const client = await connect('/vault', { Authorization: signature, 'X-Amz-Date': '20261207T120000Z' });
    // VaultChannel#connect refuses (400) when identity.accessKey is missing.
    expect((await whoami(client)).identity).toMatchObject({ sourceIp: '127.0.0.1' });
    client.socket.close();
  });
});
