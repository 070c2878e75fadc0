// `SomeJob.performLater()` reads its queue's URL from a variable named after the job's class, in
// whatever bundle calls it: a minified build must not rename the class there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../../src/index.js';
import { configFor, copyApp, createScratch, extractZip, fixture, installS3Stub, startSandbox } from './support.js';
import { apiGatewayEvent } from '../../../src/runtime/events/index.js';

const scratch = createScratch();
const closing: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closing.map((close) => close()));
  scratch.cleanup();
});

function appWithJob(queued: boolean): string {
  const root = copyApp(fixture('shop'), scratch.dir);
  installS3Stub(root);
  writeFileSync(join(root, 'app', 'jobs', 'notify-job.ts'), [
    "import { Job } from 'sls-ts';",
    'export default class NotifyJob extends Job {',
    ...(queued ? ['  static queue = true as const;'] : []),
    '  perform() {}',
    '}',
  ].join('\n'));
  // The home controller names the job class as its bundle sees it.
  writeFileSync(join(root, 'app', 'controllers', 'home-controller.ts'), [
    "import { Controller } from 'sls-ts';",
    "import NotifyJob from '../jobs/notify-job.js';",
    'export default class HomeController extends Controller {',
    '  index() { return this.json({ job: NotifyJob.name }); }',
    '}',
  ].join('\n'));
  return root;
}

async function jobNameInController(root: string): Promise<string> {
  const config = await configFor(root);
  expect(config.build.minify).toBe(true);
  const result = await build({ config, outDir: join(root, 'out') });
  const fn = result.manifest.functions.find((candidate) => candidate.key === 'home-controller')!;
  const sandbox = startSandbox(extractZip(join(result.outDir, fn.artifact.file), join(root, 'task')), fn);
  closing.push(() => sandbox.close());
  const response = (await sandbox.invoke(apiGatewayEvent({ method: 'GET', path: '/', resource: '/' }))) as { body: string };
  return (JSON.parse(response.body) as { job: string }).job;
}

describe('queued jobs in minified bundles', () => {
  it('keep their class name in the bundles that import them', async () => {
    expect(await jobNameInController(appWithJob(true))).toBe('NotifyJob');
  }, 60_000);

  it('leave an app without queued jobs minified as before (the class name is not kept)', async () => {
    expect(await jobNameInController(appWithJob(false))).not.toBe('NotifyJob');
  }, 60_000);
});
