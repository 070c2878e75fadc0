// A guard's maxConcurrent caps one execution environment: `sls-ts build` warns, once per app file
// that sets it, naming the functions that bundle it without reservedConcurrency (which would cap
// the total at reservedConcurrency × maxConcurrent). Through build() on an app written for it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, resolveConfig, type UserConfig } from '../../../src/index.js';
import { createScratch } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const FILES: Record<string, string> = {
  'config/routes.ts': "import { defineRoutes } from 'sls-ts';\nexport default defineRoutes((r) => { r.get('/quote', 'quotes#show'); r.get('/order', 'orders#show'); r.get('/ping', 'pings#show'); });\n",
  'app/lib/prices.ts': "import { guard } from 'sls-ts';\nexport const prices = guard(async (_call, sku: string) => sku, { name: 'prices', maxConcurrent: 4 });\n",
  'app/controllers/quotes-controller.ts': "import { Controller } from 'sls-ts';\nimport { prices } from '../lib/prices.js';\nexport default class QuotesController extends Controller { async show() { return this.json(await prices('a')); } }\n",
  'app/controllers/orders-controller.ts': "import { Controller } from 'sls-ts';\nimport { prices } from '../lib/prices.js';\nexport default class OrdersController extends Controller { async show() { return this.json(await prices('b')); } }\n",
  // A guard without a cap: nothing to warn about.
  'app/controllers/pings-controller.ts': "import { Controller, guard } from 'sls-ts';\nconst ping = guard(async () => 'pong', { timeoutMs: 100 });\nexport default class PingsController extends Controller { async show() { return this.text(await ping()); } }\n",
  'app/functions/report.ts': "import { prices } from '../lib/prices.js';\nexport const handler = async () => prices('c');\n",
};

let apps = 0;
function appWith(user: Partial<UserConfig>) {
  const root = join(scratch.dir, `guarded-${++apps}`);
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, config: resolveConfig({ name: 'shop', ...user }, { stage: 'dev', root, processEnv: {} }) };
}

describe('build: guard maxConcurrent without reservedConcurrency', () => {
  it('warns once for the file that sets the cap, naming the unreserved functions that bundle it', async () => {
    const { root, config } = appWith({ controllers: { orders: { reservedConcurrency: 5 } } });
    const result = await build({ config, cache: false });
    const name = (key: string) => result.manifest.functions.find((fn) => fn.key === key)!.functionName;
    const warnings = result.warnings.filter((w) => w.text.includes('maxConcurrent'));
    expect(warnings).toEqual([
      {
        level: 'warning',
        file: join(root, 'app', 'lib', 'prices.ts'),
        text: `${join('app', 'lib', 'prices.ts')} sets a guard's maxConcurrent, which caps one execution environment only: ${name('quotes-controller')}, ${name('report')} have no reservedConcurrency, so the downstream may see as many environments as Lambda starts × maxConcurrent calls`,
        hint: 'set reservedConcurrency for them (the app, controllers.<name>, jobs.<name> or functions.<name>): the downstream then sees at most reservedConcurrency × maxConcurrent',
      },
    ]);
  }, 120_000);

  it('says nothing once every function that bundles it has reservedConcurrency', async () => {
    const { config } = appWith({ reservedConcurrency: 20 });
    const result = await build({ config, cache: false });
    expect(result.manifest.functions.map((fn) => fn.reservedConcurrency)).toEqual(result.manifest.functions.map(() => 20));
    expect(result.warnings.filter((w) => w.text.includes('maxConcurrent'))).toEqual([]);
  }, 120_000);
});
