import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

describe('Lambda functions', () => {
  const config = makeConfig({ env: { API_KEY: 'k', ALPHA: 'a' }, tags: { team: 'web', cost: 'blog' }, logRetentionDays: 14, runtime: 'nodejs22.x', architecture: 'x86_64' });
  const manifest = makeManifest(config, SMALL_APP);
  const result = generateTemplates({ config, manifest });
  const posts = manifest.functions.find((fn) => fn.key === 'posts-controller')!;

  it('carries the manifest settings and its code from the artifacts bucket', () => {
    assertAllValid(result);
    expect(result.root.Resources['PostsControllerFunction']).toMatchObject({
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: 'blog-dev-posts-controller',
        Runtime: 'nodejs22.x',
        Architectures: ['x86_64'],
        Handler: 'index.handler',
        MemorySize: 1024,
        Timeout: 10,
        Description: 'blog dev: PostsController',
        Role: { 'Fn::GetAtt': ['PostsControllerRole', 'Arn'] },
        Code: { S3Bucket: { Ref: 'ArtifactsBucket' }, S3Key: posts.artifact.key },
        LoggingConfig: { LogGroup: { Ref: 'PostsControllerLogGroup' } },
      },
    });
  });

  it('sorts environment variables and tags so their order never shows up as a change', () => {
    const props = result.root.Resources['PostsControllerFunction']!.Properties;
    expect(Object.keys((props['Environment'] as any).Variables)).toEqual(['ALPHA', 'API_KEY', 'SLS_TS_STAGE']);
    expect(props['Tags']).toEqual([{ Key: 'cost', Value: 'blog' }, { Key: 'team', Value: 'web' }]);
  });

  it('gives each function its own log group with the configured retention', () => {
    expect(result.root.Resources['PostsControllerLogGroup']).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: '/aws/lambda/blog-dev-posts-controller', RetentionInDays: 14 },
    });
    expect(ofType(result, 'AWS::Logs::LogGroup')).toHaveLength(manifest.functions.length);
  });
});

describe('IAM roles', () => {
  it('by default, let a function write to its own log group and nothing else', () => {
    const config = makeConfig();
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    const role = result.root.Resources['PostsControllerRole']!;
    expect(role.Properties).not.toHaveProperty('RoleName');
    expect(role.Properties['AssumeRolePolicyDocument']).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(role.Properties['Policies']).toEqual([{
      PolicyName: 'logs',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['PostsControllerLogGroup', 'Arn'] } }],
      },
    }]);
    expect(result.warnings).toEqual([]);
  });

  it('never grants "*" on "*" unless the user wrote it', () => {
    const config = makeConfig({ iam: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::uploads/*' }] });
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    for (const [, role] of ofType(result, 'AWS::IAM::Role')) {
      for (const policy of role.Properties.Policies) {
        for (const statement of policy.PolicyDocument.Statement) {
          expect(statement.Action === '*' && statement.Resource === '*').toBe(false);
        }
      }
    }
  });

  it('adds up app, controller and action statements (with Effect defaulting to Allow)', () => {
    const config = makeConfig({
      iam: [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::uploads/*' }],
      controllers: {
        posts: {
          iam: [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:aws:dynamodb:us-east-1:1:table/posts' }],
          actions: { create: { iam: [{ Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:1:q', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] } },
        },
      },
    });
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'action') });
    assertAllValid(result);
    const statements = (id: string) => (result.root.Resources[id]!.Properties['Policies'] as any[]).find((p) => p.PolicyName === 'app')?.PolicyDocument.Statement;
    expect(statements('PostsControllerCreateRole')).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::uploads/*' },
      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:aws:dynamodb:us-east-1:1:table/posts' },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:1:q', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    ]);
    expect(statements('PostsControllerIndexRole')).toHaveLength(2);
    expect(statements('HomeControllerIndexRole')).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::uploads/*' }]);
  });

  it('keeps a "*" on "*" statement the user wrote, and warns about it once', () => {
    const config = makeConfig({ iam: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    const policies = result.root.Resources['HomeControllerRole']!.Properties['Policies'] as any[];
    expect(policies[1].PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    const warnings = result.warnings.filter((w) => /every action on every resource/.test(w.text));
    expect(warnings).toEqual([expect.objectContaining({ level: 'warning', hint: expect.stringMatching(/least privilege/) })]);
    expect(warnings[0]!.text).toMatch(/PostsController/);
  });
});

describe('long names', () => {
  it('keeps function names from the manifest and logical ids within 255 alphanumerics', () => {
    const config = makeConfig({ name: 'a-rather-long-application-name-for-tests' }, 'production-eu');
    const controller = `reports/${'quarterly-'.repeat(30)}summaries`;
    const manifest = makeManifest(config, { routes: [['GET', `/${'segment-'.repeat(40)}end/:id`, `${controller}#show`]] });
    const result = generateTemplates({ config, manifest });
    assertAllValid(result);
    const [fnId, fn] = ofType(result, 'AWS::Lambda::Function')[0]!;
    expect(fn.Properties.FunctionName).toBe(manifest.functions[0]!.functionName);
    expect(fn.Properties.FunctionName.length).toBeLessThanOrEqual(64);
    for (const id of Object.keys(result.root.Resources)) {
      expect(id).toMatch(/^[A-Za-z0-9]{1,255}$/);
    }
    // Too long to keep whole: cut, with a hash of the key, and the family suffix kept.
    expect(fnId).toMatch(/^ReportsQuarterly\w+[0-9a-f]{8}Function$/);
    expect(fnId).toHaveLength(255);
  });
});
