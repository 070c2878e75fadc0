import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, serializeTemplate, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import type { UserConfig } from '../../../src/config/types.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, largeApp, makeConfig, makeManifest, ofType, SMALL_APP, type AppSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

const read = { Action: 's3:GetObject', Resource: 'arn:aws:s3:::widgets/*' };
const write = { Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:123456789012:jobs' };
const other = { Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/other' };

function generate(settings: Partial<UserConfig>, app: AppSpec, layout: 'controller' | 'action', split?: 'always'): GeneratedTemplates {
  const config = makeConfig({
    ...settings,
    controllers: { widgets000: { actions: { show: { iam: [read] }, index: { iam: [write] } } }, widgets001: { iam: [other] } },
  });
  return generateTemplates({ config, manifest: makeManifest(config, app, layout), ...(split ? { split } : {}) });
}

const roleCountWarning = expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^the app makes \d+ IAM roles; an AWS account holds 1000 by default/) });

describe('iamRoles', () => {
  const app = largeApp(30);

  it('warns, with the number, when the app makes more than 200 roles (one per action by default)', () => {
    const result = generate({}, app, 'action');
    const roles = ofType(result, 'AWS::IAM::Role').length;
    expect(roles).toBe(271);
    expect(result.warnings).toContainEqual(expect.objectContaining({ text: expect.stringContaining(`the app makes ${roles} IAM roles`), hint: expect.stringContaining("iamRoles: 'controller'") }));
  });

  it("'controller' gives the action layout one role per controller, with the union of its actions' statements and logs for exactly their log groups", () => {
    const result = generate({ iamRoles: 'controller' }, app, 'action');
    assertAllValid(result);
    expect(result.warnings).not.toContainEqual(roleCountWarning);
    expect(ofType(result, 'AWS::IAM::Role')).toHaveLength(31);
    const resources = allResources(result);
    const role = resources.get('Widgets000ControllerSharedRole')!.resource;
    expect(resources.get('Widgets000ControllerShowFunction')!.resource.Properties.Role).toEqual({ 'Fn::GetAtt': ['Widgets000ControllerSharedRole', 'Arn'] });
    expect(resources.get('Widgets000ControllerIndexFunction')!.resource.Properties.Role).toEqual({ 'Fn::GetAtt': ['Widgets000ControllerSharedRole', 'Arn'] });
    const [logs, statements] = role.Properties.Policies as Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }>;
    const logGroups = ofType(result, 'AWS::Logs::LogGroup').map(([, group]) => group.Properties.LogGroupName as string).filter((name) => name.startsWith('/aws/lambda/blog-dev-widgets000-'));
    expect(logGroups).toHaveLength(9);
    expect(logs!.PolicyDocument.Statement[0]!['Resource']).toEqual(logGroups.sort().map((name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${name}:*` })));
    expect(statements!.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', ...write }, { Effect: 'Allow', ...read }]);
    expect(JSON.stringify(role)).not.toContain('dynamodb');
    // A job is a group of one: it keeps its own role.
    expect(resources.get('CleanupJobFunction')!.resource.Properties.Role).toEqual({ 'Fn::GetAtt': ['CleanupJobRole', 'Arn'] });
  });

  it("'controller' changes nothing in the controller layout, where a controller already has one function", () => {
    const plain = generate({}, SMALL_APP, 'controller');
    const shared = generate({ iamRoles: 'controller' }, SMALL_APP, 'controller');
    expect(serializeTemplate(shared.root)).toBe(serializeTemplate(plain.root));
  });

  it("'app' gives every function one role, kept in the root when the app is nested", () => {
    const result = generate({ iamRoles: 'app' }, SMALL_APP, 'controller', 'always');
    assertAllValid(result);
    expect(ofType(result, 'AWS::IAM::Role').map(([id]) => id)).toEqual(['AppSharedRole']);
    const resources = allResources(result);
    expect(resources.get('AppSharedRole')!.template).toBe('root');
    expect(resources.get('PostsControllerFunction')!.resource.Properties.Role).toEqual({ Ref: 'AppSharedRoleArn' });
    expect(result.root.Resources['PostsControllerStack']!.Properties['Parameters']).toMatchObject({ AppSharedRoleArn: { 'Fn::GetAtt': ['AppSharedRole', 'Arn'] } });
  });
});

describe('a shared role near IAM\'s 10,240 characters of inline policy', () => {
  it('warns with the size, its log group ARNs counted', () => {
    const result = generate({ iamRoles: 'app' }, largeApp(120, 1), 'controller');
    expect(result.warnings).toContainEqual(expect.objectContaining({
      level: 'warning',
      text: expect.stringMatching(/^the IAM role of every function of the app \(121\): its IAM statements take \d+ characters; IAM allows 10240/),
      hint: expect.stringContaining("iamRoles: 'controller'"),
    }));
  });
});
