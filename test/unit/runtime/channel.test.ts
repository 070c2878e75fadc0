// The Channel handler on its own: $connect refusals, which methods a route key may reach, and
// send() as a SigV4-signed PostToConnection — checked against the AWS SDK's own signer
// (@smithy/signature-v4, service execute-api, paths escaped as the SDK escapes them).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Channel, createChannelHandler, type WebSocketEvent } from '../../../src/runtime/index.js';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { sdkAuthorization } from '../../support/sdk-signature.js';

const context = createLambdaContext({ functionName: 'app-dev-chat-channel' });

function event(routeKey: string, fields: Partial<WebSocketEvent> = {}): WebSocketEvent {
  const eventType = routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';
  return {
    requestContext: {
      routeKey, eventType, extendedRequestId: 'x', requestTime: '07/Dec/2026:18:56:57 +0000', requestTimeEpoch: 0, messageDirection: 'IN', stage: 'dev', connectedAt: 0,
      identity: { sourceIp: '127.0.0.1' }, requestId: 'r', domainName: 'abc123.execute-api.eu-west-1.amazonaws.com', connectionId: 'L0SM9cOFvHcCIhw=', apiId: 'abc123',
    },
    isBase64Encoded: false,
    ...fields,
  };
}

class ChatChannel extends Channel {
  override connect() {
    if (this.event.queryStringParameters?.token !== 'ok') this.reject(401, 'who are you?');
  }
  say(data: { text: string }) {
    return this.send({ echo: data.text });
  }
  misplaced() {
    this.reject(403);
  }
}
const handler = createChannelHandler(ChatChannel);

describe('createChannelHandler', () => {
  it('answers $connect with 200, or with the status and text reject() gives', async () => {
    expect(await handler(event('$connect', { queryStringParameters: { token: 'ok' } }), context)).toEqual({ statusCode: 200 });
    expect(await handler(event('$connect'), context)).toEqual({ statusCode: 401, body: 'who are you?' });
  });

  it('accepts $disconnect and $default without those methods, and never runs a base method a message names', async () => {
    expect(await handler(event('$disconnect'), context)).toEqual({ statusCode: 200 });
    expect(await handler(event('$default', { body: 'hi' }), context)).toEqual({ statusCode: 200 });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(handler(event('broadcast', { body: '{}' }), context)).rejects.toThrow('channel chat has no action "broadcast"');
    await expect(handler(event('misplaced', { body: '{}' }), context)).rejects.toThrow(/reject\(\) refuses a connection: call it in connect\(\)/);
  });
});

const expectedAuthorization = (request: IncomingMessage, body: string) => sdkAuthorization(request, body, { service: 'execute-api', region: 'eu-west-1', secretAccessKey: 'secret' });

describe('Channel#send', () => {
  let server: Server;
  const received: Array<{ method: string; url: string; body: string; signatureMatches: boolean }> = [];
  const saved = { ...process.env };
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ method: request.method!, url: request.url!, body, signatureMatches: (await expectedAuthorization(request, body)) === request.headers.authorization });
        response.writeHead(received.length === 1 ? 200 : 410, { 'x-amzn-ErrorType': 'GoneException' }).end(received.length === 1 ? '' : '{"message":null}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, { AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' });
    delete process.env.AWS_SESSION_TOKEN;
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts JSON to /@connections/<id> under the endpoint, signed as the SDK signs execute-api calls; a 410 reads as gone', async () => {
    expect(await handler(event('say', { body: '{"action":"say","text":"hi"}' }), context)).toEqual({ statusCode: 200 });
    expect(received[0]).toEqual({ method: 'POST', url: '/dev/@connections/L0SM9cOFvHcCIhw%3D', body: '{"echo":"hi"}', signatureMatches: true });
    const channel = new ChatChannel(event('say', { body: '{}' }), context);
    expect(await channel.send('again')).toBe(false);
  });
});
