// Who guards each route (issue #19): the route's own `auth` (or its namespace's / scope's), else
// its controller's `static auth`, else the config's `auth`; authorizer classes become functions of
// their own; and every way of naming a guard wrongly is one line naming the file or route at fault.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, inspectApp, planFunctions, resolveConfig, SlsError, type AppModel, type UserConfig } from '../../../src/index.js';
import { configFor, copyApp, createScratch, fixture } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const GUARDED: UserConfig = {
  name: 'guarded',
  authorizers: { members: { type: 'cognito', userPoolArns: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI'] } },
  usagePlans: { partners: { keys: ['acme'] } },
};

describe('route guards in the plan', () => {
  let root: string;
  let app: AppModel;
  const routesOf = (user: UserConfig, layout: 'controller' | 'single' = 'controller') => {
    const planned = planFunctions(resolveConfig(user, { stage: 'dev', root, processEnv: {} }), app, layout);
    return { planned, route: (method: string, resource: string) => planned.flatMap((fn) => fn.routes).find((r) => r.method === method && r.resource === resource)! };
  };

  beforeAll(async () => {
    root = copyApp(fixture('guarded'), scratch.dir);
    app = (await inspectApp(root)).app!;
  });

  it('reads the authorizer classes with their statics, and each controller\'s static auth', () => {
    expect(app.authorizers.map((a) => [a.key, a.name, a.className])).toEqual([
      ['admin-authorizer', 'admin', 'AdminAuthorizer'],
      ['scoped-authorizer', 'scoped', 'ScopedAuthorizer'],
      ['session-authorizer', 'session', 'SessionAuthorizer'],
    ]);
    expect(app.authorizers[0]!.statics).toMatchObject({ ttl: 60, validation: '^Bearer [-0-9a-zA-Z._]+$' });
    expect(app.controllers.get('admin/users')!.auth).toBe('admin');
    expect(app.controllers.get('home')!.auth).toBeUndefined();
  });

  it('the route wins over its controller, the controller over the app; auth: false leaves a route public', () => {
    const { route } = routesOf({ ...GUARDED, auth: 'session' });
    expect(route('GET', '/admin/users').auth).toEqual({ type: 'lambda', authorizer: 'admin' });
    expect(route('GET', '/admin/users/{id}').auth).toEqual({ type: 'lambda', authorizer: 'admin' });
    expect(route('GET', '/admin/open')).not.toHaveProperty('auth');
    expect(route('GET', '/health')).not.toHaveProperty('auth');
    expect(route('GET', '/').auth).toEqual({ type: 'lambda', authorizer: 'session' });
  });

  it('a scope, Cognito scopes, AWS_IAM, API keys and routed functions', () => {
    const { route } = routesOf(GUARDED);
    expect(route('GET', '/me').auth).toEqual({ type: 'lambda', authorizer: 'session' });
    expect(route('GET', '/reports').auth).toEqual({ type: 'cognito', authorizer: 'members', scopes: ['reports/read'] });
    expect(route('GET', '/profile').auth).toEqual({ type: 'cognito', authorizer: 'members' });
    expect(route('GET', '/signed').auth).toEqual({ type: 'iam' });
    expect(route('GET', '/partner')).toMatchObject({ apiKey: true });
    expect(route('GET', '/partner')).not.toHaveProperty('auth');
    expect(route('GET', '/ping').auth).toEqual({ type: 'lambda', authorizer: 'admin' });
    expect(route('GET', '/')).not.toHaveProperty('auth');
  });

  it('each authorizer class is a function of its own, configured as a plain function by its key', () => {
    const { planned } = routesOf({ ...GUARDED, functions: { 'admin-authorizer': { memory: 256 } } });
    const admin = planned.find((fn) => fn.key === 'admin-authorizer')!;
    expect(admin).toMatchObject({ kind: 'authorizer', authorizer: 'admin', source: 'AdminAuthorizer', memory: 256, routes: [] });
    expect(admin.entrySource).toContain('createAuthorizerHandler(Authorizer)');
    expect(planned.find((fn) => fn.key === 'session-authorizer')).toMatchObject({ kind: 'authorizer', authorizer: 'session' });
  });

  it('the single layout keeps every route\'s guard in the manifest', () => {
    const { planned } = routesOf(GUARDED, 'single');
    const single = planned.find((fn) => fn.kind === 'single')!;
    expect(single.routes.find((r) => r.resource === '/admin/users')!.auth).toEqual({ type: 'lambda', authorizer: 'admin' });
    expect(single.routes.find((r) => r.resource === '/health')).not.toHaveProperty('auth');
  });
});

describe('the manifest', () => {
  it('lists the authorizers and the app-wide guard', async () => {
    const root = copyApp(fixture('guarded'), scratch.dir);
    const { manifest } = await build({ config: await configFor(root, 'locked') });
    expect(manifest.defaultAuth).toEqual({ type: 'lambda', authorizer: 'session' });
    expect(manifest.authorizers).toEqual([
      { type: 'token', name: 'admin', functionKey: 'admin-authorizer', identitySource: 'method.request.header.Authorization', ttl: 60, validation: '^Bearer [-0-9a-zA-Z._]+$', source: 'AdminAuthorizer (app/authorizers/admin-authorizer.ts)' },
      {
        type: 'cognito', name: 'members', userPoolArns: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI'],
        identitySource: 'method.request.header.Authorization', ttl: 300, source: 'authorizers.members',
      },
      { type: 'token', name: 'scoped', functionKey: 'scoped-authorizer', identitySource: 'method.request.header.Authorization', ttl: 300, source: 'ScopedAuthorizer (app/authorizers/scoped-authorizer.ts)' },
      { type: 'request', name: 'session', functionKey: 'session-authorizer', identitySources: ['method.request.header.X-Session', 'method.request.querystring.tenant'], ttl: 0, source: 'SessionAuthorizer (app/authorizers/session-authorizer.ts)' },
    ]);
    expect(manifest.functions.find((fn) => fn.key === 'admin-authorizer')).toMatchObject({ kind: 'authorizer', functionName: 'guarded-locked-admin-authorizer' });
  }, 60_000);
});

describe('bad guards', () => {
  /** The build's one-line errors for the guarded app with `edit` applied. */
  async function errorsOf(edit: (root: string) => void, stage = 'dev'): Promise<string[]> {
    const root = copyApp(fixture('guarded'), scratch.dir);
    edit(root);
    const error = await build({ config: await configFor(root, stage) }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlsError);
    return (error as SlsError).diagnostics.map((d) => `${d.text} | ${d.hint ?? ''}`);
  }
  const routes = (root: string, body: string) => writeFileSync(join(root, 'config', 'routes.ts'), `import { defineRoutes } from 'sls-ts';\nexport default defineRoutes((r) => {\n${body}\n});\n`);
  const authorizer = (root: string, name: string, statics: string) =>
    writeFileSync(join(root, 'app', 'authorizers', `${name}-authorizer.ts`), `import { Authorizer } from 'sls-ts';\nexport default class X extends Authorizer {\n${statics}\nauthorize() { return this.allow('x'); }\n}\n`);

  it('a route naming an authorizer the app does not have: the route, its line and the nearest name', async () => {
    const errors = await errorsOf((root) => routes(root, `  r.root('home#index', { auth: 'admn' });`));
    expect(errors).toEqual([expect.stringMatching(/^GET \/ → home#index \(config\/routes\.ts:3\): the route names authorizer "admn", which the app does not have \| did you mean "admin"\?$/)]);
  });

  it('a route attached to two authorizers, by a list or against its controller', async () => {
    const list = await errorsOf((root) => routes(root, `  r.root('home#index', { auth: ['admin', 'session'] as never });`));
    expect(list[0]).toMatch(/GET \/ → home#index .*: is attached to 2 authorizers \("admin", "session"\) \| API Gateway runs one authorizer per method/);
    const clash = await errorsOf((root) => routes(root, `  r.get('/admin/users', 'admin/users#index', { auth: 'session' });`));
    expect(clash[0]).toMatch(/GET \/admin\/users → admin\/users#index .*: is attached to two authorizers: "session" \(the route\) and "admin" \(UsersController\.auth\)/);
  });

  it('identity sources that are not header / query / stage variable / context expressions', async () => {
    const token = await errorsOf((root) => authorizer(root, 'admin', `static identitySource = 'method.request.querystring.token';`));
    expect(token[0]).toMatch(/^app\/authorizers\/admin-authorizer\.ts: static identitySource of a token authorizer must be a header/);
    const request = await errorsOf((root) => authorizer(root, 'session', `static type = 'request' as const;\nstatic identitySource = ['header.X-Session'];`));
    expect(request[0]).toMatch(/^app\/authorizers\/session-authorizer\.ts: static identitySource "header\.X-Session" is not an identity source expression \| write method\.request\.header\.<Name>/);
  });

  it('a TTL API Gateway refuses, a validation that is not a regex, a cached REQUEST authorizer without identity', async () => {
    expect((await errorsOf((root) => authorizer(root, 'admin', 'static ttl = 7200;')))[0]).toMatch(/admin-authorizer\.ts: static ttl must be a whole number of seconds from 0 to 3600, got 7200/);
    expect((await errorsOf((root) => authorizer(root, 'admin', "static validation = '^(Bearer';")))[0]).toMatch(/admin-authorizer\.ts: static validation is not a valid regular expression/);
    expect((await errorsOf((root) => authorizer(root, 'session', "static type = 'request' as const;\nstatic identitySource = [];")))[0]).toMatch(/session-authorizer\.ts: a request authorizer with a cache \(ttl > 0\) needs at least one identity source/);
  });

  it('scopes without a Cognito authorizer, an API key without usage plans, a config auth naming nothing', async () => {
    expect((await errorsOf((root) => routes(root, `  r.root('home#index', { auth: 'admin', scopes: ['a/b'] });`)))[0]).toMatch(/GET \/ → home#index .*: sets scopes, but "admin" is a Lambda authorizer/);
    const noPlans = await errorsOf((root) => writeFileSync(join(root, 'sls-ts.config.ts'), "import { defineConfig } from 'sls-ts/config';\nexport default defineConfig({ name: 'guarded', authorizers: { members: { type: 'cognito', userPoolArns: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI'] } } });\n"));
    expect(noPlans).toContainEqual(expect.stringMatching(/GET \/partner → home#partner .*: requires an API key, but the config declares no usagePlans/));
    const config = await errorsOf((root) => writeFileSync(join(root, 'sls-ts.config.ts'), "import { defineConfig } from 'sls-ts/config';\nexport default defineConfig({ name: 'guarded', auth: 'sesion', usagePlans: { p: { keys: ['k'] } }, authorizers: { members: { type: 'cognito', userPoolArns: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI'] } } });\n"));
    expect(config).toContainEqual(expect.stringMatching(/the config's auth names authorizer "sesion", which the app does not have \| did you mean "session"\?/));
  });
});
