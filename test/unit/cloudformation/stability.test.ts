import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, serializeTemplate, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import type { BuildManifest } from '../../../src/build/types.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, makeConfig, makeManifest, SMALL_APP, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const config = makeConfig({ cors: true });

function generate(app: AppSpec, edit?: (manifest: BuildManifest) => void): GeneratedTemplates {
  const manifest = makeManifest(config, app);
  edit?.(manifest);
  return generateTemplates({ config, manifest });
}

function deploymentIdOf(result: GeneratedTemplates): string {
  return Object.keys(result.root.Resources).find((id) => id.startsWith('ApiDeployment'))!;
}

describe('determinism', () => {
  it('gives byte-identical templates for the same input', () => {
    const a = generate(SMALL_APP);
    const b = generate(SMALL_APP);
    expect(serializeTemplate(a.root)).toBe(serializeTemplate(b.root));
    expect(a.warnings).toEqual(b.warnings);
  });

  it('does not depend on the order the build listed functions, routes, env or tags in', () => {
    const a = generate(SMALL_APP);
    const b = generate(SMALL_APP, (manifest) => {
      manifest.functions.reverse();
      for (const fn of manifest.functions) {
        fn.routes.reverse();
        fn.environment = Object.fromEntries(Object.entries({ ...fn.environment, Z: '1', A: '2' }).reverse());
      }
    });
    const c = generate(SMALL_APP, (manifest) => {
      for (const fn of manifest.functions) fn.environment = { ...fn.environment, A: '2', Z: '1' };
    });
    expect(serializeTemplate(b.root)).toBe(serializeTemplate(c.root));
    expect(deploymentIdOf(b)).toBe(deploymentIdOf(a));
  });
});

describe('the Deployment', () => {
  const before = generate(SMALL_APP);

  it('gets a new logical id when a route changes', () => {
    const moved = generate({ ...SMALL_APP, routes: SMALL_APP.routes.map((r) => (r[1] === '/health' ? ['GET', '/healthz', r[2]] : r)) });
    const retargeted = generate({ ...SMALL_APP, routes: SMALL_APP.routes.map((r) => (r[1] === '/health' ? ['GET', '/health', 'home#health'] : r)) });
    const verb = generate({ ...SMALL_APP, routes: SMALL_APP.routes.map((r) => (r[1] === '/health' ? ['HEAD', '/health', r[2]] : r)) });
    const ids = [before, moved, retargeted, verb].map(deploymentIdOf);
    expect(new Set(ids).size).toBe(4);
    for (const result of [moved, retargeted, verb]) assertAllValid(result);
  });

  it('keeps its id, and the API its bytes, when only code changes', () => {
    const rebuilt = generate(SMALL_APP, (manifest) => {
      for (const fn of manifest.functions) fn.artifact = { ...fn.artifact, sha256: 'f'.repeat(64), key: `artifacts/${'f'.repeat(64)}.zip` };
    });
    expect(deploymentIdOf(rebuilt)).toBe(deploymentIdOf(before));
    const changed = [...allResources(rebuilt)].filter(([id, { resource }]) => JSON.stringify(resource) !== JSON.stringify(before.root.Resources[id])).map(([id]) => id);
    expect(changed.every((id) => id.endsWith('Function'))).toBe(true);
    expect(changed.length).toBeGreaterThan(0);
  });

  it('gives identical bytes when the routes are unchanged', () => {
    expect(serializeTemplate(generate(SMALL_APP).root)).toBe(serializeTemplate(before.root));
  });
});

describe('adding a route', () => {
  it('renames and changes no existing resource but the Deployment and the Stage pointing at it', () => {
    const before = generate(SMALL_APP);
    const after = generate({ ...SMALL_APP, routes: [...SMALL_APP.routes, ['GET', '/posts/:id/comments', 'comments#index'], ['POST', '/posts/:id/publish', 'posts#publish']] });
    assertAllValid(after);
    const old = allResources(before);
    const now = allResources(after);
    const deployment = deploymentIdOf(before);
    for (const [id, { resource }] of old) {
      if (id === deployment) {
        expect(now.has(id)).toBe(false);
        continue;
      }
      expect(now.get(id)?.template, id).toBe('root');
      if (id !== 'ApiStage') expect(now.get(id)!.resource, id).toEqual(resource);
    }
    expect(now.has('ApiMethodPostsIdCommentsGet')).toBe(true);
    expect(now.has('CommentsControllerFunction')).toBe(true);
  });
});
