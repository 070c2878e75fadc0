import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../../src/build/index.js';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { assertValidTemplate } from '../../support/cfn-validator.js';

const root = fileURLToPath(new URL('../../../example-app', import.meta.url));
const outBase = mkdtempSync(join(tmpdir(), 'sls-ts-example-templates-'));
afterAll(() => rmSync(outBase, { recursive: true, force: true }));

describe('example-app templates against the CloudFormation resource specification', () => {
  for (const layout of ['controller', 'action', 'single'] as const) {
    it(`${layout} layout: every template is valid`, async () => {
      const { config } = await loadConfig({ root, stage: 'dev' });
      const { manifest } = await build({ config, layout, outDir: join(outBase, layout) });
      const generated = generateTemplates({ config, manifest });
      assertValidTemplate(generated.root, { name: `example-app ${layout} root` });
      for (const child of generated.children) assertValidTemplate(child.template, { name: `example-app ${layout} ${child.logicalId}` });

      const resources = Object.values(generated.root.Resources ?? {}) as Array<{ Type: string; Properties?: Record<string, unknown> }>;
      const functions = resources.filter((resource) => resource.Type === 'AWS::Lambda::Function');
      expect(functions).toHaveLength(manifest.functions.length);
      const methods = resources.filter((resource) => resource.Type === 'AWS::ApiGateway::Method').map((m) => m.Properties?.HttpMethod);
      // single: the catch-all methods, plus the admin routes, which are guarded unlike the app and so get methods of their own.
      if (layout === 'single') expect(methods).toEqual(['DELETE', 'GET', 'ANY', 'ANY']);
      else expect(methods).toHaveLength(15);
      const api = resources.find((resource) => resource.Type === 'AWS::ApiGateway::RestApi');
      expect(api?.Properties).toMatchObject({ BinaryMediaTypes: ['*/*'] });
      expect(resources.filter((resource) => resource.Type === 'AWS::Events::Rule')).toHaveLength(1);

      // AnnounceJob's own queue (performLater) with its mapping; SummarizeUploadJob on the uploads bucket's notifications.
      expect(resources.filter((resource) => resource.Type === 'AWS::SQS::Queue')).toHaveLength(2);
      expect(resources.filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping').map((m) => m.Properties)).toEqual([
        expect.objectContaining({ BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
      ]);
      const uploads = resources.find((resource) => resource.Type === 'AWS::S3::Bucket' && (resource.Properties?.NotificationConfiguration as object | undefined));
      expect(uploads?.Properties?.NotificationConfiguration).toMatchObject({
        LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }] } } }],
      });
      for (const fn of functions) expect((fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.SLS_TS_JOB_QUEUE_ANNOUNCE_JOB).toEqual({ Ref: 'AnnounceJobQueue' });

      // Posts live in one DynamoDB table, which only the functions touching posts link; the chat
      // channel's open connections in another, which only the channel links.
      const tables = Object.entries(generated.root.Resources ?? {}).filter(([, resource]) => (resource as { Type: string }).Type === 'AWS::DynamoDB::Table');
      expect(tables.map(([id]) => id)).toEqual(['ConnectionsTable', 'PostsTable']);
      expect(generated.root.Resources?.ConnectionsTable).toMatchObject({
        Properties: {
          TableName: 'example-app-dev-connections',
          KeySchema: [{ AttributeName: 'channel', KeyType: 'HASH' }, { AttributeName: 'connectionId', KeyType: 'RANGE' }],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        },
      });
      const tracking = functions.filter((fn) => (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.SLS_TS_RESOURCE_CONNECTIONS_NAME !== undefined);
      expect(tracking.map((fn) => fn.Properties?.FunctionName)).toEqual(['example-app-dev-chat-channel']);
      expect(generated.root.Resources?.PostsTable).toMatchObject({
        DeletionPolicy: 'Delete',
        Properties: { TableName: 'example-app-dev-posts', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
      });
      const linked = functions
        .filter((fn) => (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.SLS_TS_RESOURCE_POSTS_NAME !== undefined)
        .map((fn) => fn.Properties?.FunctionName);
      expect(linked).toEqual(LINKED[layout]);
      for (const fn of functions.filter((f) => linked.includes(f.Properties?.FunctionName))) {
        expect((fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.SLS_TS_RESOURCE_POSTS_NAME).toEqual({ Ref: 'PostsTable' });
      }
    });
  }

  it('retains the posts table on prod', async () => {
    const { config } = await loadConfig({ root, stage: 'prod' });
    const { manifest } = await build({ config, outDir: join(outBase, 'prod') });
    const generated = generateTemplates({ config, manifest });
    assertValidTemplate(generated.root, { name: 'example-app prod root' });
    expect(generated.root.Resources?.PostsTable).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { TableName: 'example-app-prod-posts' } });
  });
});

/** The functions that link the posts table: the posts and admin stats controllers, the announce and cleanup jobs (all of the app in one Lambda for `single`). */
const LINKED: Record<'controller' | 'action' | 'single', string[]> = {
  controller: ['example-app-dev-admin-stats-controller', 'example-app-dev-announce-job', 'example-app-dev-cleanup-job', 'example-app-dev-posts-controller'],
  action: [
    'example-app-dev-admin-stats-controller-index', 'example-app-dev-admin-stats-controller-purge', 'example-app-dev-announce-job', 'example-app-dev-cleanup-job',
    ...['create', 'destroy', 'index', 'show', 'update'].map((action) => `example-app-dev-posts-controller-${action}`),
  ],
  single: ['example-app-dev-announce-job', 'example-app-dev-cleanup-job', 'example-app-dev-controller'],
};
