// Every shape a custom domain gives a template, through AWS's cfn-lint in one run: a given
// certificate, a requested one with records in a zone by id, records in a zone by name with a base
// path, and a nested app. A broken domain rides along to prove the run looked at the files.
import { describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import type { UserConfig } from '../../../src/config/types.js';
import { cfnLint, formatFindings, templatesOf, type NamedTemplate } from '../../support/cfn-lint.js';
import { makeConfig, makeManifest, SMALL_APP } from './fixtures.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';

function shape(name: string, user: Partial<UserConfig>, split?: 'always'): NamedTemplate[] {
  const config = makeConfig({ tags: { team: 'web' }, ...user }, 'prod');
  return templatesOf(name, generateTemplates({ config, manifest: makeManifest(config, SMALL_APP), ...(split ? { split } : {}) }));
}

describe('cfn-lint over templates with a custom domain', () => {
  it('finds no warning or error in any shape, while it flags a broken domain in the same run', async () => {
    // A record whose alias lost its target: cfn-lint must say so.
    const canary = shape('canary', { domain: { name: 'api.example.com', certificateArn: CERT, hostedZone: 'example.com.' } })[0]!;
    const template = JSON.parse(JSON.stringify(canary.template)) as { Resources: Record<string, { Properties: Record<string, Record<string, unknown>> }> };
    delete template.Resources['ApiDomainRecordA']!.Properties['AliasTarget']!['DNSName'];
    const templates = [
      ...shape('domain-certificate', { domain: { name: 'api.example.com', certificateArn: CERT } }),
      ...shape('domain-requested', { domain: { name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9' } }),
      ...shape('domain-zone-name', { domain: { name: 'example.com', certificateArn: CERT, hostedZone: 'example.com.', basePath: 'v1/public' } }),
      ...shape('domain-nested', { domain: { name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9' } }, 'always'),
      { name: 'canary/root', template },
    ];
    expect(templates.filter((t) => t.name.startsWith('domain-nested/')).length).toBeGreaterThan(3);
    const findings = await cfnLint(templates);
    expect(findings).toContainEqual(expect.objectContaining({ file: 'canary/root', level: 'Error', path: expect.stringMatching(/^Resources\/ApiDomainRecordA\/Properties\/AliasTarget/) }));
    const problems = findings.filter((finding) => !finding.file.startsWith('canary/') && finding.level !== 'Informational');
    expect(formatFindings(problems)).toBe('');
  }, 240_000);
});
