// A tracked channel (`static connections`) through its Lambda handler, against one local HTTP server
// standing in for DynamoDB (PutItem / DeleteItem / Query, paged) and the @connections API: what the
// handler writes on $connect and deletes on $disconnect, what broadcast('chat') reads and posts, and
// every DynamoDB request checked against the AWS SDK's own SigV4 signer (service dynamodb).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Channel, createChannelHandler, type WebSocketEvent } from '../../../src/runtime/index.js';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { sdkAuthorization } from '../../support/sdk-signature.js';

const context = createLambdaContext({ functionName: 'app-dev-chat-channel' });
// API Gateway's own connect time is what the row's expiry counts from; queries skip rows already expired, so it is now.
const CONNECTED_AT = Date.now();

function event(routeKey: string, connectionId: string, fields: Partial<WebSocketEvent> = {}): WebSocketEvent {
  const eventType = routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';
  return {
    requestContext: {
      routeKey, eventType, extendedRequestId: 'x', requestTime: '07/Dec/2026:18:56:57 +0000', requestTimeEpoch: CONNECTED_AT, messageDirection: 'IN', stage: 'dev', connectedAt: CONNECTED_AT,
      identity: { sourceIp: '127.0.0.1' }, requestId: 'r', domainName: 'abc123.execute-api.eu-west-1.amazonaws.com', connectionId, apiId: 'abc123',
    },
    isBase64Encoded: false,
    ...fields,
  };
}

class ChatChannel extends Channel {
  static override connections = 'connections';
  override connect() {
    if (this.event.queryStringParameters?.token === 'bad') this.reject(401);
  }
  override disconnect() {
    if (this.connectionId === 'angry') throw new Error('disconnect() failed');
  }
  async shout(data: { text: string }) {
    return this.send(await this.broadcast('chat', { text: data.text }));
  }
  async ids(data: { channel?: string }) {
    return this.send(await this.connectionIds(data.channel));
  }
  async direct(data: { to: string }) {
    // A string that is a channel's name, and an array holding one id: not the same call.
    return this.send(await this.broadcast([data.to], 'direct'));
  }
}
class PlainChannel extends Channel {
  async shout() {
    return this.broadcast('plain', 'hi');
  }
}
const chat = createChannelHandler(ChatChannel);
const plain = createChannelHandler(PlainChannel);

interface Row {
  channel: string;
  connectionId: string;
  item: Record<string, { S?: string; N?: string }>;
}

describe('a channel tracking its connections in a table', () => {
  let server: Server;
  let rows: Row[] = [];
  /** DynamoDB calls as received: operation, body, and whether the SDK would have signed them so. */
  let dynamo: Array<{ target: string; contentType: string; body: Record<string, any>; signatureMatches: boolean }> = [];
  /** @connections posts: the connection and the message. */
  let posts: Array<{ connectionId: string; body: string }> = [];
  const gone = new Set<string>();
  let failQuery = false;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const posted = /^\/dev\/@connections\/([^/]+)$/.exec(request.url!);
        if (posted) {
          const connectionId = decodeURIComponent(posted[1]!);
          posts.push({ connectionId, body: text });
          response.writeHead(gone.has(connectionId) ? 410 : 200).end(gone.has(connectionId) ? '{"message":null}' : '');
          return;
        }
        const target = String(request.headers['x-amz-target']);
        const body = JSON.parse(text) as Record<string, any>;
        dynamo.push({ target, contentType: String(request.headers['content-type']), body, signatureMatches: (await signature(request, text)) === request.headers.authorization });
        answerDynamo(target, body, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: `${endpoint}/dev`, SLS_TS_RESOURCE_CONNECTIONS_NAME: 'app-dev-connections',
      AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    rows = [];
    dynamo = [];
    posts = [];
    gone.clear();
    failQuery = false;
  });

  const signature = (request: IncomingMessage, body: string) => sdkAuthorization(request, body, { service: 'dynamodb', region: 'eu-west-1', secretAccessKey: 'secret' });

  /** Enough of DynamoDB for these calls; Query answers two rows a page, as a 1 MB page would split a big channel. */
  function answerDynamo(target: string, body: Record<string, any>, response: import('node:http').ServerResponse) {
    const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(value));
    if (target === 'DynamoDB_20120810.PutItem') {
      const item = body.Item as Row['item'];
      rows = rows.filter((row) => !(row.channel === item.channel!.S && row.connectionId === item.connectionId!.S));
      rows.push({ channel: item.channel!.S!, connectionId: item.connectionId!.S!, item });
      return json(200, {});
    }
    if (target === 'DynamoDB_20120810.DeleteItem') {
      rows = rows.filter((row) => !(row.channel === body.Key.channel.S && row.connectionId === body.Key.connectionId.S));
      return json(200, {});
    }
    if (failQuery) return json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
    const now = Number(body.ExpressionAttributeValues[':now'].N);
    const matching = rows.filter((row) => row.channel === body.ExpressionAttributeValues[':channel'].S && Number(row.item.expiresAt!.N) > now);
    const from = body.ExclusiveStartKey ? matching.findIndex((row) => row.connectionId === body.ExclusiveStartKey.connectionId.S) + 1 : 0;
    const page = matching.slice(from, from + 2);
    const last = page.at(-1);
    const more = from + 2 < matching.length;
    return json(200, { Items: page.map((row) => row.item), Count: page.length, ...(more && last && { LastEvaluatedKey: { channel: { S: last.channel }, connectionId: { S: last.connectionId } } }) });
  }

  it('records an accepted connection with PutItem, signed as the SDK signs DynamoDB calls, expiring 2 h (and a margin) after it opened', async () => {
    expect(await chat(event('$connect', 'A1='), context)).toEqual({ statusCode: 200 });
    expect(dynamo).toEqual([{
      target: 'DynamoDB_20120810.PutItem',
      contentType: 'application/x-amz-json-1.0',
      signatureMatches: true,
      body: {
        TableName: 'app-dev-connections',
        Item: {
          channel: { S: 'chat' }, connectionId: { S: 'A1=' }, connectedAt: { N: String(CONNECTED_AT) },
          expiresAt: { N: String(Math.floor(CONNECTED_AT / 1000) + 2 * 3600 + 600) },
          domainName: { S: 'abc123.execute-api.eu-west-1.amazonaws.com' }, stage: { S: 'dev' },
        },
      },
    }]);
  });

  it('records nothing for a refused connection', async () => {
    expect(await chat(event('$connect', 'B1=', { queryStringParameters: { token: 'bad' } }), context)).toEqual({ statusCode: 401, body: 'Forbidden' });
    expect(dynamo).toEqual([]);
  });

  it("deletes the connection's row on $disconnect, even when disconnect() throws (whose error is the one raised)", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await chat(event('$connect', 'calm'), context);
    await chat(event('$connect', 'angry'), context);
    expect(await chat(event('$disconnect', 'calm'), context)).toEqual({ statusCode: 200 });
    await expect(chat(event('$disconnect', 'angry'), context)).rejects.toThrow('disconnect() failed');
    expect(rows).toEqual([]);
    expect(dynamo.filter((call) => call.target.endsWith('DeleteItem')).map((call) => call.body)).toEqual([
      { TableName: 'app-dev-connections', Key: { channel: { S: 'chat' }, connectionId: { S: 'calm' } } },
      { TableName: 'app-dev-connections', Key: { channel: { S: 'chat' }, connectionId: { S: 'angry' } } },
    ]);
  });

  it("broadcast('chat') posts to every row of the channel across Query pages, and deletes the rows of gone connections", async () => {
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) await chat(event('$connect', id), context);
    gone.add('c2').add('c4');
    dynamo = [];
    await chat(event('shout', 'c1', { body: '{"action":"shout","text":"hello"}' }), context);
    const shouted = posts.filter((post) => post.body === '{"text":"hello"}').map((post) => post.connectionId).sort();
    expect(shouted).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(posts.at(-1)).toEqual({ connectionId: 'c1', body: JSON.stringify({ sent: ['c1', 'c3', 'c5'], gone: ['c2', 'c4'] }) });
    const queries = dynamo.filter((call) => call.target === 'DynamoDB_20120810.Query');
    expect(queries).toHaveLength(3);
    expect(queries[0]!.body).toMatchObject({ TableName: 'app-dev-connections', KeyConditionExpression: '#channel = :channel', ExpressionAttributeValues: { ':channel': { S: 'chat' } }, ConsistentRead: true });
    expect(queries[1]!.body.ExclusiveStartKey).toEqual({ channel: { S: 'chat' }, connectionId: { S: 'c2' } });
    expect(dynamo.every((call) => call.signatureMatches)).toBe(true);
    expect(rows.map((row) => row.connectionId)).toEqual(['c1', 'c3', 'c5']);
  });

  it('skips rows past their expiry that TTL has not deleted yet', async () => {
    await chat(event('$connect', 'old', { requestContext: { ...event('$connect', 'old').requestContext, connectedAt: Date.now() - 3 * 3600 * 1000 } }), context);
    await chat(event('$connect', 'new', { requestContext: { ...event('$connect', 'new').requestContext, connectedAt: Date.now() } }), context);
    await chat(event('ids', 'new', { body: '{"action":"ids"}' }), context);
    expect(posts.at(-1)).toEqual({ connectionId: 'new', body: '["new"]' });
  });

  it("lists a channel's connection ids, its own by default", async () => {
    await chat(event('$connect', 'x1'), context);
    rows.push({ channel: 'lobby', connectionId: 'l1', item: { channel: { S: 'lobby' }, connectionId: { S: 'l1' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + 60) } } });
    await chat(event('ids', 'x1', { body: '{"action":"ids"}' }), context);
    await chat(event('ids', 'x1', { body: '{"action":"ids","channel":"lobby"}' }), context);
    expect(posts.map((post) => post.body)).toEqual(['["x1"]', '["l1"]']);
  });

  it('posts to an array of ids as before (a string is a name, not characters), forgetting a gone one', async () => {
    gone.add('far');
    await chat(event('direct', 'me', { body: '{"action":"direct","to":"far"}' }), context);
    expect(posts).toEqual([{ connectionId: 'far', body: 'direct' }, { connectionId: 'me', body: JSON.stringify({ sent: [], gone: ['far'] }) }]);
    expect(dynamo.map((call) => [call.target, call.body.Key])).toEqual([['DynamoDB_20120810.DeleteItem', { channel: { S: 'chat' }, connectionId: { S: 'far' } }]]);
  });

  it("names the channel and the operation when DynamoDB refuses, and refuses broadcast by name on an untracked channel", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    failQuery = true;
    await expect(chat(event('shout', 'c1', { body: '{"action":"shout","text":"x"}' }), context)).rejects.toThrow('channel chat: DynamoDB Query failed: ResourceNotFoundException: Requested resource not found');
    await expect(plain(event('shout', 'p1', { body: '{"action":"shout"}' }), context)).rejects.toThrow(/^channel plain: broadcast\('plain', …\) reads the connections a table tracks, but PlainChannel has no static connections — add static connections = 'connections'/);
    expect(posts).toEqual([]);
  });

  it("says which variable is missing when the table's name is not in the environment", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    delete process.env.SLS_TS_RESOURCE_CONNECTIONS_NAME;
    try {
      await expect(chat(event('$connect', 'n1'), context)).rejects.toThrow("channel chat: SLS_TS_RESOURCE_CONNECTIONS_NAME (the name of its connections table 'connections') is not set");
    } finally {
      process.env.SLS_TS_RESOURCE_CONNECTIONS_NAME = 'app-dev-connections';
    }
  });
});
