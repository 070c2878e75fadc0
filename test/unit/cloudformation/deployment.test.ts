import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const config = makeConfig({ cors: true });

function deploymentOf(result: GeneratedTemplates): { id: string; dependsOn: string[] } {
  const [id, deployment] = ofType(result, 'AWS::ApiGateway::Deployment')[0]!;
  return { id, dependsOn: deployment.DependsOn as string[] };
}

/** Every API invoke permission, with the root template's resource that must exist first: itself, or its nested stack. */
function apiPermissionHolders(result: GeneratedTemplates): Map<string, string> {
  const holders = new Map<string, string>();
  for (const [id, { template, resource }] of allResources(result)) {
    if (resource.Type === 'AWS::Lambda::Permission' && resource.Properties.Principal === 'apigateway.amazonaws.com') holders.set(id, template === 'root' ? id : template);
  }
  return holders;
}

// The stage switches to a new Deployment as soon as it exists: an integration whose permission is
// still being created answers 500 until it is.
describe('the Deployment waits for the invoke permissions', () => {
  it('in one template, depends on every *ApiPermission as well as every method', () => {
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    const holders = apiPermissionHolders(result);
    // One per routed function: five controllers and a plain function.
    expect(holders.size).toBe(6);
    expect(holders.get('PostsControllerApiPermission')).toBe('PostsControllerApiPermission');
    const { dependsOn } = deploymentOf(result);
    expect(dependsOn).toEqual(expect.arrayContaining([...holders.values()]));
    expect(dependsOn).toEqual(expect.arrayContaining(ofType(result, 'AWS::ApiGateway::Method').map(([id]) => id)));
    expect(dependsOn).toEqual([...new Set(dependsOn)].sort());
    assertAllValid(result);
  });

  it('in the single layout too (one function behind / and /{proxy+})', () => {
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'single') });
    const holders = apiPermissionHolders(result);
    expect(holders.size).toBe(1);
    expect(deploymentOf(result).dependsOn).toEqual(expect.arrayContaining([...holders.values()]));
  });

  it('with nested stacks, depends on every stack that holds a permission', () => {
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP), split: 'always' });
    const holders = apiPermissionHolders(result);
    expect(holders.get('PostsControllerApiPermission')).toMatch(/Stack$/);
    const { dependsOn } = deploymentOf(result);
    expect(dependsOn).toEqual(expect.arrayContaining([...new Set(holders.values())]));
    expect(dependsOn.every((id) => id in result.root.Resources)).toBe(true);
    assertAllValid(result);
  });
});
