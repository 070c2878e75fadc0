import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, makeConfig, makeManifest, SMALL_APP, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const config = makeConfig({ cors: true });

function nested(app: AppSpec): GeneratedTemplates {
  return generateTemplates({ config, manifest: makeManifest(config, app), split: 'always' });
}

/** The same app with one route served by another controller. */
function moved(path: string, target: string): AppSpec {
  return { ...SMALL_APP, routes: SMALL_APP.routes.map((route) => (route[1] === path && route[0] === 'GET' ? [route[0], route[1], target] : route)) };
}

describe('in nested stacks, a method lives with its path, not with the function it calls', () => {
  it('keeps a moved route\'s Method, id and stack, updating only its integration', () => {
    const before = nested(SMALL_APP);
    const after = nested(moved('/posts/:id', 'articles#show'));
    assertAllValid(before);
    assertAllValid(after);
    const [old, now] = [allResources(before).get('ApiMethodPostsIdGet')!, allResources(after).get('ApiMethodPostsIdGet')!];
    expect(old.template).toBe('ApiPostsStack');
    expect(now.template).toBe(old.template);
    expect(JSON.stringify(old.resource)).toContain('PostsControllerFunctionArn');
    expect(JSON.stringify(now.resource)).toContain('ArticlesControllerFunctionArn');
    expect(after.root.Resources['ApiPostsStack']!.Properties['Parameters']).toMatchObject({
      ArticlesControllerFunctionArn: { 'Fn::GetAtt': ['ArticlesControllerStack', 'Outputs.ArticlesControllerFunctionArn'] },
    });
  });

  it('moves no resource of any stack between the two builds', () => {
    const before = allResources(nested(SMALL_APP));
    const after = allResources(nested(moved('/posts/:id', 'articles#show')));
    for (const [id, { template }] of before) {
      if (id.startsWith('ApiDeployment')) continue;
      if (after.has(id)) expect(after.get(id)!.template, id).toBe(template);
    }
  });

  it('keeps the methods on / in the root, calling a function of a nested stack through its outputs', () => {
    const before = nested(SMALL_APP);
    const after = nested(moved('/', 'pages#home'));
    for (const result of [before, after]) {
      assertAllValid(result);
      expect(allResources(result).get('ApiMethodRootGet')?.template).toBe('root');
    }
    expect(JSON.stringify(after.root.Resources['ApiMethodRootGet'])).toContain('"Outputs.PagesControllerFunctionArn"');
  });
});
