// Declared resources and links in sls-ts.config.ts: what the typed helpers produce, what the
// validator refuses (each problem naming its key path), and what every tool reads once resolved.
import { describe, expect, it } from 'vitest';
import { bucket, cloudformation, queue, table, topic } from '../../../src/config/define-config.js';
import { resolveConfig, validateUserConfig, type ConfigDiagnostic, type UserConfig } from '../../../src/config/index.js';

const errorsOf = (config: unknown) => validateUserConfig(config).filter((d) => d.level !== 'warning');

function errorAt(config: unknown, path: string): ConfigDiagnostic {
  const errors = errorsOf(config);
  const found = errors.filter((d) => d.path === path);
  expect(found, `errors: ${JSON.stringify(errors, null, 2)}`).toHaveLength(1);
  expect(found[0]!.text.startsWith(`${path}: `)).toBe(true);
  expect(found[0]!.hint).toBeTruthy();
  return found[0]!;
}

const blog = (settings: Record<string, unknown>) => ({ name: 'blog', ...settings });

const everyKind = {
  posts: table({ key: 'id', sort: { name: 'createdAt', type: 'number' }, indexes: { byAuthor: { key: 'authorId', sort: { name: 'createdAt', type: 'number' }, projection: 'keys' } }, ttl: 'expiresAt', stream: 'new-and-old' }),
  uploads: bucket({ cors: true, versioned: true, expireAfterDays: 30 }),
  emails: queue({ fifo: true, visibilityTimeout: 60, retention: 86_400, delay: 5, deadLetter: { maxReceives: 5 } }),
  alerts: topic(),
  settings: cloudformation({ Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'on' } }),
};

describe('declared resources: validation', () => {
  it('accepts every kind with every option, and links from every level', () => {
    const config = blog({
      resources: everyKind,
      link: ['alerts'],
      removal: 'retain',
      controllers: { posts: { link: ['posts', { name: 'uploads', readOnly: true }], actions: { show: { link: [{ name: 'posts', readOnly: true }] } } } },
      jobs: { mailer: { link: ['emails'] } },
      functions: { hook: { link: ['settings'] } },
      stages: { dev: { removal: 'destroy', link: ['posts'] } },
    });
    expect(validateUserConfig(config)).toEqual([]);
  });

  it('names an unknown link with the controller path, the nearest name and the declared ones', () => {
    const error = errorAt(blog({ resources: everyKind, controllers: { posts: { link: ['post'] } } }), 'controllers.posts.link[0]');
    expect(error.text).toContain('"post"');
    expect(error.hint).toContain("did you mean 'posts'?");
    expect(error.hint).toContain('posts, uploads, emails, alerts, settings');
  });

  it('says so when a link names a resource and none are declared', () => {
    const error = errorAt(blog({ jobs: { mailer: { link: ['emails'] } } }), 'jobs.mailer.link[0]');
    expect(error.hint).toContain('no resources are declared');
  });

  it('checks links in stages and actions too', () => {
    errorAt(blog({ resources: everyKind, stages: { prod: { link: ['nope'] } } }), 'stages.prod.link[0]');
    errorAt(blog({ resources: everyKind, controllers: { posts: { actions: { show: { link: [{ name: 'posts', readOnly: 'yes' }] } } } } }), 'controllers.posts.actions.show.link[0].readOnly');
  });

  it('refuses invalid key schemas', () => {
    errorAt(blog({ resources: { posts: { kind: 'table' } } }), 'resources.posts.key');
    errorAt(blog({ resources: { posts: table({ key: '' }) } }), 'resources.posts.key');
    errorAt(blog({ resources: { posts: table({ key: { name: 'id', type: 'bool' as never } }) } }), 'resources.posts.key.type');
    errorAt(blog({ resources: { posts: table({ key: 'id', sort: 'id' }) } }), 'resources.posts.sort');
    const clash = errorAt(blog({ resources: { posts: table({ key: 'id', indexes: { byId: { key: { name: 'id', type: 'number' } } } }) } }), 'resources.posts.indexes.byId.key');
    expect(clash.text).toContain('declares id as a number');
  });

  it('refuses invalid index names and indexes without a key', () => {
    errorAt(blog({ resources: { posts: table({ key: 'id', indexes: { 'by author': { key: 'authorId' } } }) } }), 'resources.posts.indexes["by author"]');
    errorAt(blog({ resources: { posts: table({ key: 'id', indexes: { byAuthor: {} as never } }) } }), 'resources.posts.indexes.byAuthor.key');
  });

  it('refuses values outside what AWS accepts, naming the setting', () => {
    errorAt(blog({ resources: { emails: queue({ visibilityTimeout: 50_000 }) } }), 'resources.emails.visibilityTimeout');
    errorAt(blog({ resources: { emails: queue({ retention: 30 }) } }), 'resources.emails.retention');
    errorAt(blog({ resources: { emails: queue({ deadLetter: { maxReceives: 0 } }) } }), 'resources.emails.deadLetter.maxReceives');
    errorAt(blog({ resources: { uploads: bucket({ expireAfterDays: 0 }) } }), 'resources.uploads.expireAfterDays');
    errorAt(blog({ resources: { posts: table({ key: 'id', stream: 'both' as never }) } }), 'resources.posts.stream');
    errorAt(blog({ removal: 'keep' }), 'removal');
  });

  it('refuses unknown kinds, keys and resource names', () => {
    errorAt(blog({ resources: { posts: { kind: 'database' } } }), 'resources.posts.kind');
    const typo = errorAt(blog({ resources: { uploads: { kind: 'bucket', versoined: true } } }), 'resources.uploads.versoined');
    expect(typo.hint).toContain('versioned');
    errorAt(blog({ resources: { 'user-uploads': bucket() } }), 'resources.user-uploads');
    errorAt(blog({ resources: { settings: cloudformation({ Type: 'SSM Parameter' }) } }), 'resources.settings.resource.Type');
  });

  it('refuses two names that differ only in case, naming both', () => {
    const error = errorAt(blog({ resources: { fooBar: bucket(), foobar: table({ key: 'id' }) } }), 'resources.foobar');
    expect(error.text).toContain('resources.fooBar');
  });

  it('keeps resources out of stages', () => {
    const error = errorAt(blog({ stages: { prod: { resources: {} } } }), 'stages.prod.resources');
    expect(error.hint).toContain('top-level `resources`');
  });
});

describe('declared resources: resolved', () => {
  const resolve = (config: UserConfig, stage = 'dev') => resolveConfig(config, { stage, root: '/app' });

  it('fills in defaults as AWS would make them', () => {
    const resolved = resolve({ name: 'blog', resources: { posts: table({ key: 'id' }), uploads: bucket(), emails: queue(), alerts: topic() } });
    expect(resolved.resources).toEqual([
      { kind: 'table', name: 'posts', key: { name: 'id', type: 'string' }, indexes: [], stream: false, pointInTimeRecovery: true, removal: 'destroy' },
      { kind: 'bucket', name: 'uploads', public: false, cors: false, versioned: false, removal: 'destroy' },
      { kind: 'queue', name: 'emails', fifo: false, visibilityTimeout: 30, retention: 345_600, delay: 0, deadLetter: { maxReceives: 3 } },
      { kind: 'topic', name: 'alerts', fifo: false },
    ]);
  });

  it('retains tables and buckets on stages named like production, unless told otherwise', () => {
    const config: UserConfig = { name: 'blog', resources: { posts: table({ key: 'id' }), scratch: bucket({ removal: 'destroy' }) }, stages: { staging: { removal: 'retain' } } };
    const removals = (stage: string) => resolve(config, stage).resources.map((resource) => 'removal' in resource && resource.removal);
    expect(removals('prod')).toEqual(['retain', 'destroy']);
    expect(removals('production-eu')).toEqual(['retain', 'destroy']);
    expect(removals('dev')).toEqual(['destroy', 'destroy']);
    expect(removals('product-demo')).toEqual(['destroy', 'destroy']);
    expect(removals('staging')).toEqual(['retain', 'destroy']);
  });

  it('settles link forms, keeping the widest access of a resource linked twice', () => {
    const resolved = resolve({ name: 'blog', resources: { posts: table({ key: 'id' }), uploads: bucket() }, link: [{ name: 'posts', readOnly: true }, 'uploads', 'posts'] });
    expect(resolved.link).toEqual([{ name: 'posts', readOnly: false }, { name: 'uploads', readOnly: false }]);
  });
});
