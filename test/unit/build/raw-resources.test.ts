// Raw CloudFormation resources (`cloudformation({ Type, Properties })`) are checked against the
// resource specification when the app builds, so a mistake fails `sls-ts build` (and deploy, which
// builds first) with the config path at fault, before anything is written or uploaded.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { cloudformation, table } from '../../../src/config/define-config.js';
import { build, buildDirectory, resolveConfig, SlsError, templateFiles, type UserConfig } from '../../../src/index.js';
import { assertValidTemplate, preloadResourceSpec } from '../../support/cfn-validator.js';
import { captureOutput } from '../deploy/support.js';
import { copyApp, createScratch, fixture, repoRoot } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());
// The spec takes a while to load on a busy machine; no test below measures time.
beforeAll(() => preloadResourceSpec(), 30_000);

let copies = 0;
/** A copy of the notes-data fixture (one controller, a `notes` table) with `resources` added. */
function notesApp(resources: UserConfig['resources'], settings: Partial<UserConfig> = {}): { root: string; config: ReturnType<typeof resolveConfig> } {
  const root = copyApp(fixture('notes-data'), scratch.dir, `notes-${++copies}`);
  const config = resolveConfig({ name: 'notes', ...settings, resources: { notes: table({ key: 'id' }), ...resources } }, { stage: 'dev', root, processEnv: {} });
  return { root, config };
}

/** `sls-ts build` on a copy of notes-data whose config file declares the `notes` table and `resource` (TypeScript source). */
async function buildOnCli(resource: string): Promise<{ root: string; code: number; stderr: string[] }> {
  const root = copyApp(fixture('notes-data'), scratch.dir, `notes-cli-${++copies}`);
  writeFileSync(join(root, 'sls-ts.config.ts'), [
    "import { cloudformation, defineConfig, table } from 'sls-ts/config';",
    '',
    `export default defineConfig({ name: 'notes', resources: { notes: table({ key: 'id' }), ${resource} } });`,
    '',
  ].join('\n'));
  const output = captureOutput();
  const code = await run(['node', 'sls-ts', 'build', '-C', root], output);
  return { root, code, stderr: output.stderr };
}

async function buildFailure(config: ReturnType<typeof resolveConfig>): Promise<SlsError> {
  const failure = await build({ config, cache: false }).then(() => undefined, (error: unknown) => error);
  expect(failure).toBeInstanceOf(SlsError);
  return failure as SlsError;
}

describe('raw resources that fit the spec', () => {
  it('build passes with intrinsics to the app’s own resources, coerced scalars, Custom:: and registry types', async () => {
    const { config } = notesApp({
      signingKey: cloudformation({
        Type: 'AWS::KMS::Key',
        Properties: {
          Description: { 'Fn::Sub': 'signs links of ${AWS::StackName}' },
          EnableKeyRotation: 'true',
          PendingWindowInDays: 7,
          KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' }] },
          Tags: [{ Key: 'team', Value: 'notes' }],
        },
      }),
      keyArn: cloudformation({
        Type: 'AWS::SSM::Parameter',
        DependsOn: 'NotesTable',
        Properties: { Type: 'String', Value: { 'Fn::GetAtt': ['SigningKey', 'Arn'] }, Description: { Ref: 'NotesTable' }, Tags: { team: 'notes' } },
      }),
      seed: cloudformation({ Type: 'Custom::SeedNotes', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:seeder', Count: 3 } }),
      monitor: cloudformation({ Type: 'Datadog::Monitors::Monitor', Properties: { Anything: { goes: true } } }),
    });
    const result = await build({ config, cache: false });
    const { files } = templateFiles(config, result.manifest);
    for (const [name, text] of Object.entries(files)) assertValidTemplate(JSON.parse(text), { name });
    const root = JSON.parse(Object.values(files)[0]!) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(root.Resources).map((resource) => resource.Type)).toEqual(expect.arrayContaining(['AWS::KMS::Key', 'AWS::SSM::Parameter', 'Custom::SeedNotes', 'Datadog::Monitors::Monitor']));
  });
});

describe('raw resources that do not fit the spec', () => {
  it('each mistake is one error naming its config path; nothing is written', async () => {
    const { config } = notesApp({
      signingKey: cloudformation({
        Type: 'AWS::KMS::Key',
        Properties: { KeyPolcy: {}, EnableKeyRotation: 'yes', PendingWindowInDays: 'seven', Tags: { team: 'notes' } },
      }),
      keyArn: cloudformation({ Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Tier: ['Standard'] } }),
      keyAlias: cloudformation({ Type: 'AWS::KMS::Aliass', Properties: { AliasName: 'alias/notes' } }),
      keyring: cloudformation({ Type: 'AWS::KMS::Keyring' }),
      seed: cloudformation({ Type: 'Custom::SeedNotes', Properties: { Count: 3 } }),
      api: cloudformation({ Type: 'AWS::Serverless::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', CodeUri: 's3://bucket/key.zip' } }),
    });
    const failure = await buildFailure(config);
    expect(failure.diagnostics.map((d) => d.text)).toEqual([
      'resources.signingKey.resource.Properties.KeyPolcy: unknown property of AWS::KMS::Key — did you mean KeyPolicy?',
      'resources.signingKey.resource.Properties.EnableKeyRotation: expected a boolean, got string "yes"',
      'resources.signingKey.resource.Properties.PendingWindowInDays: expected an integer, got string "seven"',
      'resources.signingKey.resource.Properties.Tags: expected a list of tags, got an object',
      'resources.keyArn.resource.Properties.Tier: expected a string, got a list',
      'resources.keyArn.resource.Properties.Value: AWS::SSM::Parameter requires property Value',
      'resources.keyAlias.resource.Type: unknown resource type "AWS::KMS::Aliass" — did you mean AWS::KMS::Alias?',
      'resources.keyring.resource.Type: unknown resource type "AWS::KMS::Keyring" (AWS::KMS has Alias, Key, ReplicaKey)',
      'resources.seed.resource.Properties.ServiceToken: Custom::SeedNotes requires property ServiceToken',
      'resources.api.resource.Type: AWS::Serverless::Function needs "Transform": "AWS::Serverless-2016-10-31"',
    ]);
    // The reference page once per resource; a type's problem says how to write the type.
    expect(failure.diagnostics.slice(0, 4).map((d) => d.hint)).toEqual([
      'the properties of AWS::KMS::Key: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html',
      undefined, undefined, undefined,
    ]);
    expect(failure.diagnostics[6]!.hint).toMatch(/as the CloudFormation reference spells it/);
    expect(failure.diagnostics.at(-1)!.hint).toMatch(/declare no Transform/);
    expect(existsSync(buildDirectory(config))).toBe(false);
  });

  it('the errors come with those of the app itself, in one run', async () => {
    const { config } = notesApp({ broken: cloudformation({ Type: 'AWS::SNS::Topic', Properties: { TopicNmae: 'x' } }) }, { controllers: { nope: {} } });
    const failure = await buildFailure(config);
    expect(failure.diagnostics.map((d) => d.text)).toEqual([
      expect.stringContaining('controllers.nope names no controller'),
      'resources.broken.resource.Properties.TopicNmae: unknown property of AWS::SNS::Topic — did you mean TopicName?',
    ]);
  });
});

describe('sls-ts build', () => {
  it('exits 1 printing the line with the config file, and writes nothing', async () => {
    const { root, code, stderr } = await buildOnCli("signingKey: cloudformation({ Type: 'AWS::KMS::Key', Properties: { KeyPolcy: {} } })");
    expect(code).toBe(1);
    expect(stderr).toContainEqual(expect.stringMatching(
      /^error \S*sls-ts\.config\.ts: resources\.signingKey\.resource\.Properties\.KeyPolcy: unknown property of AWS::KMS::Key — did you mean KeyPolicy\? — the properties of AWS::KMS::Key: https:\/\/docs\.aws\.amazon\.com\/\S+\/aws-resource-kms-key\.html$/,
    ));
    expect(existsSync(join(root, '.sls-ts', 'build'))).toBe(false);
  });
});

describe('references of raw resources', () => {
  it('a Ref, GetAtt, Sub or DependsOn naming no logical id of the templates fails the build with the nearest id', async () => {
    const { config } = notesApp({
      signingKey: cloudformation({ Type: 'AWS::KMS::Key' }),
      keyArn: cloudformation({
        Type: 'AWS::SSM::Parameter',
        DependsOn: ['NotesTable', 'SigningKye'],
        Properties: {
          Type: 'String',
          Value: { 'Fn::GetAtt': ['SigningKy', 'Arn'] },
          Description: { 'Fn::Sub': ['${NoteTable} in ${AWS::Region} ${Own}', { Own: { Ref: 'AWS::NoValue' } }] },
          Name: { Ref: 'AWS::StackName' },
        },
      }),
    });
    const result = await build({ config, cache: false });
    let failure: unknown;
    expect(() => {
      try {
        templateFiles(config, result.manifest);
      } catch (error) {
        failure = error;
        throw error;
      }
    }).toThrow(SlsError);
    expect((failure as SlsError).diagnostics.map((d) => [d.text.replace(/, which is not a resource .*$/, ''), d.hint?.replace(/\? .*$/, '?')])).toEqual([
      ['resources.keyArn.resource.Properties.Value: names SigningKy', 'did you mean SigningKey?'],
      ['resources.keyArn.resource.Properties.Description: names NoteTable', 'did you mean NotesTable?'],
      ['resources.keyArn.resource.DependsOn[1]: names SigningKye', 'did you mean SigningKey?'],
    ]);
  });

  it('sls-ts build exits 1 on one and writes nothing', async () => {
    const { root, code, stderr } = await buildOnCli("notesName: cloudformation({ Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { Ref: 'NoteTable' } } })");
    expect(code).toBe(1);
    expect(stderr).toContainEqual(expect.stringMatching(/^error \S*sls-ts\.config\.ts: resources\.notesName\.resource\.Properties\.Value: names NoteTable, which is not a resource of the generated templates .* — did you mean NotesTable\?/));
    expect(existsSync(join(root, '.sls-ts', 'build'))).toBe(false);
  });
});

describe('the spec is loaded only for an app that declares a raw resource', () => {
  // In a fresh process, since this one loaded the spec above: it costs ~0.5 s and ~140 MB.
  it('a build without one never loads @aws-cdk/aws-service-spec; a build with one does', () => {
    const root = copyApp(fixture('notes-data'), scratch.dir, `notes-lazy-${++copies}`);
    const script = join(scratch.dir, 'probe-spec-load.ts');
    writeFileSync(script, [
      "import { createRequire } from 'node:module';",
      `import { build, resolveConfig } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'src', 'index.ts')).href)};`,
      `import { cloudformation } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'src', 'config', 'define-config.ts')).href)};`,
      'const specLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes("aws-service-spec"));',
      `const root = ${JSON.stringify(root)};`,
      "const plain = resolveConfig({ name: 'notes', resources: {} }, { stage: 'dev', root, processEnv: {} });",
      'await build({ config: plain, cache: false });',
      'const afterPlain = specLoaded();',
      "const raw = resolveConfig({ name: 'notes', resources: { key: cloudformation({ Type: 'AWS::KMS::Key' }) } }, { stage: 'dev', root, processEnv: {} });",
      'await build({ config: raw, cache: false });',
      'console.log(JSON.stringify({ afterPlain, afterRaw: specLoaded() }));',
      '',
    ].join('\n'));
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ afterPlain: false, afterRaw: true });
  }, 60_000);
});
