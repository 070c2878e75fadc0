// Issue #20 item 1 against moto_server: the real `sls-ts deploy` of the channels fixture app with its
// guarded/tracked variant (ChatChannel and RoomsChannel open, LobbyChannel behind a REQUEST
// authorizer and tracking connections in a table, DeskChannel behind IAM), read back from moto's
// API Gateway V2 with the aws CLI: one WebSocket API per channel with its routes, integration,
// authorizer and stage; the invoke permissions and ManageConnections; `sls-ts url` printing the
// wss:// URLs; a new action reaching the stage through a new Deployment; delete.
//
// What moto 5.2 lacks is patched in moto's process only (test/support/moto-patches/apigatewayv2_cfn.py):
// its CloudFormation has no AWS::ApiGatewayV2 type at all (Api, Integration, Route, Authorizer,
// Stage and Deployment are skipped with a warning), its V2 backend keeps no deployments, and its
// GetStage never returns a deploymentId. moto also keeps a stack's first Outputs after a change set
// (opt-in patch in sitecustomize.py), answers GetRolePolicy with a Python repr, and has no GetAuthorizers.
import { GetFunctionCommand, GetPolicyCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMotoSession } from '../support/moto-session.js';
import { copyApp } from '../unit/build/support.js';
import { addGuardedChannels, CHANNELS_APP } from '../unit/cloudformation/websocket-fixtures.js';

const stackName = 'channels-app-dev';
const account = '123456789012';
// Outputs as AWS shows them after a change set: `sls-ts url` reads the channels' URLs there.
const session = useMotoSession({ changeSetOutputs: true });
const { sdk } = session;

let appDir = '';

interface V2Api {
  ApiId: string;
  Name: string;
  ProtocolType: string;
  RouteSelectionExpression: string;
}

async function apis(): Promise<Map<string, V2Api>> {
  const found = ((await session.awsCli(['apigatewayv2', 'get-apis']))['Items'] ?? []) as V2Api[];
  return new Map(found.map((api) => [api.Name, api]));
}

async function apiId(channel: string): Promise<string> {
  const api = (await apis()).get(`${stackName}-${channel}`);
  expect(api, `no WebSocket API for channel ${channel}`).toBeDefined();
  return api!.ApiId;
}

/** Route key → its guard and the function its integration calls. */
async function routes(channel: string): Promise<Record<string, { auth: string; authorizer?: string; calls: string }>> {
  const id = await apiId(channel);
  const integrations = new Map(((await session.awsCli(['apigatewayv2', 'get-integrations', '--api-id', id]))['Items'] as Array<Record<string, string>>).map((integration) => [integration['IntegrationId'], integration]));
  // By id: moto has GetAuthorizer but no GetAuthorizers.
  const authorizerName = async (authorizerId: string) => (await session.awsCli(['apigatewayv2', 'get-authorizer', '--api-id', id, '--authorizer-id', authorizerId]))['Name'] as string;
  const found: Record<string, { auth: string; authorizer?: string; calls: string }> = {};
  for (const route of (await session.awsCli(['apigatewayv2', 'get-routes', '--api-id', id]))['Items'] as Array<Record<string, string>>) {
    const integration = integrations.get(route['Target']!.replace(/^integrations\//, ''));
    expect(integration, `route ${route['RouteKey']} targets ${route['Target']}, no integration of the API`).toBeDefined();
    expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', IntegrationMethod: 'POST' });
    found[route['RouteKey']!] = {
      auth: route['AuthorizationType']!,
      ...(route['AuthorizerId'] && { authorizer: await authorizerName(route['AuthorizerId']) }),
      calls: /function:([^/]+)\/invocations$/.exec(integration!['IntegrationUri']!)?.[1] ?? integration!['IntegrationUri']!,
    };
  }
  return found;
}

async function stageDeployment(channel: string): Promise<string> {
  const stage = await session.awsCli(['apigatewayv2', 'get-stage', '--api-id', await apiId(channel), '--stage-name', 'dev']);
  expect(stage['DeploymentId'], `the ${channel} stage has no deployment`).toEqual(expect.any(String));
  return stage['DeploymentId'];
}

const fn = (key: string) => `${stackName}-${key}`;

describe('sls-ts deploys WebSocket channels to moto_server', { timeout: 90_000 }, () => {
  beforeAll(() => {
    appDir = copyApp(CHANNELS_APP, session.scratchDir, 'channels-app');
    addGuardedChannels(appDir);
    // moto's region.
    const configFile = join(appDir, 'sls-ts.config.ts');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace("region: 'eu-west-1'", "region: 'us-east-1'"));
  });

  it('creates one WebSocket API per channel, named after the app, stage and channel, with its selection expression', async () => {
    const output = await session.succeed(['deploy'], appDir);
    expect(output).toMatch(/✓ deployed channels-app-dev in /);
    const found = await apis();
    expect([...found.keys()].sort()).toEqual(['chat', 'desk', 'lobby', 'rooms'].map((channel) => `${stackName}-${channel}`));
    for (const api of found.values()) expect(api.ProtocolType).toBe('WEBSOCKET');
    expect(found.get(`${stackName}-rooms`)?.RouteSelectionExpression).toBe('${request.body.service}/${request.body.action}');
    expect(found.get(`${stackName}-chat`)?.RouteSelectionExpression).toBe('$request.body.action');
  });

  it('routes every key to the channel\'s function, guarding $connect only: the ticket authorizer, IAM, or nothing', async () => {
    expect(await routes('chat')).toEqual(Object.fromEntries(['$connect', '$default', '$disconnect', 'big', 'boom', 'sdk', 'shout', 'whoami'].map((key) => [key, { auth: 'NONE', calls: fn('chat-channel') }])));
    expect(await routes('rooms')).toEqual({ 'rooms/join': { auth: 'NONE', calls: fn('rooms-channel') } });
    expect(await routes('lobby')).toEqual({
      $connect: { auth: 'CUSTOM', authorizer: 'ticket', calls: fn('lobby-channel') },
      $disconnect: { auth: 'NONE', calls: fn('lobby-channel') },
      enter: { auth: 'NONE', calls: fn('lobby-channel') },
    });
    expect(await routes('desk')).toEqual({ $connect: { auth: 'AWS_IAM', calls: fn('desk-channel') }, ask: { auth: 'NONE', calls: fn('desk-channel') } });

    const lobby = await apiId('lobby');
    const connect = ((await session.awsCli(['apigatewayv2', 'get-routes', '--api-id', lobby]))['Items'] as Array<Record<string, string>>).find((route) => route['RouteKey'] === '$connect')!;
    const authorizer = await session.awsCli(['apigatewayv2', 'get-authorizer', '--api-id', lobby, '--authorizer-id', connect['AuthorizerId']!]);
    expect(authorizer).toMatchObject({
      Name: 'ticket',
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.ticket'],
      AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${account}:function:${fn('ticket-authorizer')}/invocations`,
    });
    expect(await stageDeployment('lobby')).toMatch(/^[a-z0-9]+$/);
  });

  it('lets API Gateway invoke each channel from its own API, and the channel manage its connections on its stage', async () => {
    const lambda = new LambdaClient(sdk());
    const chatApi = await apiId('chat');
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: fn('chat-channel') }));
    expect(JSON.parse(policy.Policy ?? '{}').Statement).toEqual([expect.objectContaining({
      Principal: { Service: 'apigateway.amazonaws.com' },
      Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:${account}:${chatApi}/*` } },
    })]);
    const authorizerPolicy = await lambda.send(new GetPolicyCommand({ FunctionName: fn('ticket-authorizer') }));
    expect(JSON.parse(authorizerPolicy.Policy ?? '{}').Statement).toContainEqual(expect.objectContaining({
      Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:${account}:${await apiId('lobby')}/authorizers/*` } },
    }));

    const role = (await lambda.send(new GetFunctionCommand({ FunctionName: fn('chat-channel') }))).Configuration!.Role!.split('/').pop()!;
    const written = (await session.awsCli(['iam', 'get-role-policy', '--role-name', role, '--policy-name', 'events']))['PolicyDocument'];
    // moto answers with the document a stack's role was given as Python's repr of it (single quotes); ARNs hold none.
    const document = typeof written === 'string' ? JSON.parse(written.replace(/'/g, '"')) : written;
    expect(document.Statement).toContainEqual({
      Effect: 'Allow',
      Action: 'execute-api:ManageConnections',
      Resource: ['POST', 'GET', 'DELETE'].map((method) => `arn:aws:execute-api:us-east-1:${account}:${chatApi}/dev/${method}/@connections/*`),
    });
  });

  it('`sls-ts url` prints the API\'s URL, then each channel\'s wss:// URL; --json adds the @connections endpoints', async () => {
    const result = await session.slsTs(['url', '-C', appDir]);
    expect(result.stderr).not.toMatch(/^error /m);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com\/dev$/);
    expect(lines.slice(1)).toEqual(await Promise.all(['chat', 'desk', 'lobby', 'rooms'].map(async (channel) => `wss://${await apiId(channel)}.execute-api.us-east-1.amazonaws.com/dev  (channel ${channel})`)));
    const json = JSON.parse((await session.slsTs(['url', '-C', appDir, '--json'])).stdout) as { channels: unknown[] };
    expect(json.channels).toContainEqual({ channel: 'chat', url: `wss://${await apiId('chat')}.execute-api.us-east-1.amazonaws.com/dev`, connectionsUrl: `https://${await apiId('chat')}.execute-api.us-east-1.amazonaws.com/dev/@connections` });
  });

  it('a new action reaches the stage: its route appears and the stage gets a new Deployment, on the same API', async () => {
    const api = await apiId('chat');
    const before = await stageDeployment('chat');
    const roomsBefore = await stageDeployment('rooms');
    const file = join(appDir, 'app', 'channels', 'chat-channel.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  whoami() {', '  ping() {\n    return this.send({ route: \'pong\' });\n  }\n\n  whoami() {'));
    const output = await session.succeed(['deploy'], appDir);
    expect(output).toMatch(/✓ deployed channels-app-dev in /);
    expect(await apiId('chat')).toBe(api);
    expect((await routes('chat'))['ping']).toEqual({ auth: 'NONE', calls: fn('chat-channel') });
    expect(await stageDeployment('chat')).not.toBe(before);
    expect(await stageDeployment('rooms')).toBe(roomsBefore);
  });

  it('delete removes the stack with its WebSocket APIs and functions', async () => {
    await session.succeed(['delete'], appDir);
    expect([...(await apis()).keys()]).toEqual([]);
    const functions = (await new LambdaClient(sdk()).send(new ListFunctionsCommand({}))).Functions ?? [];
    expect(functions.map((found) => found.FunctionName)).toEqual([]);
  });
});
