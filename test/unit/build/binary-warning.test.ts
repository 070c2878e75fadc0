// #16.16: API Gateway decodes a binary response only when the request's first Accept type is in
// binaryMediaTypes (fidelity item 73), and browsers lead with text/html or image/avif. The build
// warns when a route that returns binary would reach a browser as base64 text.
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, templateFiles, type BuildManifest, type Diagnostic, type ResolvedConfig } from '../../../src/index.js';
import { configFor, copyApp, createScratch, exampleApp } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const binaryWarnings = (warnings: Diagnostic[]) => warnings.filter((w) => w.text.includes('binary'));

describe('the build warns about binary routes that browsers would get as base64', () => {
  let config: ResolvedConfig;
  let manifest: BuildManifest;
  let warnings: Diagnostic[];

  beforeAll(async () => {
    // example-app as it was: its logo route with binaryMediaTypes ['image/png'].
    const app = copyApp(exampleApp, scratch.dir);
    const file = join(app, 'sls-ts.config.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/binaryMediaTypes: \[[^\]]*\]/, "binaryMediaTypes: ['image/png']"));
    config = await configFor(app);
    expect(config.binaryMediaTypes).toEqual(['image/png']);
    const templateWarnings: Diagnostic[] = [];
    // As `sls-ts build` does: the templates are written next to the zips, their warnings reported.
    const result = await build({ config, extraFiles: (built) => {
      const generated = templateFiles(config, built);
      templateWarnings.push(...generated.warnings);
      return generated.files;
    } });
    manifest = result.manifest;
    warnings = [...result.warnings, ...templateWarnings];
  }, 60_000);

  it("one line naming the route, its controller and binaryMediaTypes, with the way out ('*/*')", () => {
    expect(binaryWarnings(warnings)).toEqual([{
      level: 'warning',
      text: 'GET /logo.png → images#logo returns binary, which API Gateway sends as base64 text to an <img> in Chrome (Accept: image/avif,image/webp,…): binaryMediaTypes ["image/png"] does not list that Accept header\'s first type',
      hint: "set binaryMediaTypes: ['*/*']",
      file: config.configFile,
    }]);
  });

  it("warns for image/* too (a browser tab asks for text/html first) and with none set", () => {
    const imagesOnly = { ...config, binaryMediaTypes: ['image/*'] };
    expect(binaryWarnings(templateFiles(imagesOnly, manifest).warnings).map((w) => w.text)).toEqual([expect.stringContaining('as base64 text to a browser tab (Accept: text/html,')]);
    const none = { ...config, binaryMediaTypes: [] };
    expect(binaryWarnings(templateFiles(none, manifest).warnings).map((w) => w.text)).toEqual([expect.stringMatching(/^GET \/logo\.png → images#logo returns binary, .*: binaryMediaTypes \(none set\) does not list/)]);
  });

  it("says nothing with binaryMediaTypes ['*/*'], as example-app now has", async () => {
    expect(binaryWarnings(templateFiles({ ...config, binaryMediaTypes: ['*/*'] }, manifest).warnings)).toEqual([]);
    const shipped = await configFor(exampleApp);
    expect(shipped.binaryMediaTypes).toEqual(['*/*']);
  });
});
