// Declared resources as CloudFormation: each kind's resource with partial matchers and the spec
// validator, readable ids that never meet the app's other ids, removal policies per stage, and the
// outputs naming each physical resource.
import { beforeAll, describe, expect, it } from 'vitest';
import { declaredResourceOutputs, generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { bucket, cloudformation, queue, table, topic } from '../../../src/config/define-config.js';
import type { UserConfig } from '../../../src/config/types.js';
import { SlsError } from '../../../src/shared/errors.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { assertAllValid, makeConfig, makeManifest, SMALL_APP } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

function generate(user: Partial<UserConfig>, stage = 'dev'): GeneratedTemplates {
  const config = makeConfig(user, stage);
  const result = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
  assertAllValid(result);
  return result;
}

const ALL_KINDS: Partial<UserConfig> = {
  resources: {
    posts: table({ key: 'id' }),
    uploads: bucket(),
    emails: queue(),
    alerts: topic(),
    signingKey: cloudformation({ Type: 'AWS::KMS::Key', Properties: { Description: 'signs links', EnableKeyRotation: true } }),
  },
};

describe('each kind of resource', () => {
  it('lives in the root under a readable id: PostsTable, UploadsBucket, EmailsQueue + EmailsDeadLetterQueue, AlertsTopic, a raw one under its own name', () => {
    const { root } = generate(ALL_KINDS);
    expect(root.Resources).toMatchObject({
      PostsTable: { Type: 'AWS::DynamoDB::Table' },
      UploadsBucket: { Type: 'AWS::S3::Bucket' },
      UploadsBucketPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'UploadsBucket' } } },
      EmailsQueue: { Type: 'AWS::SQS::Queue' },
      EmailsDeadLetterQueue: { Type: 'AWS::SQS::Queue' },
      AlertsTopic: { Type: 'AWS::SNS::Topic' },
      SigningKey: { Type: 'AWS::KMS::Key', Properties: { Description: 'signs links', EnableKeyRotation: true } },
    });
  });

  it('a table: on-demand, point-in-time recovery and encryption by default, each key attribute declared once, indexes with their projection, TTL and stream', () => {
    const { root } = generate({
      resources: {
        posts: table({
          key: 'id',
          sort: { name: 'createdAt', type: 'number' },
          indexes: { byAuthor: { key: 'authorId', sort: { name: 'createdAt', type: 'number' } }, bySlug: { key: 'slug', projection: 'keys' }, byTag: { key: 'tag', projection: ['title'] } },
          ttl: 'expiresAt',
          stream: 'new-and-old',
        }),
        plain: table({ key: { name: 'pk', type: 'binary' }, pointInTimeRecovery: false }),
      },
    });
    const posts = root.Resources['PostsTable']!.Properties;
    expect(posts).toMatchObject({
      TableName: 'blog-dev-posts',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(posts['AttributeDefinitions']).toEqual([
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'N' },
      { AttributeName: 'authorId', AttributeType: 'S' },
      { AttributeName: 'slug', AttributeType: 'S' },
      { AttributeName: 'tag', AttributeType: 'S' },
    ]);
    expect(posts['GlobalSecondaryIndexes']).toEqual([
      { IndexName: 'byAuthor', KeySchema: [{ AttributeName: 'authorId', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
      { IndexName: 'bySlug', KeySchema: [{ AttributeName: 'slug', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      { IndexName: 'byTag', KeySchema: [{ AttributeName: 'tag', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] } },
    ]);
    const plain = root.Resources['PlainTable']!.Properties;
    expect(plain).toMatchObject({ AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'B' }], PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } });
    expect(plain).not.toHaveProperty('GlobalSecondaryIndexes');
    expect(plain).not.toHaveProperty('StreamSpecification');
    expect(plain).not.toHaveProperty('TimeToLiveSpecification');
  });

  it("a bucket: the artifacts bucket's security (public access blocked, SSE, BucketOwnerEnforced, TLS only), no name of its own (S3 names are global)", () => {
    const { root } = generate({ resources: { uploads: bucket() } });
    const artifacts = root.Resources['ArtifactsBucket']!.Properties;
    const uploads = root.Resources['UploadsBucket']!.Properties;
    for (const key of ['BucketEncryption', 'PublicAccessBlockConfiguration', 'OwnershipControls']) expect(uploads[key]).toEqual(artifacts[key]);
    expect(uploads).not.toHaveProperty('BucketName');
    expect(uploads).not.toHaveProperty('VersioningConfiguration');
    expect(uploads).not.toHaveProperty('CorsConfiguration');
    const statements = (root.Resources['UploadsBucketPolicy']!.Properties['PolicyDocument'] as { Statement: unknown[] }).Statement;
    expect(statements).toEqual([expect.objectContaining({
      Effect: 'Deny',
      Action: 's3:*',
      Resource: [{ 'Fn::GetAtt': ['UploadsBucket', 'Arn'] }, { 'Fn::Sub': '${UploadsBucket.Arn}/*' }],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    })]);
  });

  it('a bucket with versions, expiry and CORS; public: GetObject for everyone and the public-access block relaxed for that policy only (ACLs stay blocked)', () => {
    const { root } = generate({ resources: { site: bucket({ public: true, versioned: true, expireAfterDays: 30, cors: { origins: ['https://example.com'], methods: ['GET'] } }) } });
    expect(root.Resources['SiteBucket']!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: expect.arrayContaining([{ Id: 'expire-objects', Status: 'Enabled', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }]) },
      CorsConfiguration: { CorsRules: [{ AllowedOrigins: ['https://example.com'], AllowedMethods: ['GET'], AllowedHeaders: ['*'], MaxAge: 3000 }] },
    });
    const statements = (root.Resources['SiteBucketPolicy']!.Properties['PolicyDocument'] as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }));
    expect(statements).toContainEqual({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: { 'Fn::Sub': '${SiteBucket.Arn}/*' } });
  });

  it('a queue: SQS-managed encryption and a dead-letter queue by default (RedrivePolicy with maxReceiveCount), FIFO names and flags on both', () => {
    const { root } = generate({ resources: { emails: queue({ visibilityTimeout: 60, deadLetter: { maxReceives: 5 } }), orders: queue({ fifo: true }), events: queue({ deadLetter: false }) } });
    expect(root.Resources['EmailsQueue']!.Properties).toMatchObject({
      QueueName: 'blog-dev-emails',
      VisibilityTimeout: 60,
      MessageRetentionPeriod: 345_600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['EmailsDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(root.Resources['EmailsQueue']!.Properties).not.toHaveProperty('FifoQueue');
    expect(root.Resources['EmailsDeadLetterQueue']!.Properties).toMatchObject({ QueueName: 'blog-dev-emails-dlq', SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    expect(root.Resources['OrdersQueue']!.Properties).toMatchObject({ QueueName: 'blog-dev-orders.fifo', FifoQueue: true, RedrivePolicy: { maxReceiveCount: 3 } });
    expect(root.Resources['OrdersDeadLetterQueue']!.Properties).toMatchObject({ QueueName: 'blog-dev-orders-dlq.fifo', FifoQueue: true });
    expect(root.Resources['EventsQueue']!.Properties).not.toHaveProperty('RedrivePolicy');
    expect(root.Resources).not.toHaveProperty('EventsDeadLetterQueue');
  });

  it('long names are shortened with a stable hash to fit SQS (80 characters with .fifo), keeping the suffix', () => {
    const long = `q${'x'.repeat(47)}`;
    const config = { name: 'a-very-long-application-name-for-testing', resources: { [long]: queue({ fifo: true }) } };
    const { root } = generate(config, 'staging-europe-west-long');
    const again = generate(config, 'staging-europe-west-long');
    const queues = Object.values(root.Resources).filter((resource) => resource.Type === 'AWS::SQS::Queue').map((resource) => resource.Properties['QueueName'] as string);
    expect(queues).toHaveLength(2);
    for (const name of queues) {
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(/^[A-Za-z0-9_-]+\.fifo$/);
    }
    expect(new Set(queues).size).toBe(2);
    expect(Object.values(again.root.Resources).filter((resource) => resource.Type === 'AWS::SQS::Queue').map((resource) => resource.Properties['QueueName'])).toEqual(queues);
  });

  it('a topic, FIFO when asked', () => {
    const { root } = generate({ resources: { alerts: topic(), orders: topic({ fifo: true }) } });
    expect(root.Resources['AlertsTopic']!.Properties).toEqual({ TopicName: 'blog-dev-alerts' });
    expect(root.Resources['OrdersTopic']!.Properties).toEqual({ TopicName: 'blog-dev-orders.fifo', FifoTopic: true });
  });

  it('tags reach every resource that takes them', () => {
    const { root } = generate({ ...ALL_KINDS, tags: { team: 'blog' } });
    for (const id of ['PostsTable', 'UploadsBucket', 'EmailsQueue', 'EmailsDeadLetterQueue', 'AlertsTopic']) {
      expect(root.Resources[id]!.Properties['Tags']).toEqual([{ Key: 'team', Value: 'blog' }]);
    }
  });

  it('a raw resource keeps its DependsOn and policies; a Condition (no Conditions section exists) is an error naming its config path', () => {
    const { root } = generate({ resources: { posts: table({ key: 'id' }), backup: cloudformation({ Type: 'AWS::SSM::Parameter', DependsOn: 'PostsTable', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { Type: 'String', Value: 'x' } }) } });
    expect(root.Resources['Backup']).toMatchObject({ DependsOn: ['PostsTable'], DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const config = makeConfig({ resources: { flag: cloudformation({ Type: 'AWS::SSM::Parameter', Condition: 'IsProd', Properties: { Type: 'String', Value: 'x' } }) } });
    expect(() => generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) })).toThrowError(/resources\.flag\.resource\.Condition: sls-ts templates have no Conditions section/);
  });
});

describe('removal policy', () => {
  const policies = (result: GeneratedTemplates, id: string) => {
    const { DeletionPolicy, UpdateReplacePolicy } = result.root.Resources[id]!;
    return [DeletionPolicy, UpdateReplacePolicy];
  };

  it('tables and buckets are retained on a production-like stage and deleted elsewhere', () => {
    const user = { resources: { posts: table({ key: 'id' }), uploads: bucket() } };
    const prod = generate(user, 'prod');
    const dev = generate(user, 'dev');
    expect(policies(prod, 'PostsTable')).toEqual(['Retain', 'Retain']);
    expect(policies(prod, 'UploadsBucket')).toEqual(['Retain', 'Retain']);
    expect(policies(dev, 'PostsTable')).toEqual(['Delete', 'Delete']);
    expect(policies(dev, 'UploadsBucket')).toEqual(['Delete', 'Delete']);
  });

  it('the app-wide setting and a resource of its own override the stage default', () => {
    const result = generate({ removal: 'retain', resources: { posts: table({ key: 'id' }), scratch: bucket({ removal: 'destroy' }) } }, 'dev');
    expect(policies(result, 'PostsTable')).toEqual(['Retain', 'Retain']);
    expect(policies(result, 'ScratchBucket')).toEqual(['Delete', 'Delete']);
  });
});

describe('outputs', () => {
  it('name each physical resource: name and ARN, a queue its URL (and its dead-letter queue), a table its stream, a raw resource its Ref', () => {
    const { root } = generate({ ...ALL_KINDS, resources: { ...ALL_KINDS.resources, feed: table({ key: 'id', stream: 'keys' }) } });
    expect(root.Outputs).toMatchObject({
      PostsTableName: { Value: { Ref: 'PostsTable' } },
      PostsTableArn: { Value: { 'Fn::GetAtt': ['PostsTable', 'Arn'] } },
      FeedTableStreamArn: { Value: { 'Fn::GetAtt': ['FeedTable', 'StreamArn'] } },
      UploadsBucketName: { Value: { Ref: 'UploadsBucket' } },
      UploadsBucketArn: { Value: { 'Fn::GetAtt': ['UploadsBucket', 'Arn'] } },
      EmailsQueueName: { Value: { 'Fn::GetAtt': ['EmailsQueue', 'QueueName'] } },
      EmailsQueueArn: { Value: { 'Fn::GetAtt': ['EmailsQueue', 'Arn'] } },
      EmailsQueueUrl: { Value: { Ref: 'EmailsQueue' } },
      EmailsQueueDeadLetterQueueUrl: { Value: { Ref: 'EmailsDeadLetterQueue' } },
      AlertsTopicArn: { Value: { Ref: 'AlertsTopic' } },
      AlertsTopicName: { Value: { 'Fn::GetAtt': ['AlertsTopic', 'TopicName'] } },
      SigningKeyName: { Value: { Ref: 'SigningKey' } },
    });
    expect(root.Outputs!['PostsTableArn']!.Description).toContain('resources.posts');
    expect(root.Outputs).not.toHaveProperty('PostsTableStreamArn');
  });

  it('are listed per resource for the commands that read them after a deploy, exactly as the template names them', () => {
    const config = makeConfig(ALL_KINDS);
    const { root } = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    const listed = declaredResourceOutputs(config.resources);
    expect(listed.find((resource) => resource.name === 'emails')).toEqual({
      name: 'emails',
      kind: 'queue',
      logicalId: 'EmailsQueue',
      outputs: { name: 'EmailsQueueName', arn: 'EmailsQueueArn', url: 'EmailsQueueUrl', deadLetterUrl: 'EmailsQueueDeadLetterQueueUrl', deadLetterArn: 'EmailsQueueDeadLetterQueueArn' },
    });
    const named = listed.flatMap((resource) => Object.values(resource.outputs));
    expect(named.sort()).toEqual(Object.keys(root.Outputs!).filter((key) => !/Function(Name|Arn)$/.test(key) && !['ApiUrl', 'ArtifactsBucketName', 'RestApiId', 'StageName', 'RouteHash', 'SlsTsStacks'].includes(key)).sort());
    for (const resource of listed) expect(root.Resources[resource.logicalId]).toBeDefined();
  });
});

describe('logical ids', () => {
  const failure = (user: Partial<UserConfig>): string => {
    const config = makeConfig(user);
    try {
      generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    } catch (error) {
      expect(error).toBeInstanceOf(SlsError);
      return (error as Error).message;
    }
    throw new Error('expected the generation to fail');
  };

  it('never meet the fixed ids, the outputs, or the ids of the functions: each collision names both', () => {
    expect(failure({ resources: { artifacts: bucket() } })).toMatch(/resources\.artifacts and the fixed id ArtifactsBucket would both have the logical id ArtifactsBucket/);
    expect(failure({ resources: { apiUrl: cloudformation({ Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } }) } })).toMatch(/ApiUrl/);
    expect(failure({ resources: { postsControllerFunction: cloudformation({ Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } }) } })).toMatch(/PostsController.* and resources\.postsControllerFunction|resources\.postsControllerFunction and PostsController/);
    expect(failure({ resources: { posts: table({ key: 'id' }), postsTable: cloudformation({ Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x' } }) } })).toMatch(/resources\.postsTable and resources\.posts would both have the logical id PostsTable/);
  });

  it('depend on the resource alone: adding resources and functions changes no id', () => {
    const small = generate({ resources: { posts: table({ key: 'id' }) } });
    const big = generate({ resources: { alerts: topic(), posts: table({ key: 'id' }), uploads: bucket() } });
    expect(big.root.Resources['PostsTable']).toEqual(small.root.Resources['PostsTable']);
  });
});
