// The single layout: `ANY /` and `ANY /{proxy+}` are guarded as the app is, and a route guarded
// otherwise gets a method of its own on the same function, so API Gateway guards it.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import type { MethodAuth } from '../../../src/build/types.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const ADMIN: MethodAuth = { type: 'lambda', authorizer: 'admin' };
const AUTHORIZERS: AppSpec['authorizers'] = [{ type: 'token', name: 'admin' }];

function single(app: AppSpec, cors = false, split?: 'always'): GeneratedTemplates {
  const config = makeConfig({ layout: 'single', cors });
  return generateTemplates({ config, manifest: makeManifest(config, app, 'single'), ...(split ? { split } : {}) });
}

const methods = (result: GeneratedTemplates) => Object.fromEntries(ofType(result, 'AWS::ApiGateway::Method').map(([id, m]) => [id, m.Properties]));

describe('an app guarded as a whole (config auth)', () => {
  const app: AppSpec = {
    routes: [
      ['GET', '/', 'home#index', { auth: ADMIN }],
      ['GET', '/posts', 'posts#index', { auth: ADMIN }],
      ['GET', '/posts/:id', 'posts#show', { auth: ADMIN }],
      ['GET', '/health', 'health#show'],
      ['POST', '/hooks/stripe', 'hooks#stripe', { apiKey: true }],
    ],
    authorizers: AUTHORIZERS,
    defaultAuth: ADMIN,
  };
  const result = single(app, true);
  const all = methods(result);

  it('is valid', () => {
    assertAllValid(result);
  });

  it('guards the catch-all methods, which keep their ids', () => {
    expect(all['ApiMethodRootAny']).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'ApiAdminAuthorizer' } });
    expect(all['ApiMethodProxyAny']).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'ApiAdminAuthorizer' } });
  });

  it('gives a public route and a keyed route methods of their own, on the single function', () => {
    expect(all['ApiMethodHealthGet']).toMatchObject({ AuthorizationType: 'NONE', Integration: { Uri: { 'Fn::Sub': expect.stringContaining('${ControllerFunction.Arn}') } } });
    expect(all['ApiMethodHealthGet']).not.toHaveProperty('AuthorizerId');
    expect(all['ApiMethodHooksStripePost']).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: true });
    expect(ofType(result, 'AWS::ApiGateway::Resource').map(([id]) => id).sort()).toEqual(['ApiResourceHealth', 'ApiResourceHooks', 'ApiResourceHooksStripe', 'ApiResourceProxy']);
  });

  it('adds nothing for routes guarded as the app is: the catch-all serves them', () => {
    expect(Object.keys(all).filter((id) => !id.endsWith('Options')).sort()).toEqual(['ApiMethodHealthGet', 'ApiMethodHooksStripePost', 'ApiMethodProxyAny', 'ApiMethodRootAny']);
  });

  it('answers preflights without a guard, on the catch-all and on the routes\' own paths', () => {
    const preflights = Object.entries(all).filter(([id]) => id.endsWith('Options'));
    expect(preflights.map(([id]) => id).sort()).toEqual(['ApiMethodHealthOptions', 'ApiMethodHooksStripeOptions', 'ApiMethodProxyOptions', 'ApiMethodRootOptions']);
    for (const [id, preflight] of preflights) {
      expect(preflight['AuthorizationType'], id).toBe('NONE');
      expect(preflight, id).not.toHaveProperty('ApiKeyRequired');
    }
  });

  it('keeps the API of a single-layout app without auth exactly as it was', () => {
    const plain = single(SMALL_APP);
    expect(Object.keys(methods(plain)).sort()).toEqual(['ApiMethodProxyAny', 'ApiMethodRootAny']);
    expect(methods(plain)['ApiMethodProxyAny']).not.toHaveProperty('AuthorizerId');
  });
});

describe('a public app with a few guarded routes', () => {
  it('guards only those, leaving the catch-all public', () => {
    const result = single({ routes: [['GET', '/', 'home#index'], ['GET', '/admin/stats', 'admin/stats#index', { auth: ADMIN }], ['GET', '/posts', 'posts#index']], authorizers: AUTHORIZERS });
    assertAllValid(result);
    const all = methods(result);
    expect(all['ApiMethodProxyAny']!['AuthorizationType']).toBe('NONE');
    expect(all['ApiMethodAdminStatsGet']).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'ApiAdminAuthorizer' } });
    expect(Object.keys(all).sort()).toEqual(['ApiMethodAdminStatsGet', 'ApiMethodProxyAny', 'ApiMethodRootAny']);
  });

  it('gives a public route its own method too when a guarded one\'s path would take its requests', () => {
    // API Gateway would send GET /posts/new to /posts/{id} (the only resource there), guarded;
    // the router in the Lambda sends it to posts#new, public. Its own method keeps it public.
    const result = single({ routes: [['GET', '/posts/new', 'posts#new'], ['GET', '/posts/:id', 'posts#show', { auth: ADMIN }], ['POST', '/posts/drafts', 'posts#draft']], authorizers: AUTHORIZERS });
    assertAllValid(result);
    const all = methods(result);
    expect(all['ApiMethodPostsNewGet']).toMatchObject({ AuthorizationType: 'NONE' });
    expect(all['ApiMethodPostsIdGet']).toMatchObject({ AuthorizationType: 'CUSTOM' });
    // Another verb is not taken: API Gateway falls back to the catch-all for it.
    expect(all).not.toHaveProperty('ApiMethodPostsDraftsPost');
  });

  it('refuses a guarded route whose first path part is a variable: it cannot sit beside /{proxy+}', () => {
    expect(() => single({ routes: [['GET', '/:slug', 'pages#show', { auth: ADMIN }]], authorizers: AUTHORIZERS }))
      .toThrowError(/GET \/:slug needs a method of its own in the single layout .* API Gateway allows one variable path part per level/);
  });

  it('refuses a guarded ANY route on / or /{proxy+}: the app\'s own catch-all is that method', () => {
    expect(() => single({ routes: [['ANY', '/*proxy', 'pages#any', { auth: ADMIN }]], authorizers: AUTHORIZERS }))
      .toThrowError(/ANY \/\*proxy is guarded unlike the rest of the app, but in the single layout the app's own ANY \/\{proxy\+\} method/);
  });
});

describe('nested stacks', () => {
  it('place the extra methods with their paths, getting the authorizer and the function through parameters', () => {
    const result = single({ routes: [['GET', '/', 'home#index'], ['GET', '/admin/stats', 'admin/stats#index', { auth: ADMIN }]], authorizers: AUTHORIZERS }, true, 'always');
    assertAllValid(result);
    const stats = allResources(result).get('ApiMethodAdminStatsGet')!;
    expect(stats.template).toBe('ApiAdminStack');
    const child = result.children.find((c) => c.logicalId === 'ApiAdminStack')!;
    expect(Object.keys(child.template.Parameters ?? {})).toEqual(expect.arrayContaining(['ApiAdminAuthorizer', 'ControllerFunctionArn']));
  });
});
