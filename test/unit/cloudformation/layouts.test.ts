import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

function methodsOf(result: ReturnType<typeof generateTemplates>): string[] {
  return ofType(result, 'AWS::ApiGateway::Method').map(([id]) => id).sort();
}

function integrationTarget(method: Record<string, any>): string | undefined {
  const uri = method.Properties.Integration?.Uri?.['Fn::Sub'] as string | undefined;
  return uri ? /\$\{(\w+)\.Arn\}/.exec(uri)?.[1] : undefined;
}

describe('the controller layout', () => {
  const config = makeConfig();
  const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'controller') });

  it('is one valid template', () => {
    expect(result.children).toEqual([]);
    assertAllValid(result);
    expect(result.stats.perTemplate).toEqual({ root: Object.keys(result.root.Resources).length });
  });

  it('has one Lambda per controller, plain function and job', () => {
    expect(ofType(result, 'AWS::Lambda::Function').map(([id]) => id).sort()).toEqual([
      'AdminStatsControllerFunction', 'CallbackFunction', 'CleanupJobFunction', 'HealthControllerFunction',
      'HelloFunction', 'HomeControllerFunction', 'ImagesControllerFunction', 'PostsControllerFunction',
    ]);
  });

  it('has one method per route, each proxying to the function of its controller', () => {
    expect(methodsOf(result)).toEqual([
      'ApiMethodAdminPostsDelete', 'ApiMethodAdminStatsGet', 'ApiMethodHealthGet', 'ApiMethodHelloName219f9537Get', 'ApiMethodLogoPng27e9bac9Get',
      'ApiMethodPostsGet', 'ApiMethodPostsIdDelete', 'ApiMethodPostsIdGet', 'ApiMethodPostsIdPatch', 'ApiMethodPostsIdPut',
      'ApiMethodPostsPost', 'ApiMethodRootGet',
    ]);
    const resources = result.root.Resources;
    expect(integrationTarget(resources['ApiMethodPostsIdGet']!)).toBe('PostsControllerFunction');
    expect(integrationTarget(resources['ApiMethodAdminPostsDelete']!)).toBe('AdminStatsControllerFunction');
    expect(integrationTarget(resources['ApiMethodHelloName219f9537Get']!)).toBe('HelloFunction');
    expect(integrationTarget(resources['ApiMethodRootGet']!)).toBe('HomeControllerFunction');
  });

  it('gives an API permission to routed functions only', () => {
    const permissions = ofType(result, 'AWS::Lambda::Permission').filter(([, r]) => r.Properties.Principal === 'apigateway.amazonaws.com');
    expect(permissions.map(([id]) => id).sort()).toEqual([
      'AdminStatsControllerApiPermission', 'HealthControllerApiPermission', 'HelloApiPermission', 'HomeControllerApiPermission',
      'ImagesControllerApiPermission', 'PostsControllerApiPermission',
    ]);
  });
});

describe('the action layout', () => {
  const config = makeConfig();
  const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'action') });

  it('is valid, with one Lambda per action', () => {
    assertAllValid(result);
    const functions = ofType(result, 'AWS::Lambda::Function').map(([id]) => id);
    expect(functions).toEqual(expect.arrayContaining(['PostsControllerIndexFunction', 'PostsControllerShowFunction', 'PostsControllerUpdateFunction', 'AdminStatsControllerPurgeFunction']));
    // 10 actions, the routed and the unrouted plain function, the job.
    expect(functions).toHaveLength(13);
  });

  it('sends each route to its action (PATCH and PUT share update)', () => {
    const resources = result.root.Resources;
    expect(integrationTarget(resources['ApiMethodPostsIdPatch']!)).toBe('PostsControllerUpdateFunction');
    expect(integrationTarget(resources['ApiMethodPostsIdPut']!)).toBe('PostsControllerUpdateFunction');
    expect(integrationTarget(resources['ApiMethodPostsIdGet']!)).toBe('PostsControllerShowFunction');
    // The same method ids as in the controller layout: switching layouts updates methods in place.
    expect(methodsOf(result)).toContain('ApiMethodPostsIdDelete');
  });
});

describe('the single layout', () => {
  const config = makeConfig();
  const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'single') });

  it('is valid, with one web Lambda plus the job and the unrouted function', () => {
    assertAllValid(result);
    expect(ofType(result, 'AWS::Lambda::Function').map(([id]) => id).sort()).toEqual(['CallbackFunction', 'CleanupJobFunction', 'ControllerFunction']);
  });

  it('has only / and /{proxy+} with ANY, whatever routes the function serves', () => {
    expect(methodsOf(result)).toEqual(['ApiMethodProxyAny', 'ApiMethodRootAny']);
    expect(ofType(result, 'AWS::ApiGateway::Resource')).toEqual([
      ['ApiResourceProxy', expect.objectContaining({ Properties: expect.objectContaining({ PathPart: '{proxy+}', ParentId: { 'Fn::GetAtt': ['RestApi', 'RootResourceId'] } }) })],
    ]);
    const root = result.root.Resources['ApiMethodRootAny']!;
    expect(root.Properties).toMatchObject({ HttpMethod: 'ANY', ResourceId: { 'Fn::GetAtt': ['RestApi', 'RootResourceId'] } });
    expect(integrationTarget(root)).toBe('ControllerFunction');
    expect(result.stats.apiResources).toBe(1);
  });
});

describe('an app without routes', () => {
  it('has no REST API and no API outputs', () => {
    const config = makeConfig();
    const result = generateTemplates({ config, manifest: makeManifest(config, { routes: [], jobs: [{ name: 'cleanup', schedules: ['rate(1 hour)'] }] }) });
    assertAllValid(result);
    expect(ofType(result, 'AWS::ApiGateway::RestApi')).toEqual([]);
    expect(Object.keys(result.root.Outputs ?? {})).not.toContain('ApiUrl');
    expect(Object.keys(result.root.Outputs ?? {})).toContain('ArtifactsBucketName');
  });
});

describe('routes API Gateway cannot take', () => {
  it('rejects two functions claiming the same verb and path', () => {
    const config = makeConfig();
    const manifest = makeManifest(config, { routes: [['GET', '/a', 'a#index'], ['GET', '/a', 'fn:other']] });
    expect(() => generateTemplates({ config, manifest })).toThrow(/same API Gateway method/);
  });
});
