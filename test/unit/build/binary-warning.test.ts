// #16.16: API Gateway decodes a binary response only when the request's first Accept type is in
// binaryMediaTypes (fidelity item 73), and browsers lead with text/html or image/avif. The build
// warns when a route that returns binary would reach a browser as base64 text.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type Diagnostic } from '../../../src/index.js';
import { configFor, copyApp, createScratch, exampleApp } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

/** example-app with other binaryMediaTypes (and any extra files), built: its binary warnings. */
async function buildWith(binaryMediaTypes: string[], files: Record<string, string> = {}): Promise<{ warnings: Diagnostic[]; configFile?: string }> {
  const app = copyApp(exampleApp, scratch.dir);
  const configFile = join(app, 'sls-ts.config.ts');
  writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/binaryMediaTypes: \[[^\]]*\]/, `binaryMediaTypes: ${JSON.stringify(binaryMediaTypes)}`));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(app, name), text);
  const config = await configFor(app);
  expect(config.binaryMediaTypes).toEqual(binaryMediaTypes);
  const result = await build({ config });
  return { warnings: result.warnings.filter((w) => w.text.includes('binary')), ...(config.configFile && { configFile: config.configFile }) };
}

describe('the build warns about binary routes that browsers would get as base64', () => {
  it("example-app as it was (['image/png']): one line naming the route, its controller and binaryMediaTypes, with the way out", async () => {
    const { warnings, configFile } = await buildWith(['image/png']);
    expect(warnings).toEqual([{
      level: 'warning',
      text: 'GET /logo.png → images#logo returns binary, which API Gateway sends as base64 text to an <img> in Chrome (Accept: image/avif,image/webp,…): binaryMediaTypes ["image/png"] does not list that Accept header\'s first type',
      hint: "set binaryMediaTypes: ['*/*']",
      file: configFile,
    }]);
  }, 60_000);

  it('warns for image/* too (a browser tab asks for text/html first) and with none set', async () => {
    expect((await buildWith(['image/*'])).warnings.map((w) => w.text)).toEqual([expect.stringContaining('as base64 text to a browser tab (Accept: text/html,')]);
    expect((await buildWith([])).warnings.map((w) => w.text)).toEqual([expect.stringMatching(/^GET \/logo\.png → images#logo returns binary, .*: binaryMediaTypes \(none set\) does not list/)]);
  }, 60_000);

  it('names a routed controller whose code sends a binary content type, with the file and line', async () => {
    const { warnings } = await buildWith(['image/png'], {
      'app/controllers/reports-controller.ts': [
        "import ApplicationController from './application-controller';",
        '',
        'export default class ReportsController extends ApplicationController {',
        '  csv() {',
        "    return this.send('a,b', { contentType: 'text/csv' });",
        '  }',
        '',
        '  pdf() {',
        "    return this.send(Buffer.from('%PDF-1.4'), { contentType: 'application/pdf' });",
        '  }',
        '}',
        '',
      ].join('\n'),
      'config/routes.ts': readFileSync(join(exampleApp, 'config/routes.ts'), 'utf8').replace("  r.get('/health', 'health#show');", "  r.get('/health', 'health#show');\n  r.get('/reports/:id', 'reports#pdf');\n  r.get('/reports/:id/csv', 'reports#csv');"),
    });
    expect(warnings.map((w) => w.text)).toEqual([expect.stringMatching(/^GET \/logo\.png → images#logo, ReportsController \(application\/pdf at app\/controllers\/reports-controller\.ts:9\) return binary, /)]);
  }, 60_000);

  it("says nothing with binaryMediaTypes ['*/*'], as example-app now has", async () => {
    expect((await buildWith(['*/*'])).warnings).toEqual([]);
    expect((await configFor(exampleApp)).binaryMediaTypes).toEqual(['*/*']);
  }, 60_000);
});
