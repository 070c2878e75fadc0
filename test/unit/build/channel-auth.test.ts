// A channel's `static auth` checked by the build: an app authorizer of type request whose identity
// sources a WebSocket API's $connect can read, or 'iam' (doc APIGW "Control access to WebSocket APIs
// with AWS Lambda REQUEST authorizers"; doc AWS::ApiGatewayV2::Authorizer). One line each, naming
// app/channels/<name>-channel.ts, with a hint.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, SlsError } from '../../../src/index.js';
import { configFor, copyApp, createScratch, repoRoot } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const guardedApp = join(repoRoot, 'test', 'fixtures', 'channel-auth-app');

/** The build's errors (`text | hint`) for the guarded channels app with `edit` applied. */
async function errorsOf(edit: (root: string) => void): Promise<string[]> {
  const root = copyApp(guardedApp, scratch.dir);
  edit(root);
  const error = await build({ config: await configFor(root) }).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(SlsError);
  return (error as SlsError).diagnostics.map((d) => `${d.text} | ${d.hint ?? ''}`);
}
const channel = (root: string, auth: string) =>
  writeFileSync(join(root, 'app', 'channels', 'lobby-channel.ts'), `import { Channel } from 'sls-ts';\nexport default class LobbyChannel extends Channel {\n  static auth = '${auth}';\n  enter() {}\n}\n`);
const authorizer = (root: string, name: string, statics: string) =>
  writeFileSync(join(root, 'app', 'authorizers', `${name}-authorizer.ts`), `import { Authorizer } from 'sls-ts';\nexport default class X extends Authorizer {\n${statics}\nauthorize() { return this.allow('x'); }\n}\n`);

describe('a channel\'s static auth in the build', () => {
  it('builds a channel guarded by a REQUEST authorizer and one guarded by IAM, each carrying its guard', async () => {
    const root = copyApp(guardedApp, scratch.dir);
    const { manifest } = await build({ config: await configFor(root) });
    const routing = Object.fromEntries(manifest.functions.filter((fn) => fn.kind === 'channel').map((fn) => [fn.channel!.name, fn.channel!.auth]));
    expect(routing).toEqual({ desk: 'ticket', vault: 'iam' });
  }, 60_000);

  it('an authorizer the app does not have: the channel\'s file and the nearest name', async () => {
    const errors = await errorsOf((root) => channel(root, 'tickt'));
    expect(errors).toEqual([expect.stringMatching(/^app\/channels\/lobby-channel\.ts: LobbyChannel\.auth names authorizer "tickt", which the app does not have \| did you mean "ticket"\?$/)]);
  });

  it('a TOKEN authorizer: WebSocket APIs take REQUEST ones, and the hint says to read a query parameter', async () => {
    const errors = await errorsOf((root) => {
      authorizer(root, 'badge', '');
      channel(root, 'badge');
    });
    expect(errors).toEqual([
      expect.stringMatching(/^app\/channels\/lobby-channel\.ts: LobbyChannel\.auth names "badge", a TOKEN authorizer, but a WebSocket API's \$connect takes REQUEST authorizers only \| set static type = 'request' on X \(app\/authorizers\/badge-authorizer\.ts\); browsers cannot set headers on a WebSocket: read a query parameter, static identitySource = \['method\.request\.querystring\.token'\]/),
    ]);
  });

  it('a Cognito authorizer from the config: not one a WebSocket API can use', async () => {
    const errors = await errorsOf((root) => {
      writeFileSync(join(root, 'sls-ts.config.ts'), "import { defineConfig } from 'sls-ts/config';\nexport default defineConfig({ name: 'channel-auth-app', region: 'eu-west-1', authorizers: { members: { type: 'cognito', userPoolArns: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI'] } } });\n");
      channel(root, 'members');
    });
    expect(errors).toEqual([expect.stringMatching(/^app\/channels\/lobby-channel\.ts: LobbyChannel\.auth names "members", a Cognito authorizer, but a WebSocket API's \$connect takes a Lambda REQUEST authorizer or 'iam' only \| write an app\/authorizers\/<name>-authorizer\.ts with static type = 'request'/)]);
  });

  it('a REQUEST authorizer with an identity source a $connect request has no counterpart for', async () => {
    const errors = await errorsOf((root) => {
      authorizer(root, 'origin', "static type = 'request';\nstatic identitySource = ['method.request.querystring.token', 'context.identity.sourceIp'];");
      channel(root, 'origin');
    });
    expect(errors).toEqual([expect.stringMatching(/^app\/channels\/lobby-channel\.ts: LobbyChannel\.auth names "origin", whose identity source context\.identity\.sourceIp has no counterpart on a WebSocket API's \$connect request \| use method\.request\.header\.<Name>, method\.request\.querystring\.<name> or stageVariables\.<name>/)]);
  });
});
