// `.authorizedAs()`: unit tests of controllers reach a guarded action as a given caller without
// running any authorizer; the function sees requestContext.authorizer as API Gateway fills it
// (REST: context values as strings, reference item 30; Cognito: `claims`).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Controller, defineRoutes } from '../../../src/runtime/index.js';
import { loadApp, request, type TestApp } from '../../../src/testing/index.js';
import AdminAuthorizer from '../../fixtures/apps/guarded/app/authorizers/admin-authorizer.js';
import { fixture } from '../build/support.js';

let app: TestApp;
beforeAll(async () => {
  app = await loadApp(fixture('guarded'));
}, 60_000);
afterEach(() => vi.restoreAllMocks());

describe('authorizedAs', () => {
  it('skips the route\'s authorizer: no token needed, the controller reads the caller', async () => {
    const runs = vi.spyOn(AdminAuthorizer.prototype, 'authorize');
    const response = await request(app).get('/admin/users').authorizedAs({ principalId: 'ada', context: { role: 'admin', level: 3 } });
    expect(response.status).toBe(200);
    expect(response.body.auth).toEqual({ principalId: 'ada', context: { role: 'admin', level: '3' } });
    expect(runs).not.toHaveBeenCalled();
  });

  it('as a client option, for every request; a Cognito caller by its claims', async () => {
    const api = request(app, { authorizedAs: { claims: { sub: 'user-1', email: 'ada@example.com' } } });
    const profile = await api.get('/profile');
    expect(profile.status).toBe(200);
    expect(profile.body.auth.claims).toEqual({ sub: 'user-1', email: 'ada@example.com' });
    expect((await api.get('/ping')).body.authorizer).toMatchObject({ claims: { sub: 'user-1' } });
  });

  it('still checks API keys, which are no authorizer\'s business', async () => {
    const api = request(app);
    expect((await api.get('/partner').authorizedAs({ principalId: 'ada' })).status).toBe(403);
    expect((await api.get('/partner').set('x-api-key', 'local-acme-key-00000').authorizedAs({ principalId: 'ada' })).status).toBe(200);
  });

  it('works on an inline app without a config (nothing guarded there)', async () => {
    class MeController extends Controller {
      show() {
        return this.json(this.request.auth ?? null);
      }
    }
    const inline = { routes: defineRoutes((r) => r.get('/me', 'me#show')), controllers: { me: MeController } };
    expect((await request(inline).get('/me')).body).toBeNull();
    const me = await request(inline).get('/me').authorizedAs({ principalId: 'ada', context: { admin: true } });
    expect(me.body).toEqual({ principalId: 'ada', context: { admin: 'true' } });
  });
});
