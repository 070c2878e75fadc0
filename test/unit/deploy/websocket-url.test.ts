// `url` and `status` with WebSocket channels: the stack's `<Channel>WebSocketUrl` / `<Channel>ConnectionsUrl`
// outputs (aws-sdk-client-mock's DescribeStacks) come back beside the API's URL, one line per
// channel after it (so `head -1` still gives the API), `--channel` prints one, `--json` lists them.
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { url } from '../../../src/deploy/index.js';
import { API_URL, FULL_OUTPUTS, type FakeAws } from './fake-aws.js';
import { runCli, testContext, useDeployFixtures, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

const CHAT = 'wss://w5abc.execute-api.us-east-1.amazonaws.com/dev';
const CHAT_ROOM = 'wss://w6def.execute-api.us-east-1.amazonaws.com/dev';
const CHANNEL_OUTPUTS = {
  ChatWebSocketUrl: CHAT,
  ChatConnectionsUrl: 'https://w5abc.execute-api.us-east-1.amazonaws.com/dev/@connections',
  ChatRoomWebSocketUrl: CHAT_ROOM,
  ChatRoomConnectionsUrl: 'https://w6def.execute-api.us-east-1.amazonaws.com/dev/@connections',
};
const CHANNELS = [
  { channel: 'chat', url: CHAT, connectionsUrl: 'https://w5abc.execute-api.us-east-1.amazonaws.com/dev/@connections' },
  { channel: 'chat-room', url: CHAT_ROOM, connectionsUrl: 'https://w6def.execute-api.us-east-1.amazonaws.com/dev/@connections' },
];

describe('url with WebSocket channels', () => {
  it("returns each channel's wss:// URL and @connections endpoint beside the API's URL", async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS, ...CHANNEL_OUTPUTS });
    expect(await url(testContext(app.config))).toEqual({ stackName: 'example-app-dev', url: API_URL, from: 'outputs', channels: CHANNELS });
  });

  it("prints the API's URL first, then a line per channel; --channel prints one URL, --json all of them", async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS, ...CHANNEL_OUTPUTS });
    expect(await runCli(app.root, 'url')).toMatchObject({ code: 0, stdout: [API_URL, `${CHAT}  (channel chat)`, `${CHAT_ROOM}  (channel chat-room)`] });
    expect(await runCli(app.root, 'url', '--channel', 'chat-room')).toMatchObject({ code: 0, stdout: [CHAT_ROOM] });
    const json = await runCli(app.root, 'url', '--json');
    expect(JSON.parse(json.stdout.join('\n'))).toEqual({ stackName: 'example-app-dev', url: API_URL, from: 'outputs', channels: CHANNELS });
    const missing = await runCli(app.root, 'url', '--channel', 'lobby');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toEqual(['error example-app-dev has no channel lobby (its channels: chat, chat-room) — channels are app/channels/<name>-channel.ts; deploy after adding one']);
  });

  it('gives an app of channels only (no HTTP API) its first channel\'s URL, without looking for a REST API', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: FULL_OUTPUTS.ArtifactsBucketName, ...CHANNEL_OUTPUTS });
    expect(await url(testContext(app.config))).toEqual({ stackName: 'example-app-dev', url: CHAT, from: 'outputs', channels: CHANNELS });
    expect(aws.apiGateway.commandCalls(GetRestApisCommand)).toHaveLength(0);
    expect(await runCli(app.root, 'url')).toMatchObject({ code: 0, stdout: [`${CHAT}  (channel chat)`, `${CHAT_ROOM}  (channel chat-room)`] });
  });

  it('keeps the output unchanged for an app without channels', async () => {
    aws.setStack('UPDATE_COMPLETE', [], FULL_OUTPUTS);
    expect(await url(testContext(app.config))).toEqual({ stackName: 'example-app-dev', url: API_URL, from: 'outputs' });
  });

  it('`status` shows each channel\'s wss:// URL under the API\'s, and lists them in --json', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS, ...CHANNEL_OUTPUTS });
    const plain = await runCli(app.root, 'status');
    expect(plain.code).toBe(0);
    const header = plain.stdout.slice(0, plain.stdout.indexOf(''));
    expect(header.slice(-3)).toEqual([`API      ${API_URL}`, `WS       ${CHAT}  (channel chat)`, `WS       ${CHAT_ROOM}  (channel chat-room)`]);
    const json = JSON.parse((await runCli(app.root, 'status', '--json')).stdout.join('\n')) as { channels: unknown };
    expect(json.channels).toEqual(CHANNELS);
  });
});
