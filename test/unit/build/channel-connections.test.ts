// A channel's `static connections` in the build: it must name a declared table of the shape the runtime's
// rows need (one line naming the channel file and the config, with the declaration to write), and the
// channel's function is then linked to it read-write, as `link: ['connections']` would: IAM and env.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../../src/index.js';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { assertValidTemplate, preloadResourceSpec } from '../../support/cfn-validator.js';
import { expectCfnLintClean, templatesOf } from '../../support/cfn-lint.js';
import { configFor, copyApp, createScratch, repoRoot } from './support.js';

beforeAll(() => preloadResourceSpec(), 30_000);
const scratch = createScratch();
afterAll(() => scratch.cleanup());

const channelsApp = join(repoRoot, 'test', 'fixtures', 'channels-app');
const LOBBY = "import { Channel } from 'sls-ts';\nexport default class LobbyChannel extends Channel {\n  static connections = 'sockets';\n  enter() {}\n}\n";

/** The channels app with a tracked lobby channel and these declared resources. */
function appWith(resources: string): string {
  const root = copyApp(channelsApp, scratch.dir);
  writeFileSync(join(root, 'app', 'channels', 'lobby-channel.ts'), LOBBY);
  writeFileSync(join(root, 'sls-ts.config.ts'), `import { defineConfig, table, queue } from 'sls-ts/config';\nexport default defineConfig({ name: 'channels-app', region: 'eu-west-1', resources: ${resources} });\n`);
  return root;
}

async function buildErrors(root: string): Promise<string[]> {
  const error = await build({ config: await configFor(root) }).then(() => undefined, (caught: unknown) => caught as { diagnostics?: Array<{ text: string; hint?: string; file?: string }> });
  return (error?.diagnostics ?? []).map((d) => `${d.text} | ${d.hint ?? ''} | ${d.file?.slice(root.length + 1) ?? ''}`);
}

const DECLARATION = "sockets: table({ key: 'channel', sort: 'connectionId', ttl: 'expiresAt' })";

describe("a channel's static connections in the build", () => {
  it('refuses a name no resource has, with the declaration to write (or the near name)', async () => {
    expect(await buildErrors(appWith('{}'))).toEqual([
      `app/channels/lobby-channel.ts: static connections = 'sockets' names no table declared in sls-ts.config.ts | declare it in sls-ts.config.ts: resources: { ${DECLARATION} } (channels may share one) | app/channels/lobby-channel.ts`,
    ]);
    expect((await buildErrors(appWith("{ socket: table({ key: 'channel', sort: 'connectionId', ttl: 'expiresAt' }) }")))[0]).toMatch(/names no table declared in sls-ts\.config\.ts \| did you mean 'socket'\?/);
  });

  it('refuses a resource that is not a table, and a table of another shape, saying what differs', async () => {
    expect(await buildErrors(appWith('{ sockets: queue() }'))).toEqual([expect.stringMatching(/^app\/channels\/lobby-channel\.ts: static connections = 'sockets' names a queue declared in sls-ts\.config\.ts, not a table \| declare a table/)]);
    const shapes: Array<[string, string]> = [
      ["table({ key: 'id' })", "key is 'id'"],
      ["table({ key: 'channel' })", 'has no sort key'],
      ["table({ key: 'channel', sort: { name: 'connectionId', type: 'number' }, ttl: 'expiresAt' })", "sort key is 'connectionId' (a number)"],
      ["table({ key: 'channel', sort: 'connectionId' })", 'has no ttl attribute'],
      ["table({ key: 'channel', sort: 'connectionId', ttl: 'ttl' })", "ttl attribute is 'ttl'"],
    ];
    for (const [declaration, problem] of shapes) {
      expect(await buildErrors(appWith(`{ sockets: ${declaration} }`))).toEqual([
        `app/channels/lobby-channel.ts: static connections = 'sockets' names table 'sockets' in sls-ts.config.ts, whose ${problem}: the channel's rows need key 'channel', sort 'connectionId' and ttl 'expiresAt' | declare it as resources: { ${DECLARATION} } (a table of other rows cannot be shared with connections) | app/channels/lobby-channel.ts`,
      ]);
    }
  });

  it('links the channel to its table read-write: IAM to write and query it, its name in the environment', { timeout: 120_000 }, async () => {
    const root = appWith(`{ ${DECLARATION} }`);
    const config = await configFor(root);
    const { manifest } = await build({ config });
    const lobby = manifest.functions.find((fn) => fn.key === 'lobby-channel')!;
    expect(lobby.links).toEqual([{ name: 'sockets', readOnly: false }]);
    expect(manifest.functions.find((fn) => fn.key === 'chat-channel')!.links).toEqual([]);

    const generated = generateTemplates({ config, manifest });
    const template = generated.root;
    assertValidTemplate(template);
    await expectCfnLintClean(templatesOf('channel-connections', generated));
    const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
    const fn = Object.values(resources).find((resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.FunctionName === lobby.functionName)!;
    expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(expect.arrayContaining(['SLS_TS_RESOURCE_SOCKETS_NAME', 'SLS_TS_RESOURCE_SOCKETS_ARN']));
    const role = resources[fn.Properties.Role['Fn::GetAtt'][0]]!;
    const actions = (role.Properties.Policies as Array<{ PolicyName: string; PolicyDocument: { Statement: Array<{ Action: string[] }> } }>)
      .find((policy) => policy.PolicyName === 'resources')!.PolicyDocument.Statement.flatMap((statement) => statement.Action);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query']));
  });
});
