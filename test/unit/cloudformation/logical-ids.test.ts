import { describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { SlsError } from '../../../src/shared/errors.js';
import { makeConfig, makeManifest, type AppSpec, type RouteSpec } from './fixtures.js';

const config = makeConfig({ cors: true });

/** Nested even when small, so the stacks' ids are in the result too. */
function generate(app: AppSpec): GeneratedTemplates {
  return generateTemplates({ config, manifest: makeManifest(config, app), split: 'always' });
}

/** Logical id → what produced it, every template and stack included, the Deployment left out (its id is a hash of the API on purpose). */
function idsOf(result: GeneratedTemplates): Map<string, string> {
  return new Map(Object.entries(result.sources).filter(([id]) => !id.startsWith('ApiDeployment')));
}

/** The API resource id of each path. */
function resourceIds(result: GeneratedTemplates): Map<string, string> {
  return new Map(Object.entries(result.sources).filter(([, source]) => source.startsWith('API path ')).map(([id, source]) => [source.slice('API path '.length), id]));
}

function routesFor(paths: readonly string[]): RouteSpec[] {
  return paths.map((path) => ['GET', path, 'pages#show']);
}

/** Every id `before` had still names the same thing in `after`: nothing renamed, nothing reused. */
function expectNothingRenamed(before: GeneratedTemplates, after: GeneratedTemplates): void {
  const now = idsOf(after);
  for (const [id, source] of idsOf(before)) expect(now.get(id), id).toBe(source);
}

describe('logical ids depend on their own key only', () => {
  it('keeps the readable ids of the common paths and keys', () => {
    const result = generate({
      routes: [
        ['GET', '/', 'home#index'],
        ['GET', '/posts/:id', 'posts#show'],
        ['GET', '/posts/:post_id/comments/:id', 'comments#show'],
        ['GET', '/admin/stats', 'admin/stats#index'],
        ['ANY', '/files/*path', 'files#serve'],
        ['ANY', '/*proxy', 'fn:fallback'],
        ['GET', '/v12', 'versions#show'],
      ],
      jobs: [{ name: 'cleanup', schedules: ['rate(1 day)'] }],
    });
    const ids = idsOf(result);
    for (const id of [
      'ApiMethodRootGet', 'ApiResourcePostsId', 'ApiMethodPostsIdGet', 'ApiResourcePostsPostIdCommentsId', 'ApiResourceAdminStats',
      'ApiResourceFilesPath', 'ApiResourceProxy', 'ApiResourceV12', 'PostsControllerFunction', 'AdminStatsControllerRole',
      'CleanupJobFunction', 'FallbackFunction', 'PostsControllerStack', 'AdminStatsControllerStack', 'ApiPostsStack', 'ApiV12Stack',
    ]) expect(ids.has(id), id).toBe(true);
  });

  it('gives paths whose words lose information a hash of their own path, whatever else exists', () => {
    const pairs: Array<[plain: string, readable: string, lossy: string]> = [
      ['/v12', 'ApiResourceV12', '/v1.2'], ['/foo/bar', 'ApiResourceFooBar', '/foo_bar'], ['/api/v1', 'ApiResourceApiV1', '/api-v1'], ['/posts/:id', 'ApiResourcePostsId', '/posts/id'],
    ];
    for (const [plain, readable, lossy] of pairs) {
      const alone = resourceIds(generate({ routes: routesFor([lossy]) })).get(lossy);
      const both = resourceIds(generate({ routes: routesFor([plain, lossy]) }));
      expect(alone).toMatch(/^ApiResource[A-Za-z0-9]*[0-9a-f]{8}$/);
      expect(both.get(lossy)).toBe(alone);
      expect(both.get(plain.replace(':id', '{id}'))).toBe(readable);
    }
  });

  it('never renames an id when a path that reads the same is added, in either order', () => {
    const pairs: Array<[string, string]> = [['/v12', '/v1.2'], ['/foo_bar', '/foo/bar'], ['/api/v1', '/api-v1'], ['/posts/:id', '/posts/id'], ['/hello/:name', '/hello/name']];
    for (const [a, b] of pairs) {
      for (const [first, second] of [[a, b], [b, a]] as const) {
        const before = generate({ routes: routesFor([first]) });
        const after = generate({ routes: routesFor([first, second]) });
        expectNothingRenamed(before, after);
      }
    }
  });

  it('never renames a function, its role or its stack when a function key that reads the same is added', () => {
    const pairs: Array<[string, string]> = [['send-email', 'send_email'], ['send_email', 'send-email'], ['report', 'rep-ort']];
    for (const [a, b] of pairs) {
      const before = generate({ routes: [], functions: [a] });
      const after = generate({ routes: [], functions: [a, b] });
      expectNothingRenamed(before, after);
      expect([...idsOf(after).keys()].filter((id) => id.endsWith('Function'))).toHaveLength(2);
    }
  });

  it('refuses, naming both, when two different keys still end up with one id', () => {
    // A plain function `api-posts` reads like the stack of the paths under /posts.
    const clash = () => generate({ routes: routesFor(['/posts']), functions: ['api-posts'] });
    expect(clash).toThrow(SlsError);
    expect(clash).toThrow(/app\/functions\/api-posts.*API paths under \/posts.*ApiPostsStack|API paths under \/posts.*app\/functions\/api-posts.*ApiPostsStack/);
  });
});

// A small deterministic generator (mulberry32): the same sets on every run, no dependency.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Parts chosen to read alike: v12/v1.2, foo_bar/foo+bar, api-v1/api+v1, id/:id, post+:id/:post_id, Posts/posts.
const PARTS = ['v12', 'v1.2', 'v1', 'foo_bar', 'foo', 'bar', 'api', 'api-v1', 'posts', 'post', 'Posts', 'id', ':id', ':post_id', 'comments', 'logo.png', 'logo', 'png', 'root', 'proxy'];

function randomPath(next: () => number): string {
  const depth = 1 + Math.floor(next() * 3);
  const parts = Array.from({ length: depth }, () => PARTS[Math.floor(next() * PARTS.length)]!);
  // API Gateway allows one variable name per level; the generator only needs to stay valid per path.
  return `/${parts.join('/')}`;
}

describe('property: adding paths never changes the ids of existing ones', () => {
  it('holds over 60 random path sets and their extensions', () => {
    const next = random(14);
    for (let round = 0; round < 60; round++) {
      const base = [...new Set(Array.from({ length: 1 + Math.floor(next() * 6) }, () => randomPath(next)))];
      const added = [...new Set(Array.from({ length: 1 + Math.floor(next() * 6) }, () => randomPath(next)))].filter((path) => !base.includes(path));
      const before = generate({ routes: routesFor(base) });
      const after = generate({ routes: routesFor([...added, ...base]) });
      expectNothingRenamed(before, after);
      const ids = resourceIds(after);
      expect(new Set(ids.values()).size).toBe(ids.size);
    }
  });
});

describe('property: adding functions never changes the ids of existing ones', () => {
  const NAMES = ['send-email', 'send_email', 'sendemail', 'send-e-mail', 'report', 'rep-ort', 'v2', 'v-2', 'api-posts-x', 'a-b-c', 'ab-c', 'a-bc'];

  it('holds over 40 random sets of plain functions and their extensions', () => {
    const next = random(7);
    const pick = (count: number) => [...new Set(Array.from({ length: count }, () => NAMES[Math.floor(next() * NAMES.length)]!))];
    for (let round = 0; round < 40; round++) {
      const base = pick(1 + Math.floor(next() * 4));
      const added = pick(1 + Math.floor(next() * 4)).filter((name) => !base.includes(name));
      const before = generate({ routes: [], functions: base });
      const after = generate({ routes: [], functions: [...added, ...base] });
      expectNothingRenamed(before, after);
    }
  });
});
