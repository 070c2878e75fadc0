// The build's reading of app/channels/: one 'channel' function per class with its route keys, and
// one-line errors for actions no message could reach and for expressions API Gateway refuses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, inspectApp, planFunctions } from '../../../src/index.js';
import { configFor, copyApp, createScratch, repoRoot } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const channelsApp = join(repoRoot, 'test', 'fixtures', 'channels-app');

/** The inspection's diagnostics (`text | hint`) for the channels app with one more channel file. */
async function diagnosticsWith(name: string, body: string): Promise<string[]> {
  const root = copyApp(channelsApp, scratch.dir);
  writeFileSync(join(root, 'app', 'channels', `${name}-channel.ts`), body);
  const { diagnostics } = await inspectApp(root);
  return diagnostics.map((d) => `${d.text} | ${d.hint ?? ''}`);
}

describe('channels in the build', () => {
  it('plans one channel function per class, whose entry builds the handler from the class', async () => {
    const root = copyApp(channelsApp, scratch.dir);
    const { app, diagnostics } = await inspectApp(root);
    expect(diagnostics).toEqual([]);
    const planned = planFunctions(await configFor(root), app!).filter((fn) => fn.kind === 'channel');
    expect(planned.map((fn) => ({ key: fn.key, functionName: fn.functionName, channel: fn.channel, routes: fn.routes }))).toEqual([
      { key: 'chat-channel', functionName: 'channels-app-dev-chat-channel', channel: { name: 'chat', routeSelection: '$request.body.action', routeKeys: ['$connect', '$disconnect', '$default', 'big', 'boom', 'sdk', 'shout', 'whoami'] }, routes: [] },
      { key: 'rooms-channel', functionName: 'channels-app-dev-rooms-channel', channel: { name: 'rooms', routeSelection: '${request.body.service}/${request.body.action}', routeKeys: ['rooms/join'] }, routes: [] },
    ]);
    expect(planned[0]!.entrySource).toContain('createChannelHandler(Channel, "chat")');
  });

  it('refuses an action the route selection expression cannot produce, naming the class, the action and the expression', async () => {
    const errors = await diagnosticsWith('lobby', "import { Channel } from 'sls-ts';\nexport default class LobbyChannel extends Channel {\n  static routeSelection = 'lobby.${request.body.action}';\n  ['lobby.enter']() {}\n  leave() {}\n}\n");
    expect(errors).toEqual([expect.stringMatching(/^app\/channels\/lobby-channel\.ts: LobbyChannel#leave — the route selection expression lobby\.\$\{request\.body\.action\} cannot produce the route key "leave", so no message would reach it \| rename the action/)]);
  });

  it('refuses a $-named action, a selection expression without a body field, and a class that is not a Channel', async () => {
    const reserved = await diagnosticsWith('lobby', "import { Channel } from 'sls-ts';\nexport default class LobbyChannel extends Channel {\n  ['$connect']() {}\n}\n");
    expect(reserved).toEqual([expect.stringMatching(/LobbyChannel#\$connect — route keys starting with \$ are API Gateway's own .* \| use connect\(\), disconnect\(\) and default\(\)/)]);
    const header = await diagnosticsWith('lobby', "import { Channel } from 'sls-ts';\nexport default class LobbyChannel extends Channel {\n  static routeSelection = '$request.header.x-action';\n}\n");
    expect(header).toEqual([expect.stringMatching(/^app\/channels\/lobby-channel\.ts: static routeSelection "\$request\.header\.x-action": "\$request\.header\.x" is not a route selection variable/)]);
    const plain = await diagnosticsWith('lobby', 'export default class LobbyChannel {\n  join() {}\n}\n');
    expect(plain).toEqual([expect.stringMatching(/^the default export of app\/channels\/lobby-channel\.ts is not a Channel class \| export default class ChatChannel extends Channel/)]);
  });

  it('plans $connect for a guarded channel and $connect + $disconnect for a tracked one, though the class defines neither', async () => {
    const root = copyApp(channelsApp, scratch.dir);
    writeFileSync(join(root, 'app', 'channels', 'lobby-channel.ts'), "import { Channel } from 'sls-ts';\nexport default class LobbyChannel extends Channel {\n  static auth = 'iam';\n  static connections = 'sockets';\n  enter() {}\n}\n");
    writeFileSync(join(root, 'app', 'channels', 'desk-channel.ts'), "import { Channel } from 'sls-ts';\nexport default class DeskChannel extends Channel {\n  static auth = 'iam';\n  ask() {}\n}\n");
    const { app, diagnostics } = await inspectApp(root);
    expect(diagnostics).toEqual([]);
    const channels = Object.fromEntries(planFunctions(await configFor(root), app!).filter((fn) => fn.kind === 'channel').map((fn) => [fn.key, fn.channel]));
    expect(channels['lobby-channel']).toEqual({ name: 'lobby', routeSelection: '$request.body.action', routeKeys: ['$connect', '$disconnect', 'enter'], auth: 'iam', connections: 'sockets' });
    expect(channels['desk-channel']).toEqual({ name: 'desk', routeSelection: '$request.body.action', routeKeys: ['$connect', 'ask'], auth: 'iam' });
  });

  it('refuses a static auth or connections that is not a non-empty string', async () => {
    const errors = await diagnosticsWith('lobby', "import { Channel } from 'sls-ts';\nexport default class LobbyChannel extends Channel {\n  static auth = true;\n}\n");
    expect(errors).toEqual([expect.stringMatching(/^app\/channels\/lobby-channel\.ts: static auth must be a non-empty string, got true \| e\.g\. static auth = 'admin'/)]);
    const empty = await diagnosticsWith('lobby', "import { Channel } from 'sls-ts';\nexport default class LobbyChannel extends Channel {\n  static connections = '';\n}\n");
    expect(empty).toEqual([expect.stringMatching(/static connections must be a non-empty string, got "" \| e\.g\. static connections = 'connections'/)]);
  });

  it('builds a channel configured by its key under functions, as a plain function is', async () => {
    const root = copyApp(channelsApp, scratch.dir);
    writeFileSync(join(root, 'sls-ts.config.ts'), "import { defineConfig } from 'sls-ts/config';\nexport default defineConfig({ name: 'channels-app', region: 'eu-west-1', functions: { 'chat-channel': { memory: 512 } } });\n");
    const { manifest } = await build({ config: await configFor(root) });
    expect(manifest.functions.find((fn) => fn.key === 'chat-channel')).toMatchObject({ kind: 'channel', memory: 512 });
    writeFileSync(join(root, 'sls-ts.config.ts'), "import { defineConfig } from 'sls-ts/config';\nexport default defineConfig({ name: 'channels-app', region: 'eu-west-1', functions: { 'chat-chanel': { memory: 512 } } });\n");
    const error = await build({ config: await configFor(root) }).then(() => undefined, (caught: unknown) => caught as { diagnostics: Array<{ text: string; hint?: string }> });
    expect(error?.diagnostics.map((d) => `${d.text} | ${d.hint ?? ''}`)).toEqual([expect.stringMatching(/functions\.chat-chanel.*channel in app\/channels.*\| .*chat-channel/)]);
  });
});
