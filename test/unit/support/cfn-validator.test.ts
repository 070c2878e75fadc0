import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll } from 'vitest';
import {
  assertValidTemplate,
  preloadResourceSpec,
  validateTemplate,
  type TemplateProblem,
} from '../../support/cfn-validator.js';

type Template = Record<string, any>;

const validApp: Template = JSON.parse(
  readFileSync(new URL('../../fixtures/templates/valid-app.json', import.meta.url), 'utf8'),
);

/** A fresh copy of the valid fixture, to break one thing at a time. */
function app(): Template {
  return structuredClone(validApp);
}

function problem(path: string, message: RegExp): TemplateProblem {
  return { path, message: expect.stringMatching(message) as unknown as string };
}

function logGroups(count: number): Template {
  const resources: Template = {};
  for (let i = 0; i < count; i++) resources[`LogGroup${i}`] = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } };
  return { Resources: resources };
}

beforeAll(() => preloadResourceSpec(), 30_000);

describe('a valid template', () => {
  it('passes with zero problems (function, role, log group, REST API, method, deployment, stage, bucket + policy)', () => {
    expect(validateTemplate(validApp)).toEqual([]);
    expect(() => assertValidTemplate(validApp, { name: 'valid-app' })).not.toThrow();
  });

  it('accepts the coercions CloudFormation performs: numbers for strings, numeric and boolean strings', () => {
    const t = app();
    Object.assign(t.Resources.PostsFunction.Properties, { Timeout: '30', Description: 42, MemorySize: '1024' });
    t.Resources.ArtifactsBucket.Properties.PublicAccessBlockConfiguration.BlockPublicAcls = 'true';
    expect(validateTemplate(t)).toEqual([]);
  });

  it('accepts intrinsic functions wherever a value is expected', () => {
    const t = app();
    Object.assign(t.Resources.PostsFunction.Properties, {
      MemorySize: { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] },
      Architectures: { 'Fn::Split': [',', 'arm64'] },
      Environment: { 'Fn::If': ['IsProd', { Variables: { A: 'b' } }, { Ref: 'AWS::NoValue' }] },
    });
    t.Mappings = { Sizes: { dev: { Memory: 512 }, prod: { Memory: 2048 } } };
    expect(validateTemplate(t)).toEqual([]);
  });

  it('accepts every member of a union type and reports a value that fits none', () => {
    const t = app();
    // AWS::IAM::Role AssumeRolePolicyDocument is json | string; Method RequestParameters map<boolean | string>.
    t.Resources.PostsRole.Properties.AssumeRolePolicyDocument = JSON.stringify(validApp.Resources.PostsRole.Properties.AssumeRolePolicyDocument);
    t.Resources.ApiMethodPostsGet.Properties.RequestParameters = { 'method.request.querystring.page': 'true', 'method.request.header.x': true };
    expect(validateTemplate(t)).toEqual([]);

    t.Resources.ApiMethodPostsGet.Properties.RequestParameters['method.request.header.x'] = { required: true };
    expect(validateTemplate(t)).toEqual([
      problem('Resources.ApiMethodPostsGet.Properties.RequestParameters["method.request.header.x"]', /expected a boolean or a string, got an object/),
    ]);
  });
});

describe('top level (check 1)', () => {
  it('reports unknown sections, a missing Resources section and bad logical ids', () => {
    expect(validateTemplate({ Resource: {}, Outputs: {} })).toEqual([
      problem('Resource', /unknown template section "Resource"/),
      problem('Resources', /needs a Resources section/),
    ]);
    expect(validateTemplate({ Resources: {} })).toEqual([problem('Resources', /at least one resource/)]);

    const t = app();
    t.Resources['Posts-Bucket'] = { Type: 'AWS::S3::Bucket' };
    t.Resources[`B${'x'.repeat(255)}`] = { Type: 'AWS::S3::Bucket' };
    expect(validateTemplate(t)).toEqual([
      problem('Resources["Posts-Bucket"]', /must be alphanumeric/),
      problem(`Resources.B${'x'.repeat(255)}`, /at most 255 characters/),
    ]);
  });

  it('rejects what is not a template object at all', () => {
    expect(validateTemplate([])).toEqual([problem('', /must be a JSON object/)]);
  });
});

describe('resource types and attributes (check 2)', () => {
  it('reports a resource type the spec does not know, with the nearest type or the types of its service', () => {
    const t = app();
    t.Resources.ArtifactsBucket.Type = 'AWS::S3::Buckett';
    expect(validateTemplate(t)).toEqual([problem('Resources.ArtifactsBucket.Type', /^unknown resource type "AWS::S3::Buckett" — did you mean AWS::S3::Bucket\?$/)]);
    t.Resources.ArtifactsBucket.Type = 'AWS::KMS::Keyring';
    expect(validateTemplate(t)).toEqual([problem('Resources.ArtifactsBucket.Type', /^unknown resource type "AWS::KMS::Keyring" \(AWS::KMS has Alias, Key, ReplicaKey\)$/)]);
  });

  it('passes registry types (outside the AWS and Alexa namespaces) without checking their properties', () => {
    const t = app();
    t.Resources.Monitor = { Type: 'Datadog::Monitors::Monitor', Properties: { Anything: { goes: true } } };
    expect(validateTemplate(t)).toEqual([]);
    t.Resources.Monitor.Type = 'Monitor';
    expect(validateTemplate(t)).toEqual([problem('Resources.Monitor.Type', /^unknown resource type "Monitor"$/)]);
  });

  it('reports an unknown resource attribute', () => {
    const t = app();
    t.Resources.ApiStage.Dependson = ['Api'];
    expect(validateTemplate(t)).toEqual([problem('Resources.ApiStage.Dependson', /unknown resource attribute "Dependson"/)]);
  });

  it('allows custom resources any properties and attributes, but requires ServiceToken', () => {
    const t = app();
    t.Resources.Seed = { Type: 'Custom::SeedPosts', Properties: { ServiceToken: { 'Fn::GetAtt': ['PostsFunction', 'Arn'] }, Count: 3 } };
    t.Outputs.Seeded = { Value: { 'Fn::GetAtt': ['Seed', 'AnythingGoes'] } };
    expect(validateTemplate(t)).toEqual([]);

    delete t.Resources.Seed.Properties.ServiceToken;
    expect(validateTemplate(t)).toEqual([problem('Resources.Seed.Properties.ServiceToken', /requires property ServiceToken/)]);
  });

  it('requires the SAM transform for AWS::Serverless types', () => {
    const t = app();
    t.Resources.Table = { Type: 'AWS::Serverless::SimpleTable' };
    expect(validateTemplate(t)).toEqual([problem('Resources.Table.Type', /AWS::Serverless-2016-10-31/)]);
    t.Transform = 'AWS::Serverless-2016-10-31';
    expect(validateTemplate(t)).toEqual([]);
  });
});

describe('properties against the spec (check 3)', () => {
  it('reports an unknown property, suggesting a near spelling', () => {
    const t = app();
    t.Resources.PostsFunction.Properties.handler = 'posts.handler';
    expect(validateTemplate(t)).toEqual([
      problem('Resources.PostsFunction.Properties.handler', /unknown property of AWS::Lambda::Function — did you mean Handler\?/),
    ]);
  });

  it('reports a missing required property', () => {
    const t = app();
    delete t.Resources.PostsFunction.Properties.Role;
    delete t.Resources.ApiResourcePosts.Properties;
    expect(validateTemplate(t)).toEqual([
      problem('Resources.PostsFunction.Properties.Role', /AWS::Lambda::Function requires property Role/),
      problem('Resources.ApiResourcePosts.Properties.ParentId', /requires property ParentId/),
      problem('Resources.ApiResourcePosts.Properties.PathPart', /requires property PathPart/),
      problem('Resources.ApiResourcePosts.Properties.RestApiId', /requires property RestApiId/),
    ]);
  });

  it('reports wrong primitive types', () => {
    const t = app();
    Object.assign(t.Resources.PostsFunction.Properties, { MemorySize: true, Timeout: 'thirty', Handler: false, Architectures: 'arm64' });
    t.Resources.PostsLogGroup.Properties.RetentionInDays = 7.5;
    t.Resources.Api.Properties.DisableExecuteApiEndpoint = 'yes';
    expect(validateTemplate(t)).toEqual([
      problem('Resources.PostsLogGroup.Properties.RetentionInDays', /expected an integer, got number 7.5/),
      problem('Resources.PostsFunction.Properties.Architectures', /expected a list of strings, got string "arm64"/),
      problem('Resources.PostsFunction.Properties.Handler', /expected a string, got boolean false/),
      problem('Resources.PostsFunction.Properties.MemorySize', /expected an integer, got boolean true/),
      problem('Resources.PostsFunction.Properties.Timeout', /expected an integer, got string "thirty"/),
      problem('Resources.Api.Properties.DisableExecuteApiEndpoint', /expected a boolean/),
    ]);
  });

  it('reports unknown and missing keys in nested property types, through lists and maps', () => {
    const t = app();
    const integration = t.Resources.ApiMethodPostsGet.Properties.Integration;
    integration.Urii = integration.Uri;
    delete integration.Type;
    t.Resources.ArtifactsBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault = { SSEAlgorithm: ['AES256'] };
    t.Resources.ArtifactsBucket.Properties.Tags.push({ Key: 'stage' });
    t.Resources.PostsFunction.Properties.Environment.Variables.DEBUG = { on: true };
    expect(validateTemplate(t)).toEqual([
      problem('Resources.ArtifactsBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm', /expected a string, got a list/),
      problem('Resources.ArtifactsBucket.Properties.Tags[1].Value', /Tag requires property Value/),
      problem('Resources.PostsFunction.Properties.Environment.Variables.DEBUG', /expected a string, got an object/),
      problem('Resources.ApiMethodPostsGet.Properties.Integration.Urii', /unknown property of Integration — did you mean Uri\?/),
      problem('Resources.ApiMethodPostsGet.Properties.Integration.Type', /Integration requires property Type/),
    ]);
  });

  it('type-checks both branches of Fn::If', () => {
    const t = app();
    t.Resources.PostsLogGroup.Properties.RetentionInDays = { 'Fn::If': ['IsProd', 'forever', 7] };
    expect(validateTemplate(t)).toEqual([
      problem('Resources.PostsLogGroup.Properties.RetentionInDays["Fn::If"][1]', /expected an integer, got string "forever"/),
    ]);
  });
});

describe('references (check 4)', () => {
  it('reports a Ref to nothing', () => {
    const t = app();
    t.Resources.ArtifactsBucketPolicy.Properties.Bucket = { Ref: 'ArtifactBucket' };
    expect(validateTemplate(t)).toEqual([
      problem('Resources.ArtifactsBucketPolicy.Properties.Bucket.Ref', /Ref to ArtifactBucket, which is neither a resource, a parameter nor a pseudo parameter/),
    ]);
  });

  it('reports a GetAtt attribute the resource type does not have, in both forms, and a GetAtt to nothing', () => {
    const t = app();
    t.Resources.PostsFunction.Properties.Role = { 'Fn::GetAtt': ['PostsRole', 'Arnn'] };
    t.Resources.ApiResourcePosts.Properties.ParentId = { 'Fn::GetAtt': 'Api.RootId' };
    t.Outputs.PostsFunctionArn.Value = { 'Fn::GetAtt': ['PostFunction', 'Arn'] };
    expect(validateTemplate(t)).toEqual([
      problem('Resources.PostsFunction.Properties.Role["Fn::GetAtt"]', /AWS::IAM::Role PostsRole has no attribute "Arnn" \(it has: .*Arn/),
      problem('Resources.ApiResourcePosts.Properties.ParentId["Fn::GetAtt"]', /has no attribute "RootId" \(it has: RootResourceId, RestApiId\)/),
      problem('Outputs.PostsFunctionArn.Value["Fn::GetAtt"]', /PostFunction, which is not a resource/),
    ]);
  });

  it('resolves Fn::Sub variables like Ref and GetAtt, skipping ${!Literal} and honouring the variables map', () => {
    const t = app();
    t.Resources.PostsPermission.Properties.SourceArn = {
      'Fn::Sub': ['arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiId}/${!Stage}/${Nope}', { ApiId: { Ref: 'Api' } }],
    };
    t.Resources.ApiMethodPostsGet.Properties.Integration.Uri = { 'Fn::Sub': 'functions/${PostsFunction.Arn2}/invocations' };
    expect(validateTemplate(t)).toEqual([
      problem('Resources.ApiMethodPostsGet.Properties.Integration.Uri["Fn::Sub"]', /AWS::Lambda::Function PostsFunction has no attribute "Arn2"/),
      problem('Resources.PostsPermission.Properties.SourceArn["Fn::Sub"]', /Ref to Nope/),
    ]);
  });

  it('reports DependsOn, Condition and Fn::If naming nothing', () => {
    const t = app();
    t.Resources.ApiDeployment0a1b2c3d.DependsOn = ['ApiMethodPostsGet', 'ApiMethodPostsPost'];
    t.Resources.ApiStage.DependsOn = 'ApiMethodGone';
    t.Resources.ArtifactsBucket.Condition = 'IsProduction';
    t.Resources.PostsLogGroup.Properties.RetentionInDays = { 'Fn::If': ['IsStaging', 30, 7] };
    expect(validateTemplate(t)).toEqual([
      problem('Resources.ArtifactsBucket.Condition', /condition IsProduction is not declared/),
      problem('Resources.PostsLogGroup.Properties.RetentionInDays["Fn::If"][0]', /condition IsStaging is not declared/),
      problem('Resources.ApiDeployment0a1b2c3d.DependsOn[1]', /DependsOn names ApiMethodPostsPost, which is not a resource/),
      problem('Resources.ApiStage.DependsOn', /DependsOn names ApiMethodGone/),
    ]);
  });

  it('checks Outputs values the same way and conditions only reference parameters', () => {
    const t = app();
    t.Outputs.ApiUrl.Value = { 'Fn::Sub': 'https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${ApiStage}' };
    t.Conditions.HasBucket = { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ArtifactsBucket' }, ''] }] };
    expect(validateTemplate(t)).toEqual([
      problem('Conditions.HasBucket["Fn::Not"][0]["Fn::Equals"][0].Ref', /conditions can only reference parameters/),
      problem('Outputs.ApiUrl.Value["Fn::Sub"]', /Ref to RestApi/),
    ]);
  });

  it('accepts a nested stack GetAtt Outputs.<Name> but not an attribute stacks lack', () => {
    const t = app();
    t.Resources.PostsStack = {
      Type: 'AWS::CloudFormation::Stack',
      Properties: { TemplateURL: 'https://s3.amazonaws.com/b/posts.json', Parameters: { RestApiId: { Ref: 'Api' } } },
    };
    t.Resources.ApiDeployment0a1b2c3d.DependsOn = ['PostsStack'];
    t.Outputs.PostsFunctionArn.Value = { 'Fn::GetAtt': ['PostsStack', 'Outputs.PostsFunctionArn'] };
    t.Outputs.ChildStackId = { Value: { 'Fn::Sub': '${PostsStack.Outputs.StackIdOut}' } };
    expect(validateTemplate(t)).toEqual([]);

    t.Outputs.ChildStackId.Value = { 'Fn::GetAtt': 'PostsStack.Output.StackIdOut' };
    expect(validateTemplate(t)).toEqual([
      problem('Outputs.ChildStackId.Value["Fn::GetAtt"]', /AWS::CloudFormation::Stack PostsStack has no attribute "Output.StackIdOut"/),
    ]);
  });

  it('checks supplied parameter values against the declared parameters', () => {
    expect(validateTemplate(validApp, { parameters: { CodeKey: 'posts-abc.zip' } })).toEqual([]);
    expect(validateTemplate(validApp, { parameters: { Stage: 'prod', Extra: 1 } })).toEqual([
      problem('Parameters.CodeKey', /no Default and no value is supplied/),
      problem('Parameters.Extra', /does not declare/),
    ]);
  });
});

describe('dependency cycles (check 5)', () => {
  it('reports a cycle through Sub, GetAtt and DependsOn with its members, and nothing outside it', () => {
    const topic = (properties: Template, extra: Template = {}) => ({ Type: 'AWS::SNS::Topic', Properties: properties, ...extra });
    const t = {
      Resources: {
        Alerts: topic({ DisplayName: { 'Fn::Sub': 'alerts for ${Billing.TopicName}' } }),
        Billing: topic({ DisplayName: { 'Fn::GetAtt': ['Audit', 'TopicName'] } }),
        Audit: topic({}, { DependsOn: ['Alerts'] }),
        Outside: topic({ DisplayName: { Ref: 'Alerts' } }),
      },
    };
    expect(validateTemplate(t)).toEqual([problem('Resources.Alerts', /^dependency cycle: Alerts → Billing → Audit → Alerts$/)]);
  });

  it('reports the shortest loop of a cycle found in an app template', () => {
    const t = app();
    // The function already refers to its log group; naming the group after the function closes a loop.
    t.Resources.PostsLogGroup.Properties.LogGroupName = { 'Fn::Sub': '/aws/lambda/${PostsFunction}' };
    expect(validateTemplate(t)).toEqual([
      problem('Resources.PostsLogGroup', /^dependency cycle: PostsLogGroup → PostsFunction → PostsLogGroup$/),
    ]);
  });

  it('reports a resource that depends on itself, and none for a diamond', () => {
    const t = app();
    t.Resources.ApiStage.DependsOn = ['ApiStage'];
    expect(validateTemplate(t)).toEqual([problem('Resources.ApiStage', /dependency cycle: ApiStage → ApiStage/)]);

    const diamond = app();
    diamond.Resources.ApiStage.DependsOn = ['ApiMethodPostsGet', 'PostsPermission'];
    expect(validateTemplate(diamond)).toEqual([]);
  });
});

describe('limits (check 6)', () => {
  it('reports more than 500 resources with the count', () => {
    expect(validateTemplate(logGroups(500))).toEqual([]);
    expect(validateTemplate(logGroups(501))).toEqual([problem('Resources', /template has 501 resources; CloudFormation allows at most 500/)]);
  });

  it('reports more than 200 parameters, outputs and mappings', () => {
    const t = logGroups(1);
    t.Parameters = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`P${i}`, { Type: 'String', Default: 'x' }]));
    t.Outputs = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`O${i}`, { Value: { Ref: 'LogGroup0' } }]));
    t.Mappings = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`M${i}`, { k: { v: 1 } }]));
    expect(validateTemplate(t)).toEqual([
      problem('Parameters', /201 parameters; .* at most 200/),
      problem('Outputs', /201 outputs; .* at most 200/),
      problem('Mappings', /201 mappings; .* at most 200/),
    ]);
  });

  it('reports a template over 1,000,000 bytes and a description over 1024 bytes', () => {
    const t = app();
    t.Resources.PostsFunction.Properties.Description = 'é'.repeat(500_000);
    t.Description = 'x'.repeat(1025);
    expect(validateTemplate(t)).toEqual([
      problem('', /template is 100\d{4} bytes of JSON; CloudFormation allows at most 1000000/),
      problem('Description', /Description is 1025 bytes; CloudFormation allows at most 1024/),
    ]);
  });

  it('validates a 500-resource template well under a second once the spec is loaded', () => {
    const t = app();
    for (let i = 0; i < 489; i++) {
      t.Resources[`Method${i}`] = structuredClone(validApp.Resources.ApiMethodPostsGet);
    }
    expect(Object.keys(t.Resources)).toHaveLength(500);
    const started = performance.now();
    const problems = validateTemplate(t);
    const elapsed = performance.now() - started;
    expect(problems).toEqual([]);
    expect(elapsed).toBeLessThan(500);
  });
});

describe('assertValidTemplate', () => {
  it('throws one error naming the template and listing every problem', () => {
    const t = app();
    t.Resources.ArtifactsBucket.Type = 'AWS::S3::Buckett';
    t.Resources.ApiStage.DependsOn = 'Nothing';
    expect(() => assertValidTemplate(t, { name: 'posts-stack' })).toThrow(
      'template "posts-stack" has 2 problems:\n' +
        '  Resources.ArtifactsBucket.Type: unknown resource type "AWS::S3::Buckett" — did you mean AWS::S3::Bucket?\n' +
        '  Resources.ApiStage.DependsOn: DependsOn names Nothing, which is not a resource in this template',
    );
  });
});
