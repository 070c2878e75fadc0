import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_BUCKET_ID, bootstrapTemplate, generateTemplates, OUTPUT_NAMES } from '../../../src/cloudformation/index.js';
import { assertValidTemplate, preloadResourceSpec } from '../../support/cfn-validator.js';
import { assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

describe('jobs', () => {
  const config = makeConfig();
  const result = generateTemplates({ config, manifest: makeManifest(config, { routes: [], jobs: [{ name: 'cleanup', schedules: ['rate(1 day)', 'cron(0 12 * * ? *)'] }, { name: 'report', schedules: [] }] }) });

  it('get an enabled EventBridge rule per schedule, targeting the job function', () => {
    assertAllValid(result);
    expect(result.root.Resources['CleanupJobSchedule1']).toMatchObject({
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(1 day)', State: 'ENABLED', Targets: [{ Arn: { 'Fn::GetAtt': ['CleanupJobFunction', 'Arn'] } }] },
    });
    expect(result.root.Resources['CleanupJobSchedule2']!.Properties).toMatchObject({ ScheduleExpression: 'cron(0 12 * * ? *)' });
    expect(ofType(result, 'AWS::Events::Rule')).toHaveLength(2);
  });

  it('let EventBridge invoke the function for that rule only', () => {
    expect(result.root.Resources['CleanupJobSchedule1Permission']).toEqual({
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: { 'Fn::GetAtt': ['CleanupJobFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['CleanupJobSchedule1', 'Arn'] },
      },
    });
    expect(result.root.Resources).toHaveProperty('ReportJobFunction');
    expect(result.root.Resources).not.toHaveProperty('ReportJobSchedule1');
  });
});

describe('outputs', () => {
  const config = makeConfig({}, 'prod');
  const manifest = makeManifest(config, SMALL_APP);
  const result = generateTemplates({ config, manifest });
  const outputs = result.root.Outputs!;

  it('give the API URL, bucket, API id, stage and route hash under fixed names', () => {
    expect(OUTPUT_NAMES).toEqual({ apiUrl: 'ApiUrl', artifactsBucketName: 'ArtifactsBucketName', restApiId: 'RestApiId', httpApiId: 'HttpApiId', stageName: 'StageName', routeHash: 'RouteHash', domainUrl: 'DomainUrl', domainTarget: 'DomainTarget', stacks: 'SlsTsStacks' });
    expect(outputs['ApiUrl']!.Value).toEqual({ 'Fn::Sub': 'https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod' });
    expect(outputs['ArtifactsBucketName']!.Value).toEqual({ Ref: 'ArtifactsBucket' });
    expect(outputs['RestApiId']!.Value).toEqual({ Ref: 'RestApi' });
    expect(outputs['StageName']!.Value).toEqual({ Ref: 'ApiStage' });
    expect(outputs['RouteHash']!.Value).toMatch(/^[0-9a-f]{10}$/);
  });

  it('give each function its name and ARN', () => {
    expect(outputs['PostsControllerFunctionName']).toMatchObject({ Value: 'blog-prod-posts-controller', Description: expect.stringContaining('posts-controller') });
    expect(outputs['PostsControllerFunctionArn']!.Value).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:blog-prod-posts-controller' });
    expect(Object.keys(outputs)).toHaveLength(6 + manifest.functions.length * 2);
  });

  it('leave per-function outputs out, with a warning, when they would pass 80% of the limit', () => {
    const routes = Array.from({ length: 80 }, (_, i) => ['GET', `/r${i}`, `c${i}#index`] as const);
    const config = makeConfig();
    const result = generateTemplates({ config, manifest: makeManifest(config, { routes: routes.map((r) => [...r]) }) });
    expect(Object.keys(result.root.Outputs!).sort()).toEqual(['ApiUrl', 'ArtifactsBucketName', 'RestApiId', 'RouteHash', 'SlsTsStacks', 'StageName']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ level: 'warning', text: expect.stringMatching(/80 functions would need 160 outputs/) }));
  });
});

describe('the artifacts bucket', () => {
  const config = makeConfig({ tags: { team: 'web' } });
  const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });

  it('blocks public access, encrypts, keeps versions and goes with the stack', () => {
    expect(ARTIFACTS_BUCKET_ID).toBe('ArtifactsBucket');
    expect(result.root.Resources['ArtifactsBucket']).toMatchObject({
      Type: 'AWS::S3::Bucket',
      DeletionPolicy: 'Delete',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        Tags: [{ Key: 'team', Value: 'web' }],
      },
    });
    expect(result.root.Resources['ArtifactsBucket']!.Properties).not.toHaveProperty('BucketName');
  });

  it('denies every request that does not use TLS', () => {
    expect(result.root.Resources['ArtifactsBucketPolicy']).toMatchObject({
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'ArtifactsBucket' },
        PolicyDocument: {
          Statement: [{
            Effect: 'Deny', Principal: '*', Action: 's3:*',
            Resource: [{ 'Fn::GetAtt': ['ArtifactsBucket', 'Arn'] }, { 'Fn::Sub': '${ArtifactsBucket.Arn}/*' }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }],
        },
      },
    });
  });

  it('is all the first-deploy template holds, under the same logical ids and the same properties', () => {
    const bootstrap = bootstrapTemplate(config);
    assertValidTemplate(bootstrap, { name: 'bootstrap' });
    expect(Object.keys(bootstrap.Resources)).toEqual(['ArtifactsBucket', 'ArtifactsBucketPolicy']);
    expect(bootstrap.Resources['ArtifactsBucket']).toEqual(result.root.Resources['ArtifactsBucket']);
    expect(bootstrap.Resources['ArtifactsBucketPolicy']).toEqual(result.root.Resources['ArtifactsBucketPolicy']);
    expect(bootstrap.Outputs).toEqual({ ArtifactsBucketName: result.root.Outputs!['ArtifactsBucketName'] });
  });
});
