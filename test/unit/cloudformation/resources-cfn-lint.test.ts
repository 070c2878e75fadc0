// Every shape declared resources give a template, through AWS's cfn-lint in one run: each kind on a
// development and a production stage, a public versioned bucket with CORS and expiry, FIFO queues
// and topics, every kind linked read-write and read-only, a shared app role, and a nested app whose
// nested stacks link root resources. A raw resource with a mistake rides along: raw resources are
// checked by cfn-lint too, and it proves the run looked at the files.
import { describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { bucket, cloudformation, queue, table, topic } from '../../../src/config/define-config.js';
import type { UserConfig } from '../../../src/config/types.js';
import { cfnLint, formatFindings, templatesOf, type NamedTemplate } from '../../support/cfn-lint.js';
import { largeApp, makeConfig, makeManifest, SMALL_APP, type AppSpec } from './fixtures.js';

const RESOURCES: UserConfig['resources'] = {
  posts: table({ key: 'id', sort: { name: 'createdAt', type: 'number' }, indexes: { byAuthor: { key: 'authorId', sort: { name: 'createdAt', type: 'number' } }, bySlug: { key: 'slug', projection: ['title'] } }, ttl: 'expiresAt', stream: 'new-and-old' }),
  sessions: table({ key: 'id', pointInTimeRecovery: false }),
  uploads: bucket(),
  site: bucket({ public: true, versioned: true, expireAfterDays: 90, cors: true }),
  emails: queue({ visibilityTimeout: 120 }),
  orders: queue({ fifo: true, deadLetter: { maxReceives: 10 } }),
  events: queue({ deadLetter: false }),
  alerts: topic(),
  receipts: topic({ fifo: true }),
  signingKey: cloudformation({ Type: 'AWS::KMS::Key', Properties: { Description: 'signs links', EnableKeyRotation: true } }),
};
const ALL = Object.keys(RESOURCES!);

function shape(name: string, user: Partial<UserConfig>, app: AppSpec = SMALL_APP, stage = 'dev', split?: 'always'): NamedTemplate[] {
  const config = makeConfig({ resources: RESOURCES, tags: { team: 'blog' }, ...user }, stage);
  return templatesOf(name, generateTemplates({ config, manifest: makeManifest(config, app), ...(split ? { split } : {}) }));
}

const CANARY_CONFIG = makeConfig({ resources: { broken: cloudformation({ Type: 'AWS::SNS::Topic', Properties: { TopicName: 'x', Bogus: true } }) } });

describe('cfn-lint over templates with declared resources', () => {
  it('finds no warning or error in any shape, while it flags the broken raw resource in the same run', async () => {
    const templates = [
      ...shape('resources-dev', { controllers: { posts: { link: ALL } }, jobs: { cleanup: { link: ALL.map((name) => ({ name, readOnly: true })) } } }),
      ...shape('resources-prod', { link: ['posts'] }, SMALL_APP, 'prod'),
      ...shape('resources-app-role', { iamRoles: 'app', link: [{ name: 'uploads', readOnly: true }], controllers: { posts: { link: ['uploads', 'emails'] } } }),
      ...shape('resources-nested', { controllers: { widgets001: { link: ALL }, widgets002: { link: [{ name: 'posts', readOnly: true }] } } }, largeApp(3), 'dev', 'always'),
      ...templatesOf('canary', generateTemplates({ config: CANARY_CONFIG, manifest: makeManifest(CANARY_CONFIG, { routes: [] }) })),
    ];
    expect(templates.filter((t) => t.name.startsWith('resources-nested/')).length).toBeGreaterThan(3);
    const findings = await cfnLint(templates);
    expect(findings).toContainEqual(expect.objectContaining({ file: 'canary/root', rule: 'E3002', level: 'Error', path: 'Resources/Broken/Properties/Bogus' }));
    const problems = findings.filter((finding) => !finding.file.startsWith('canary/') && finding.level !== 'Informational');
    expect(formatFindings(problems)).toBe('');
  }, 240_000);
});
