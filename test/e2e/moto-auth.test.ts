// Issue #19 against moto_server: the real `sls-ts deploy` of an app with Lambda authorizers (TOKEN
// and REQUEST classes in app/authorizers/), a Cognito user pool authorizer, AWS_IAM, public routes
// and a usage plan with an API key, read back from moto's API Gateway; `sls-ts status` reading the
// key's value; a guard change reaching the stage through a new Deployment; delete.
//
// What moto 5.2 lacks is patched in moto's process only (test/support/moto-patches/apigateway_cfn.py),
// never in what sls-ts generates: its CloudFormation skips AWS::ApiGateway::Authorizer, ::ApiKey,
// ::UsagePlan, ::UsagePlanKey and ::Stage; its Method drops AuthorizerId and AuthorizationScopes
// and cannot be updated; a Ref to its Deployment is not the deployment's id; its CreateAuthorizer
// drops the identity validation expression. Not covered here, because moto cannot run them at all:
// CORS (moto's Method wants an integration URI and HTTP method, which a MOCK preflight has none of)
// and nested stacks (moto has no Fn::GetAtt of a nested stack's outputs).
import {
  APIGatewayClient,
  GetApiKeysCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  type Authorizer,
} from '@aws-sdk/client-api-gateway';
import { GetPolicyCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMotoSession } from '../support/moto-session.js';
import { copyApp, fixture } from '../unit/build/support.js';

const stackName = 'guarded-dev';
const account = '123456789012';
const session = useMotoSession();
const { sdk } = session;

/** The guarded fixture's code (every kind of guard) with a config for moto's region and a user pool moto has. */
const config = (userPoolArn: string) => `import { defineConfig } from 'sls-ts/config';

export default defineConfig({
  name: 'guarded',
  region: 'us-east-1',
  authorizers: {
    members: { type: 'cognito', userPoolArns: ['${userPoolArn}'] },
  },
  usagePlans: {
    partners: { keys: ['acme'], throttle: { rate: 10, burst: 20 }, quota: { limit: 1000, period: 'DAY' } },
  },
});
`;

/** A method's guard: its AuthorizationType, its authorizer's name, its scopes, whether it wants an API key. */
interface Guard {
  type: string;
  authorizer?: string;
  scopes?: string[];
  apiKey?: true;
}

let appDir = '';
let userPoolArn = '';
const apiGateway = () => new APIGatewayClient(sdk());

async function restApiId(): Promise<string> {
  const api = ((await apiGateway().send(new GetRestApisCommand({}))).items ?? []).find((candidate) => candidate.name === stackName);
  expect(api, `no REST API named ${stackName}`).toBeDefined();
  return api!.id!;
}

async function authorizers(): Promise<Map<string, Authorizer>> {
  const items = (await apiGateway().send(new GetAuthorizersCommand({ restApiId: await restApiId() }))).items ?? [];
  return new Map(items.map((authorizer) => [authorizer.name!, authorizer]));
}

/** `GET /path` → its guard, for every method of the API. */
async function guards(): Promise<Record<string, Guard>> {
  const names = new Map([...(await authorizers()).values()].map((authorizer) => [authorizer.id!, authorizer.name!]));
  const resources = (await apiGateway().send(new GetResourcesCommand({ restApiId: await restApiId(), embed: ['methods'], limit: 500 }))).items ?? [];
  const found: Record<string, Guard> = {};
  for (const resource of resources) {
    for (const [verb, method] of Object.entries(resource.resourceMethods ?? {})) {
      found[`${verb} ${resource.path}`] = {
        type: method.authorizationType!,
        ...(method.authorizerId && { authorizer: names.get(method.authorizerId) ?? `unknown authorizer ${method.authorizerId}` }),
        ...(method.authorizationScopes?.length && { scopes: method.authorizationScopes }),
        ...(method.apiKeyRequired && { apiKey: true as const }),
      };
    }
  }
  return found;
}

/** The stage's deployment, with the description that carries the hash of the API it snapshots. */
async function stageDeployment(): Promise<{ id: string; description: string }> {
  const restApi = await restApiId();
  const stage = await apiGateway().send(new GetStageCommand({ restApiId: restApi, stageName: 'dev' }));
  expect(stage.deploymentId, 'the dev stage has no deployment').toBeDefined();
  const deployment = await apiGateway().send(new GetDeploymentCommand({ restApiId: restApi, deploymentId: stage.deploymentId! }));
  return { id: deployment.id!, description: deployment.description ?? '' };
}

const lambdaUri = (fn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${account}:function:${stackName}-${fn}/invocations`;

const GUARDS: Record<string, Guard> = {
  'GET /': { type: 'NONE' },
  'GET /health': { type: 'NONE' },
  'GET /admin/open': { type: 'NONE' },
  'GET /admin/users': { type: 'CUSTOM', authorizer: 'admin' },
  'GET /admin/users/{id}': { type: 'CUSTOM', authorizer: 'admin' },
  'GET /ping': { type: 'CUSTOM', authorizer: 'admin' },
  'GET /me': { type: 'CUSTOM', authorizer: 'session' },
  'GET /scoped/{id}': { type: 'CUSTOM', authorizer: 'scoped' },
  'POST /scoped/{id}': { type: 'CUSTOM', authorizer: 'scoped' },
  'GET /scoped/{id}/notes': { type: 'CUSTOM', authorizer: 'scoped' },
  'GET /profile': { type: 'COGNITO_USER_POOLS', authorizer: 'members' },
  'GET /reports': { type: 'COGNITO_USER_POOLS', authorizer: 'members', scopes: ['reports/read'] },
  'GET /signed': { type: 'AWS_IAM' },
  'GET /partner': { type: 'NONE', apiKey: true },
};

describe('sls-ts deploys authorizers, API keys and usage plans to moto_server', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    // A pool that exists in moto, as the ARN in a real config names a pool of the account.
    userPoolArn = (await session.awsCli(['cognito-idp', 'create-user-pool', '--pool-name', 'members']))['UserPool']['Arn'];
    appDir = copyApp(fixture('guarded'), session.scratchDir, 'guarded');
    writeFileSync(join(appDir, 'sls-ts.config.ts'), config(userPoolArn));
  });

  it('creates each authorizer with its type, identity source, TTL and function, which API Gateway may invoke', async () => {
    const output = await session.succeed(['deploy'], appDir);
    expect(output).toMatch(/✓ deployed guarded-dev in /);

    const found = await authorizers();
    expect([...found.keys()].sort()).toEqual(['admin', 'members', 'scoped', 'session']);
    expect(found.get('admin')).toMatchObject({ type: 'TOKEN', identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 60, identityValidationExpression: '^Bearer [-0-9a-zA-Z._]+$', authorizerUri: lambdaUri('admin-authorizer') });
    expect(found.get('scoped')).toMatchObject({ type: 'TOKEN', identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 300, authorizerUri: lambdaUri('scoped-authorizer') });
    expect(found.get('session')).toMatchObject({ type: 'REQUEST', identitySource: 'method.request.header.X-Session,method.request.querystring.tenant', authorizerResultTtlInSeconds: 0, authorizerUri: lambdaUri('session-authorizer') });
    expect(found.get('members')).toMatchObject({ type: 'COGNITO_USER_POOLS', providerARNs: [userPoolArn], identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 300 });
    expect(found.get('members')?.authorizerUri).toBeUndefined();

    const policy = await new LambdaClient(sdk()).send(new GetPolicyCommand({ FunctionName: `${stackName}-admin-authorizer` }));
    expect(JSON.parse(policy.Policy ?? '{}').Statement).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Principal: { Service: 'apigateway.amazonaws.com' },
        Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:${account}:${await restApiId()}/authorizers/*` } },
      }),
    ]);
  });

  it('guards every method as its route says: authorizer, scopes, API key, or public', async () => {
    expect(await guards()).toEqual(GUARDS);
  });

  it('creates the API key, the usage plan covering the dev stage with its limits, and the key in the plan', async () => {
    const keys = (await apiGateway().send(new GetApiKeysCommand({ includeValues: true }))).items ?? [];
    expect(keys).toEqual([expect.objectContaining({ name: 'guarded-dev-acme', enabled: true, value: expect.stringMatching(/^.{20,}$/) })]);
    const plans = (await apiGateway().send(new GetUsagePlansCommand({}))).items ?? [];
    expect(plans).toEqual([expect.objectContaining({
      name: 'guarded-dev-partners',
      apiStages: [{ apiId: await restApiId(), stage: 'dev' }],
      throttle: { rateLimit: 10, burstLimit: 20 },
      quota: { limit: 1000, period: 'DAY' },
    })]);
    const planKeys = (await apiGateway().send(new GetUsagePlanKeysCommand({ usagePlanId: plans[0]!.id! }))).items ?? [];
    expect(planKeys).toEqual([expect.objectContaining({ id: keys[0]!.id, type: 'API_KEY', name: 'guarded-dev-acme' })]);
    expect((await stageDeployment()).description).toMatch(/^sls-ts routes [0-9a-f]{10}$/);
  });

  it('`sls-ts status --json` lists the API key by its config name, with its value', async () => {
    const [key] = (await apiGateway().send(new GetApiKeysCommand({ includeValues: true }))).items ?? [];
    const result = await session.slsTs(['status', '-C', appDir, '--json']);
    expect(result.stderr).not.toMatch(/^error /m);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).apiKeys).toEqual([{ name: 'acme', id: key!.id, value: key!.value }]);
  });

  it('a guard change reaches the stage: the method changes, the stage gets a new Deployment, authorizers and keys stay', async () => {
    const before = await stageDeployment();
    const authorizerIds = [...(await authorizers()).values()].map((authorizer) => authorizer.id).sort();
    const keyIds = ((await apiGateway().send(new GetApiKeysCommand({}))).items ?? []).map((key) => key.id);

    const routes = join(appDir, 'config', 'routes.ts');
    const guarded = readFileSync(routes, 'utf8').replace("r.get('/health', 'home#health', { auth: false });", "r.get('/health', 'home#health', { auth: 'admin' });");
    expect(guarded).toContain("{ auth: 'admin' });");
    writeFileSync(routes, guarded);
    const output = await session.succeed(['deploy'], appDir);
    expect(output).toMatch(/✓ deployed guarded-dev in /);

    expect(await guards()).toEqual({ ...GUARDS, 'GET /health': { type: 'CUSTOM', authorizer: 'admin' } });
    const after = await stageDeployment();
    expect(after.id).not.toBe(before.id);
    expect(after.description).toMatch(/^sls-ts routes [0-9a-f]{10}$/);
    expect(after.description).not.toBe(before.description);
    // Updated in place: methods name authorizers by id, and clients hold the keys' values.
    expect([...(await authorizers()).values()].map((authorizer) => authorizer.id).sort()).toEqual(authorizerIds);
    expect(((await apiGateway().send(new GetApiKeysCommand({}))).items ?? []).map((key) => key.id)).toEqual(keyIds);
  });

  it('delete removes the stack with its API key, usage plan and authorizer functions', async () => {
    await session.succeed(['delete'], appDir);
    expect((await apiGateway().send(new GetApiKeysCommand({}))).items ?? []).toEqual([]);
    expect((await apiGateway().send(new GetUsagePlansCommand({}))).items ?? []).toEqual([]);
    const functions = (await new LambdaClient(sdk()).send(new ListFunctionsCommand({}))).Functions ?? [];
    expect(functions.map((fn) => fn.FunctionName)).toEqual([]);
  });
});
