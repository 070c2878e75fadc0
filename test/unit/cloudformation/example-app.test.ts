import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../../src/build/index.js';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { assertValidTemplate } from '../../support/cfn-validator.js';

const root = fileURLToPath(new URL('../../../example-app', import.meta.url));
const outBase = mkdtempSync(join(tmpdir(), 'sls-ts-example-templates-'));
afterAll(() => rmSync(outBase, { recursive: true, force: true }));

describe('example-app templates against the CloudFormation resource specification', () => {
  for (const layout of ['controller', 'action', 'single'] as const) {
    it(`${layout} layout: every template is valid`, async () => {
      const { config } = await loadConfig({ root, stage: 'dev' });
      const { manifest } = await build({ config, layout, outDir: join(outBase, layout) });
      const generated = generateTemplates({ config, manifest });
      assertValidTemplate(generated.root, { name: `example-app ${layout} root` });
      for (const child of generated.children) assertValidTemplate(child.template, { name: `example-app ${layout} ${child.logicalId}` });

      const resources = Object.values(generated.root.Resources ?? {}) as Array<{ Type: string; Properties?: Record<string, unknown> }>;
      const functions = resources.filter((resource) => resource.Type === 'AWS::Lambda::Function');
      expect(functions).toHaveLength(manifest.functions.length);
      const methods = resources.filter((resource) => resource.Type === 'AWS::ApiGateway::Method').map((m) => m.Properties?.HttpMethod);
      if (layout === 'single') expect(methods).toEqual(['ANY', 'ANY']);
      else expect(methods).toHaveLength(12);
      const api = resources.find((resource) => resource.Type === 'AWS::ApiGateway::RestApi');
      expect(api?.Properties).toMatchObject({ BinaryMediaTypes: ['*/*'] });
      expect(resources.filter((resource) => resource.Type === 'AWS::Events::Rule')).toHaveLength(1);
    });
  }
});
