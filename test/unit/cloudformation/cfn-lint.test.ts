// Every template shape the generator makes, through AWS's cfn-lint in one run: example-app as built
// in each layout, with CORS and binary media types, the 1,000-route app split into nested stacks,
// jobs with schedules, a lone plain function, and the bootstrap stack of a first deploy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapTemplate, build, generateTemplates, loadConfig, type BuildManifest, type ResolvedConfig, type UserConfig } from '../../../src/index.js';
import { cfnLint, formatFindings, templatesOf, type NamedTemplate } from '../../support/cfn-lint.js';
import { largeApp, makeConfig, makeManifest } from './fixtures.js';

const exampleApp = fileURLToPath(new URL('../../../example-app', import.meta.url));
const outBase = mkdtempSync(join(tmpdir(), 'sls-ts-cfn-lint-'));
afterAll(() => rmSync(outBase, { recursive: true, force: true }));

const LAYOUTS = ['controller', 'action', 'single'] as const;

/** example-app's config with settings of `user` resolved the way a config file's would be. */
function withSettings(config: ResolvedConfig, user: Partial<UserConfig>): ResolvedConfig {
  const resolved = makeConfig(user);
  return { ...config, cors: resolved.cors, binaryMediaTypes: resolved.binaryMediaTypes };
}

const VARIANTS: Array<{ name: string; user: Partial<UserConfig> }> = [
  { name: 'plain', user: { binaryMediaTypes: ['image/png'] } },
  { name: 'cors-star', user: { cors: true, binaryMediaTypes: ['image/png'] } },
  { name: 'cors-origins', user: { cors: { origins: ['https://app.example.com', 'https://admin.example.com'], credentials: true }, binaryMediaTypes: ['image/png'] } },
  { name: 'binary-all', user: { cors: true, binaryMediaTypes: ['*/*'] } },
];

describe('cfn-lint over every template shape', () => {
  const templates: NamedTemplate[] = [];

  beforeAll(async () => {
    const { config } = await loadConfig({ root: exampleApp, stage: 'dev' });
    for (const layout of LAYOUTS) {
      const { manifest } = await build({ config, layout, outDir: join(outBase, layout) });
      for (const variant of VARIANTS) {
        templates.push(...templatesOf(`example-${layout}-${variant.name}`, generateTemplates({ config: withSettings(config, variant.user), manifest })));
      }
      // The nested shape the deploy keeps once a stack has been split (`split: 'always'`).
      templates.push(...templatesOf(`example-${layout}-nested`, generateTemplates({ config: withSettings(config, VARIANTS[3]!.user), manifest, split: 'always' })));
    }
    templates.push({ name: 'bootstrap', template: bootstrapTemplate(config) });

    // Without CORS: with its preflights the 1,000 routes pass the 2,500 resources one stack
    // operation may create, and the build refuses them (scale.test.ts).
    const scaleConfig = makeConfig({ binaryMediaTypes: ['image/png'] });
    templates.push(...templatesOf('scale', generateTemplates({ config: scaleConfig, manifest: makeManifest(scaleConfig, largeApp(100)) })));
    // Shared roles (iamRoles), nesting from the start (stacks), and secrets as dynamic references.
    const shared = makeConfig({ cors: true, iamRoles: 'controller', env: { DB_PASSWORD: 'secret:prod/db:password', API_KEY: 'ssm:/blog/api-key' } });
    // Two controllers: CloudFormation resolves at most 60 dynamic references per template.
    templates.push(...templatesOf('roles-controller', generateTemplates({ config: shared, manifest: makeManifest(shared, largeApp(2), 'action') })));
    const app = makeConfig({ iamRoles: 'app', stacks: 'nested' });
    templates.push(...templatesOf('roles-app-nested', generateTemplates({ config: app, manifest: makeManifest(app, largeApp(5)) })));

    const jobsConfig = makeConfig();
    const jobs: BuildManifest = makeManifest(jobsConfig, { routes: [], jobs: [{ name: 'cleanup', schedules: ['rate(1 day)', 'cron(0 12 * * ? *)'] }, { name: 'report', schedules: ['rate(5 minutes)'] }] });
    templates.push(...templatesOf('jobs', generateTemplates({ config: jobsConfig, manifest: jobs })));
    templates.push(...templatesOf('function', generateTemplates({ config: jobsConfig, manifest: makeManifest(jobsConfig, { routes: [], functions: ['callback'] }) })));
  }, 120_000);

  it('covers every shape: three layouts × four settings and nested, the nested 1,000-route app, jobs, a function, the bootstrap stack', () => {
    expect(templates.filter((t) => t.name.startsWith('example-') && t.name.endsWith('/root'))).toHaveLength(LAYOUTS.length * (VARIANTS.length + 1));
    expect(templates.filter((t) => t.name.startsWith('example-') && !t.name.endsWith('/root')).length).toBeGreaterThan(LAYOUTS.length);
    expect(templates.filter((t) => t.name.startsWith('scale/')).length).toBeGreaterThan(100);
  });

  // The canary rides in the same run (cfn-lint is slow to start): it proves the run really
  // checked the files and that findings come back with their rule, template and place.
  it('finds no warning or error in any of them, while it does flag a broken template in the same run', async () => {
    const findings = await cfnLint([...templates, CANARY]);
    const canary = findings.filter((finding) => finding.file === CANARY.name);
    expect(canary).toContainEqual(expect.objectContaining({ rule: 'E3002', level: 'Error', path: 'Resources/Api/Properties/Bogus' }));
    const problems = findings.filter((finding) => finding.file !== CANARY.name && finding.level !== 'Informational');
    expect(formatFindings(problems)).toBe('');
  }, 240_000);

  it('fails with a clear message when cfn-lint is missing, rather than passing with nothing checked', async () => {
    await expect(cfnLint([CANARY], { command: 'cfn-lint-not-installed' })).rejects.toThrow(/cfn-lint-not-installed is not on PATH: install cfn-lint/);
  });
});

const CANARY: NamedTemplate = {
  name: 'canary',
  template: {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'canary', Bogus: true } } },
  },
};
