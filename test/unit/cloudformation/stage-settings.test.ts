// What `api`, `tracing` and the concurrency settings put in templates: the stage's access logs,
// method settings and tracing, the functions' tracing and reserved concurrency, and a `live` alias
// with provisioned concurrency that API Gateway calls, in one template and split into nested stacks.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { SlsError } from '../../../src/shared/errors.js';
import type { UserConfig } from '../../../src/config/types.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { cfnLint, formatFindings, templatesOf } from '../../support/cfn-lint.js';
import { allResources, assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const EVERYTHING: Partial<UserConfig> = {
  logRetentionDays: 60,
  api: { accessLogs: true, throttle: { rate: 50.5, burst: 100 }, metrics: true },
  tracing: true,
  controllers: { posts: { reservedConcurrency: 20, provisionedConcurrency: 3 } },
  functions: { hello: { provisionedConcurrency: 1 } },
  jobs: { cleanup: { reservedConcurrency: 1 } },
};

function generate(user: Partial<UserConfig>, split?: 'always'): GeneratedTemplates {
  const config = makeConfig(user);
  const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP), ...(split ? { split } : {}) });
  assertAllValid(result);
  return result;
}

const stageOf = (result: GeneratedTemplates) => result.root.Resources['ApiStage']!.Properties;

describe('without the settings', () => {
  it('adds nothing: no access log group, alias or version, and the stage and functions as before', () => {
    const result = generate({});
    expect(Object.keys(stageOf(result)).sort()).toEqual(['DeploymentId', 'Description', 'RestApiId', 'StageName']);
    expect(ofType(result, 'AWS::Lambda::Alias')).toEqual([]);
    expect(ofType(result, 'AWS::Lambda::Version')).toEqual([]);
    expect(result.root.Resources['ApiStageAccessLogs']).toBeUndefined();
    for (const [, fn] of ofType(result, 'AWS::Lambda::Function')) {
      expect(fn.Properties).not.toHaveProperty('TracingConfig');
      expect(fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    }
  });
});

describe('the API stage', () => {
  const result = generate(EVERYTHING);

  it('writes access logs as JSON lines into a log group of the stack, kept the app\'s retention', () => {
    expect(result.root.Resources['ApiStageAccessLogs']).toEqual({
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: '/aws/apigateway/blog-dev/access', RetentionInDays: 60 },
    });
    const setting = stageOf(result)['AccessLogSetting'] as { DestinationArn: unknown; Format: string };
    expect(setting.DestinationArn).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${ApiStageAccessLogs}' });
    expect(JSON.parse(setting.Format)).toMatchObject({ requestId: '$context.requestId', ip: '$context.identity.sourceIp', status: '$context.status', integrationLatency: '$context.integrationLatency' });
    expect(generate({ api: { accessLogs: { retentionDays: 7 } } }).root.Resources['ApiStageAccessLogs']!.Properties['RetentionInDays']).toBe(7);
  });

  it('throttles and measures every method, and traces the stage', () => {
    expect(stageOf(result)).toMatchObject({
      MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50.5, ThrottlingBurstLimit: 100, MetricsEnabled: true }],
      TracingEnabled: true,
    });
    expect(stageOf(generate({ api: { metrics: true } }))['MethodSettings']).toEqual([{ ResourcePath: '/*', HttpMethod: '*', MetricsEnabled: true }]);
    expect(stageOf(generate({ api: { throttle: { rate: 5 } } }))['MethodSettings']).toEqual([{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 5 }]);
  });

  it('does not take a new deployment for stage settings alone', () => {
    const plain = Object.keys(generate({ controllers: { posts: { reservedConcurrency: 20 } } }).root.Resources).filter((id) => id.startsWith('ApiDeployment'));
    const settings = Object.keys(generate({ api: { accessLogs: true, metrics: true }, tracing: true, controllers: { posts: { reservedConcurrency: 20 } } }).root.Resources).filter((id) => id.startsWith('ApiDeployment'));
    expect(settings).toEqual(plain);
  });
});

describe('functions', () => {
  const result = generate(EVERYTHING);
  const resources = allResources(result);

  it('traces every function and lets its role write traces', () => {
    const functions = ofType(result, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(3);
    for (const [, fn] of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    for (const [, role] of ofType(result, 'AWS::IAM::Role')) {
      expect(role.Properties.Policies).toContainEqual({
        PolicyName: 'tracing',
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }] },
      });
    }
  });

  it('reserves concurrency where it is set, 0 included', () => {
    expect(resources.get('PostsControllerFunction')!.resource.Properties.ReservedConcurrentExecutions).toBe(20);
    expect(resources.get('CleanupJobFunction')!.resource.Properties.ReservedConcurrentExecutions).toBe(1);
    expect(resources.get('HomeControllerFunction')!.resource.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    const off = generate({ jobs: { cleanup: { reservedConcurrency: 0 } } });
    expect(off.root.Resources['CleanupJobFunction']!.Properties['ReservedConcurrentExecutions']).toBe(0);
  });

  it('puts provisioned concurrency on a `live` alias of a published version', () => {
    const [versionId, version] = ofType(result, 'AWS::Lambda::Version').find(([id]) => id.startsWith('PostsControllerVersion'))!;
    expect(versionId).toMatch(/^PostsControllerVersion[0-9a-f]{10}$/);
    expect(version).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { FunctionName: { Ref: 'PostsControllerFunction' } } });
    expect(resources.get('PostsControllerLiveAlias')!.resource).toEqual({
      Type: 'AWS::Lambda::Alias',
      Properties: {
        FunctionName: { Ref: 'PostsControllerFunction' },
        FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
        Name: 'live',
        ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 },
      },
    });
    expect(resources.has('HelloLiveAlias')).toBe(true);
    expect(resources.has('HomeControllerLiveAlias')).toBe(false);
  });

  it('has API Gateway call the alias of those functions, and the function itself for the others', () => {
    const uriOf = (id: string) => JSON.stringify(resources.get(id)!.resource.Properties.Integration.Uri);
    expect(uriOf('ApiMethodPostsGet')).toContain('/functions/${PostsControllerLiveAlias}/invocations');
    expect(uriOf('ApiMethodHelloName219f9537Get')).toContain('${HelloLiveAlias}');
    expect(uriOf('ApiMethodHealthGet')).toContain('${HealthControllerFunction.Arn}');
    expect(resources.get('PostsControllerApiPermission')!.resource.Properties.FunctionName).toEqual({ Ref: 'PostsControllerLiveAlias' });
    expect(resources.get('HealthControllerApiPermission')!.resource.Properties.FunctionName).toEqual({ 'Fn::GetAtt': ['HealthControllerFunction', 'Arn'] });
  });

  it('keeps every logical id of the functions without it', () => {
    const before = new Set(Object.keys(generate({}).root.Resources).filter((id) => !id.startsWith('ApiDeployment')));
    const after = Object.keys(result.root.Resources).filter((id) => !id.startsWith('ApiDeployment'));
    const added = after.filter((id) => !before.has(id)).sort();
    expect(added).toEqual(['ApiStageAccessLogs', 'HelloLiveAlias', expect.stringMatching(/^HelloVersion/), 'PostsControllerLiveAlias', expect.stringMatching(/^PostsControllerVersion/)]);
    expect([...before].filter((id) => !after.includes(id))).toEqual([]);
  });

  it('publishes a new version when the code or settings change, not for tags', () => {
    const versionOf = (user: Partial<UserConfig>, salt = '') => {
      const config = makeConfig({ controllers: { posts: { provisionedConcurrency: 2 } }, ...user });
      const manifest = makeManifest(config, SMALL_APP);
      const posts = manifest.functions.find((fn) => fn.key === 'posts-controller')!;
      posts.artifact = { ...posts.artifact, key: `artifacts/${salt}${posts.artifact.key.slice('artifacts/'.length)}` };
      return Object.keys(generateTemplates({ config, manifest }).root.Resources).find((id) => id.startsWith('PostsControllerVersion'));
    };
    const base = versionOf({});
    expect(versionOf({ tags: { team: 'web' } })).toBe(base);
    expect(versionOf({}, 'new-')).not.toBe(base);
    expect(versionOf({ memory: 2048 })).not.toBe(base);
  });

  it('warns only of a function nothing invokes: not of a scheduled job, nor of routed functions', () => {
    const warned = generate({ jobs: { cleanup: { provisionedConcurrency: 2 } }, functions: { hello: { provisionedConcurrency: 1 }, callback: { provisionedConcurrency: 1 } } }).warnings.filter((w) => /provisionedConcurrency/.test(w.text));
    expect(warned.map((w) => w.text)).toEqual([expect.stringMatching(/^app\/functions\/callback \(blog-dev-callback\) has provisionedConcurrency 1, but nothing the app deploys calls its `live` alias/)]);
    expect(warned[0]!.level).toBe('warning');
    expect(result.warnings.filter((w) => /provisionedConcurrency/.test(w.text))).toEqual([]);
  });

  it('refuses a function whose parts add up to more provisioned than reserved concurrency', () => {
    const config = makeConfig({});
    const manifest = makeManifest(config, SMALL_APP);
    Object.assign(manifest.functions.find((fn) => fn.key === 'posts-controller')!, { reservedConcurrency: 2, provisionedConcurrency: 5 });
    expect(() => generateTemplates({ config, manifest })).toThrow(SlsError);
    expect(() => generateTemplates({ config, manifest })).toThrow(/PostsController \(blog-dev-posts-controller\): provisionedConcurrency 5 exceeds its reservedConcurrency 2/);
  });
});

describe('nested stacks', () => {
  const result = generate(EVERYTHING, 'always');
  const resources = allResources(result);

  it('keeps the version and alias with their function, and passes the alias\'s ARN to the stacks of the methods calling it', () => {
    const fnHome = resources.get('PostsControllerFunction')!.template;
    expect(fnHome).not.toBe('root');
    expect(resources.get('PostsControllerLiveAlias')!.template).toBe(fnHome);
    const method = resources.get('ApiMethodPostsGet')!;
    expect(method.template).not.toBe(fnHome);
    const child = result.children.find((c) => c.logicalId === method.template)!;
    const uri = JSON.stringify(method.resource.Properties.Integration.Uri);
    const parameter = Object.keys(child.template.Parameters ?? {}).find((name) => uri.includes(`\${${name}}`))!;
    expect(parameter).toBeDefined();
    const stack = result.root.Resources[method.template]!;
    expect((stack.Properties['Parameters'] as Record<string, unknown>)[parameter]).toEqual({ 'Fn::GetAtt': [fnHome, `Outputs.${parameter}`] });
    const fnChild = result.children.find((c) => c.logicalId === fnHome)!;
    expect(fnChild.template.Outputs?.[parameter]).toEqual({ Value: { Ref: 'PostsControllerLiveAlias' } });
    // The stage and its access logs stay in the root.
    expect(resources.get('ApiStageAccessLogs')!.template).toBe('root');
    expect(stageOf(result)).toHaveProperty('AccessLogSetting');
  });
});

describe('nested stacks holding their methods with their functions (stacks deployed that way before)', () => {
  it('calls the alias from the same stack', () => {
    const config = makeConfig(EVERYTHING);
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP), split: 'always', methods: 'function' });
    assertAllValid(result);
    const resources = allResources(result);
    const method = resources.get('ApiMethodPostsGet')!;
    expect(method.template).toBe(resources.get('PostsControllerLiveAlias')!.template);
    expect(JSON.stringify(method.resource.Properties.Integration.Uri)).toContain('${PostsControllerLiveAlias}');
  });
});

describe('cfn-lint', () => {
  it('finds no warning or error with every setting on, in one template and nested', async () => {
    const templates = [
      ...templatesOf('stage-settings', generate(EVERYTHING)),
      ...templatesOf('stage-settings-nested', generate(EVERYTHING, 'always')),
      ...templatesOf('stage-settings-domain', generate({ ...EVERYTHING, domain: { name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9' } })),
      ...templatesOf('stage-settings-format', generate({ api: { accessLogs: { retentionDays: 3653, format: '$context.requestId $context.status' }, throttle: { rate: 0 } }, provisionedConcurrency: 1, reservedConcurrency: 4, layout: 'action' })),
    ];
    expect(templates.length).toBeGreaterThan(4);
    const problems = (await cfnLint(templates)).filter((finding) => finding.level !== 'Informational');
    expect(formatFindings(problems)).toBe('');
  }, 240_000);
});
