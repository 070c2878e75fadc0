// Route removal reaching the stage: CloudFormation creates a new Deployment before it deletes the
// methods an update removes, so the deploy removes them in a first update that keeps the stage on
// its Deployment, and only then deploys the new routes — both updates CloudFormation's own.
import { readFileSync, writeFileSync } from 'node:fs';
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

    // First update: the method is gone, the stage stays on the Deployment it serves.
    expect(interim!.Resources).not.toHaveProperty(removed[0]!);
    const [interimDeploymentId, interimDeployment] = deploymentOf(interim!);
    expect(interimDeploymentId).toBe(oldDeploymentId);
    expect(interimDeployment.Properties).toEqual(oldDeployment.Properties);
    expect(interimDeployment.DependsOn).not.toContain(removed[0]);
    expect(interim!.Resources['ApiStage']!.Properties).toMatchObject({ DeploymentId: { Ref: oldDeploymentId } });
    expect(interim!.Outputs!['RouteHash']).toEqual(before.Outputs!['RouteHash']);
    assertValidTemplate(interim as never, { name: 'first update' });

    // Second update: a Deployment created once the method is gone, owned by the stack.
    const [newDeploymentId] = deploymentOf(final!);
    expect(newDeploymentId).not.toBe(oldDeploymentId);
    expect(final!.Resources['ApiStage']!.Properties).toMatchObject({ DeploymentId: { Ref: newDeploymentId } });
    expect(deployed()).toEqual(final);
    expect(aws.apiGateway.commandCalls(CreateDeploymentCommand)).toHaveLength(0);

    const removedParts = idsOfType(before, 'AWS::ApiGateway::Resource').filter((id) => !(id in final!.Resources));
    const removing = events.find((event) => event.type === 'routes-removing');
    expect(removing).toEqual({ type: 'routes-removing', removed: expect.arrayContaining([...removed, ...removedParts]), deploymentId: oldDeploymentId });
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

  it('removes routes inside nested stacks first too', async () => {
    // A stack that is nested already keeps its templates nested.
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    aws.template = JSON.stringify({ Resources: {} });
    aws.resources = [{ LogicalResourceId: 'PostsControllerStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: 'arn:nested' }];
    const before = await deployOnce();
    const [oldDeploymentId] = deploymentOf(before);
    expect(idsOfType(before, 'AWS::CloudFormation::Stack').length).toBeGreaterThan(1);
    expect(idsOfType(before, 'AWS::ApiGateway::Method')).toEqual([]);
    editRoutes(withoutPurge);

    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    const removedMethod = result.changes.find((change) => change.action === 'remove' && change.type === 'AWS::ApiGateway::Method');
    expect(removedMethod?.stackPath).toHaveLength(1);
    expect(events).toContainEqual({ type: 'routes-removing', removed: expect.arrayContaining([[...removedMethod!.stackPath, removedMethod!.logicalId].join('/')]), deploymentId: oldDeploymentId });
    const [, interim, final] = changeSetTemplates();
    expect(deploymentOf(interim!)[0]).toBe(oldDeploymentId);
    // The first update already points the nested stacks at their new templates.
    for (const id of idsOfType(final!, 'AWS::CloudFormation::Stack')) expect(interim!.Resources[id]).toEqual(final!.Resources[id]);
    expect(deploymentOf(final!)[0]).not.toBe(oldDeploymentId);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(2);
  }, 60_000);
});
