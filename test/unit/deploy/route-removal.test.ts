// Route removal reaching the stage: CloudFormation creates a new Deployment before it deletes the
// methods an update removes, so the deploy removes them in a first update that keeps the stage on
// its Deployment, and only then deploys the new routes — both updates CloudFormation's own.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateDeploymentCommand } from '@aws-sdk/client-api-gateway';
import { CreateChangeSetCommand, ExecuteChangeSetCommand, GetTemplateCommand, type CreateChangeSetCommandInput } from '@aws-sdk/client-cloudformation';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deploy, type DeployEvent } from '../../../src/deploy/index.js';
import { assertValidTemplate, preloadResourceSpec } from '../../support/cfn-validator.js';
import { BUCKET, FULL_OUTPUTS, selfEvent, stackEvent, STACK, type FakeAws } from './fake-aws.js';
import { useDeployFixtures, testContext, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures), (fresh) => (fresh.changes = 'diff'));
beforeAll(() => preloadResourceSpec(), 30_000);

interface Resource {
  Type: string;
  DependsOn?: string[];
  Properties: Record<string, unknown>;
}
interface DeployedTemplate {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown }>;
}

const routesFile = () => join(app.root, 'config', 'routes.ts');
let originalRoutes: string | undefined;

function editRoutes(edit: (source: string) => string): void {
  originalRoutes ??= readFileSync(routesFile(), 'utf8');
  const next = edit(originalRoutes);
  expect(next).not.toBe(originalRoutes);
  writeFileSync(routesFile(), next);
}

afterEach(() => {
  if (originalRoutes !== undefined) writeFileSync(routesFile(), originalRoutes);
});

const withoutPurge = (source: string) => source.replace("r.delete('/posts', 'stats#purge');", '');

function deployed(): DeployedTemplate {
  return JSON.parse(aws.template!) as DeployedTemplate;
}

/** The root template of each change set created since the last history reset, in order. */
function changeSetTemplates(): DeployedTemplate[] {
  return aws.calls<CreateChangeSetCommandInput>(aws.cfn, CreateChangeSetCommand).map((input) => {
    const key = new URL(input.TemplateURL!).pathname.slice(1);
    return JSON.parse(aws.objects.get(key)!.toString('utf8')) as DeployedTemplate;
  });
}

function idsOfType(template: DeployedTemplate, type: string): string[] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type).map(([id]) => id);
}

function deploymentOf(template: DeployedTemplate): [string, Resource] {
  const found = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Deployment');
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function deployOnce(): Promise<DeployedTemplate> {
  await deploy(testContext(app.config), { yes: true });
  aws.cfn.resetHistory();
  aws.s3.resetHistory();
  aws.apiGateway.resetHistory();
  return deployed();
}

describe('a deploy that removes a route', () => {
  it('first deletes its method while the stage keeps its Deployment, then gives the stage a Deployment without it', async () => {
    const before = await deployOnce();
    const [oldDeploymentId, oldDeployment] = deploymentOf(before);
    editRoutes(withoutPurge);

    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });

    expect(result.outcome).toBe('deployed');
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(2);
    const [, interim, final] = changeSetTemplates();
    const removed = idsOfType(before, 'AWS::ApiGateway::Method').filter((id) => !idsOfType(final!, 'AWS::ApiGateway::Method').includes(id));
    expect(removed).toHaveLength(1);

    // First update: the deployed template minus the method; the stage keeps the Deployment it serves.
    expect(Object.keys(interim!.Resources).sort()).toEqual(Object.keys(before.Resources).filter((id) => id !== removed[0]).sort());
    for (const [id, resource] of Object.entries(interim!.Resources)) {
      if (id !== oldDeploymentId) expect(resource, id).toEqual(before.Resources[id]);
    }
    const [, interimDeployment] = deploymentOf(interim!);
    expect(interimDeployment).toEqual({ ...oldDeployment, DependsOn: oldDeployment.DependsOn!.filter((id) => id !== removed[0]) });
    expect(interim!.Outputs).toEqual(before.Outputs);
    assertValidTemplate(interim as never, { name: 'first update' });

    // Second update: a Deployment created once the method is gone, owned by the stack.
    const [newDeploymentId] = deploymentOf(final!);
    expect(newDeploymentId).not.toBe(oldDeploymentId);
    expect(final!.Resources['ApiStage']!.Properties).toMatchObject({ DeploymentId: { Ref: newDeploymentId } });
    expect(deployed()).toEqual(final);
    expect(aws.apiGateway.commandCalls(CreateDeploymentCommand)).toHaveLength(0);

    expect(events).toContainEqual({ type: 'routes-removing', removed, deploymentId: oldDeploymentId });
    // What the stage serves: the removed route is not in its deployment's snapshot, and the deploy checked.
    expect(aws.apiSummary).toHaveProperty(['/admin/stats', 'GET']);
    expect(aws.apiSummary).not.toHaveProperty('/admin/posts');
    expect(events.filter((event) => event.type === 'warning')).toEqual([]);
    expect(result.changes).toContainEqual(expect.objectContaining({ action: 'remove', logicalId: removed[0], type: 'AWS::ApiGateway::Method' }));
  }, 60_000);

  it('takes one update when routes are only added', async () => {
    await deployOnce();
    editRoutes((source) => source.replace("r.get('/health', 'health#show');", "r.get('/health', 'health#show');\n  r.get('/healthz', 'health#show');"));
    const events: DeployEvent[] = [];
    await deploy(testContext(app.config, events), { yes: true });
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    expect(aws.cfn.commandCalls(GetTemplateCommand)).toHaveLength(0);
    expect(events.map((event) => event.type)).not.toContain('routes-removing');
  }, 60_000);

  it('takes one update when every route goes: the API is deleted as a whole', async () => {
    await deployOnce();
    editRoutes((source) => source.replace(/defineRoutes\(\(r\) => \{[\s\S]*\}\);/, 'defineRoutes(() => {});'));
    const events: DeployEvent[] = [];
    await deploy(testContext(app.config, events), { yes: true });
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    expect(idsOfType(deployed(), 'AWS::ApiGateway::RestApi')).toEqual([]);
    expect(events.map((event) => event.type)).not.toContain('routes-removing');
    expect(events.filter((event) => event.type === 'warning')).toEqual([]);
  }, 60_000);

  it('when the second update fails, the stack is left after the first, and the next deploy finishes the switch in one update', async () => {
    const before = await deployOnce();
    const [oldDeploymentId] = deploymentOf(before);
    editRoutes(withoutPurge);
    const succeed = aws.onExecute;
    let executions = 0;
    aws.onExecute = () => {
      if (++executions === 1) return succeed();
      aws.addEvents(
        STACK,
        selfEvent('UPDATE_IN_PROGRESS'),
        stackEvent({ LogicalResourceId: 'ApiStage', ResourceType: 'AWS::ApiGateway::Stage', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Rate exceeded' }),
        selfEvent('UPDATE_ROLLBACK_COMPLETE'),
      );
      aws.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_ROLLBACK_IN_PROGRESS'], FULL_OUTPUTS);
    };

    await expect(deploy(testContext(app.config), { yes: true })).rejects.toThrow(/deploy of example-app-dev failed \(UPDATE_ROLLBACK_COMPLETE\)/);
    // Rolled back to the first update: removed methods gone, the stage on its old Deployment.
    expect(deploymentOf(deployed())[0]).toBe(oldDeploymentId);
    expect(idsOfType(deployed(), 'AWS::ApiGateway::Method').length).toBe(idsOfType(before, 'AWS::ApiGateway::Method').length - 1);

    aws.onExecute = succeed;
    aws.cfn.resetHistory();
    const events: DeployEvent[] = [];
    await deploy(testContext(app.config, events), { yes: true });
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    expect(events.map((event) => event.type)).not.toContain('routes-removing');
    expect(deploymentOf(deployed())[0]).not.toBe(oldDeploymentId);
  }, 60_000);

  async function deployNested(): Promise<DeployedTemplate> {
    // A stack that is nested already keeps its templates nested.
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    aws.template = JSON.stringify({ Resources: {} });
    aws.resources = [{ LogicalResourceId: 'PostsControllerStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: 'arn:nested' }];
    const before = await deployOnce();
    expect(idsOfType(before, 'AWS::CloudFormation::Stack').length).toBeGreaterThan(1);
    return before;
  }

  const childTemplate = (root: DeployedTemplate, stack: string): DeployedTemplate => {
    const key = /templates\/[0-9a-f]{64}\.json/.exec(JSON.stringify(root.Resources[stack]!.Properties['TemplateURL']))![0];
    return JSON.parse(aws.objects.get(key)!.toString('utf8')) as DeployedTemplate;
  };

  it('inside a nested stack, first updates that stack to its deployed template minus the method', async () => {
    const before = await deployNested();
    const [oldDeploymentId] = deploymentOf(before);
    editRoutes(withoutPurge);

    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    const removedMethod = result.changes.find((change) => change.action === 'remove' && change.type === 'AWS::ApiGateway::Method')!;
    expect(removedMethod.stackPath).toHaveLength(1);
    const [stack] = removedMethod.stackPath as [string];
    expect(events).toContainEqual({ type: 'routes-removing', removed: [`${stack}/${removedMethod.logicalId}`], deploymentId: oldDeploymentId });

    const [, interim, final] = changeSetTemplates();
    // The root changes only where it points that stack at its new template.
    expect({ ...interim!.Resources, [stack]: undefined }).toEqual({ ...before.Resources, [stack]: undefined });
    const oldChild = childTemplate(before, stack);
    const newChild = childTemplate(interim!, stack);
    expect(newChild.Resources).toEqual(Object.fromEntries(Object.entries(oldChild.Resources).filter(([id]) => id !== removedMethod.logicalId)));
    expect(deploymentOf(final!)[0]).not.toBe(oldDeploymentId);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(2);
  }, 60_000);

  it('a removed nested stack that held methods first loses its methods, then goes', async () => {
    const before = await deployNested();
    const [oldDeploymentId, oldDeployment] = deploymentOf(before);
    editRoutes((source) => source.replace("r.get('/health', 'health#show');", ''));
    const controller = join(app.root, 'app', 'controllers', 'health-controller.ts');
    const source = readFileSync(controller, 'utf8');
    rmSync(controller);
    try {
      const events: DeployEvent[] = [];
      await deploy(testContext(app.config, events), { yes: true });
      const [, interim, final] = changeSetTemplates();
      const gone = idsOfType(before, 'AWS::CloudFormation::Stack').filter((id) => !(id in final!.Resources) && oldDeployment.DependsOn!.includes(id));
      expect(gone).toHaveLength(1);
      expect(events).toContainEqual({ type: 'routes-removing', removed: gone, deploymentId: oldDeploymentId });
      // Still there in the first update, with no method left in it.
      const child = childTemplate(interim!, gone[0]!);
      expect(idsOfType(childTemplate(before, gone[0]!), 'AWS::ApiGateway::Method').length).toBeGreaterThan(0);
      expect(idsOfType(child, 'AWS::ApiGateway::Method')).toEqual([]);
      expect(Object.keys(child.Resources).length).toBeGreaterThan(0);
      expect(deploymentOf(final!)[0]).not.toBe(oldDeploymentId);
    } finally {
      writeFileSync(controller, source);
    }
  }, 60_000);

  it('falls back to the new templates with the stage kept on its Deployment when a deployed template cannot be read', async () => {
    const before = await deployNested();
    const [oldDeploymentId, oldDeployment] = deploymentOf(before);
    editRoutes(withoutPurge);
    // Bodies in the bucket that no longer match their keys are not trusted as what the stack runs.
    for (const key of aws.objects.keys()) if (key.startsWith('templates/')) aws.objects.set(key, Buffer.from('{}'));

    const events: DeployEvent[] = [];
    await deploy(testContext(app.config, events), { yes: true });
    const [, interim, final] = changeSetTemplates();
    expect(events).toContainEqual(expect.objectContaining({ type: 'routes-removing', deploymentId: oldDeploymentId }));
    const [interimDeploymentId, interimDeployment] = deploymentOf(interim!);
    expect(interimDeploymentId).toBe(oldDeploymentId);
    expect(interimDeployment.Properties).toEqual(oldDeployment.Properties);
    expect(interim!.Resources['ApiStage']!.Properties).toMatchObject({ DeploymentId: { Ref: oldDeploymentId } });
    expect(interim!.Outputs!['RouteHash']).toEqual(before.Outputs!['RouteHash']);
    for (const id of idsOfType(final!, 'AWS::CloudFormation::Stack')) expect(interim!.Resources[id]).toEqual(final!.Resources[id]);
    expect(deploymentOf(final!)[0]).not.toBe(oldDeploymentId);
  }, 60_000);
});

describe('checking the stage after a deploy', () => {
  it('compares the methods in the stage deployment\'s snapshot with the app\'s, and warns about any difference', async () => {
    await deployOnce();
    expect(aws.apiSummary).toHaveProperty(['/posts/{id}', 'DELETE']);
    aws.apiSummary!['/gone'] = { GET: {} };
    delete aws.apiSummary!['/health'];
    const controller = join(app.root, 'app', 'controllers', 'posts-controller.ts');
    const source = readFileSync(controller, 'utf8');
    writeFileSync(controller, `${source}\n;(globalThis as Record<string, unknown>).marker = 'v2';\n`);

    const events: DeployEvent[] = [];
    await deploy(testContext(app.config, events), { yes: true }).finally(() => writeFileSync(controller, source));
    const warnings = events.flatMap((event) => (event.type === 'warning' ? [event.diagnostic.text] : []));
    expect(warnings).toEqual([
      'API stage dev still serves 1 method the app no longer has: GET /gone',
      "API stage dev does not serve 1 of the app's methods: GET /health",
    ]);
  }, 60_000);

  it('says nothing when the snapshot holds exactly the app\'s methods', async () => {
    const events: DeployEvent[] = [];
    await deploy(testContext(app.config, events), { yes: true });
    expect(aws.apiSummary).toHaveProperty(['/', 'GET']);
    expect(events.filter((event) => event.type === 'warning')).toEqual([]);
  }, 60_000);
});
