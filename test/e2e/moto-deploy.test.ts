// The real `sls-ts` binary against moto_server, an AWS emulator written independently of this
// project (its own double in test/support/aws-double shares our assumptions; moto does not).
// moto's gaps are worked around here only — see test/support/moto-patches (DependsOn order of a
// change set, AWS::SNS::Subscription, a bucket's NotificationConfiguration) and the comments below.
// Authorizers, API keys and usage plans have their own file: moto-auth.test.ts.
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { APIGatewayClient, GetResourcesCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, ListEventSourceMappingsCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketNotificationConfigurationCommand, HeadBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMotoSession } from '../support/moto-session.js';
import { copyApp, exampleApp } from '../unit/build/support.js';

const stackName = 'example-app-dev';
const functionNames = ['admin-authorizer', 'admin-stats-controller', 'announce-job', 'chat-channel', 'cleanup-job', 'health-controller', 'hello', 'home-controller', 'images-controller', 'posts-controller', 'quotes-controller', 'summarize-upload-job', 'uploads-controller'].map((name) => `${stackName}-${name}`);
const routePaths = ['/', '/health', '/posts', '/posts/{id}', '/logo.png', '/uploads', '/uploads/{id}', '/hello', '/hello/{name}', '/admin', '/admin/stats', '/admin/posts', '/quotes', '/quotes/today'];

const session = useMotoSession();
const { sdk, slsTs, awsCli } = session;
let appDir: string;

beforeAll(() => {
  appDir = copyApp(exampleApp, session.scratchDir, 'example-app');
});

/** Runs a command that must succeed (in example-app's copy unless told). */
const succeed = (args: string[], dir = appDir): Promise<string> => session.succeed(args, dir);

/**
 * The API is found by name, not through the stack's ApiUrl output: moto 5.2 keeps the Outputs of
 * the stack's creation (the bootstrap template) after a change set, so ApiUrl never appears there.
 */
async function restApiId(): Promise<string> {
  const apis = (await new APIGatewayClient(sdk()).send(new GetRestApisCommand({}))).items ?? [];
  const api = apis.find((candidate) => candidate.name === stackName);
  expect(api, `no REST API named ${stackName}`).toBeDefined();
  return api!.id!;
}

/** The API's resource paths, each with its HTTP methods. */
async function apiPaths(): Promise<Map<string, string[]>> {
  const resources = (await new APIGatewayClient(sdk()).send(new GetResourcesCommand({ restApiId: await restApiId(), limit: 500 }))).items ?? [];
  return new Map(resources.map((resource) => [resource.path!, Object.keys(resource.resourceMethods ?? {}).sort()]));
}

// A deploy takes ~2 s here, but the whole suite shares two cores with moto's Python.
describe('sls-ts against moto_server', { timeout: 60_000 }, () => {
  it('first deploy: the stack completes, every function and every route exists', async () => {
    const stdout = await succeed(['deploy']);
    expect(stdout).toMatch(/✓ deployed example-app-dev in /);

    const cloudformation = new CloudFormationClient(sdk());
    const [stack] = (await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
    expect(stack?.StackStatus).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
    const resources = (await cloudformation.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];
    expect(resources.filter((r) => r.ResourceType === 'AWS::Lambda::Function').map((r) => r.PhysicalResourceId).sort()).toEqual(functionNames);

    const lambda = new LambdaClient(sdk());
    for (const name of functionNames) {
      const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
      expect(fn.Configuration?.FunctionName).toBe(name);
    }

    const paths = await apiPaths();
    for (const path of routePaths) expect(paths.has(path), `API resource ${path}`).toBe(true);
    expect(paths.get('/posts/{id}')).toEqual(['DELETE', 'GET', 'PATCH', 'PUT']);
    expect(paths.get('/admin/posts')).toEqual(['DELETE']);

    const url = await slsTs(['url', '-C', appDir]);
    expect(url.stdout.trim()).toBe(`https://${await restApiId()}.execute-api.us-east-1.amazonaws.com/dev`);
  });

  it('a redeploy of the same code changes nothing', async () => {
    const stdout = await succeed(['deploy']);
    // 13 zips (example-app's admin authorizer and chat channel included) and the template.
    expect(stdout).toMatch(/14 unchanged/);
    expect(stdout).toMatch(/✓ no changes/);
  });

  it('a route change reaches the API', async () => {
    const routes = join(appDir, 'config', 'routes.ts');
    writeFileSync(routes, readFileSync(routes, 'utf8').replace("r.get('/health', 'health#show');", "r.get('/health', 'health#show');\n  r.get('/ping', 'health#show');"));
    const stdout = await succeed(['deploy']);
    expect(stdout).toMatch(/✓ deployed example-app-dev in /);
    const paths = await apiPaths();
    expect(paths.get('/ping')).toEqual(['GET']);
    expect(paths.has('/health')).toBe(true);
  });

  it('delete removes the stack, its functions and its bucket', async () => {
    await succeed(['delete']);

    const cloudformation = new CloudFormationClient(sdk());
    await expect(cloudformation.send(new DescribeStacksCommand({ StackName: stackName }))).rejects.toThrow(/does not exist/);
    const functions = (await new LambdaClient(sdk()).send(new ListFunctionsCommand({}))).Functions ?? [];
    expect(functions.map((f) => f.FunctionName)).toEqual([]);
    // Not checked: the REST API. moto 5.2's API Gateway models have no CloudFormation delete, so
    // moto keeps the RestApi of a deleted stack; real CloudFormation deletes it with the stack.
    const buckets = (await new S3Client({ ...sdk(), forcePathStyle: true }).send(new ListBucketsCommand({}))).Buckets ?? [];
    expect(buckets.map((bucket) => bucket.Name)).toEqual([]);
  });
});

/** example-app's code with tables, a bucket and a queue declared and linked (example-app's own config is left to its tests). */
const DATA_CONFIG = `import { bucket, defineConfig, queue, table } from 'sls-ts/config';

export default defineConfig({
  name: 'data-app',
  region: 'us-east-1',
  resources: {
    posts: table({ key: 'id', sort: { name: 'createdAt', type: 'number' } }),
    uploads: bucket(),
    emails: queue({ visibilityTimeout: 60 }),
  },
  controllers: { posts: { link: ['posts', { name: 'uploads', readOnly: true }] } },
  functions: { hello: { link: ['emails'] } },
});
`;

describe('sls-ts deploys declared resources to moto_server', { timeout: 60_000 }, () => {
  const dataStack = 'data-app-dev';
  let dataDir = '';
  let bucketName = '';
  let queueUrl = '';
  /**
   * `/<account>/<queue>`: moto's GetQueueUrl answers with its own host while its CloudFormation Ref
   * gives AWS's (https://sqs.us-east-1.amazonaws.com/…), so queue URLs are compared by path.
   */
  const queuePath = () => new URL(queueUrl).pathname;

  beforeAll(() => {
    dataDir = copyApp(exampleApp, session.scratchDir, 'data-app');
    // The chat channel tracks its connections in a table this config does not declare.
    rmSync(join(dataDir, 'app', 'channels'), { recursive: true });
    writeFileSync(join(dataDir, 'sls-ts.config.ts'), DATA_CONFIG);
  });

  it('creates the table, the bucket and the queue, and gives the linking functions their names', async () => {
    await succeed(['deploy'], dataDir);

    const table = await new DynamoDBClient(sdk()).send(new DescribeTableCommand({ TableName: `${dataStack}-posts` }));
    expect(table.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }]);
    expect(table.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');

    const resources = (await new CloudFormationClient(sdk()).send(new ListStackResourcesCommand({ StackName: dataStack }))).StackResourceSummaries ?? [];
    bucketName = resources.find((resource) => resource.LogicalResourceId === 'UploadsBucket')?.PhysicalResourceId ?? '';
    expect(bucketName).not.toBe('');
    await new S3Client({ ...sdk(), forcePathStyle: true }).send(new HeadBucketCommand({ Bucket: bucketName }));
    queueUrl = (await new SQSClient(sdk()).send(new GetQueueUrlCommand({ QueueName: `${dataStack}-emails` }))).QueueUrl ?? '';
    expect(queueUrl).toMatch(/data-app-dev-emails$/);

    const lambda = new LambdaClient(sdk());
    const posts = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${dataStack}-posts-controller` }));
    expect(posts.Environment?.Variables).toMatchObject({ SLS_TS_RESOURCE_POSTS_NAME: `${dataStack}-posts`, SLS_TS_RESOURCE_UPLOADS_NAME: bucketName });
    expect(posts.Environment?.Variables).not.toHaveProperty('SLS_TS_RESOURCE_EMAILS_URL');
    const hello = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${dataStack}-hello` }));
    expect(hello.Environment?.Variables).toMatchObject({ SLS_TS_RESOURCE_EMAILS_NAME: `${dataStack}-emails`, SLS_TS_RESOURCE_EMAILS_URL: expect.stringMatching(new RegExp(`^https?://[^/]+${queuePath()}$`)) });
  });

  it('`sls-ts resources --json` lists them with their deployed names and the functions linking them', async () => {
    const result = await slsTs(['resources', '-C', dataDir, '--json']);
    expect(result.stderr).not.toMatch(/^error /m);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { deployed: boolean; resources: Array<Record<string, unknown>> };
    expect(listed.deployed).toBe(true);
    expect(listed.resources).toEqual([
      expect.objectContaining({ name: 'posts', kind: 'table', deployed: expect.objectContaining({ name: `${dataStack}-posts` }), linkedBy: [{ function: 'posts-controller', access: 'read-write' }] }),
      expect.objectContaining({ name: 'uploads', kind: 'bucket', deployed: expect.objectContaining({ name: bucketName }), linkedBy: [{ function: 'posts-controller', access: 'read-only' }] }),
      expect.objectContaining({ name: 'emails', kind: 'queue', deployed: expect.objectContaining({ name: `${dataStack}-emails`, url: expect.stringMatching(new RegExp(`${queuePath()}$`)) }), linkedBy: [{ function: 'hello', access: 'read-write' }] }),
    ]);
  });

  it('delete empties the bucket and removes the table, the bucket and the queue (removal: destroy on dev)', async () => {
    const s3 = new S3Client({ ...sdk(), forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: 'avatars/1.png', Body: 'png' }));
    const output = await succeed(['delete'], dataDir);
    expect(output).toContain(`emptied ${bucketName} (1 object)`);

    const tables = (await new DynamoDBClient(sdk()).send(new ListTablesCommand({}))).TableNames ?? [];
    expect(tables).not.toContain(`${dataStack}-posts`);
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    expect(buckets.map((bucket) => bucket.Name)).not.toContain(bucketName);
    const queues = (await new SQSClient(sdk()).send(new ListQueuesCommand({}))).QueueUrls ?? [];
    expect(queues.map((url) => new URL(url).pathname)).not.toContain(queuePath());
  });

  it('on a production stage the table and the bucket are retained: delete leaves them, with their data, and says so', async () => {
    await succeed(['deploy', '--stage', 'prod'], dataDir);
    const resources = (await new CloudFormationClient(sdk()).send(new ListStackResourcesCommand({ StackName: 'data-app-prod' }))).StackResourceSummaries ?? [];
    const prodBucket = resources.find((resource) => resource.LogicalResourceId === 'UploadsBucket')?.PhysicalResourceId ?? '';
    const s3 = new S3Client({ ...sdk(), forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: prodBucket, Key: 'kept.txt', Body: 'kept' }));

    const output = await succeed(['delete', '--stage', 'prod'], dataDir);
    expect(output).not.toContain(`emptied ${prodBucket}`);
    expect(output).toContain('posts table is retained: it stays in the account as data-app-prod-posts');
    expect(output).toContain(`uploads bucket is retained: it stays in the account as ${prodBucket}`);
    const table = await new DynamoDBClient(sdk()).send(new DescribeTableCommand({ TableName: 'data-app-prod-posts' }));
    expect(table.Table?.TableName).toBe('data-app-prod-posts');
    await s3.send(new HeadBucketCommand({ Bucket: prodBucket }));
    const queues = (await new SQSClient(sdk()).send(new ListQueuesCommand({}))).QueueUrls ?? [];
    expect(queues.some((url) => url.endsWith('/data-app-prod-emails'))).toBe(false);
  });
});

/** example-app's code with jobs subscribed to a queue, a topic and a bucket, and a job fed by performLater (its own queue). */
const SUBSCRIPTIONS_CONFIG = `import { bucket, defineConfig, queue, topic } from 'sls-ts/config';

export default defineConfig({
  name: 'subs-app',
  region: 'us-east-1',
  resources: {
    emails: queue({ visibilityTimeout: 60 }),
    alerts: topic(),
    uploads: bucket(),
  },
  jobs: { inbox: { link: ['uploads'] } },
});
`;
const INBOX_JOB = `import { bucket, Job, queue, topic } from 'sls-ts';

export default class InboxJob extends Job {
  static events = [queue('emails', { batchSize: 5 }), topic('alerts', { filter: { level: ['error'] } }), bucket('uploads', { prefix: 'images/' })];
  perform() {}
}
`;
const MAIL_JOB = `import { Job } from 'sls-ts';

export default class MailJob extends Job {
  static queue = { maxReceives: 4 };
  perform() {}
}
`;

describe('sls-ts deploys jobs\' subscriptions to moto_server', { timeout: 90_000 }, () => {
  const subsStack = 'subs-app-dev';
  const account = '123456789012';
  const functionArn = (key: string) => `arn:aws:lambda:us-east-1:${account}:function:${subsStack}-${key}`;
  let subsDir = '';

  beforeAll(() => {
    subsDir = copyApp(exampleApp, session.scratchDir, 'subs-app');
    // The chat channel tracks its connections in a table this config does not declare.
    rmSync(join(subsDir, 'app', 'channels'), { recursive: true });
    writeFileSync(join(subsDir, 'sls-ts.config.ts'), SUBSCRIPTIONS_CONFIG);
    writeFileSync(join(subsDir, 'app', 'jobs', 'inbox-job.ts'), INBOX_JOB);
    writeFileSync(join(subsDir, 'app', 'jobs', 'mail-job.ts'), MAIL_JOB);
  });

  it('maps the declared queue and the job\'s own queue to their jobs, with partial batch responses', async () => {
    await succeed(['deploy'], subsDir);
    const lambda = new LambdaClient(sdk());
    const inbox = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: `${subsStack}-inbox-job` }))).EventSourceMappings ?? [];
    expect(inbox).toEqual([expect.objectContaining({ EventSourceArn: `arn:aws:sqs:us-east-1:${account}:${subsStack}-emails`, BatchSize: 5, FunctionArn: functionArn('inbox-job'), FunctionResponseTypes: ['ReportBatchItemFailures'] })]);
    const mail = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: `${subsStack}-mail-job` }))).EventSourceMappings ?? [];
    expect(mail).toEqual([expect.objectContaining({ EventSourceArn: `arn:aws:sqs:us-east-1:${account}:${subsStack}-mail-job`, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] })]);

    const sqs = new SQSClient(sdk());
    const mailQueue = (await sqs.send(new GetQueueUrlCommand({ QueueName: `${subsStack}-mail-job` }))).QueueUrl!;
    const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: mailQueue, AttributeNames: ['All'] }))).Attributes ?? {};
    expect(attributes['VisibilityTimeout']).toBe('60');
    expect(JSON.parse(attributes['RedrivePolicy'] ?? '{}')).toMatchObject({ maxReceiveCount: 4, deadLetterTargetArn: `arn:aws:sqs:us-east-1:${account}:${subsStack}-mail-job-dlq` });
  });

  it('every function has the job queue\'s URL; the topic has the job subscribed with its filter; the bucket notifies the job', async () => {
    const lambda = new LambdaClient(sdk());
    for (const key of ['posts-controller', 'hello', 'inbox-job', 'mail-job']) {
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${subsStack}-${key}` }));
      expect(config.Environment?.Variables?.['SLS_TS_JOB_QUEUE_MAIL_JOB'], key).toMatch(new RegExp(`/${account}/${subsStack}-mail-job$`));
    }

    const topicArn = `arn:aws:sns:us-east-1:${account}:${subsStack}-alerts`;
    const subscriptions = (await awsCli(['sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn]))['Subscriptions'] as Array<Record<string, string>>;
    expect(subscriptions).toEqual([expect.objectContaining({ Protocol: 'lambda', Endpoint: functionArn('inbox-job') })]);
    const attributes = (await awsCli(['sns', 'get-subscription-attributes', '--subscription-arn', subscriptions[0]!['SubscriptionArn']!]))['Attributes'] as Record<string, string>;
    expect(JSON.parse(attributes['FilterPolicy'] ?? '{}')).toEqual({ level: ['error'] });

    // The bucket's name is fixed in advance (account and region in it), so the job's link reads it too.
    const bucketName = `${subsStack}-uploads-${account}-us-east-1`;
    const notification = await new S3Client({ ...sdk(), forcePathStyle: true }).send(new GetBucketNotificationConfigurationCommand({ Bucket: bucketName }));
    expect(notification.LambdaFunctionConfigurations).toEqual([
      expect.objectContaining({ LambdaFunctionArn: functionArn('inbox-job'), Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: expect.stringMatching(/^prefix$/i), Value: 'images/' }] } } }),
      // example-app's own SummarizeUploadJob, on the same bucket under its own prefix.
      expect.objectContaining({ LambdaFunctionArn: functionArn('summarize-upload-job'), Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: expect.stringMatching(/^prefix$/i), Value: 'incoming/' }] } } }),
    ]);
    const inbox = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${subsStack}-inbox-job` }));
    expect(inbox.Environment?.Variables).toMatchObject({ SLS_TS_RESOURCE_UPLOADS_NAME: bucketName });
  });

  it('delete removes the mappings and the job queue with the stack', async () => {
    await succeed(['delete'], subsDir);
    const mappings = (await new LambdaClient(sdk()).send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? [];
    expect(mappings.filter((mapping) => mapping.FunctionArn?.includes(subsStack))).toEqual([]);
    const queues = (await new SQSClient(sdk()).send(new ListQueuesCommand({}))).QueueUrls ?? [];
    expect(queues.filter((url) => url.includes(`${subsStack}-mail-job`))).toEqual([]);
  });
});
