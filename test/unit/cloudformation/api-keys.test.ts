// API keys and usage plans (config usagePlans): a key per name and stage, valued by API Gateway,
// plans covering the stage with their throttle and quota, and the keys' ids as outputs for status.
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyOutputs, generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import type { UserConfig } from '../../../src/config/types.js';
import { SlsError } from '../../../src/shared/errors.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const PLANS: UserConfig['usagePlans'] = {
  free: { keys: ['mobile-app'], throttle: { rate: 5, burst: 10 }, quota: { limit: 1000, period: 'MONTH' } },
  partners: { keys: ['acme', 'globex'], quota: { limit: 50000, period: 'DAY', offset: 0 }, description: 'Paying partners' },
};

const KEYED_APP: AppSpec = { routes: [['GET', '/', 'home#index'], ['GET', '/feed', 'feed#index', { apiKey: true }], ['POST', '/orders', 'orders#create', { apiKey: true }]] };

function generate(user: Partial<UserConfig>, app: AppSpec = KEYED_APP, split?: 'always'): GeneratedTemplates {
  const config = makeConfig(user);
  return generateTemplates({ config, manifest: makeManifest(config, app), ...(split ? { split } : {}) });
}

describe('usage plans and their keys', () => {
  const result = generate({ usagePlans: PLANS, tags: { team: 'web' } });

  it('are valid against the resource specification', () => {
    assertAllValid(result);
  });

  it('make one ApiKey per key, named for the app and stage, enabled, its value left to API Gateway', () => {
    const keys = Object.fromEntries(ofType(result, 'AWS::ApiGateway::ApiKey'));
    expect(Object.keys(keys).sort()).toEqual(['AcmeApiKey', 'GlobexApiKey', 'MobileAppApiKey']);
    expect(keys['MobileAppApiKey']!.Properties).toMatchObject({ Name: 'blog-dev-mobile-app', Enabled: true, Tags: [{ Key: 'team', Value: 'web' }] });
    for (const key of Object.values(keys)) {
      expect(key.Properties).not.toHaveProperty('Value');
      expect(key.Properties).not.toHaveProperty('StageKeys');
    }
  });

  it('make a UsagePlan per plan covering this API\'s stage, with its throttle and quota', () => {
    const plans = Object.fromEntries(ofType(result, 'AWS::ApiGateway::UsagePlan'));
    expect(Object.keys(plans).sort()).toEqual(['FreeUsagePlan', 'PartnersUsagePlan']);
    expect(plans['FreeUsagePlan']!.Properties).toMatchObject({
      UsagePlanName: 'blog-dev-free',
      // A Ref of the Stage: CloudFormation creates the stage before the plan that names it.
      ApiStages: [{ ApiId: { Ref: 'RestApi' }, Stage: { Ref: 'ApiStage' } }],
      Throttle: { RateLimit: 5, BurstLimit: 10 },
      Quota: { Limit: 1000, Period: 'MONTH' },
    });
    expect(plans['PartnersUsagePlan']!.Properties).toMatchObject({ Description: 'Paying partners', Quota: { Limit: 50000, Period: 'DAY', Offset: 0 } });
    expect(plans['PartnersUsagePlan']!.Properties).not.toHaveProperty('Throttle');
  });

  it('put each key in its plan', () => {
    expect(Object.fromEntries(ofType(result, 'AWS::ApiGateway::UsagePlanKey').map(([id, r]) => [id, r.Properties]))).toEqual({
      FreeUsagePlanMobileAppKey: { KeyId: { Ref: 'MobileAppApiKey' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'FreeUsagePlan' } },
      PartnersUsagePlanAcmeKey: { KeyId: { Ref: 'AcmeApiKey' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'PartnersUsagePlan' } },
      PartnersUsagePlanGlobexKey: { KeyId: { Ref: 'GlobexApiKey' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'PartnersUsagePlan' } },
    });
  });

  it('output each key\'s id under the name apiKeyOutputs gives `status`', () => {
    const config = makeConfig({ usagePlans: PLANS });
    const wanted = apiKeyOutputs(config);
    expect(wanted.map(({ name, keyName, plans, output }) => ({ name, keyName, plans, output }))).toEqual([
      { name: 'acme', keyName: 'blog-dev-acme', plans: ['partners'], output: 'AcmeApiKeyId' },
      { name: 'globex', keyName: 'blog-dev-globex', plans: ['partners'], output: 'GlobexApiKeyId' },
      { name: 'mobile-app', keyName: 'blog-dev-mobile-app', plans: ['free'], output: 'MobileAppApiKeyId' },
    ]);
    for (const { output, logicalId } of wanted) expect(result.root.Outputs![output]?.Value, output).toEqual({ Ref: logicalId });
  });

  it('mark the routes that want a key, and nothing else', () => {
    const methods = Object.fromEntries(ofType(result, 'AWS::ApiGateway::Method').map(([id, m]) => [id, m.Properties]));
    expect(methods['ApiMethodFeedGet']).toMatchObject({ ApiKeyRequired: true });
    expect(methods['ApiMethodOrdersPost']).toMatchObject({ ApiKeyRequired: true });
    expect(methods['ApiMethodRootGet']).not.toHaveProperty('ApiKeyRequired');
  });

  it('give every key of a stage its own name: another stage\'s keys are other keys', () => {
    const config = makeConfig({ usagePlans: PLANS }, 'prod');
    expect(apiKeyOutputs(config).map((key) => key.keyName)).toEqual(['blog-prod-acme', 'blog-prod-globex', 'blog-prod-mobile-app']);
  });

  it('stay in the root when the app is split, beside the RestApi and its stage', () => {
    const nested = generate({ usagePlans: PLANS }, { ...SMALL_APP, routes: [...SMALL_APP.routes, ['GET', '/feed', 'feed#index', { apiKey: true }]] }, 'always');
    assertAllValid(nested);
    const where = allResources(nested);
    for (const id of ['FreeUsagePlan', 'PartnersUsagePlan', 'MobileAppApiKey', 'FreeUsagePlanMobileAppKey']) expect(where.get(id)?.template, id).toBe('root');
    expect(where.get('ApiMethodFeedGet')).toMatchObject({ template: 'ApiFeedStack', resource: { Properties: { ApiKeyRequired: true } } });
  });
});

describe('the deployment', () => {
  it('changes when a route starts or stops wanting a key', () => {
    const hash = (apiKey: boolean) => generate({ usagePlans: PLANS }, { routes: [['GET', '/feed', 'feed#index', { apiKey }]] }).root.Outputs!['RouteHash']!.Value;
    expect(hash(true)).not.toBe(hash(false));
  });

  it('does not wait for usage plans: they name the stage, which comes after it', () => {
    const [, deployment] = ofType(generate({ usagePlans: PLANS }), 'AWS::ApiGateway::Deployment')[0]!;
    expect(deployment.DependsOn.filter((id: string) => /UsagePlan|ApiKey/.test(id))).toEqual([]);
  });
});

describe('bad usage plans', () => {
  it('a key in two plans fails the build, naming both config paths: a key joins one plan per stage', () => {
    const config = { ...makeConfig({ usagePlans: { ...PLANS, vip: { keys: ['acme'] } } }), configFile: '/app/sls-ts.config.ts' };
    const error = (() => {
      try {
        generateTemplates({ config, manifest: makeManifest(config, KEYED_APP) });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SlsError);
    expect((error as SlsError).diagnostics).toEqual([{
      text: expect.stringMatching(/^usagePlans\.partners\.keys and usagePlans\.vip\.keys both list API key acme, but API Gateway lets a key into one usage plan per stage/),
      hint: expect.stringContaining('key of its own'),
      file: '/app/sls-ts.config.ts',
    }]);
  });

  it('a key listed twice in one plan is in it once', () => {
    const result = generate({ usagePlans: { free: { keys: ['acme', 'acme'] } } });
    assertAllValid(result);
    expect(ofType(result, 'AWS::ApiGateway::UsagePlanKey').map(([id]) => id)).toEqual(['FreeUsagePlanAcmeKey']);
    expect(ofType(result, 'AWS::ApiGateway::ApiKey').map(([id]) => id)).toEqual(['AcmeApiKey']);
  });

  it('routes wanting a key with no usage plan to hand one out: a warning, as every call would be refused', () => {
    const result = generate({});
    expect(result.warnings).toContainEqual(expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^2 routes require an API key \(GET \/feed, POST \/orders\), but the config has no usagePlans/) }));
  });

  it('usage plans in an app without routes: left out, with a warning', () => {
    const result = generate({ usagePlans: PLANS }, { routes: [], jobs: [{ name: 'cleanup', schedules: ['rate(1 day)'] }] });
    assertAllValid(result);
    expect(ofType(result, 'AWS::ApiGateway::UsagePlan')).toEqual([]);
    expect(ofType(result, 'AWS::ApiGateway::ApiKey')).toEqual([]);
    expect(result.warnings).toContainEqual(expect.objectContaining({ text: expect.stringContaining('usagePlans are left out of the stack') }));
  });
});
