// Linking a declared resource: least-privilege IAM in the function's role (read-only has no write
// action), the physical names in its environment, shared roles holding the union, a nested app's
// functions receiving root resources as parameters, and the 4 KB environment check counting them.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { bucket, cloudformation, queue, table, topic } from '../../../src/config/define-config.js';
import type { UserConfig } from '../../../src/config/types.js';
import { SlsError } from '../../../src/shared/errors.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, largeApp, makeConfig, makeManifest, SMALL_APP, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const RESOURCES: UserConfig['resources'] = {
  posts: table({ key: 'id', indexes: { byAuthor: { key: 'authorId' } } }),
  uploads: bucket(),
  emails: queue(),
  alerts: topic(),
  signingKey: cloudformation({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } }),
};

/** Every action that changes data, per service: none may reach a read-only link. */
const WRITE_ACTIONS = [
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload',
  'sqs:SendMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility',
  'sns:Publish',
];

function generate(user: Partial<UserConfig>, app: AppSpec = SMALL_APP, options: { layout?: 'controller' | 'action'; split?: 'always' } = {}): GeneratedTemplates {
  const config = makeConfig({ resources: RESOURCES, ...user });
  const result = generateTemplates({ config, manifest: makeManifest(config, app, options.layout), ...(options.split ? { split: options.split } : {}) });
  assertAllValid(result);
  return result;
}

type Statement = { Sid?: string; Effect: string; Action: string[]; Resource: unknown };

/** The statements of a role's `resources` policy (none when it links nothing). */
function linkedStatements(result: GeneratedTemplates, roleId: string): Statement[] {
  const role = allResources(result).get(roleId)!.resource;
  const policy = (role.Properties.Policies as Array<{ PolicyName: string; PolicyDocument: { Statement: Statement[] } }>).find((p) => p.PolicyName === 'resources');
  return policy?.PolicyDocument.Statement ?? [];
}

function variables(result: GeneratedTemplates, functionId: string): Record<string, unknown> {
  return (allResources(result).get(functionId)!.resource.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
}

describe('IAM for linked resources', () => {
  it('read-write: item, query and scan actions on the table and its indexes, objects and listing of the bucket, both sides of the queue, publishing to the topic', () => {
    const result = generate({ controllers: { posts: { link: ['posts', 'uploads', 'emails', 'alerts'] } } });
    const statements = linkedStatements(result, 'PostsControllerRole');
    expect(statements).toEqual([
      {
        Sid: 'PostsTable',
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
        Resource: [{ 'Fn::GetAtt': ['PostsTable', 'Arn'] }, { 'Fn::Sub': '${PostsTable.Arn}/index/*' }],
      },
      { Sid: 'UploadsBucketObjects', Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'], Resource: { 'Fn::Sub': '${UploadsBucket.Arn}/*' } },
      { Sid: 'UploadsBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: { 'Fn::GetAtt': ['UploadsBucket', 'Arn'] } },
      {
        Sid: 'EmailsQueue',
        Effect: 'Allow',
        Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage'],
        Resource: { 'Fn::GetAtt': ['EmailsQueue', 'Arn'] },
      },
      { Sid: 'AlertsTopic', Effect: 'Allow', Action: ['sns:GetTopicAttributes', 'sns:Publish'], Resource: { Ref: 'AlertsTopic' } },
    ]);
    // Nothing beyond the linked resources: no wildcard, no dead-letter queue, no other table.
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|DeadLetter/);
  });

  it('read-only: read actions only, on the same resources', () => {
    const readOnly = (name: string) => ({ name, readOnly: true });
    const result = generate({ controllers: { posts: { link: ['posts', 'uploads', 'emails', 'alerts'].map(readOnly) } } });
    const statements = linkedStatements(result, 'PostsControllerRole');
    expect(statements.map((s) => s.Sid)).toEqual(['PostsTable', 'UploadsBucketObjects', 'UploadsBucket', 'EmailsQueue', 'AlertsTopic']);
    const actions = statements.flatMap((s) => s.Action);
    for (const action of WRITE_ACTIONS) expect(actions).not.toContain(action);
    expect(actions).toEqual([
      'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan',
      's3:GetObject', 's3:ListBucket',
      'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage',
      'sns:GetTopicAttributes',
    ]);
  });

  it('a raw resource gets no IAM (the app writes its own), only its name; a function linking nothing gets no resources policy', () => {
    const result = generate({ controllers: { posts: { link: ['signingKey'] } } });
    expect(linkedStatements(result, 'PostsControllerRole')).toEqual([]);
    expect(variables(result, 'PostsControllerFunction')).toMatchObject({ SLS_TS_RESOURCE_SIGNING_KEY_NAME: { Ref: 'SigningKey' } });
    expect(variables(result, 'HomeControllerFunction')).toEqual({ SLS_TS_STAGE: 'dev' });
  });

  it("links add up: the app's read-only link and a controller's read-write one give read-write; other functions keep read-only", () => {
    const result = generate({ link: [{ name: 'posts', readOnly: true }], controllers: { posts: { link: ['posts'] } } });
    expect(linkedStatements(result, 'PostsControllerRole')[0]!.Action).toContain('dynamodb:PutItem');
    expect(linkedStatements(result, 'HomeControllerRole')[0]!.Action).not.toContain('dynamodb:PutItem');
    expect(linkedStatements(result, 'CleanupJobRole')).toHaveLength(1);
  });

  it("a shared role (iamRoles: 'controller') holds the union of its functions' links, read-write where any of them writes", () => {
    const result = generate({
      iamRoles: 'controller',
      controllers: { widgets000: { actions: { index: { link: [{ name: 'posts', readOnly: true }] }, create: { link: ['posts', 'alerts'] }, show: { link: [{ name: 'uploads', readOnly: true }] } } } },
    }, largeApp(2), { layout: 'action' });
    const statements = linkedStatements(result, 'Widgets000ControllerSharedRole');
    expect(statements.map((s) => s.Sid)).toEqual(['PostsTable', 'UploadsBucketObjects', 'UploadsBucket', 'AlertsTopic']);
    expect(statements[0]!.Action).toContain('dynamodb:PutItem');
    expect(statements[1]!.Action).toEqual(['s3:GetObject']);
    // Each function's environment still names only what it links itself.
    expect(Object.keys(variables(result, 'Widgets000ControllerIndexFunction'))).toEqual(['SLS_TS_RESOURCE_POSTS_ARN', 'SLS_TS_RESOURCE_POSTS_NAME', 'SLS_TS_STAGE']);
    expect(linkedStatements(result, 'Widgets001ControllerSharedRole')).toEqual([]);
  });
});

describe('environment of a linking function', () => {
  it('SLS_TS_RESOURCE_<NAME>_NAME and _ARN, a queue _URL too, as Ref / Fn::GetAtt', () => {
    const result = generate({ functions: { callback: { link: ['posts', 'uploads', 'emails', 'alerts'] } } });
    expect(variables(result, 'CallbackFunction')).toEqual({
      SLS_TS_STAGE: 'dev',
      SLS_TS_RESOURCE_POSTS_NAME: { Ref: 'PostsTable' },
      SLS_TS_RESOURCE_POSTS_ARN: { 'Fn::GetAtt': ['PostsTable', 'Arn'] },
      SLS_TS_RESOURCE_UPLOADS_NAME: { Ref: 'UploadsBucket' },
      SLS_TS_RESOURCE_UPLOADS_ARN: { 'Fn::GetAtt': ['UploadsBucket', 'Arn'] },
      SLS_TS_RESOURCE_EMAILS_NAME: { 'Fn::GetAtt': ['EmailsQueue', 'QueueName'] },
      SLS_TS_RESOURCE_EMAILS_ARN: { 'Fn::GetAtt': ['EmailsQueue', 'Arn'] },
      SLS_TS_RESOURCE_EMAILS_URL: { Ref: 'EmailsQueue' },
      SLS_TS_RESOURCE_ALERTS_NAME: { 'Fn::GetAtt': ['AlertsTopic', 'TopicName'] },
      SLS_TS_RESOURCE_ALERTS_ARN: { Ref: 'AlertsTopic' },
    });
  });

  it('the 4 KB check counts linked resources as their longest resolved values, and says so in its hint', () => {
    const many: NonNullable<UserConfig['resources']> = {};
    for (let i = 0; i < 12; i++) many[`uploads${i}`] = bucket();
    const config = makeConfig({ resources: many, env: { FILLER: 'x'.repeat(1800) }, jobs: { cleanup: { link: Object.keys(many) } } });
    const manifest = makeManifest(config, SMALL_APP);
    // Written, the template is far under 4 KB (the Ref/GetAtt are short); resolved, the names and ARNs are not.
    let error: unknown;
    try {
      generateTemplates({ config, manifest });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SlsError);
    expect((error as SlsError).diagnostics).toEqual([{
      text: expect.stringMatching(/^CleanupJob \(blog-dev-cleanup-job\): its environment variables take \d+ bytes; Lambda allows 4096 .*SLS_TS_RESOURCE_UPLOADS\d+_ARN/),
      hint: expect.stringContaining('each linked resource adds its name and ARN'),
    }]);
    const fewer = makeConfig({ resources: many, env: { FILLER: 'x'.repeat(1800) }, jobs: { cleanup: { link: ['uploads0', 'uploads1'] } } });
    expect(() => generateTemplates({ config: fewer, manifest: makeManifest(fewer, SMALL_APP) })).not.toThrow();
  });
});

describe('a nested app', () => {
  it("passes a root table to a nested stack's function and role as parameters (Ref, Arn), and keeps the resource in the root", () => {
    const result = generate({ controllers: { widgets001: { link: ['posts', { name: 'emails', readOnly: true }] } } }, largeApp(3), { split: 'always' });
    expect(result.root.Resources['PostsTable']).toBeDefined();
    const stack = result.children.find((child) => child.template.Resources['Widgets001ControllerFunction'])!;
    expect(stack.template.Resources).not.toHaveProperty('PostsTable');
    expect(stack.template.Parameters).toMatchObject({ PostsTable: { Type: 'String' }, PostsTableArn: { Type: 'String' }, EmailsQueue: { Type: 'String' }, EmailsQueueArn: { Type: 'String' } });
    expect(result.root.Resources[stack.logicalId]!.Properties['Parameters']).toMatchObject({
      PostsTable: { Ref: 'PostsTable' },
      PostsTableArn: { 'Fn::GetAtt': ['PostsTable', 'Arn'] },
      EmailsQueueArn: { 'Fn::GetAtt': ['EmailsQueue', 'Arn'] },
    });
    const fn = stack.template.Resources['Widgets001ControllerFunction']!;
    expect((fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables).toMatchObject({ SLS_TS_RESOURCE_POSTS_NAME: { Ref: 'PostsTable' }, SLS_TS_RESOURCE_POSTS_ARN: { Ref: 'PostsTableArn' } });
    const statements = linkedStatements(result, 'Widgets001ControllerRole');
    expect(statements[0]!.Resource).toEqual([{ Ref: 'PostsTableArn' }, { 'Fn::Sub': '${PostsTableArn}/index/*' }]);
    // Stacks that link nothing get no parameter for it.
    const other = result.children.find((child) => child.template.Resources['Widgets000ControllerFunction'])!;
    expect(Object.keys(other.template.Parameters ?? {})).not.toContain('PostsTable');
  });

  it("lets the app's own IAM name a raw resource by its logical id, from a nested stack too (no IAM comes with linking one)", () => {
    const statement = { Action: ['kms:Sign'], Resource: { 'Fn::GetAtt': ['SigningKey', 'Arn'] } };
    const result = generate({ controllers: { widgets001: { link: ['signingKey'], iam: [statement] } } }, largeApp(2), { split: 'always' });
    const stack = result.children.find((child) => child.template.Resources['Widgets001ControllerFunction'])!;
    expect(result.root.Resources[stack.logicalId]!.Properties['Parameters']).toMatchObject({ SigningKey: { Ref: 'SigningKey' }, SigningKeyArn: { 'Fn::GetAtt': ['SigningKey', 'Arn'] } });
    const role = stack.template.Resources['Widgets001ControllerRole']!;
    const app = (role.Properties['Policies'] as Array<{ PolicyName: string; PolicyDocument: { Statement: unknown[] } }>).find((policy) => policy.PolicyName === 'app')!;
    expect(app.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: ['kms:Sign'], Resource: { Ref: 'SigningKeyArn' } }]);
    expect(linkedStatements(result, 'Widgets001ControllerRole')).toEqual([]);
  });
});
