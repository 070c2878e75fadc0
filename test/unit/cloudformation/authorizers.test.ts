// Authorizers on the REST API: the Authorizer resources, the permission letting API Gateway call a
// Lambda one, how each method is guarded, and that every change to a guard reaches the stage.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import type { UserConfig } from '../../../src/config/types.js';
import { SlsError } from '../../../src/shared/errors.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, AUTHORIZERS, GUARDED_APP, makeConfig, makeManifest, ofType, USER_POOL_ARN, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const POOL = USER_POOL_ARN;

function generate(app: AppSpec, user: Partial<UserConfig> = {}, split?: 'always'): GeneratedTemplates {
  const config = makeConfig(user);
  return generateTemplates({ config, manifest: makeManifest(config, app), ...(split ? { split } : {}) });
}

const resource = (result: GeneratedTemplates, id: string) => allResources(result).get(id)?.resource;
const hashOf = (result: GeneratedTemplates) => result.root.Outputs!['RouteHash']!.Value;

describe('authorizer resources', () => {
  const result = generate(GUARDED_APP, { cors: true });

  it('are valid against the resource specification', () => {
    assertAllValid(result);
  });

  it('a TOKEN authorizer calls its function, with its header, cache TTL and validation regex', () => {
    expect(resource(result, 'ApiAdminAuthorizer')).toEqual({
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        Name: 'admin',
        RestApiId: { Ref: 'RestApi' },
        Type: 'TOKEN',
        AuthorizerResultTtlInSeconds: 60,
        AuthorizerUri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AdminAuthorizerFunction.Arn}/invocations' },
        IdentitySource: 'method.request.header.Authorization',
        IdentityValidationExpression: '^Bearer [-0-9a-zA-Z._]+$',
      },
    });
  });

  it('a REQUEST authorizer joins its identity sources with commas, and a TTL of 0 turns its cache off', () => {
    expect(resource(result, 'ApiPartnerAuthorizer')?.Properties).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.X-Partner,method.request.querystring.tenant',
      AuthorizerResultTtlInSeconds: 0,
      AuthorizerUri: { 'Fn::Sub': expect.stringContaining('${PartnerAuthorizerFunction.Arn}') },
    });
    expect(resource(result, 'ApiPartnerAuthorizer')?.Properties).not.toHaveProperty('IdentityValidationExpression');
  });

  it('a Cognito authorizer names its user pools and has no function nor permission', () => {
    expect(resource(result, 'ApiUsersAuthorizer')?.Properties).toEqual({
      Name: 'users', RestApiId: { Ref: 'RestApi' }, Type: 'COGNITO_USER_POOLS', AuthorizerResultTtlInSeconds: 300,
      ProviderARNs: [POOL], IdentitySource: 'method.request.header.Authorization',
    });
    expect(resource(result, 'ApiUsersAuthorizerPermission')).toBeUndefined();
  });

  it('lets API Gateway invoke each Lambda authorizer, from this API\'s authorizers only', () => {
    const permissions = ofType(result, 'AWS::Lambda::Permission').filter(([id]) => id.endsWith('AuthorizerPermission'));
    expect(permissions.map(([id]) => id).sort()).toEqual(['ApiAdminAuthorizerPermission', 'ApiPartnerAuthorizerPermission']);
    expect(resource(result, 'ApiAdminAuthorizerPermission')?.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': ['AdminAuthorizerFunction', 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${RestApi}/authorizers/*' },
    });
    // The stage switches to a new Deployment at once: it must not name an authorizer API Gateway may not call yet.
    const [, deployment] = ofType(result, 'AWS::ApiGateway::Deployment')[0]!;
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(['ApiAdminAuthorizerPermission', 'ApiPartnerAuthorizerPermission']));
  });

  it('calls the live alias of an authorizer with provisioned concurrency, and lets API Gateway invoke that alias', () => {
    const warm = generate({ routes: [['GET', '/admin', 'admin#index', { auth: { type: 'lambda', authorizer: 'admin' } }]], authorizers: [AUTHORIZERS[0]!] }, { provisionedConcurrency: 2 });
    assertAllValid(warm);
    expect(resource(warm, 'ApiAdminAuthorizer')?.Properties['AuthorizerUri']).toEqual({ 'Fn::Sub': expect.stringContaining('${AdminAuthorizerLiveAlias}') });
    expect(resource(warm, 'ApiAdminAuthorizerPermission')?.Properties['FunctionName']).toEqual({ Ref: 'AdminAuthorizerLiveAlias' });
  });

  it('deploys an authorizer no route uses yet (so dropping its last use never deletes and re-creates it)', () => {
    const unused = generate({ routes: [['GET', '/', 'home#index']], authorizers: AUTHORIZERS });
    assertAllValid(unused);
    expect(ofType(unused, 'AWS::ApiGateway::Authorizer').map(([id]) => id).sort()).toEqual(['ApiAdminAuthorizer', 'ApiPartnerAuthorizer', 'ApiUsersAuthorizer']);
  });
});

describe('methods', () => {
  const result = generate(GUARDED_APP, { cors: true });
  const method = (id: string) => resource(result, id)?.Properties;

  it('a Lambda authorizer\'s routes are CUSTOM and name it', () => {
    expect(method('ApiMethodAdminStatsGet')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'ApiAdminAuthorizer' } });
    expect(method('ApiMethodPartnersGet')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'ApiPartnerAuthorizer' } });
  });

  it('a Cognito authorizer\'s routes are COGNITO_USER_POOLS, with the scopes a route asks for', () => {
    expect(method('ApiMethodPostsPost')).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: 'ApiUsersAuthorizer' }, AuthorizationScopes: ['posts/write'] });
    expect(method('ApiMethodPostsIdGet')).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: 'ApiUsersAuthorizer' } });
    expect(method('ApiMethodPostsIdGet')).not.toHaveProperty('AuthorizationScopes');
  });

  it('\'iam\' is AWS_IAM, with no authorizer', () => {
    expect(method('ApiMethodInternalGet')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
    expect(method('ApiMethodInternalGet')).not.toHaveProperty('AuthorizerId');
  });

  it('routes that want an API key require one, guarded or not', () => {
    expect(method('ApiMethodAdminPostsDelete')).toMatchObject({ AuthorizationType: 'CUSTOM', ApiKeyRequired: true });
    expect(method('ApiMethodFeedGet')).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: true });
    expect(method('ApiMethodAdminStatsGet')).not.toHaveProperty('ApiKeyRequired');
  });

  it('public routes stay NONE with nothing else, exactly as before authorizers existed', () => {
    const props = method('ApiMethodPostsGet')!;
    expect(props['AuthorizationType']).toBe('NONE');
    for (const key of ['AuthorizerId', 'AuthorizationScopes', 'ApiKeyRequired']) expect(props).not.toHaveProperty(key);
  });

  it('CORS preflights stay NONE and never want a key, even where every route is guarded (Jets bug #465)', () => {
    const preflights = ofType(result, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod === 'OPTIONS');
    expect(preflights.map(([id]) => id)).toEqual(expect.arrayContaining(['ApiMethodAdminStatsOptions', 'ApiMethodAdminPostsOptions', 'ApiMethodFeedOptions', 'ApiMethodInternalOptions']));
    for (const [id, preflight] of preflights) {
      expect(preflight.Properties.Integration.Type, id).toBe('MOCK');
      expect(preflight.Properties.AuthorizationType, id).toBe('NONE');
      expect(preflight.Properties, id).not.toHaveProperty('AuthorizerId');
      expect(preflight.Properties, id).not.toHaveProperty('ApiKeyRequired');
    }
  });

  it('with CORS on, API Gateway\'s own 401/403 answers carry the CORS headers, so a browser sees them', () => {
    expect(ofType(result, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties.ResponseType).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    const [, deployment] = ofType(result, 'AWS::ApiGateway::Deployment')[0]!;
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(['GatewayResponseDefault4XX', 'GatewayResponseDefault5XX']));
  });
});

describe('the deployment reaches the stage with every change to a guard', () => {
  const withRoute = (guard: NonNullable<AppSpec['routes'][number][3]>, authorizers = AUTHORIZERS): AppSpec => ({ routes: [['GET', '/', 'home#index'], ['GET', '/admin', 'admin#index', guard]], authorizers });
  const base = hashOf(generate(withRoute({ auth: { type: 'lambda', authorizer: 'admin' } })));

  it('another authorizer, another kind of guard, scopes, an API key or none at all', () => {
    const others = [
      { auth: { type: 'lambda' as const, authorizer: 'partner' } },
      { auth: { type: 'cognito' as const, authorizer: 'users' } },
      { auth: { type: 'cognito' as const, authorizer: 'users', scopes: ['admin'] } },
      { auth: { type: 'iam' as const } },
      { auth: { type: 'lambda' as const, authorizer: 'admin' }, apiKey: true },
      {},
    ].map((guard) => hashOf(generate(withRoute(guard))));
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('an authorizer\'s own settings (TTL, identity source, validation)', () => {
    const changed = [
      { ...AUTHORIZERS[0]!, ttl: 0 },
      { ...AUTHORIZERS[0]!, identitySource: 'method.request.header.X-Token' },
      { type: 'token' as const, name: 'admin' },
    ].map((admin) => hashOf(generate(withRoute({ auth: { type: 'lambda', authorizer: 'admin' } }, [admin, ...AUTHORIZERS.slice(1)]))));
    for (const hash of changed) expect(hash).not.toBe(base);
  });

  it('the name of an authorizer\'s function (an app renamed behind the same logical ids)', () => {
    const config = makeConfig({});
    const manifest = makeManifest(config, withRoute({ auth: { type: 'lambda', authorizer: 'admin' } }));
    const renamed = { ...manifest, functions: manifest.functions.map((fn) => (fn.kind === 'authorizer' && fn.authorizer === 'admin' ? { ...fn, functionName: 'journal-dev-admin-authorizer' } : fn)) };
    expect(hashOf(generateTemplates({ config, manifest: renamed }))).not.toBe(hashOf(generateTemplates({ config, manifest })));
  });

  it('and stays the same when nothing changed', () => {
    expect(hashOf(generate(withRoute({ auth: { type: 'lambda', authorizer: 'admin' } })))).toBe(base);
  });
});

describe('nested stacks', () => {
  const nested = generate(GUARDED_APP, { cors: true }, 'always');
  const where = allResources(nested);

  it('are valid, each child with the parameters its stack passes', () => {
    expect(nested.children.length).toBeGreaterThan(3);
    assertAllValid(nested);
  });

  it('keep the authorizers in the root, next to the RestApi, calling a function of a child through its output', () => {
    for (const id of ['ApiAdminAuthorizer', 'ApiPartnerAuthorizer', 'ApiUsersAuthorizer']) expect(where.get(id)?.template, id).toBe('root');
    const uri = nested.root.Resources['ApiAdminAuthorizer']!.Properties['AuthorizerUri'] as { 'Fn::Sub': [string, Record<string, unknown>] };
    expect(uri['Fn::Sub'][1]).toEqual({ AdminAuthorizerFunctionArn: { 'Fn::GetAtt': ['AdminAuthorizerStack', 'Outputs.AdminAuthorizerFunctionArn'] } });
  });

  it('give methods in a child the authorizer\'s id through a parameter, as they get function ARNs', () => {
    const stats = where.get('ApiMethodAdminStatsGet')!;
    expect(stats.template).toBe('ApiAdminStack');
    expect(stats.resource.Properties.AuthorizerId).toEqual({ Ref: 'ApiAdminAuthorizer' });
    const child = nested.children.find((c) => c.logicalId === 'ApiAdminStack')!;
    expect(child.template.Parameters).toHaveProperty('ApiAdminAuthorizer');
    expect(nested.root.Resources['ApiAdminStack']!.Properties['Parameters']).toMatchObject({ ApiAdminAuthorizer: { Ref: 'ApiAdminAuthorizer' } });
  });

  it('keep a Lambda authorizer\'s permission with its function, and the Deployment waits for that stack', () => {
    expect(where.get('ApiAdminAuthorizerPermission')?.template).toBe('AdminAuthorizerStack');
    const [, deployment] = ofType(nested, 'AWS::ApiGateway::Deployment')[0]!;
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(['AdminAuthorizerStack', 'PartnerAuthorizerStack']));
  });
});

describe('a route guarded by an authorizer the app does not have', () => {
  it('fails the build naming the route and the authorizers there are', () => {
    const stale: AppSpec = { routes: [['GET', '/admin', 'admin#index', { auth: { type: 'lambda', authorizer: 'staff' } }]], authorizers: AUTHORIZERS };
    expect(() => generate(stale)).toThrowError(SlsError);
    expect(() => generate(stale)).toThrowError(/GET \/admin → admin#index is guarded by authorizer staff, which the app does not have \(its authorizers: admin, partner, users\)/);
  });

  it('fails the build on settings API Gateway refuses: a TTL past an hour, a cached REQUEST authorizer without identity sources', () => {
    const app = (fixture: NonNullable<AppSpec['authorizers']>[number]): AppSpec => ({ routes: [['GET', '/', 'home#index']], authorizers: [fixture] });
    expect(() => generate(app({ type: 'token', name: 'admin', ttl: 3601 }))).toThrowError(/authorizer admin \(app\/authorizers\/admin-authorizer.ts\): ttl 3601 is not a whole number of seconds from 0 to 3600/);
    expect(() => generate(app({ type: 'request', name: 'partner', identitySources: [], ttl: 300 }))).toThrowError(/a REQUEST authorizer cached for 300 s needs at least one identity source/);
    const uncached = generate(app({ type: 'request', name: 'partner', identitySources: [], ttl: 0 }));
    assertAllValid(uncached);
    expect(resource(uncached, 'ApiPartnerAuthorizer')?.Properties).not.toHaveProperty('IdentitySource');
  });

  it('fails the build when a route uses a Cognito authorizer as a Lambda one', () => {
    const wrong: AppSpec = { routes: [['GET', '/admin', 'admin#index', { auth: { type: 'lambda', authorizer: 'users' } }]], authorizers: AUTHORIZERS };
    expect(() => generate(wrong)).toThrowError(/uses authorizer users as a Lambda authorizer, but it is a Cognito one/);
  });
});
