// The runtime's size budget (issue #14): a one-controller hello app's function, as `sls-ts build`
// ships it, holds at most 15 KB (15,360 bytes) of minified JavaScript — measured as the issue and
// `npm run bench:runtime` measure it: every .mjs in the zip (entry and chunks), no source map.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../../src/index.js';
import { configFor, createScratch, unzip } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const BUDGET = 15_360;

async function helloBytes(name: string, cors: string): Promise<number> {
  const root = join(scratch.dir, name);
  mkdirSync(join(root, 'config'), { recursive: true });
  mkdirSync(join(root, 'app', 'controllers'), { recursive: true });
  writeFileSync(join(root, 'sls-ts.config.ts'), `import { defineConfig } from 'sls-ts/config';\nexport default defineConfig({ name: 'hello'${cors} });\n`);
  writeFileSync(join(root, 'config', 'routes.ts'), "import { defineRoutes } from 'sls-ts';\nexport default defineRoutes((r) => {\n  r.get('/hello/:name', 'hello#show');\n});\n");
  writeFileSync(join(root, 'app', 'controllers', 'hello-controller.ts'), "import { Controller } from 'sls-ts';\n\nexport default class HelloController extends Controller {\n  show() {\n    return this.json({ hello: this.params.name });\n  }\n}\n");
  const result = await build({ config: await configFor(root), outDir: join(root, 'out') });
  const fn = result.manifest.functions.find((f) => f.key === 'hello-controller')!;
  return Object.entries(unzip(join(result.outDir, fn.artifact.file)))
    .filter(([path]) => path.endsWith('.mjs'))
    .reduce((sum, [, data]) => sum + data.length, 0);
}

describe('runtime size budget', () => {
  it(`a one-controller hello app's function is at most ${BUDGET} bytes of JavaScript`, async () => {
    expect(await helloBytes('hello', '')).toBeLessThanOrEqual(BUDGET);
  });

  it('cors adds only its policy (well under 1 KB)', async () => {
    const [plain, withCors] = [await helloBytes('hello-plain', ''), await helloBytes('hello-cors', ", cors: { origins: ['https://app.example.com'], credentials: true }")];
    expect(withCors - plain).toBeGreaterThan(0);
    expect(withCors - plain).toBeLessThan(1024);
  });
});
