// A job (or function) with provisioned concurrency is invoked through its `live` alias by every
// invoker the templates hold: schedules, queue and stream mappings, SNS subscriptions, S3
// notifications, EventBridge rules, its own queue and (HTTP API) Lambda authorizers, each with its
// permission on the alias. The templates of functions without provisioned concurrency do not change.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { bucket, queue, table, topic } from '../../../src/config/define-config.js';
import type { JobQueueOptions, JobSubscription } from '../../../src/config/subscriptions.js';
import type { UserConfig } from '../../../src/config/types.js';
import { bucket as onBucket, queue as onQueue, rule, table as onTable, topic as onTopic } from '../../../src/runtime/subscriptions.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, builtFunction, makeConfig, makeManifest, SMALL_APP } from './fixtures.js';
import { guardedManifest, HTTP_USER } from './http-api-fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const RESOURCES: UserConfig['resources'] = { emails: queue(), alerts: topic(), uploads: bucket(), posts: table({ key: 'id' }) };

const JOBS: Array<{ name: string; events?: JobSubscription[]; jobQueue?: JobQueueOptions }> = [
  { name: 'mailer', events: [onQueue('emails'), onTable('posts'), onTopic('alerts'), rule({ source: 'shop' })] },
  { name: 'thumbs', events: [onBucket('uploads')] },
  { name: 'email', jobQueue: {} },
];

function generate(user: Partial<UserConfig>, split?: 'always'): GeneratedTemplates {
  const config = makeConfig({ resources: RESOURCES, ...user });
  const manifest = makeManifest(config, SMALL_APP);
  for (const job of JOBS) {
    manifest.functions.push(builtFunction(config, { key: `${job.name}-job`, kind: 'job', source: `${job.name[0]!.toUpperCase()}${job.name.slice(1)}Job`, job: job.name, events: job.events ?? [], ...(job.jobQueue && { jobQueue: job.jobQueue }) }));
  }
  const result = generateTemplates({ config, manifest, ...(split ? { split } : {}) });
  assertAllValid(result);
  return result;
}

const WARM: Partial<UserConfig> = { jobs: { cleanup: { provisionedConcurrency: 1 }, mailer: { provisionedConcurrency: 2 }, thumbs: { provisionedConcurrency: 1 }, email: { provisionedConcurrency: 1 } } };
const alias = (job: string) => ({ Ref: `${job}JobLiveAlias` });

describe('a job with provisioned concurrency', () => {
  const cold = generate({});
  const warm = generate(WARM);
  const props = (result: GeneratedTemplates, id: string) => allResources(result).get(id)!.resource.Properties;

  it('is run by its schedules through the alias, which EventBridge may invoke', () => {
    expect(props(warm, 'CleanupJobSchedule1').Targets).toEqual([{ Id: 'job', Arn: alias('Cleanup') }]);
    expect(props(warm, 'CleanupJobSchedule1Permission')).toMatchObject({ FunctionName: alias('Cleanup'), Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['CleanupJobSchedule1', 'Arn'] } });
  });

  it('reads queues and table streams into the alias (a mapping names the alias ARN)', () => {
    expect(props(warm, 'MailerJobEvent1Mapping').FunctionName).toEqual(alias('Mailer'));
    expect(props(warm, 'MailerJobEvent2Mapping').FunctionName).toEqual(alias('Mailer'));
  });

  it('subscribes the alias to SNS topics, and lets SNS invoke the alias', () => {
    expect(props(warm, 'MailerJobEvent3Subscription')).toMatchObject({ Protocol: 'lambda', Endpoint: alias('Mailer') });
    expect(props(warm, 'MailerJobEvent3Permission')).toMatchObject({ FunctionName: alias('Mailer'), Principal: 'sns.amazonaws.com' });
  });

  it('targets the alias from EventBridge rules, and lets EventBridge invoke the alias', () => {
    expect(props(warm, 'MailerJobEvent4Rule').Targets).toEqual([{ Id: 'job', Arn: alias('Mailer') }]);
    expect(props(warm, 'MailerJobEvent4Permission')).toMatchObject({ FunctionName: alias('Mailer'), Principal: 'events.amazonaws.com' });
  });

  it('has S3 notify the alias, the bucket waiting for the permission on the alias', () => {
    const uploads = allResources(warm).get('UploadsBucket')!.resource;
    expect(uploads.Properties.NotificationConfiguration.LambdaConfigurations.map((c: { Function: unknown }) => c.Function)).toEqual([alias('Thumbs')]);
    expect(uploads.DependsOn).toEqual(['ThumbsJobEvent1Permission']);
    expect(props(warm, 'ThumbsJobEvent1Permission')).toMatchObject({ FunctionName: alias('Thumbs'), Principal: 's3.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
  });

  it('runs on its own queue\'s messages through the alias', () => {
    expect(props(warm, 'EmailJobQueueMapping').FunctionName).toEqual(alias('Email'));
  });

  it('leaves the invokers of a function without it on the function itself', () => {
    expect(props(cold, 'CleanupJobSchedule1').Targets).toEqual([{ Id: 'job', Arn: { 'Fn::GetAtt': ['CleanupJobFunction', 'Arn'] } }]);
    expect(props(cold, 'MailerJobEvent1Mapping').FunctionName).toEqual({ Ref: 'MailerJobFunction' });
    expect(props(cold, 'MailerJobEvent3Permission').FunctionName).toEqual({ 'Fn::GetAtt': ['MailerJobFunction', 'Arn'] });
  });

  it('changes nothing of the functions without it: only the warm job\'s own resources differ', () => {
    const half = generate({ jobs: { mailer: { provisionedConcurrency: 2 } } });
    const before = allResources(cold);
    const after = allResources(half);
    const mailers = (id: string) => id.startsWith('MailerJob');
    const added = [...after.keys()].filter((id) => !before.has(id)).sort();
    expect(added).toEqual(['MailerJobLiveAlias', expect.stringMatching(/^MailerJobVersion[0-9a-f]{10}$/)]);
    expect([...before.keys()].filter((id) => !after.has(id))).toEqual([]);
    const changed = [...before.keys()].filter((id) => JSON.stringify(before.get(id)) !== JSON.stringify(after.get(id)));
    expect(changed.filter((id) => !mailers(id))).toEqual([]);
    expect(changed.sort()).toEqual(['MailerJobEvent1Mapping', 'MailerJobEvent2Mapping', 'MailerJobEvent3Permission', 'MailerJobEvent3Subscription', 'MailerJobEvent4Permission', 'MailerJobEvent4Rule']);
  });

  it('is not warned about once something invokes its alias', () => {
    expect(warm.warnings.filter((warning) => /provisionedConcurrency/.test(warning.text))).toEqual([]);
  });

  it('in nested stacks, gives the root\'s bucket permission the alias ARN through the job stack\'s outputs', () => {
    const nested = generate(WARM, 'always');
    const thumbs = nested.children.find((child) => child.logicalId === 'ThumbsJobStack')!.template;
    expect(thumbs.Outputs?.['ThumbsJobLiveAlias']).toEqual({ Value: { Ref: 'ThumbsJobLiveAlias' } });
    const permission = nested.root.Resources['ThumbsJobEvent1Permission']!;
    expect(permission.Properties['FunctionName']).toEqual({ 'Fn::GetAtt': ['ThumbsJobStack', 'Outputs.ThumbsJobLiveAlias'] });
    const mailer = nested.children.find((child) => child.logicalId === 'MailerJobStack')!.template;
    expect(mailer.Resources['MailerJobEvent1Mapping']!.Properties['FunctionName']).toEqual(alias('Mailer'));
  });
});

describe('the provisioned concurrency warning', () => {
  it('is left for a plain function nothing the app deploys invokes', () => {
    const result = generate({ functions: { callback: { provisionedConcurrency: 1 } }, jobs: { cleanup: { provisionedConcurrency: 1 } } });
    const warned = result.warnings.filter((warning) => /provisionedConcurrency/.test(warning.text));
    expect(warned).toEqual([expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^app\/functions\/callback \(blog-dev-callback\) has provisionedConcurrency 1, but nothing the app deploys calls its `live` alias/) })]);
    expect(warned[0]!.hint).toMatch(/<function name>:live/);
  });
});

describe('an HTTP API Lambda authorizer with provisioned concurrency', () => {
  const httpAuthorizer = (provisioned?: number) => {
    const config = makeConfig(HTTP_USER);
    const manifest = guardedManifest(config);
    if (provisioned) Object.assign(manifest.functions.find((fn) => fn.key === 'admin-authorizer')!, { provisionedConcurrency: provisioned });
    const result = generateTemplates({ config, manifest });
    assertAllValid(result);
    return { authorizer: result.root.Resources['HttpAuthorizerAdmin']!, permission: result.root.Resources['AdminAuthorizerHttpPermission']! };
  };

  it('is called through its alias, which API Gateway may invoke; without it, the function as before', () => {
    const warm = httpAuthorizer(1);
    expect(JSON.stringify(warm.authorizer.Properties['AuthorizerUri'])).toContain('/functions/${AdminAuthorizerLiveAlias}/invocations');
    expect(warm.permission.Properties['FunctionName']).toEqual({ Ref: 'AdminAuthorizerLiveAlias' });
    const cold = httpAuthorizer();
    expect(cold.authorizer.Properties['AuthorizerUri']).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AdminAuthorizerFunction.Arn}/invocations' });
    expect(cold.permission.Properties['FunctionName']).toEqual({ 'Fn::GetAtt': ['AdminAuthorizerFunction', 'Arn'] });
  });
});
