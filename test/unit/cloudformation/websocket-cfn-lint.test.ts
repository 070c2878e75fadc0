// Every shape channels give a template, through AWS's cfn-lint in one run: the channels app, its
// guarded/tracked variant (REQUEST authorizer and IAM on $connect, a connections table), both
// nested, with one role for the app, with provisioned concurrency and stage settings, and with
// api: 'http'. A broken route rides along to prove the run looked at the files.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import type { BuildManifest } from '../../../src/build/types.js';
import type { ResolvedConfig } from '../../../src/config/types.js';
import { cfnLint, formatFindings, templatesOf, type NamedTemplate } from '../../support/cfn-lint.js';
import { assertValidTemplate } from '../../support/cfn-validator.js';
import { useChannelApps, type BuiltApp } from './websocket-fixtures.js';

const apps = useChannelApps({ guardedStage: 'prod' });
let plain: BuiltApp;
let guarded: BuiltApp;
beforeAll(() => {
  plain = apps.plain();
  guarded = apps.guarded();
});

function shape(name: string, config: ResolvedConfig, manifest: BuildManifest, split?: 'always'): NamedTemplate[] {
  const templates = templatesOf(name, generateTemplates({ config, manifest, ...(split ? { split } : {}) }));
  for (const { name: file, template } of templates) assertValidTemplate(template, { name: file });
  return templates;
}

function warm(manifest: BuildManifest): BuildManifest {
  const copy = structuredClone(manifest);
  for (const fn of copy.functions) fn.provisionedConcurrency = 1;
  return copy;
}

describe('cfn-lint over templates with WebSocket channels', () => {
  it('finds no warning or error in any shape, while it flags a broken route in the same run', async () => {
    const canary = shape('canary', plain.config, plain.manifest)[0]!;
    const template = structuredClone(canary.template) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    delete template.Resources['ChatChannelRouteWhoami']!.Properties['RouteKey'];
    const settings = { ...guarded.config, api: { ...guarded.config.api, throttle: { rate: 10, burst: 20 }, metrics: true } };
    const templates = [
      ...shape('ws-plain', plain.config, plain.manifest),
      ...shape('ws-guarded', guarded.config, guarded.manifest),
      ...shape('ws-nested', guarded.config, guarded.manifest, 'always'),
      ...shape('ws-app-role', { ...guarded.config, iamRoles: 'app' }, guarded.manifest, 'always'),
      ...shape('ws-provisioned', settings, warm(guarded.manifest)),
      ...shape('ws-http', { ...guarded.config, apiType: 'http' }, guarded.manifest),
      { name: 'canary/root', template },
    ];
    expect(templates.filter((t) => t.name.startsWith('ws-nested/')).length).toBeGreaterThan(4);
    const findings = await cfnLint(templates);
    expect(findings).toContainEqual(expect.objectContaining({ file: 'canary/root', level: 'Error', path: expect.stringMatching(/^Resources\/ChatChannelRouteWhoami\/Properties/) }));
    const problems = findings.filter((finding) => !finding.file.startsWith('canary/') && finding.level !== 'Informational');
    expect(formatFindings(problems)).toBe('');
  }, 240_000);
});
