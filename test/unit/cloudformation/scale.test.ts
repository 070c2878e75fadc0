import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, serializeTemplate, TEMPLATE_LIMITS, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { sha256Hex } from '../../../src/cloudformation/json.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, largeApp, makeConfig, makeManifest, ofType, SMALL_APP, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const config = makeConfig({ cors: true, binaryMediaTypes: ['image/png'] });
// Without CORS preflights: with them, 1,000 routes pass the 2,500 resources one stack operation may create.
const bigConfig = makeConfig({ binaryMediaTypes: ['image/png'] });
const app = largeApp(100);

function generate(spec: AppSpec, layout: 'controller' | 'action' = 'controller', settings = config): GeneratedTemplates {
  return generateTemplates({ config: settings, manifest: makeManifest(settings, spec, layout) });
}

describe('an app of 1,000 routes over 100 controllers', () => {
  const result = generate(app, 'controller', bigConfig);

  it('has 1,000 routes', () => {
    expect(app.routes).toHaveLength(1000);
  });

  it('splits into nested stacks, every template valid and within limits', () => {
    expect(result.children.length).toBeGreaterThan(0);
    assertAllValid(result);
    for (const template of [result.root, ...result.children.map((child) => child.template)]) {
      expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(TEMPLATE_LIMITS.resources);
      expect(Object.keys(template.Parameters ?? {}).length).toBeLessThanOrEqual(TEMPLATE_LIMITS.parameters);
      expect(Object.keys(template.Outputs ?? {}).length).toBeLessThanOrEqual(TEMPLATE_LIMITS.outputs);
      expect(Buffer.byteLength(serializeTemplate(template))).toBeLessThanOrEqual(TEMPLATE_LIMITS.bytes);
    }
  });

  it('keeps the bucket, the API, its Deployment and Stage in the root, with one stack per controller, job and top-level path', () => {
    const root = Object.keys(result.root.Resources);
    expect(root.filter((id) => !id.endsWith('Stack')).sort()).toEqual(['ApiDeployment' + result.root.Outputs!['RouteHash']!.Value, 'ApiStage', 'ArtifactsBucket', 'ArtifactsBucketPolicy', 'RestApi'].sort());
    expect(root).toContain('Widgets000ControllerStack');
    expect(root).toContain('ApiWidgets000Stack');
    expect(root).toContain('CleanupJobStack');
    expect(result.children).toHaveLength(201);
  });

  it('puts a controller\'s functions, roles, log groups and permissions in its stack, and a path\'s resources and methods in the path\'s', () => {
    const where = allResources(result);
    for (const id of ['Widgets042ControllerFunction', 'Widgets042ControllerRole', 'Widgets042ControllerLogGroup', 'Widgets042ControllerApiPermission']) {
      expect(where.get(id)?.template, id).toBe('Widgets042ControllerStack');
    }
    for (const id of ['ApiResourceWidgets042', 'ApiResourceWidgets042IdComments', 'ApiMethodWidgets042IdGet', 'ApiMethodWidgets042IdPatch']) {
      expect(where.get(id)?.template, id).toBe('ApiWidgets042Stack');
    }
  });

  it('passes what a stack needs as parameters: the API, the bucket, and the ARNs of the functions a path stack\'s methods call', () => {
    const stack = result.root.Resources['Widgets042ControllerStack']!;
    expect(stack.Properties['Parameters']).toEqual({ RestApi: { Ref: 'RestApi' }, ArtifactsBucket: { Ref: 'ArtifactsBucket' } });
    const paths = result.root.Resources['ApiWidgets042Stack']!;
    expect(paths.Properties['Parameters']).toEqual({
      RestApi: { Ref: 'RestApi' },
      RestApiRootResourceId: { 'Fn::GetAtt': ['RestApi', 'RootResourceId'] },
      Widgets042ControllerFunctionArn: { 'Fn::GetAtt': ['Widgets042ControllerStack', 'Outputs.Widgets042ControllerFunctionArn'] },
    });
  });

  it('points each stack at its template in the bucket, under the sha256 of the exact body', () => {
    for (const child of result.children) {
      expect(child.key).toBe(`templates/${sha256Hex(child.body)}.json`);
      expect(child.body).toBe(serializeTemplate(child.template));
      expect(result.root.Resources[child.logicalId]!.Properties['TemplateURL']).toEqual({ 'Fn::Sub': `https://\${ArtifactsBucket.RegionalDomainName}/${child.key}` });
    }
  });

  it('deploys the API after every stack that holds methods or invoke permissions', () => {
    const [, deployment] = ofType(result, 'AWS::ApiGateway::Deployment')[0]!;
    const holders = result.children.filter((child) => Object.values(child.template.Resources).some((r) => r.Type === 'AWS::ApiGateway::Method')).map((child) => child.logicalId).sort();
    expect(holders).toHaveLength(100);
    // The controllers' stacks hold the invoke permissions the Deployment waits for too.
    const permissionHolders = result.children.filter((child) => Object.values(child.template.Resources).some((r) => r.Type === 'AWS::Lambda::Permission' && r.Properties['Principal'] === 'apigateway.amazonaws.com')).map((child) => child.logicalId);
    expect(permissionHolders).toHaveLength(100);
    expect(deployment.DependsOn).toEqual([...holders, ...permissionHolders].sort());
  });

  it('warns that the API has more resources than API Gateway allows by default, with the ways out', () => {
    expect(result.stats.apiResources).toBe(600);
    expect(result.warnings).toContainEqual(expect.objectContaining({
      level: 'warning',
      text: expect.stringMatching(/601 resources .* 300 per REST API/),
      hint: expect.stringMatching(/single.*Service Quotas/),
    }));
  });

  it('counts resources per template', () => {
    expect(result.stats.perTemplate['root']).toBe(Object.keys(result.root.Resources).length);
    expect(result.stats.perTemplate['Widgets000ControllerStack']).toBe(Object.keys(result.children.find((c) => c.logicalId === 'Widgets000ControllerStack')!.template.Resources).length);
    expect(result.stats.resources).toBe(Object.values(result.stats.perTemplate).reduce((a, b) => a + b, 0));
    expect(result.sources['Widgets000ControllerStack']).toBe('Widgets000Controller');
    expect(result.sources['ApiMethodWidgets000IdGet']).toBe('GET /widgets000/{id} → widgets000#show');
  });

  it('never moves or renames an existing resource when routes and controllers are added', () => {
    const grown: AppSpec = {
      ...app,
      routes: [
        ...app.routes,
        ['GET', '/widgets007/:id/audit', 'audits#show'],
        ['GET', '/widgets007/export', 'widgets007#export'],
        ['GET', '/brand-new', 'brand_new#index'],
      ],
    };
    const after = generate(grown, 'controller', bigConfig);
    assertAllValid(after);
    const old = allResources(result);
    const now = allResources(after);
    for (const [id, { template }] of old) {
      if (id.startsWith('ApiDeployment')) continue;
      expect(now.get(id)?.template, id).toBe(template);
    }
    expect(now.get('ApiResourceWidgets007IdAudit')?.template).toBe('ApiWidgets007Stack');
    expect(now.get('ApiMethodWidgets007IdAuditGet')?.template).toBe('ApiWidgets007Stack');
  });

  it('is byte-identical when generated again', () => {
    const again = generate(app, 'controller', bigConfig);
    expect(serializeTemplate(again.root)).toBe(serializeTemplate(result.root));
    expect(again.children.map((child) => child.body)).toEqual(result.children.map((child) => child.body));
  });

  it('warns as the whole tree nears the 2,500 resources one stack operation may create', () => {
    expect(result.stats.resources).toBeGreaterThan(2000);
    expect(result.warnings).toContainEqual(expect.objectContaining({
      level: 'warning',
      text: `the root and its 201 nested stacks hold ${result.stats.resources} resources, over 80% of the 2500 resource operations CloudFormation allows in one stack operation (nested stacks included)`,
      hint: expect.stringContaining("iamRoles: 'controller'"),
    }));
  });

  it('refuses the tree past 2,500 resources, with CORS preflights or in the action layout', () => {
    expect(() => generate(app, 'controller', config)).toThrow(/^the root and its 201 nested stacks hold 2\d{3} resources; CloudFormation allows 2500 resource operations in one stack operation/);
    expect(() => generate(app, 'action', bigConfig)).toThrow(/nested stacks hold [3-9]\d{3} resources; CloudFormation allows 2500/);
  });
});

describe('splitting', () => {
  it('keeps a small app in one template, with a warning as it nears a limit', () => {
    const result = generate(largeApp(17));
    expect(result.children).toEqual([]);
    const size = Object.keys(result.root.Resources).length;
    expect(size).toBeGreaterThan(400);
    expect(result.warnings).toContainEqual(expect.objectContaining({ level: 'warning', text: expect.stringMatching(new RegExp(`the template has ${size} resources, over 80%`)) }));
  });

  it('nests even a small app when asked, with the same logical ids', () => {
    const single = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    const nested = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP), split: 'always' });
    assertAllValid(nested);
    expect(nested.children.length).toBeGreaterThan(0);
    const ids = (result: GeneratedTemplates) => [...allResources(result).keys()].filter((id) => !id.endsWith('Stack')).sort();
    expect(ids(nested)).toEqual(ids(single));
    // `/` has no top-level path: its methods stay in the root with the RestApi's root resource.
    expect(allResources(nested).get('ApiMethodRootOptions')?.template).toBe('root');
    expect(allResources(nested).get('ApiMethodRootGet')?.template).toBe('root');
    expect({ ...nested.root.Outputs, SlsTsStacks: undefined }).toEqual({ ...single.root.Outputs, SlsTsStacks: undefined });
    expect(nested.root.Outputs!['SlsTsStacks']!.Value).toBe('nested');
    expect(single.root.Outputs!['SlsTsStacks']!.Value).toBe('single');
  });

  it('nests from the start with `stacks: \'nested\'`', () => {
    const nestedConfig = makeConfig({ stacks: 'nested' });
    const result = generateTemplates({ config: nestedConfig, manifest: makeManifest(nestedConfig, SMALL_APP) });
    assertAllValid(result);
    expect(result.children.length).toBeGreaterThan(0);
    expect(result.root.Outputs!['SlsTsStacks']!.Value).toBe('nested');
  });

  it('fails with a clear message when one controller cannot fit a nested stack', () => {
    const routes: AppSpec['routes'] = Array.from({ length: 130 }, (_, i) => ['GET', `/huge/a${i}`, `huge#a${i}`]);
    const huge: AppSpec = { routes: [...routes, ...largeApp(30).routes] };
    expect(() => generate(huge, 'action')).toThrow(/nested stack HugeControllerStack has \d+ resources; CloudFormation allows 500/);
  });
});
