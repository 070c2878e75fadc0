import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const ROOT_ID = { 'Fn::GetAtt': ['RestApi', 'RootResourceId'] };

describe('the REST API', () => {
  const config = makeConfig({ tags: { team: 'web' } });
  const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
  const resources = result.root.Resources;

  it('is a regional RestApi named after the app and stage', () => {
    expect(resources['RestApi']).toMatchObject({
      Type: 'AWS::ApiGateway::RestApi',
      Properties: { Name: 'blog-dev', EndpointConfiguration: { Types: ['REGIONAL'] }, Tags: [{ Key: 'team', Value: 'web' }] },
    });
    expect(resources['RestApi']!.Properties).not.toHaveProperty('BinaryMediaTypes');
  });

  it('builds the resource tree from the route paths, intermediate parts included', () => {
    const tree = Object.fromEntries(ofType(result, 'AWS::ApiGateway::Resource').map(([id, r]) => [id, r.Properties]));
    expect(Object.keys(tree).sort()).toEqual([
      'ApiResourceAdmin', 'ApiResourceAdminPosts', 'ApiResourceAdminStats', 'ApiResourceHealth', 'ApiResourceHello',
      'ApiResourceHelloName219f9537', 'ApiResourceLogoPng27e9bac9', 'ApiResourcePosts', 'ApiResourcePostsId',
    ]);
    expect(tree['ApiResourcePosts']).toEqual({ RestApiId: { Ref: 'RestApi' }, ParentId: ROOT_ID, PathPart: 'posts' });
    expect(tree['ApiResourcePostsId']).toEqual({ RestApiId: { Ref: 'RestApi' }, ParentId: { Ref: 'ApiResourcePosts' }, PathPart: '{id}' });
    expect(tree['ApiResourceAdminStats']).toMatchObject({ ParentId: { Ref: 'ApiResourceAdmin' }, PathPart: 'stats' });
    expect(tree['ApiResourceLogoPng27e9bac9']).toMatchObject({ PathPart: 'logo.png' });
    expect(result.stats.apiResources).toBe(9);
  });

  it('proxies every route to its function with a POST Lambda integration', () => {
    expect(resources['ApiMethodPostsIdGet']).toEqual({
      Type: 'AWS::ApiGateway::Method',
      Properties: {
        RestApiId: { Ref: 'RestApi' },
        ResourceId: { Ref: 'ApiResourcePostsId' },
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${PostsControllerFunction.Arn}/invocations' },
        },
      },
    });
    expect(resources['ApiMethodRootGet']!.Properties).toMatchObject({ ResourceId: ROOT_ID });
  });

  it('keeps ANY as ANY and takes a greedy path as {name+}', () => {
    const config = makeConfig();
    const app: AppSpec = { routes: [['ANY', '/files/*path', 'files#serve'], ['HEAD', '/files', 'files#index']] };
    const result = generateTemplates({ config, manifest: makeManifest(config, app) });
    assertAllValid(result);
    expect(result.root.Resources['ApiMethodFilesPathAny']!.Properties).toMatchObject({ HttpMethod: 'ANY', ResourceId: { Ref: 'ApiResourceFilesPath' } });
    expect(result.root.Resources['ApiResourceFilesPath']!.Properties).toMatchObject({ PathPart: '{path+}' });
    expect(result.root.Resources['ApiMethodFilesHead']!.Properties).toMatchObject({ HttpMethod: 'HEAD' });
  });

  it('lets API Gateway invoke each routed function, from this API only', () => {
    expect(resources['PostsControllerApiPermission']).toEqual({
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: { 'Fn::GetAtt': ['PostsControllerFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${RestApi}/*' },
      },
    });
    expect(resources).not.toHaveProperty('CallbackApiPermission');
  });

  it('deploys after every method and invoke permission, under an id carrying the route hash, to a stage named after the stage', () => {
    const [deploymentId, deployment] = ofType(result, 'AWS::ApiGateway::Deployment')[0]!;
    const hash = (result.root.Outputs!['RouteHash']!.Value as string);
    expect(hash).toMatch(/^[0-9a-f]{10}$/);
    expect(deploymentId).toBe(`ApiDeployment${hash}`);
    const methods = ofType(result, 'AWS::ApiGateway::Method').map(([id]) => id);
    const permissions = ofType(result, 'AWS::Lambda::Permission').filter(([, permission]) => permission.Properties.Principal === 'apigateway.amazonaws.com').map(([id]) => id);
    expect(deployment).toMatchObject({ DependsOn: [...methods, ...permissions].sort(), Properties: { RestApiId: { Ref: 'RestApi' }, Description: `sls-ts routes ${hash}` } });
    expect(deployment.Properties).not.toHaveProperty('StageName');
    expect(resources['ApiStage']).toMatchObject({
      Type: 'AWS::ApiGateway::Stage',
      Properties: { RestApiId: { Ref: 'RestApi' }, DeploymentId: { Ref: deploymentId }, StageName: 'dev' },
    });
  });
});

describe('binary media types', () => {
  it('go on the RestApi, sorted and once each', () => {
    const config = makeConfig({ binaryMediaTypes: ['image/png', 'application/pdf', 'image/png'] });
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    assertAllValid(result);
    expect(result.root.Resources['RestApi']!.Properties['BinaryMediaTypes']).toEqual(['application/pdf', 'image/png']);
  });
});

describe('CORS', () => {
  const config = makeConfig({ cors: { origins: '*', headers: ['Content-Type', 'Authorization'], methods: ['GET', 'POST'], maxAge: 300, credentials: false }, binaryMediaTypes: ['image/png'] });
  const app: AppSpec = { routes: [...SMALL_APP.routes, ['OPTIONS', '/health', 'health#preflight']] };
  const result = generateTemplates({ config, manifest: makeManifest(config, app) });
  const resources = result.root.Resources;

  it('answers preflights with a MOCK on every resource that has routes', () => {
    assertAllValid(result);
    const options = ofType(result, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS').map(([id]) => id).sort();
    // Not on /admin and /hello (no routes there); /health declares its own OPTIONS route.
    expect(options).toEqual([
      'ApiMethodAdminPostsOptions', 'ApiMethodAdminStatsOptions', 'ApiMethodHealthOptions', 'ApiMethodHelloName219f9537Options',
      'ApiMethodLogoPng27e9bac9Options', 'ApiMethodPostsIdOptions', 'ApiMethodPostsOptions', 'ApiMethodRootOptions',
    ]);
    expect(resources['ApiMethodHealthOptions']!.Properties['Integration']).toMatchObject({ Type: 'AWS_PROXY' });
  });

  it('returns 204 with the configured Access-Control headers', () => {
    const method = resources['ApiMethodPostsIdOptions']!;
    expect(method.Properties).toMatchObject({
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      ResourceId: { Ref: 'ApiResourcePostsId' },
      MethodResponses: [{
        StatusCode: '204',
        ResponseParameters: {
          'method.response.header.Access-Control-Allow-Origin': true,
          'method.response.header.Access-Control-Allow-Methods': true,
          'method.response.header.Access-Control-Allow-Headers': true,
          'method.response.header.Access-Control-Max-Age': true,
        },
      }],
      Integration: {
        Type: 'MOCK',
        RequestTemplates: { 'application/json': '{"statusCode": 204}' },
        IntegrationResponses: [{
          StatusCode: '204',
          ResponseParameters: {
            'method.response.header.Access-Control-Allow-Origin': "'*'",
            'method.response.header.Access-Control-Allow-Methods': "'GET,POST'",
            'method.response.header.Access-Control-Allow-Headers': "'Content-Type,Authorization'",
            'method.response.header.Access-Control-Max-Age': "'300'",
          },
        }],
      },
    });
    expect(Object.keys((method.Properties['MethodResponses'] as any)[0].ResponseParameters)).not.toContain('method.response.header.Access-Control-Allow-Credentials');
    expect(method.DependsOn).toBeUndefined();
  });

  it('echoes an allowed origin when there are several, and allows credentials when asked', () => {
    const config = makeConfig({ cors: { origins: ['https://a.example', 'https://b.example'], credentials: true } });
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    assertAllValid(result);
    const integration = result.root.Resources['ApiMethodPostsOptions']!.Properties['Integration'] as any;
    const response = integration.IntegrationResponses[0];
    expect(response.ResponseParameters).toMatchObject({
      'method.response.header.Access-Control-Allow-Origin': "'https://a.example'",
      'method.response.header.Access-Control-Allow-Credentials': "'true'",
      'method.response.header.Vary': "'Origin'",
    });
    expect(response.ResponseTemplates['application/json']).toContain('$origin == "https://b.example"');
    expect(response.ResponseTemplates['application/json']).toContain('$context.responseOverride.header.Access-Control-Allow-Origin');
  });

  it('changes the route hash, and so the Deployment, when CORS or binary types change', () => {
    const hashOf = (user: Parameters<typeof makeConfig>[0]) => {
      const config = makeConfig(user);
      return generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) }).root.Outputs!['RouteHash']!.Value;
    };
    const plain = hashOf({});
    expect(hashOf({ cors: true })).not.toBe(plain);
    expect(hashOf({ cors: { maxAge: 60 } })).not.toBe(hashOf({ cors: true }));
    expect(hashOf({ binaryMediaTypes: ['image/png'] })).not.toBe(plain);
    expect(hashOf({ tags: { team: 'web' }, memory: 2048 })).toBe(plain);
  });

  it('in the single layout, answers preflights on / and /{proxy+}', () => {
    const config = makeConfig({ cors: true });
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'single') });
    assertAllValid(result);
    expect(ofType(result, 'AWS::ApiGateway::Method').map(([id]) => id).sort()).toEqual(['ApiMethodProxyAny', 'ApiMethodProxyOptions', 'ApiMethodRootAny', 'ApiMethodRootOptions']);
  });
});
