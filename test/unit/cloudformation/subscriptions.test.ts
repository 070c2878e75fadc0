// Jobs' `static events` and `static queue` as CloudFormation (#18): each kind's resources with
// partial matchers and the spec validator (which also refuses dependency cycles), the IAM each
// source needs and nothing more, the S3 notification without the bucket ↔ permission cycle, and
// the same shapes when the app is split into nested stacks.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { bucket, queue, table, topic } from '../../../src/config/define-config.js';
import type { JobQueueOptions, JobSubscription } from '../../../src/config/subscriptions.js';
import type { UserConfig } from '../../../src/config/types.js';
import { bucket as onBucket, queue as onQueue, rule, table as onTable, topic as onTopic } from '../../../src/runtime/subscriptions.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, builtFunction, makeConfig, makeManifest, ofType, SMALL_APP } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const RESOURCES: UserConfig['resources'] = {
  emails: queue({ visibilityTimeout: 180 }),
  orders: queue({ fifo: true }),
  alerts: topic(),
  failures: queue(),
  uploads: bucket(),
  posts: table({ key: 'id' }),
  comments: table({ key: 'id', stream: 'keys' }),
};

interface JobSpec { name: string; events?: JobSubscription[]; jobQueue?: JobQueueOptions; timeout?: number }

function generate(jobs: JobSpec[], user: Partial<UserConfig> = {}, split?: 'always'): GeneratedTemplates {
  const config = makeConfig({ resources: RESOURCES, ...user });
  const manifest = makeManifest(config, SMALL_APP);
  for (const job of jobs) {
    const fn = builtFunction(config, { key: `${job.name}-job`, kind: 'job', source: `${job.name[0]!.toUpperCase()}${job.name.slice(1)}Job`, job: job.name, events: job.events ?? [], ...(job.jobQueue && { jobQueue: job.jobQueue }) });
    manifest.functions.push(job.timeout ? { ...fn, timeout: job.timeout } : fn);
  }
  const result = generateTemplates({ config, manifest, ...(split ? { split } : {}) });
  assertAllValid(result);
  return result;
}

function resource(result: GeneratedTemplates, id: string): Record<string, any> {
  const found = allResources(result).get(id);
  if (!found) throw new Error(`no resource ${id}; have ${[...allResources(result).keys()].join(', ')}`);
  return found.resource;
}

function eventsPolicy(result: GeneratedTemplates, roleId: string): Array<Record<string, unknown>> {
  const policies = resource(result, roleId).Properties.Policies as Array<{ PolicyName: string; PolicyDocument: { Statement: Array<Record<string, unknown>> } }>;
  return policies.find((policy) => policy.PolicyName === 'events')?.PolicyDocument.Statement ?? [];
}

describe('a queue subscription', () => {
  it('is an event source mapping with partial batch responses, the batch settings as written, and the role may consume that queue only', () => {
    const result = generate([{ name: 'mailer', events: [onQueue('emails', { batchSize: 50, maxBatchingWindow: 5, maxConcurrency: 4 })] }]);
    expect(resource(result, 'MailerJobEvent1Mapping')).toMatchObject({
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['EmailsQueue', 'Arn'] },
        FunctionName: { Ref: 'MailerJobFunction' },
        BatchSize: 50,
        MaximumBatchingWindowInSeconds: 5,
        ScalingConfig: { MaximumConcurrency: 4 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    });
    expect(eventsPolicy(result, 'MailerJobRole')).toEqual([
      { Effect: 'Allow', Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], Resource: { 'Fn::GetAtt': ['EmailsQueue', 'Arn'] } },
    ]);
    // Other functions get nothing of it.
    expect(eventsPolicy(result, 'PostsControllerRole')).toEqual([]);
  });

  it('Lambda\'s default batch of 10 is written out; an external queue ARN is read as given', () => {
    const arn = 'arn:aws:sqs:us-east-1:123456789012:legacy';
    const result = generate([{ name: 'mailer', events: [onQueue(arn)] }]);
    expect(resource(result, 'MailerJobEvent1Mapping').Properties).toMatchObject({ EventSourceArn: arn, BatchSize: 10 });
    expect(resource(result, 'MailerJobEvent1Mapping').Properties).not.toHaveProperty('MaximumBatchingWindowInSeconds');
    expect(eventsPolicy(result, 'MailerJobRole')[0]).toMatchObject({ Resource: arn });
  });

  it('a role reading many queues counts their statements toward IAM\'s inline policy limit', () => {
    const events = Array.from({ length: 60 }, (_, index) => onQueue(`arn:aws:sqs:us-east-1:123456789012:tenant-queue-number-${index}`));
    const result = generate([{ name: 'mailer', events }]);
    expect(result.warnings.map((w) => w.text)).toContainEqual(expect.stringMatching(/^MailerJob: its IAM statements take \d+ characters; IAM allows 10240/));
  });

  it('warns when the queue hides messages for less than 6 × the job\'s timeout, as AWS advises', () => {
    const short = generate([{ name: 'mailer', events: [onQueue('emails')], timeout: 60 }]);
    expect(short.warnings.map((w) => w.text)).toContainEqual(expect.stringMatching(/^MailerJob\.events\[0\]: queue 'emails' hides a received message for 180 s, under 6 × the job's timeout \(360 s\)/));
    const enough = generate([{ name: 'mailer', events: [onQueue('emails')], timeout: 30 }]);
    expect(enough.warnings.map((w) => w.text).filter((text) => text.includes('MailerJob'))).toEqual([]);
  });
});

describe('a topic subscription', () => {
  it('is an SNS subscription of the function with its filter policy and scope, and a permission for SNS from that topic only', () => {
    const result = generate([{ name: 'pager', events: [onTopic('alerts', { filter: { severity: ['high'] }, filterScope: 'body' })] }]);
    expect(resource(result, 'PagerJobEvent1Subscription')).toMatchObject({
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'AlertsTopic' }, Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['PagerJobFunction', 'Arn'] }, FilterPolicy: { severity: ['high'] }, FilterPolicyScope: 'MessageBody' },
    });
    expect(resource(result, 'PagerJobEvent1Permission')).toMatchObject({
      Type: 'AWS::Lambda::Permission',
      Properties: { Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'AlertsTopic' }, FunctionName: { 'Fn::GetAtt': ['PagerJobFunction', 'Arn'] } },
    });
    expect(eventsPolicy(result, 'PagerJobRole')).toEqual([]);
  });

  it('an external topic of another region is subscribed to in its region; no filter, no filter properties', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:ops';
    const props = resource(generate([{ name: 'pager', events: [onTopic(arn)] }]), 'PagerJobEvent1Subscription').Properties;
    expect(props).toMatchObject({ TopicArn: arn, Region: 'eu-west-1' });
    expect(props).not.toHaveProperty('FilterPolicy');
  });
});

describe('a bucket subscription', () => {
  it('sets the bucket\'s Lambda notifications (one per event type, with the key filter), and the bucket waits for an S3 permission that does not refer to it', () => {
    const result = generate([
      { name: 'thumbs', events: [onBucket('uploads', { on: ['created', 's3:ObjectRemoved:Delete'], prefix: 'images/', suffix: '.jpg' })] },
      { name: 'audit', events: [onBucket('uploads', { on: ['removed'], prefix: 'docs/' })] },
    ]);
    const uploads = resource(result, 'UploadsBucket');
    const filter = (rules: unknown[]) => ({ S3Key: { Rules: rules } });
    expect(uploads.Properties.NotificationConfiguration.LambdaConfigurations).toEqual([
      { Event: 's3:ObjectRemoved:*', Function: { 'Fn::GetAtt': ['AuditJobFunction', 'Arn'] }, Filter: filter([{ Name: 'prefix', Value: 'docs/' }]) },
      { Event: 's3:ObjectCreated:*', Function: { 'Fn::GetAtt': ['ThumbsJobFunction', 'Arn'] }, Filter: filter([{ Name: 'prefix', Value: 'images/' }, { Name: 'suffix', Value: '.jpg' }]) },
      { Event: 's3:ObjectRemoved:Delete', Function: { 'Fn::GetAtt': ['ThumbsJobFunction', 'Arn'] }, Filter: filter([{ Name: 'prefix', Value: 'images/' }, { Name: 'suffix', Value: '.jpg' }]) },
    ]);
    expect(uploads.DependsOn).toEqual(['AuditJobEvent1Permission', 'ThumbsJobEvent1Permission']);
    // Named in advance, so the permission's SourceArn is built from the name, never from the bucket.
    expect(uploads.Properties.BucketName).toEqual({ 'Fn::Sub': 'blog-dev-uploads-${AWS::AccountId}-${AWS::Region}' });
    const permission = resource(result, 'ThumbsJobEvent1Permission');
    expect(permission.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': ['ThumbsJobFunction', 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::blog-dev-uploads-${AWS::AccountId}-${AWS::Region}' },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    expect(JSON.stringify(permission)).not.toContain('UploadsBucket');
  });

  it('a job that also links the bucket reads its name and ARN from the fixed name: no cycle through its environment or role', () => {
    const result = generate([{ name: 'thumbs', events: [onBucket('uploads')] }], { jobs: { thumbs: { link: ['uploads'] } } });
    const fn = resource(result, 'ThumbsJobFunction');
    expect(fn.Properties.Environment.Variables.SLS_TS_RESOURCE_UPLOADS_NAME).toEqual({ 'Fn::Sub': 'blog-dev-uploads-${AWS::AccountId}-${AWS::Region}' });
    const role = JSON.stringify(resource(result, 'ThumbsJobRole'));
    expect(role).not.toMatch(/\{"Ref":"UploadsBucket"|"Fn::GetAtt":\["UploadsBucket"|\$\{UploadsBucket/);
    expect(role).toContain('arn:${AWS::Partition}:s3:::blog-dev-uploads-${AWS::AccountId}-${AWS::Region}/*');
  });

  it('a bucket nobody subscribes to keeps CloudFormation\'s generated name and no notifications', () => {
    const uploads = resource(generate([]), 'UploadsBucket');
    expect(uploads.Properties).not.toHaveProperty('BucketName');
    expect(uploads.Properties).not.toHaveProperty('NotificationConfiguration');
    expect(uploads).not.toHaveProperty('DependsOn');
  });
});

describe('a table subscription', () => {
  it('turns the table\'s stream on (the subscription\'s view), maps the stream with its settings and on-failure queue, and grants stream reads and the send', () => {
    const result = generate([{ name: 'indexer', events: [onTable('posts', { stream: 'new', batchSize: 500, startingPosition: 'trim-horizon', retries: 5, onFailure: 'failures' })] }, { name: 'audit', events: [onTable('posts')] }]);
    expect(resource(result, 'PostsTable').Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(resource(result, 'IndexerJobEvent1Mapping').Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['PostsTable', 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 500,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['FailuresQueue', 'Arn'] } } },
    });
    expect(eventsPolicy(result, 'IndexerJobRole')).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'], Resource: { 'Fn::GetAtt': ['PostsTable', 'StreamArn'] } },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['FailuresQueue', 'Arn'] } },
    ]);
  });

  it('a table with a stream keeps its view; defaults: LATEST, 100 records, 3 retries; a topic on failure is published to', () => {
    const result = generate([{ name: 'indexer', events: [onTable('comments', { onFailure: 'alerts' })] }]);
    expect(resource(result, 'CommentsTable').Properties.StreamSpecification).toEqual({ StreamViewType: 'KEYS_ONLY' });
    expect(resource(result, 'IndexerJobEvent1Mapping').Properties).toMatchObject({ StartingPosition: 'LATEST', BatchSize: 100, MaximumRetryAttempts: 3 });
    expect(eventsPolicy(result, 'IndexerJobRole')[1]).toEqual({ Effect: 'Allow', Action: ['sns:Publish'], Resource: { Ref: 'AlertsTopic' } });
    expect(resource(result, 'PostsTable').Properties).not.toHaveProperty('StreamSpecification');
  });
});

describe('a rule subscription', () => {
  it('is an EventBridge rule with the pattern (on the named bus) targeting the job, and a permission from that rule', () => {
    const result = generate([{ name: 'billing', events: [rule({ source: 'shop', detailType: 'order.paid', detail: { total: [{ numeric: ['>', 100] }] }, bus: 'orders' })] }]);
    expect(resource(result, 'BillingJobEvent1Rule')).toMatchObject({
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['shop'], 'detail-type': ['order.paid'], detail: { total: [{ numeric: ['>', 100] }] } },
        EventBusName: 'orders',
        State: 'ENABLED',
        Targets: [{ Id: 'job', Arn: { 'Fn::GetAtt': ['BillingJobFunction', 'Arn'] } }],
      },
    });
    expect(resource(result, 'BillingJobEvent1Permission').Properties).toMatchObject({ Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['BillingJobEvent1Rule', 'Arn'] } });
  });
});

describe('a job\'s own queue (static queue)', () => {
  it('is a queue with a dead-letter queue (3 receives, visibility 6 × the timeout), mapped to the job', () => {
    const result = generate([{ name: 'email', jobQueue: {}, timeout: 20 }]);
    expect(resource(result, 'EmailJobQueue')).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: 'blog-dev-email-job', VisibilityTimeout: 120, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['EmailJobDeadLetterQueue', 'Arn'] }, maxReceiveCount: 3 } },
    });
    expect(resource(result, 'EmailJobDeadLetterQueue').Properties).toMatchObject({ QueueName: 'blog-dev-email-job-dlq' });
    expect(resource(result, 'EmailJobQueueMapping').Properties).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': ['EmailJobQueue', 'Arn'] }, FunctionName: { Ref: 'EmailJobFunction' }, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('the options as written: visibility, receives, batch, window and concurrency', () => {
    const result = generate([{ name: 'email', jobQueue: { visibilityTimeout: 900, maxReceives: 7, batchSize: 100, maxBatchingWindow: 10, maxConcurrency: 5 } }]);
    expect(resource(result, 'EmailJobQueue').Properties).toMatchObject({ VisibilityTimeout: 900, RedrivePolicy: { maxReceiveCount: 7 } });
    expect(resource(result, 'EmailJobQueueMapping').Properties).toMatchObject({ BatchSize: 100, MaximumBatchingWindowInSeconds: 10, ScalingConfig: { MaximumConcurrency: 5 } });
    // Without it Lambda scales the mapping as it likes: no ScalingConfig at all.
    expect(resource(generate([{ name: 'email', jobQueue: {} }]), 'EmailJobQueueMapping').Properties).not.toHaveProperty('ScalingConfig');
  });

  it('every function gets the queue URL in SLS_TS_JOB_QUEUE_<JOB> and may send to it, and only the job may consume it', () => {
    const result = generate([{ name: 'email', jobQueue: {} }]);
    for (const [id, fn] of ofType(result, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables, id).toMatchObject({ SLS_TS_JOB_QUEUE_EMAIL_JOB: { Ref: 'EmailJobQueue' } });
    }
    const send = { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [{ 'Fn::GetAtt': ['EmailJobQueue', 'Arn'] }] };
    expect(eventsPolicy(result, 'PostsControllerRole')).toEqual([send]);
    expect(eventsPolicy(result, 'EmailJobRole')).toEqual([
      { Effect: 'Allow', Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], Resource: { 'Fn::GetAtt': ['EmailJobQueue', 'Arn'] } },
      send,
    ]);
  });
});

describe('a nested app', () => {
  it('keeps the job queue, the bucket and its permission in the root; mappings, subscriptions and rules live with their job and read root ARNs as parameters', () => {
    const result = generate([
      { name: 'mailer', events: [onQueue('emails'), onTopic('alerts'), onTable('posts'), rule({ source: 'shop' })] },
      { name: 'thumbs', events: [onBucket('uploads')] },
      { name: 'email', jobQueue: {} },
    ], { jobs: { thumbs: { link: ['uploads'] } } }, 'always');
    const where = (id: string) => allResources(result).get(id)?.template;
    expect(where('EmailJobQueue')).toBe('root');
    expect(where('UploadsBucket')).toBe('root');
    expect(where('ThumbsJobEvent1Permission')).toBe('root');
    expect(where('MailerJobEvent1Mapping')).toBe('MailerJobStack');
    expect(where('MailerJobEvent2Subscription')).toBe('MailerJobStack');
    expect(where('MailerJobEvent4Rule')).toBe('MailerJobStack');
    expect(where('EmailJobQueueMapping')).toBe('EmailJobStack');
    const mailer = result.children.find((child) => child.logicalId === 'MailerJobStack')!.template;
    expect(Object.keys(mailer.Parameters ?? {})).toEqual(expect.arrayContaining(['EmailsQueueArn', 'AlertsTopic', 'PostsTableStreamArn', 'EmailJobQueue', 'EmailJobQueueArn']));
    // The thumbs job's stack takes nothing from the bucket: the bucket waits for the job, never the reverse.
    const thumbs = result.children.find((child) => child.logicalId === 'ThumbsJobStack')!.template;
    expect(Object.keys(thumbs.Parameters ?? {}).filter((name) => name.startsWith('UploadsBucket'))).toEqual([]);
  });
});

describe('ids', () => {
  it('a declared queue whose id meets a job queue\'s (emailJob → EmailJobQueue) is refused at build with both named, as every id collision is', () => {
    expect(() => generate([{ name: 'email', jobQueue: {} }], { resources: { ...RESOURCES, emailJob: queue() } })).toThrow(/^resources\.emailJob and EmailJob would both have the logical id EmailJobQueue$/);
  });
});

describe('the name of a subscribed bucket', () => {
  it('fits S3\'s 63 characters with any account and the longest region, lowercase, stable across generations', () => {
    const user = { name: 'a-very-long-application-name-for-testing', resources: { ...RESOURCES, userUploadsForTheArchive: bucket() } };
    const events = [onBucket('userUploadsForTheArchive')];
    const name = () => resource(generate([{ name: 'thumbs', events }], user), 'UserUploadsForTheArchiveBucket').Properties.BucketName['Fn::Sub'] as string;
    const resolved = name().replace('${AWS::AccountId}', '123456789012').replace('${AWS::Region}', 'ap-southeast-4');
    expect(resolved.length).toBeLessThanOrEqual(63);
    expect(resolved).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    expect(resolved).toMatch(/^a-very-long-application-[0-9a-f]{8}-123456789012-ap-southeast-4$/);
    expect(name()).toBe(name());
  });
});
