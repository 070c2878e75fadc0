// Every shape `api: 'http'` gives a template, through AWS's cfn-lint in one run: guarded routes with
// JWT, Lambda and IAM authorizers, CORS and stage settings; the bare API; the single layout; a
// custom domain; a nested app. A broken route rides along to prove the run looked at the files.
import { describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import type { UserConfig } from '../../../src/config/types.js';
import { cfnLint, formatFindings, templatesOf, type NamedTemplate } from '../../support/cfn-lint.js';
import { makeConfig, makeManifest, SMALL_APP } from './fixtures.js';
import { guardedManifest, HTTP_USER } from './http-api-fixtures.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';

function shape(name: string, user: Partial<UserConfig>, options: { split?: 'always'; guarded?: boolean } = {}): NamedTemplate[] {
  const config = makeConfig(user, 'prod');
  const manifest = options.guarded === false ? makeManifest(config, SMALL_APP) : guardedManifest(config);
  if (config.layout === 'single') manifest.defaultAuth = { type: 'iam' };
  return templatesOf(name, generateTemplates({ config, manifest, ...(options.split ? { split: options.split } : {}) }));
}

describe("cfn-lint over templates with api: 'http'", () => {
  it('finds no warning or error in any shape, while it flags a broken route in the same run', async () => {
    const canary = shape('canary', HTTP_USER)[0]!;
    const template = JSON.parse(JSON.stringify(canary.template)) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    delete template.Resources['HttpRoutePostsIdGet']!.Properties['RouteKey'];
    const templates = [
      ...shape('http-guarded', HTTP_USER),
      ...shape('http-bare', { api: 'http' }, { guarded: false }),
      ...shape('http-single', { ...HTTP_USER, layout: 'single' }),
      ...shape('http-domain', { ...HTTP_USER, domain: { name: 'api.example.com', certificateArn: CERT, hostedZone: 'example.com.', basePath: 'v1' } }),
      ...shape('http-requested-cert', { api: 'http', domain: { name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9' } }, { guarded: false }),
      ...shape('http-nested', HTTP_USER, { split: 'always' }),
      // Every function warm, the Lambda authorizer too: integrations, authorizer and permissions on `live` aliases.
      ...shape('http-provisioned', { ...HTTP_USER, provisionedConcurrency: 1 }),
      { name: 'canary/root', template },
    ];
    expect(templates.filter((t) => t.name.startsWith('http-nested/')).length).toBeGreaterThan(3);
    const findings = await cfnLint(templates);
    expect(findings).toContainEqual(expect.objectContaining({ file: 'canary/root', level: 'Error', path: expect.stringMatching(/^Resources\/HttpRoutePostsIdGet\/Properties/) }));
    const problems = findings.filter((finding) => !finding.file.startsWith('canary/') && finding.level !== 'Informational');
    expect(formatFindings(problems)).toBe('');
  }, 240_000);
});
