// `listResources` (what `sls-ts resources` prints) before any deploy: every declaration with its
// settings in a few words and the functions linking it. Deployed names are read in the e2e tests
// (from the stack's outputs on the AWS double, from physical ids on moto).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { createDeployContext, listResources } from '../../../src/index.js';
import { configFor, fixture } from '../build/support.js';
import { createFakeAws, type FakeAws } from './fake-aws.js';
import { captureOutput, scratchExampleApp, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;

beforeAll(async () => {
  app = await scratchExampleApp();
  writeFileSync(join(app.root, 'sls-ts.config.ts'), `import { bucket, cloudformation, defineConfig, queue, table, topic } from 'sls-ts/config';
export default defineConfig({
  name: 'example-app',
  region: 'us-east-1',
  resources: {
    posts: table({ key: 'id', sort: { name: 'createdAt', type: 'number' }, indexes: { byAuthor: { key: 'authorId' } }, ttl: 'expiresAt', stream: 'new' }),
    uploads: bucket({ public: true, versioned: true, cors: true, expireAfterDays: 30 }),
    emails: queue({ fifo: true, deadLetter: false }),
    alerts: topic(),
    key: cloudformation({ Type: 'AWS::KMS::Key', Properties: {} }),
  },
  link: [{ name: 'alerts', readOnly: true }],
  controllers: { posts: { link: ['posts', { name: 'uploads', readOnly: true }] } },
  jobs: { cleanup: { link: ['posts'] } },
});
`);
  aws = createFakeAws();
});
afterAll(() => {
  aws.restore();
  app.cleanup();
});

describe('listResources before any deploy', () => {
  it('lists every declaration with its settings, its removal on the stage, and who links it; nothing is deployed', async () => {
    const config = await configFor(app.root, 'prod');
    const listing = await listResources(createDeployContext({ config, pollDelayMs: 0, env: {} }));
    expect(listing).toMatchObject({ stackName: 'example-app-prod', deployed: false });
    const rows = listing.resources.map(({ name, kind, settings, removal, deployed, linkedBy }) => ({ name, kind, settings, removal, deployed, linkedBy: linkedBy.map((link) => `${link.function}:${link.access}`) }));
    const everyFunction = ['admin-authorizer', 'admin-stats-controller', 'announce-job', 'chat-channel', 'cleanup-job', 'health-controller', 'hello', 'home-controller', 'images-controller', 'posts-controller', 'quotes-controller', 'summarize-upload-job', 'uploads-controller'];
    expect(rows).toEqual([
      { name: 'posts', kind: 'table', settings: 'key id, sort createdAt (number), 1 index (byAuthor), ttl expiresAt, stream new', removal: 'retain', deployed: undefined, linkedBy: ['cleanup-job:read-write', 'posts-controller:read-write'] },
      { name: 'uploads', kind: 'bucket', settings: 'public read, versioned, cors *, objects expire after 30 days', removal: 'retain', deployed: undefined, linkedBy: ['posts-controller:read-only'] },
      { name: 'emails', kind: 'queue', settings: 'fifo, visibility 30 s, no dead-letter queue', removal: undefined, deployed: undefined, linkedBy: [] },
      { name: 'alerts', kind: 'topic', settings: 'standard', removal: undefined, deployed: undefined, linkedBy: everyFunction.map((fn) => `${fn}:read-only`) },
      { name: 'key', kind: 'cloudformation', settings: 'AWS::KMS::Key', removal: undefined, deployed: undefined, linkedBy: [] },
    ]);
  });
});

describe('sls-ts resources', () => {
  it('in an app without resources says so, and how to declare and link one', async () => {
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'resources', '-C', fixture('shop')], output)).toBe(0);
    expect(output.stdout).toEqual(['no resources declared', expect.stringMatching(/^declare them in sls-ts\.config\.ts: resources: \{ posts: table\(\{ key: 'id' \}\) \}, and link them/)]);
  });
});
