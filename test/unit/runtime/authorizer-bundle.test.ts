// The Authorizer class ships only in authorizer functions: a controller bundle reads request.auth
// and nothing else of it (bench:runtime measures that bundle's size; this keeps it honest).
import { describe, expect, it } from 'vitest';
import { bundleRuntime as bundle, runtimeIndex } from '../../support/runtime-bundle.js';

describe('what an authorizer adds to bundles', () => {
  it('leaves controller bundles with request.auth only', async () => {
    const code = await bundle(`
      import { Controller, createRouteHandler, routeTable } from ${JSON.stringify(runtimeIndex)};
      class WhoController extends Controller { show() { return this.json({ who: this.request.auth?.principalId ?? null }); } }
      export const handler = createRouteHandler({ routes: routeTable([{ method: 'GET', path: '/who', resource: '/who', target: { controller: 'who', action: 'show' } }]), controllers: { who: WhoController } });
    `);
    expect(code).toContain('integrationLatency');
    expect(code).not.toMatch(/execute-api|2012-10-17|Unauthorized/);
  });

  it('gives authorizer bundles the policy builder', async () => {
    const code = await bundle(`
      import { Authorizer, createAuthorizerHandler } from ${JSON.stringify(runtimeIndex)};
      class AdminAuthorizer extends Authorizer { authorize() { return this.allow('admin'); } }
      export const handler = createAuthorizerHandler(AdminAuthorizer, 'admin');
    `);
    expect(code).toContain('execute-api:Invoke');
    expect(code).not.toMatch(/rescueFrom|routeTable/);
  });
});
