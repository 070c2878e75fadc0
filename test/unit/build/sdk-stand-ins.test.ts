// The app check runs the app's modules with stand-ins for @aws-sdk/* (issue #17's start-up
// figure), and with the real packages whenever module-scope code needs what only they can give.
// The fake SDK package below leaves a file behind when it is really loaded.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectApp } from '../../../src/index.js';
import { copyApp, createScratch, fixture, installStub } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const FAKE_SDK = `
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('./loaded', import.meta.url), '');
export class FakeClient {
  constructor(config) { this.config = { region: 'eu-west-1', ...config }; this.actionName = 'list'; }
  async send(command) { return { Items: [{ path: '/from-sdk/' + command.input.TableName }] }; }
}
export class DocumentClient { static from(client) { return client; } }
export class ScanCommand { constructor(input) { this.input = input; } }
`;

const ROUTES = "import { defineRoutes } from 'sls-ts';\nexport default defineRoutes((r) => { r.get('/items/:id', 'items#show'); r.get('/items/:id/reviews', 'items#reviews'); });\n";

/** route-conflict's items controller, without the conflict, a fake @aws-sdk/client-fake installed and the given files written over it. */
function appWith(files: Record<string, string>): { root: string; sdkLoaded: () => boolean } {
  const root = copyApp(fixture('route-conflict'), scratch.dir);
  installStub(root, '@aws-sdk/client-fake', FAKE_SDK);
  for (const [path, content] of Object.entries({ 'config/routes.ts': ROUTES, ...files })) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return { root, sdkLoaded: () => existsSync(join(root, 'node_modules', '@aws-sdk', 'client-fake', 'loaded')) };
}

const controller = (moduleScope: string, body: string) => `import { Controller } from 'sls-ts';
import { DocumentClient, FakeClient, ScanCommand } from '@aws-sdk/client-fake';
${moduleScope}
export default class ItemsController extends Controller {
${body}
}
`;

/** Checks an app whose routes file declares a route for each path `moduleScope` collects from the fake SDK. */
async function expectRoutesFromRealSdk(moduleScope: string): Promise<void> {
  const { root, sdkLoaded } = appWith({
    'config/routes.ts': `import { defineRoutes } from 'sls-ts';
import { FakeClient, ScanCommand } from '@aws-sdk/client-fake';
const paths: string[] = [];
${moduleScope}
export default defineRoutes((r) => {
  for (const path of paths) r.get(path, 'items#show');
});
`,
  });
  const { app, diagnostics } = await inspectApp(root);
  expect(diagnostics).toEqual([]);
  expect(app!.table.routes.map((route) => route.path)).toEqual(['/from-sdk/items']);
  expect(sdkLoaded()).toBe(true);
}

describe('the app check and the AWS SDK', () => {
  it('does not load the SDK when module scope only makes clients and commands', async () => {
    const { root, sdkLoaded } = appWith({
      'app/controllers/items-controller.ts': controller(
        "const documents = DocumentClient.from(new FakeClient({}));\nconst scan = new ScanCommand({ TableName: 'items' });",
        '  async show() { return this.json(await documents.send(scan)); }\n  reviews() { return this.json({ region: documents.config.region }); }',
      ),
    });
    const { app, diagnostics } = await inspectApp(root);
    expect(diagnostics).toEqual([]);
    expect(app!.controllers.get('items')).toMatchObject({ className: 'ItemsController', actions: ['reviews', 'show'] });
    expect(sdkLoaded()).toBe(false);
  });

  it('loads the real SDK when module-scope code awaits a call into it, and declares what it answered', async () => {
    await expectRoutesFromRealSdk("const { Items } = await new FakeClient({}).send(new ScanCommand({ TableName: 'items' }));\npaths.push(...Items.map((item: { path: string }) => item.path));");
  });

  it('loads the real SDK for module scope that pages through results and catches errors, rather than looping or falling back on a stand-in', async () => {
    await expectRoutesFromRealSdk(`const client = new FakeClient({});
let page: any;
try {
  do {
    page = await client.send(new ScanCommand({ TableName: 'items', ExclusiveStartKey: page?.LastEvaluatedKey }));
    paths.push(...page.Items.map((item: { path: string }) => item.path));
  } while (page.LastEvaluatedKey);
} catch {
  paths.push('/no-sdk');
}`);
  });

  it('loads the real SDK when a value it made names an action', async () => {
    const { root, sdkLoaded } = appWith({
      'config/routes.ts': "import { defineRoutes } from 'sls-ts';\nexport default defineRoutes((r) => { r.get('/items', 'items#list'); });\n",
      'app/controllers/items-controller.ts': controller('const client = new FakeClient({});', '  [client.actionName]() { return this.json([]); }'),
    });
    const { app, diagnostics } = await inspectApp(root);
    expect(diagnostics).toEqual([]);
    expect(app!.controllers.get('items')!.actions).toEqual(['list']);
    expect(sdkLoaded()).toBe(true);
  });

  it('reports a module that fails with the real SDK too once, as it failed with it', async () => {
    const { root, sdkLoaded } = appWith({
      'app/controllers/items-controller.ts': controller("const client = new FakeClient({});\nif (client.config.region) throw new Error('no region for you');", '  show() { return this.json({}); }\n  reviews() { return this.json({}); }'),
    });
    const { diagnostics } = await inspectApp(root);
    expect(diagnostics.map((d) => d.text)).toEqual(['app/controllers/items-controller.ts failed to load: no region for you']);
    expect(sdkLoaded()).toBe(true);
  });
});
