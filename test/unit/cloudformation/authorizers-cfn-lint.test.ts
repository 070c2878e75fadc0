// Every shape authorizers, API keys and usage plans give a template, through AWS's cfn-lint in one
// run: controller layout with every kind of guard, CORS and plans; the single layout guarded as a
// whole; nested stacks; an authorizer on a live alias. A broken authorizer rides along to prove
// the run looked at the files.
import { describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import type { UserConfig } from '../../../src/config/types.js';
import { cfnLint, formatFindings, templatesOf, type NamedTemplate } from '../../support/cfn-lint.js';
import { GUARDED_APP, largeApp, makeConfig, makeManifest, type AppSpec } from './fixtures.js';

const PLANS: UserConfig['usagePlans'] = {
  free: { keys: ['mobile-app'], throttle: { rate: 5, burst: 10 }, quota: { limit: 1000, period: 'MONTH' } },
  partners: { keys: ['acme'], quota: { limit: 50000, period: 'DAY', offset: 1 } },
};

function shape(name: string, user: Partial<UserConfig>, app: AppSpec, layout?: 'single', split?: 'always'): NamedTemplate[] {
  const config = makeConfig({ tags: { team: 'web' }, ...user }, 'prod');
  return templatesOf(name, generateTemplates({ config, manifest: makeManifest(config, app, layout ?? config.layout), ...(split ? { split } : {}) }));
}

const ADMIN = { type: 'lambda' as const, authorizer: 'admin' };
const SINGLE_APP: AppSpec = {
  routes: [['GET', '/', 'home#index'], ['GET', '/health', 'health#show', {}], ['POST', '/hooks/stripe', 'hooks#stripe', { apiKey: true }], ['GET', '/posts/:id', 'posts#show']],
  authorizers: [{ type: 'token', name: 'admin' }],
  defaultAuth: ADMIN,
};

/** A scaled app whose every controller is guarded, one of them by key too. */
function guardedLargeApp(): AppSpec {
  const app = largeApp(3);
  return {
    ...app,
    routes: app.routes.map(([method, path, target], index) => [method, path, target, index % 2 === 0 ? { auth: ADMIN, ...(index % 4 === 0 ? { apiKey: true } : {}) } : {}]),
    authorizers: [{ type: 'token', name: 'admin' }, { type: 'request', name: 'partner', identitySources: ['method.request.header.X-Partner'] }],
  };
}

describe('cfn-lint over templates with authorizers, API keys and usage plans', () => {
  it('finds no warning or error in any shape, while it flags a broken authorizer in the same run', async () => {
    const canary = shape('canary', { cors: true }, GUARDED_APP)[0]!;
    const template = JSON.parse(JSON.stringify(canary.template)) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    delete template.Resources['ApiAdminAuthorizer']!.Properties['RestApiId'];
    const templates = [
      ...shape('controller', { cors: true, usagePlans: PLANS }, GUARDED_APP),
      ...shape('controller-listed-origins', { cors: { origins: ['https://app.example', 'https://admin.example'], credentials: true } }, GUARDED_APP),
      ...shape('single', { cors: true, layout: 'single', usagePlans: PLANS }, SINGLE_APP, 'single'),
      ...shape('single-nested', { layout: 'single' }, SINGLE_APP, 'single', 'always'),
      ...shape('nested', { cors: true, usagePlans: PLANS }, guardedLargeApp(), undefined, 'always'),
      ...shape('alias', { provisionedConcurrency: 1 }, { routes: [['GET', '/admin', 'admin#index', { auth: ADMIN }]], authorizers: [{ type: 'token', name: 'admin' }] }),
      { name: 'canary/root', template },
    ];
    expect(templates.filter((t) => t.name.startsWith('nested/')).length).toBeGreaterThan(3);
    const findings = await cfnLint(templates);
    expect(findings).toContainEqual(expect.objectContaining({ file: 'canary/root', level: 'Error', path: expect.stringMatching(/^Resources\/ApiAdminAuthorizer\/Properties/) }));
    const problems = findings.filter((finding) => !finding.file.startsWith('canary/') && finding.level !== 'Informational');
    expect(formatFindings(problems)).toBe('');
  }, 240_000);
});
