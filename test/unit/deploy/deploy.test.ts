import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateChangeSetCommand, CreateStackCommand, DeleteChangeSetCommand, ExecuteChangeSetCommand, type CreateChangeSetCommandInput,
  type CreateStackCommandInput,
} from '@aws-sdk/client-cloudformation';
import { HeadObjectCommand, PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { deploy, type DeployEvent } from '../../../src/deploy/index.js';
import { API_URL, BUCKET, FULL_OUTPUTS, type FakeAws } from './fake-aws.js';
import { useDeployFixtures, eventTypes, testContext, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

function manifest() {
  return JSON.parse(readFileSync(join(app.root, '.sls-ts', 'build', 'dev', 'manifest.json'), 'utf8')) as { functions: Array<{ key: string; artifact: { key: string } }> };
}

describe('first deploy', () => {
  it('bootstraps the bucket, uploads, creates and executes a change set, and returns the outputs', async () => {
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });

    expect(result.outcome).toBe('deployed');
    expect(result.firstDeploy).toBe(true);
    expect(result.apiUrl).toBe(API_URL);
    expect(result.outputs).toEqual(FULL_OUTPUTS);
    expect(result.routes).toContainEqual({ method: 'GET', path: '/posts/{id}', url: `${API_URL}/posts/{id}`, source: 'PostsController' });
    expect(result.routes).toContainEqual({ method: 'GET', path: '/', url: `${API_URL}/`, source: 'HomeController' });

    // Order: bootstrap stack → uploads → change set → execute.
    const order = aws.cfn.calls().map((call) => (call.args[0] as object).constructor.name);
    expect(order.indexOf('CreateStackCommand')).toBeLessThan(order.indexOf('CreateChangeSetCommand'));
    expect(order.indexOf('CreateChangeSetCommand')).toBeLessThan(order.indexOf('ExecuteChangeSetCommand'));
    const types = eventTypes(events);
    expect(types.indexOf('bootstrap-done')).toBeLessThan(types.indexOf('upload-done'));
    expect(types.indexOf('upload-done')).toBeLessThan(types.indexOf('changeset-start'));
    expect(types).toContain('execute-start');
    expect(types).toContain('stage-verified');

    const [create] = aws.calls<CreateStackCommandInput>(aws.cfn, CreateStackCommand);
    const bootstrap = JSON.parse(create!.TemplateBody!) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(bootstrap.Resources).map((resource) => resource.Type).sort()).toEqual(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    expect(create!.Tags).toEqual([{ Key: 'project', Value: 'sls-ts-example' }]);

    // Every zip and the root template went to the bucket under content-hash keys.
    const puts = aws.calls<PutObjectCommandInput>(aws.s3, PutObjectCommand);
    const keys = puts.map((put) => put.Key);
    for (const fn of manifest().functions) expect(keys).toContain(fn.artifact.key);
    expect(puts.every((put) => put.Bucket === BUCKET)).toBe(true);
    const template = keys.find((key) => key?.startsWith('templates/'));
    expect(template).toMatch(/^templates\/[0-9a-f]{64}\.json$/);

    const [changeSet] = aws.calls<CreateChangeSetCommandInput>(aws.cfn, CreateChangeSetCommand);
    expect(changeSet).toMatchObject({
      StackName: 'example-app-dev',
      ChangeSetType: 'UPDATE',
      TemplateURL: `https://${BUCKET}.s3.us-east-1.amazonaws.com/${template}`,
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      Tags: [{ Key: 'project', Value: 'sls-ts-example' }],
    });
    expect(changeSet!.ChangeSetName).toMatch(/^[A-Za-z][-A-Za-z0-9]*$/);
  });

  it('--plan on a first deploy creates nothing and lists every resource as added', async () => {
    const result = await deploy(testContext(app.config), { plan: true });
    expect(result.outcome).toBe('plan');
    expect(result.changes.length).toBeGreaterThan(20);
    expect(result.changes.every((change) => change.action === 'add')).toBe(true);
    expect(result.changes).toContainEqual(expect.objectContaining({ logicalId: 'PostsControllerFunction', source: 'PostsController' }));
    expect(aws.cfn.commandCalls(CreateStackCommand)).toHaveLength(0);
    expect(aws.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

/** A first deploy, then a clean call history for what the test checks next. */
async function deployOnce() {
  await deploy(testContext(app.config), { yes: true });
  aws.cfn.resetHistory();
  aws.s3.resetHistory();
  aws.apiGateway.resetHistory();
}

describe('updates', () => {
  it('ends a deploy with no changes as a success, uploading and executing nothing', async () => {
    await deployOnce();
    aws.changes = undefined;
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    expect(result.outcome).toBe('no-changes');
    expect(result.apiUrl).toBe(API_URL);
    expect(result.uploaded).toBe(0);
    expect(aws.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(aws.s3.commandCalls(HeadObjectCommand).length).toBeGreaterThan(0);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(aws.cfn.commandCalls(CreateStackCommand)).toHaveLength(0);
    expect(eventTypes(events)).toContain('no-changes');
  });

  it('uploads only the zip of the one controller that changed (plus the new template)', async () => {
    await deployOnce();
    const before = manifest().functions;
    appendFileSync(join(app.root, 'app', 'controllers', 'posts-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'posts controller v2';\n");
    await deploy(testContext(app.config), { yes: true });
    const after = manifest().functions;
    const changed = after.filter((fn) => !before.some((old) => old.artifact.key === fn.artifact.key)).map((fn) => fn.key);
    expect(changed).toEqual(['posts-controller']);

    const keys = aws.calls<PutObjectCommandInput>(aws.s3, PutObjectCommand).map((put) => put.Key);
    const zips = keys.filter((key) => key?.startsWith('artifacts/'));
    expect(zips).toEqual([after.find((fn) => fn.key === 'posts-controller')!.artifact.key]);
    expect(keys.filter((key) => key?.startsWith('templates/'))).toHaveLength(1);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('--plan shows the change set and deletes it instead of executing', async () => {
    await deployOnce();
    aws.changes = [
      { ResourceChange: { Action: 'Modify', LogicalResourceId: 'PostsControllerFunction', ResourceType: 'AWS::Lambda::Function', Replacement: 'False' } },
      { ResourceChange: { Action: 'Modify', LogicalResourceId: 'RestApi', ResourceType: 'AWS::ApiGateway::RestApi', Replacement: 'True' } },
      { ResourceChange: { Action: 'Remove', LogicalResourceId: 'OldFunction', ResourceType: 'AWS::Lambda::Function' } },
    ];
    const result = await deploy(testContext(app.config), { plan: true });
    expect(result.outcome).toBe('plan');
    expect(result.changes).toEqual([
      { action: 'modify', logicalId: 'PostsControllerFunction', type: 'AWS::Lambda::Function', stackPath: [], source: 'PostsController' },
      { action: 'replace', logicalId: 'RestApi', type: 'AWS::ApiGateway::RestApi', stackPath: [], replacement: 'True', source: 'REST API' },
      { action: 'remove', logicalId: 'OldFunction', type: 'AWS::Lambda::Function', stackPath: [] },
    ]);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('warns when the API stage does not serve the deployment of the route hash', async () => {
    aws.deploymentDescription = 'sls-ts routes something-else';
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    expect(result.outcome).toBe('deployed');
    expect(events).toContainEqual({ type: 'stage-verified', restApiId: 'abc123', stage: 'dev', deploymentId: 'dep1', matches: false });
    expect(events.find((event) => event.type === 'warning')).toMatchObject({ diagnostic: { text: expect.stringContaining('not the one for routes hash123') } });
  });

  it('keeps the templates nested when the deployed stack already is', async () => {
    await deployOnce();
    aws.resources = [{ LogicalResourceId: 'PostsControllerStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: 'arn:nested' }];
    const events: DeployEvent[] = [];
    await deploy(testContext(app.config, events), { yes: true });
    const ready = events.find((event) => event.type === 'templates-ready');
    expect(ready).toMatchObject({ nestedStacks: expect.any(Number) });
    expect((ready as { nestedStacks: number }).nestedStacks).toBeGreaterThan(0);
    const [changeSet] = aws.calls<CreateChangeSetCommandInput>(aws.cfn, CreateChangeSetCommand);
    expect(changeSet!.IncludeNestedStacks).toBe(true);
  });
});

describe('route changes', () => {
  it('never deploys the stage behind CloudFormation\'s back, even when the route hash changed', async () => {
    const { CreateDeploymentCommand } = await import('@aws-sdk/client-api-gateway');
    await deployOnce();
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS, RouteHash: 'old-hash' });
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    expect(result.outcome).toBe('deployed');
    expect(aws.apiGateway.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(events).toContainEqual({ type: 'stage-verified', restApiId: 'abc123', stage: 'dev', deploymentId: 'dep1', matches: true });
  });
});

describe('an app outgrowing one template', () => {
  const bigApp = async (dir: string) => {
    const { configFor } = await import('../build/support.js');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    // 60 resourceful controllers: far past CloudFormation's 500 resources in one template.
    const root = join(dir, 'big');
    mkdirSync(join(root, 'config'), { recursive: true });
    mkdirSync(join(root, 'app', 'controllers'), { recursive: true });
    writeFileSync(join(root, 'sls-ts.config.ts'), `export default { name: 'big' };\n`);
    const names = Array.from({ length: 60 }, (_, i) => `things${String(i).padStart(2, '0')}`);
    writeFileSync(join(root, 'config', 'routes.ts'), `import { defineRoutes } from 'sls-ts';\nexport default defineRoutes((r) => {\n${names.map((n) => `  r.resources('${n}');`).join('\n')}\n});\n`);
    for (const name of names) {
      writeFileSync(join(root, 'app', 'controllers', `${name}-controller.ts`), `import { Controller } from 'sls-ts';\nexport default class extends Controller {\n  index() { return this.json([]); }\n  show() { return this.json({}); }\n  create() { return this.head(201); }\n  update() { return this.head(204); }\n  destroy() { return this.head(204); }\n}\n`);
    }
    return configFor(root);
  };

  it('refuses, before uploading anything, to move a one-template app into nested stacks', async () => {
    const { createScratch } = await import('../build/support.js');
    const scratch = createScratch();
    try {
      const config = await bigApp(scratch.dir);
      const deployedBefore = [
        { ...FULL_OUTPUTS, SlsTsStacks: 'single' },
        // Deployed by an sls-ts that did not record the layout yet: its resources tell.
        { ...FULL_OUTPUTS },
      ];
      for (const outputs of deployedBefore) {
        aws.setStack('UPDATE_COMPLETE', [], outputs);
        aws.resources = [{ LogicalResourceId: 'ArtifactsBucket', ResourceType: 'AWS::S3::Bucket' }, { LogicalResourceId: 'Things00ControllerFunction', ResourceType: 'AWS::Lambda::Function' }];
        const failure = deploy(testContext(config, []), { yes: true });
        await expect(failure).rejects.toThrow(/^big-dev is deployed as one template but no longer fits one \(\d+ resources; a template holds 500 and 1 MB\)/);
        await expect(failure).rejects.toMatchObject({ hint: expect.stringMatching(/sls-ts delete --stage dev.*single.*stacks: 'nested'/) });
        expect(aws.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
        expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
      }
    } finally {
      scratch.cleanup();
    }
  }, 60_000);

  it('nests from the first deploy of a stack holding only the bootstrap bucket', async () => {
    const { createScratch } = await import('../build/support.js');
    const scratch = createScratch();
    try {
      const config = await bigApp(scratch.dir);
      aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
      aws.resources = [{ LogicalResourceId: 'ArtifactsBucket', ResourceType: 'AWS::S3::Bucket' }, { LogicalResourceId: 'ArtifactsBucketPolicy', ResourceType: 'AWS::S3::BucketPolicy' }];
      const result = await deploy(testContext(config, []), { yes: true });
      expect(result.outcome).toBe('deployed');
      const [changeSet] = aws.calls<CreateChangeSetCommandInput>(aws.cfn, CreateChangeSetCommand);
      expect(changeSet!.IncludeNestedStacks).toBe(true);
    } finally {
      scratch.cleanup();
    }
  }, 60_000);
});

describe('a nested app', () => {
  it('stays nested when it shrinks to fit one template, as the stack recorded', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS, SlsTsStacks: 'nested' });
    aws.resources = [];
    const events: DeployEvent[] = [];
    await deploy(testContext(app.config, events), { yes: true });
    const ready = events.find((event) => event.type === 'templates-ready') as { nestedStacks: number } | undefined;
    expect(ready?.nestedStacks).toBeGreaterThan(0);
    const [changeSet] = aws.calls<CreateChangeSetCommandInput>(aws.cfn, CreateChangeSetCommand);
    expect(changeSet!.IncludeNestedStacks).toBe(true);
    const root = [...aws.objects.entries()].map(([, body]) => body.toString('utf8')).find((body) => body.includes('"SlsTsStacks"'));
    expect(JSON.parse(root!).Outputs.SlsTsStacks.Value).toBe('nested');
  });
});

/** A first deploy of example-app in nested stacks, against a fake that diffs templates as AWS does. */
async function deployNestedOnce() {
  aws.changes = 'diff';
  const nestedOutputs = { ...FULL_OUTPUTS, SlsTsStacks: 'nested' };
  aws.setStack('UPDATE_COMPLETE', [], nestedOutputs);
  const execute = aws.onExecute;
  aws.onExecute = () => {
    execute();
    aws.stack!.outputs = nestedOutputs;
  };
  await deploy(testContext(app.config), { yes: true });
  aws.cfn.resetHistory();
  aws.s3.resetHistory();
}

describe('a nested app redeployed', () => {
  it('ends with no changes and no change set when nothing changed, though AWS lists every nested stack in one', async () => {
    await deployNestedOnce();
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    expect(result.outcome).toBe('no-changes');
    expect(result.changes).toEqual([]);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
    expect(aws.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(eventTypes(events)).toContain('no-changes');
  });

  it('compares with the template a rolled-back stack runs, and asks CloudFormation when the tags or the state differ', async () => {
    await deployNestedOnce();
    aws.stack!.status = 'UPDATE_ROLLBACK_COMPLETE';
    expect((await deploy(testContext(app.config), { yes: true })).outcome).toBe('no-changes');
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);

    aws.tags = [{ Key: 'project', Value: 'an-older-tag' }];
    await deploy(testContext(app.config), { yes: true });
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(1);

    aws.stack!.status = 'IMPORT_ROLLBACK_COMPLETE';
    await deploy(testContext(app.config), { yes: true });
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(2);
  });

  it('plans only the nested stack that changed, not those AWS lists as modified automatically', async () => {
    await deployNestedOnce();
    appendFileSync(join(app.root, 'app', 'controllers', 'posts-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'nested posts v2';\n");
    const result = await deploy(testContext(app.config), { plan: true });
    expect(result.outcome).toBe('plan');
    const posts = result.changes.find((change) => change.logicalId === 'PostsControllerFunction');
    expect(posts).toMatchObject({ action: 'modify', stackPath: [expect.any(String)] });
    const stacks = result.changes.filter((change) => change.type === 'AWS::CloudFormation::Stack').map((change) => change.logicalId);
    expect(stacks).toEqual(posts!.stackPath);
    expect(result.changes.every((change) => change.stackPath.length === 0 || change.stackPath[0] === posts!.stackPath[0])).toBe(true);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });
});

describe('a nested change set CloudFormation rejects', () => {
  it('names the nested stack and its own reason, with the hint for that reason', async () => {
    await deployNestedOnce();
    appendFileSync(join(app.root, 'app', 'controllers', 'posts-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'nested posts v3';\n");
    const reason = 'Template format error: Unresolved resource dependencies [PostsControllerRole] in the Resources block of the template';
    aws.rejectNested = { logicalId: 'PostsControllerStack', reason };
    const failure = deploy(testContext(app.config), { yes: true });
    await expect(failure).rejects.toThrow(`CloudFormation rejected the change set of nested stack PostsControllerStack (example-app-dev-PostsControllerStack-1X2Y3Z4W5V6U): ${reason}`);
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('the generated template is invalid') });
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });
});

describe('a stack an earlier sls-ts deployed (no SlsTsStacks output)', () => {
  it('keeps its nested API methods with their functions, and records that', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS });
    aws.resources = [{ LogicalResourceId: 'PostsControllerStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: 'arn:nested' }];
    await deploy(testContext(app.config, []), { yes: true });
    const bodies = [...aws.objects.values()].map((body) => body.toString('utf8')).filter((body) => body.startsWith('{"AWSTemplateFormatVersion"'));
    const root = JSON.parse(bodies.find((body) => body.includes('"SlsTsStacks"'))!);
    expect(root.Outputs.SlsTsStacks.Value).toBe('nested-methods-with-functions');
    const posts = JSON.parse(bodies.find((body) => body.includes('"PostsControllerFunction":'))!);
    expect(posts.Resources.ApiMethodPostsIdGet).toMatchObject({ Type: 'AWS::ApiGateway::Method' });
  });

  it('refuses, before uploading anything, a deploy that would give a named resource a new logical id', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS });
    // How an earlier sls-ts named example-app's /logo.png.
    aws.resources = [
      { LogicalResourceId: 'ApiResourceLogoPng', ResourceType: 'AWS::ApiGateway::Resource' },
      { LogicalResourceId: 'ApiMethodLogoPngGet', ResourceType: 'AWS::ApiGateway::Method' },
      { LogicalResourceId: 'PostsControllerFunction', ResourceType: 'AWS::Lambda::Function' },
    ];
    const failure = deploy(testContext(app.config, []), { yes: true });
    await expect(failure).rejects.toThrow(/^this sls-ts gives 2 resources of example-app-dev new logical ids \(ApiMethodLogoPngGet → ApiMethodLogoPng[0-9a-f]{8}Get \(GET \/logo\.png → images#logo\), ApiResourceLogoPng → ApiResourceLogoPng[0-9a-f]{8} \(API path \/logo\.png\)\); CloudFormation would create each/);
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('sls-ts delete --stage dev') });
    expect(aws.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('is not checked again once this sls-ts has deployed the stack', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS, SlsTsStacks: 'single' });
    aws.resources = [{ LogicalResourceId: 'ApiResourceLogoPng', ResourceType: 'AWS::ApiGateway::Resource' }];
    const result = await deploy(testContext(app.config, []), { yes: true });
    expect(result.outcome).toBe('deployed');
  });
});
