// `api: 'http'`: an API Gateway v2 HTTP API instead of the REST API — the Api with CORS on it, a
// `$default` stage deploying itself, one payload-2.0 integration per function, a route per route,
// JWT and Lambda authorizers, permissions, outputs and the custom domain; in one template and
// split into nested stacks, valid against the resource specification.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import type { BuildManifest } from '../../../src/build/types.js';
import type { ResolvedConfig, UserConfig } from '../../../src/config/types.js';
import { SlsError } from '../../../src/shared/errors.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, largeApp, makeConfig, makeManifest, ofType, SMALL_APP } from './fixtures.js';
import { guardedManifest, HTTP_USER, POOL } from './http-api-fixtures.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';

beforeAll(() => preloadResourceSpec(), 30_000);

function generate(user: Partial<UserConfig>, options: { split?: 'always'; guarded?: boolean } = {}): GeneratedTemplates {
  const config = makeConfig(user);
  const manifest = options.guarded === false ? makeManifest(config, SMALL_APP) : guardedManifest(config);
  const result = generateTemplates({ config, manifest, ...(options.split ? { split: options.split } : {}) });
  assertAllValid(result);
  return result;
}

const byId = (result: GeneratedTemplates, id: string) => allResources(result).get(id)?.resource;
const routesOf = (result: GeneratedTemplates) => new Map(ofType(result, 'AWS::ApiGatewayV2::Route').map(([, route]) => [route.Properties.RouteKey as string, route.Properties]));

describe("api: 'http' in one template", () => {
  const result = generate(HTTP_USER);

  it('makes an HTTP API instead of the REST API, with CORS configured on it and no preflight routes', () => {
    expect(ofType(result, 'AWS::ApiGateway::RestApi')).toEqual([]);
    expect(ofType(result, 'AWS::ApiGateway::Method')).toEqual([]);
    expect(ofType(result, 'AWS::ApiGateway::Deployment')).toEqual([]);
    expect(byId(result, 'HttpApi')).toEqual({
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: {
        Name: 'blog-dev', Description: 'blog (dev), deployed by sls-ts', ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: ['https://app.example.com', 'https://admin.example.com'], AllowMethods: expect.arrayContaining(['GET', 'POST']),
          AllowHeaders: expect.arrayContaining(['Content-Type']), AllowCredentials: true, MaxAge: expect.any(Number),
        },
        Tags: { team: 'web' },
      },
    });
    expect([...routesOf(result).keys()].some((key) => key.startsWith('OPTIONS'))).toBe(false);
  });

  it('deploys a $default stage by itself, with access logs, throttle and metrics on every route', () => {
    expect(byId(result, 'HttpApiStage')!.Properties).toEqual({
      ApiId: { Ref: 'HttpApi' }, StageName: '$default', Description: 'blog dev', AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${ApiStageAccessLogs}' }, Format: expect.stringContaining('$context.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, DetailedMetricsEnabled: true },
      Tags: { team: 'web' },
    });
    expect(byId(result, 'ApiStageAccessLogs')!.Type).toBe('AWS::Logs::LogGroup');
  });

  it('routes every route key to its function through one payload 2.0 proxy integration per function', () => {
    const routes = routesOf(result);
    expect([...routes.keys()].sort()).toEqual([
      'DELETE /admin/posts', 'DELETE /posts/{id}', 'GET /', 'GET /admin/stats', 'GET /health', 'GET /hello/{name}', 'GET /logo.png',
      'GET /posts', 'GET /posts/{id}', 'PATCH /posts/{id}', 'POST /posts', 'PUT /posts/{id}',
    ]);
    const integrations = ofType(result, 'AWS::ApiGatewayV2::Integration');
    expect(integrations.map(([id]) => id).sort()).toEqual(['AdminStatsControllerHttpIntegration', 'HealthControllerHttpIntegration', 'HelloHttpIntegration', 'HomeControllerHttpIntegration', 'ImagesControllerHttpIntegration', 'PostsControllerHttpIntegration']);
    expect(byId(result, 'PostsControllerHttpIntegration')!.Properties).toEqual({
      ApiId: { Ref: 'HttpApi' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['PostsControllerFunction', 'Arn'] }, PayloadFormatVersion: '2.0',
    });
    expect(routes.get('GET /posts/{id}')).toEqual({ ApiId: { Ref: 'HttpApi' }, RouteKey: 'GET /posts/{id}', Target: { 'Fn::Sub': 'integrations/${PostsControllerHttpIntegration}' }, AuthorizationType: 'NONE' });
    expect(byId(result, 'HttpRoutePostsIdGet')!.Properties['RouteKey']).toBe('GET /posts/{id}');
  });

  it('lets API Gateway invoke each routed function from this API only', () => {
    expect(byId(result, 'PostsControllerApiPermission')!.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': ['PostsControllerFunction', 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*' },
    });
    // Jobs and plain functions API Gateway never calls get none.
    expect(byId(result, 'CleanupJobApiPermission')).toBeUndefined();
  });

  it('guards routes with a JWT authorizer for Cognito, a REQUEST authorizer (payload 1.0, IAM policy answers) for the Lambda one, and AWS_IAM', () => {
    expect(byId(result, 'HttpAuthorizerUsers')!.Properties).toEqual({
      ApiId: { Ref: 'HttpApi' }, Name: 'users', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123', Audience: ['client-one'] },
    });
    expect(byId(result, 'HttpAuthorizerAdmin')!.Properties).toEqual({
      ApiId: { Ref: 'HttpApi' }, Name: 'admin', AuthorizerType: 'REQUEST',
      AuthorizerUri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AdminAuthorizerFunction.Arn}/invocations' },
      AuthorizerPayloadFormatVersion: '1.0', IdentitySource: ['$request.header.Authorization'], AuthorizerResultTtlInSeconds: 300,
    });
    expect(byId(result, 'AdminAuthorizerHttpPermission')!.Properties['SourceArn']).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/authorizers/*' });
    const routes = routesOf(result);
    expect(routes.get('GET /admin/stats')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'HttpAuthorizerAdmin' } });
    expect(routes.get('POST /posts')).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: 'HttpAuthorizerUsers' }, AuthorizationScopes: ['posts/write'] });
    expect(routes.get('GET /hello/{name}')).toEqual(expect.objectContaining({ AuthorizationType: 'AWS_IAM' }));
    expect(routes.get('GET /hello/{name}')).not.toHaveProperty('AuthorizerId');
  });

  it('says that a TOKEN authorizer is called as a REQUEST one, without its validation regex', () => {
    expect(result.warnings).toContainEqual(expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^authorizer admin .* is a TOKEN authorizer, which HTTP APIs do not have: .*, and its validation regex is not used$/) }));
  });

  it("gives `url` the API's endpoint, and no REST outputs for the deploy to check", () => {
    expect(result.root.Outputs!['ApiUrl']!.Value).toEqual({ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] });
    expect(result.root.Outputs!['HttpApiId']!.Value).toEqual({ Ref: 'HttpApi' });
    expect(result.root.Outputs!['StageName']!.Value).toEqual({ Ref: 'HttpApiStage' });
    expect(result.root.Outputs).not.toHaveProperty('RestApiId');
    expect(result.root.Outputs).not.toHaveProperty('RouteHash');
  });
});

describe("api: 'http' variants", () => {
  it('leaves CORS and the stage settings out when not set', () => {
    const result = generate({ api: 'http' }, { guarded: false });
    expect(byId(result, 'HttpApi')!.Properties).not.toHaveProperty('CorsConfiguration');
    expect(Object.keys(byId(result, 'HttpApiStage')!.Properties).sort()).toEqual(['ApiId', 'AutoDeploy', 'Description', 'StageName']);
    expect(ofType(result, 'AWS::ApiGatewayV2::Authorizer')).toEqual([]);
  });

  it("serves the single layout through $default under the app's guard, with a route of its own for each route guarded otherwise", () => {
    const config = makeConfig({ ...HTTP_USER, layout: 'single' });
    const manifest = guardedManifest(config, 'single');
    manifest.defaultAuth = { type: 'cognito', authorizer: 'users' };
    for (const route of manifest.functions.find((fn) => fn.kind === 'single')!.routes) if (route.auth === undefined) route.auth = { type: 'cognito', authorizer: 'users' };
    const result = generateTemplates({ config, manifest });
    assertAllValid(result);
    const routes = routesOf(result);
    expect(routes.get('$default')).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: 'HttpAuthorizerUsers' }, Target: { 'Fn::Sub': 'integrations/${ControllerHttpIntegration}' } });
    expect(byId(result, 'HttpApiDefaultRoute')!.Properties['RouteKey']).toBe('$default');
    // Routes guarded like the app ride on $default; the others get their own route.
    expect([...routes.keys()].sort()).toEqual(['$default', 'DELETE /admin/posts', 'DELETE /posts/{id}', 'GET /admin/stats', 'GET /hello/{name}', 'PATCH /posts/{id}', 'POST /posts', 'PUT /posts/{id}']);
    expect(routes.get('GET /admin/stats')).toMatchObject({ AuthorizationType: 'CUSTOM' });
  });

  it("warns about a routed function that may outlive the HTTP API's 30 s (503), not REST's 29 s", () => {
    const config = makeConfig({ api: 'http' });
    const manifest = makeManifest(config, SMALL_APP);
    for (const fn of manifest.functions) if (fn.key === 'health-controller') fn.timeout = 31;
    for (const fn of manifest.functions) if (fn.key === 'posts-controller') fn.timeout = 30;
    const warnings = generateTemplates({ config, manifest }).warnings.filter((d) => /may run/.test(d.text));
    expect(warnings.map((d) => d.text)).toEqual(['HealthController (blog-dev-health-controller) may run 31 s, but API Gateway answers its routes (GET /health) with 503 after 30 s']);
  });

  it('calls the live alias of a function with provisioned concurrency', () => {
    const result = generate({ ...HTTP_USER, controllers: { posts: { provisionedConcurrency: 2 } } });
    expect(byId(result, 'PostsControllerHttpIntegration')!.Properties['IntegrationUri']).toEqual({ Ref: 'PostsControllerLiveAlias' });
    expect(byId(result, 'PostsControllerApiPermission')!.Properties['FunctionName']).toEqual({ Ref: 'PostsControllerLiveAlias' });
  });

  it('maps a custom domain with API Gateway v2 resources and points the records and outputs at it', () => {
    const result = generate({ ...HTTP_USER, domain: { name: 'api.example.com', certificateArn: CERT, hostedZone: 'example.com.', basePath: 'v1' } });
    expect(byId(result, 'ApiDomainName')).toBeUndefined();
    expect(byId(result, 'HttpApiDomainName')!.Properties).toEqual({
      DomainName: 'api.example.com', DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }], Tags: { team: 'web' },
    });
    expect(byId(result, 'HttpApiDomainMapping')!.Properties).toEqual({ DomainName: { Ref: 'HttpApiDomainName' }, ApiId: { Ref: 'HttpApi' }, Stage: { Ref: 'HttpApiStage' }, ApiMappingKey: 'v1' });
    expect(byId(result, 'ApiDomainRecordA')!.Properties['AliasTarget']).toEqual({ DNSName: { 'Fn::GetAtt': ['HttpApiDomainName', 'RegionalDomainName'] }, HostedZoneId: { 'Fn::GetAtt': ['HttpApiDomainName', 'RegionalHostedZoneId'] } });
    expect(result.root.Outputs!['DomainUrl']!.Value).toBe('https://api.example.com/v1');
    expect(result.root.Outputs!['DomainTarget']!.Value).toEqual({ 'Fn::GetAtt': ['HttpApiDomainName', 'RegionalDomainName'] });
  });

  it('splits into nested stacks: routes with their path, integrations and permissions with their function, the API in the root', () => {
    const result = generate(HTTP_USER, { split: 'always' });
    const all = allResources(result);
    expect(all.get('HttpApi')!.template).toBe('root');
    expect(all.get('HttpAuthorizerAdmin')!.template).toBe('root');
    expect(all.get('PostsControllerHttpIntegration')!.template).toBe(all.get('PostsControllerFunction')!.template);
    expect(all.get('PostsControllerHttpIntegration')!.template).not.toBe('root');
    expect(all.get('HttpRoutePostsIdGet')!.template).toBe('ApiPostsStack');
    expect(all.get('AdminAuthorizerHttpPermission')!.template).toBe(all.get('AdminAuthorizerFunction')!.template);
  });
});

describe("api: 'http' refuses what an HTTP API cannot do", () => {
  const attempt = (config: ResolvedConfig, manifest: BuildManifest) => {
    try {
      generateTemplates({ config, manifest });
    } catch (error) {
      expect(error).toBeInstanceOf(SlsError);
      return (error as SlsError).message;
    }
    throw new Error('expected an SlsError');
  };

  it('a route requiring an API key, naming the route', () => {
    const config = makeConfig({ api: 'http' });
    const manifest = makeManifest(config, SMALL_APP);
    manifest.functions.find((fn) => fn.key === 'posts-controller')!.routes[0]!.apiKey = true;
    expect(attempt(config, manifest)).toMatch(/GET \/posts → posts#index: apiKey is not available with api: 'http'/);
  });

  it("a Cognito authorizer without an audience (a config built by hand), naming the config path", () => {
    const config = makeConfig({ ...HTTP_USER, authorizers: { users: { type: 'cognito', userPoolArns: [POOL] } } });
    expect(attempt(config, guardedManifest(config))).toMatch(/^authorizers\.users\.audience: is required with api: 'http'/);
  });

  it('more than 300 integrations (a quota API Gateway does not raise); more than 300 routes is a warning', () => {
    const config = makeConfig({ api: 'http', layout: 'action' });
    expect(attempt(config, makeManifest(config, largeApp(34), 'action'))).toMatch(/^the HTTP API needs 306 integrations .* allows 300 per HTTP API/);
    const controllers = makeConfig({ api: 'http' });
    const result = generateTemplates({ config: controllers, manifest: makeManifest(controllers, largeApp(31)) });
    expect(result.warnings).toContainEqual(expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^the HTTP API has 310 routes; API Gateway allows 300/) }));
  });

  it('a route naming an authorizer nobody declared', () => {
    const config = makeConfig(HTTP_USER);
    const manifest = guardedManifest(config);
    manifest.functions.find((fn) => fn.key === 'health-controller')!.routes[0]!.auth = { type: 'lambda', authorizer: 'nobody' };
    // The same check as REST's (authorizers.ts), before any HTTP API resource is made.
    expect(attempt(config, manifest)).toMatch(/GET \/health → health#show is guarded by authorizer nobody, which the app does not have/);
  });

  it('an identity source that is no header, query string, stage variable or context expression', () => {
    const config = makeConfig(HTTP_USER);
    const manifest = guardedManifest(config);
    manifest.authorizers![0] = { ...manifest.authorizers![0]!, identitySource: 'request.header.Authorization' } as never;
    expect(attempt(config, manifest)).toMatch(/identity source "request\.header\.Authorization" is not a header/);
  });
});
