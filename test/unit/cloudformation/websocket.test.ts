// Channels' WebSocket APIs in the templates, from the channels fixture app built for real: one API
// per channel with its routes, integration, hashed Deployment, stage, permissions and outputs; the
// guarded/tracked variant's $connect authorizers; the nested split; and one-line errors for a
// `static auth` API Gateway would refuse.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildManifest, BuiltFunction } from '../../../src/build/types.js';
import { generateTemplates, type GeneratedTemplates, type Template, type TemplateResource } from '../../../src/cloudformation/index.js';
import type { ResolvedConfig } from '../../../src/config/types.js';
import { formatDiagnostic, isSlsError } from '../../../src/shared/errors.js';
import { assertValidTemplate } from '../../support/cfn-validator.js';
import { useChannelApps, type BuiltApp } from './websocket-fixtures.js';

const apps = useChannelApps();
let plain: BuiltApp;
let guarded: BuiltApp;
beforeAll(() => {
  plain = apps.plain();
  guarded = apps.guarded();
});

function generate(app: Pick<BuiltApp, 'config' | 'manifest'>, options: { split?: 'always' } = {}): GeneratedTemplates {
  const generated = generateTemplates({ config: app.config, manifest: app.manifest, ...options });
  assertValidTemplate(generated.root, { name: 'root' });
  for (const child of generated.children) assertValidTemplate(child.template, { name: child.logicalId });
  return generated;
}

function ofType(template: Template, type: string): Record<string, TemplateResource> {
  return Object.fromEntries(Object.entries(template.Resources).filter(([, resource]) => resource.Type === type));
}

const sub = (text: string) => ({ 'Fn::Sub': text });
const arn = (rest: string) => sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${rest}`);
const lambdaUri = (target: string) => sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${target}}/invocations`);

/** A copy of the manifest with `edit` applied to one channel function. */
function editChannel(app: BuiltApp, key: string, edit: (fn: BuiltFunction) => void): { config: ResolvedConfig; manifest: BuildManifest } {
  const manifest = structuredClone(app.manifest);
  edit(manifest.functions.find((fn) => fn.key === key)!);
  return { config: app.config, manifest };
}

describe('a WebSocket API per channel', () => {
  it('gives chat and rooms each an Api with their selection expression, an integration, a route per key and the stage', () => {
    const { root } = generate(plain);
    const apis = ofType(root, 'AWS::ApiGatewayV2::Api');
    expect(apis).toEqual({
      ChatChannelWebSocketApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: expect.objectContaining({ Name: 'channels-app-dev-chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }) },
      RoomsChannelWebSocketApi: { Type: 'AWS::ApiGatewayV2::Api', Properties: expect.objectContaining({ Name: 'channels-app-dev-rooms', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '${request.body.service}/${request.body.action}' }) },
    });
    expect(root.Resources['ChatChannelWebSocketIntegration']?.Properties).toEqual({
      ApiId: { Ref: 'ChatChannelWebSocketApi' }, IntegrationType: 'AWS_PROXY', IntegrationMethod: 'POST', IntegrationUri: lambdaUri('ChatChannelFunction.Arn'),
    });

    const routes = Object.values(ofType(root, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
    const chatRoutes = routes.filter((route) => (route['ApiId'] as { Ref: string }).Ref === 'ChatChannelWebSocketApi');
    expect(chatRoutes.map((route) => route['RouteKey']).sort()).toEqual(['$connect', '$default', '$disconnect', 'big', 'boom', 'sdk', 'shout', 'whoami']);
    for (const route of chatRoutes) expect(route).toMatchObject({ Target: sub('integrations/${ChatChannelWebSocketIntegration}'), AuthorizationType: 'NONE' });
    // A route key of words and slashes takes a hash in its id (`rooms/join` and `roomsJoin` would read alike).
    expect(Object.keys(ofType(root, 'AWS::ApiGatewayV2::Route')).filter((id) => id.startsWith('Rooms'))).toEqual([expect.stringMatching(/^RoomsChannelRouteRoomsJoin[0-9a-f]{8}$/)]);

    const stage = root.Resources['ChatChannelWebSocketStage']!;
    expect(stage.Properties).toMatchObject({ ApiId: { Ref: 'ChatChannelWebSocketApi' }, StageName: 'dev', DeploymentId: { Ref: expect.stringMatching(/^ChatChannelWebSocketDeployment[0-9a-f]{10}$/) } });
    expect(stage.Properties['AutoDeploy']).toBeUndefined();
  });

  it('deploys after every route and the invoke permission, and lets API Gateway invoke the channel from its own API only', () => {
    const { root } = generate(plain);
    const deploymentId = (root.Resources['ChatChannelWebSocketStage']!.Properties['DeploymentId'] as { Ref: string }).Ref;
    const routeIds = Object.entries(ofType(root, 'AWS::ApiGatewayV2::Route')).filter(([id]) => id.startsWith('ChatChannel')).map(([id]) => id);
    expect(root.Resources[deploymentId]).toMatchObject({ Type: 'AWS::ApiGatewayV2::Deployment', DependsOn: [...routeIds, 'ChatChannelWebSocketPermission'].sort(), Properties: { ApiId: { Ref: 'ChatChannelWebSocketApi' } } });
    expect(root.Resources['ChatChannelWebSocketPermission']?.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': ['ChatChannelFunction', 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: arn('${ChatChannelWebSocketApi}/*'),
    });
    // The REST API's Deployment (the app's /health route) does not wait for the channels' permissions.
    const restDeployment = Object.values(ofType(root, 'AWS::ApiGateway::Deployment'))[0]!;
    expect(restDeployment.DependsOn?.some((id) => id.includes('WebSocket'))).toBe(false);
  });

  it("lets the channel's role post to, read and close its own API's connections on its stage", () => {
    const { root } = generate(plain);
    const policies = root.Resources['ChatChannelRole']!.Properties['Policies'] as Array<{ PolicyDocument: { Statement: unknown[] } }>;
    const statements = policies.flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'execute-api:ManageConnections',
      Resource: ['POST', 'GET', 'DELETE'].map((method) => arn(`\${ChatChannelWebSocketApi}/dev/${method}/@connections/*`)),
    });
    // The health function has nothing to do with connections.
    expect(JSON.stringify(root.Resources['HealthRole'])).not.toContain('ManageConnections');
  });

  it('outputs each channel\'s wss:// URL and @connections endpoint', () => {
    const { root } = generate(plain);
    expect(root.Outputs).toMatchObject({
      ChatWebSocketUrl: { Value: sub('wss://${ChatChannelWebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/dev') },
      ChatConnectionsUrl: { Value: sub('https://${ChatChannelWebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/dev/@connections') },
      RoomsWebSocketUrl: { Value: sub('wss://${RoomsChannelWebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/dev') },
    });
  });

  it('makes a new Deployment when a route changes, and keeps it when nothing does', () => {
    const before = generate(plain).root.Resources['ChatChannelWebSocketStage']!.Properties['DeploymentId'];
    expect(generate(plain).root.Resources['ChatChannelWebSocketStage']!.Properties['DeploymentId']).toEqual(before);
    const fewer = editChannel(plain, 'chat-channel', (fn) => {
      fn.channel!.routeKeys = fn.channel!.routeKeys.filter((key) => key !== 'boom');
    });
    const after = generate(fewer).root;
    expect(after.Resources['ChatChannelWebSocketStage']!.Properties['DeploymentId']).not.toEqual(before);
    // The other channel's deployment is untouched.
    expect(after.Resources['RoomsChannelWebSocketStage']!.Properties['DeploymentId']).toEqual(generate(plain).root.Resources['RoomsChannelWebSocketStage']!.Properties['DeploymentId']);
  });

  it('makes a new Deployment when a function it calls is renamed (the ARN behind the same ids), the authorizer\'s too', () => {
    const deploymentOf = (manifest: BuildManifest) => generate({ config: guarded.config, manifest }).root.Resources['LobbyChannelWebSocketStage']!.Properties['DeploymentId'];
    const renamed = structuredClone(guarded.manifest);
    renamed.functions.find((fn) => fn.key === 'ticket-authorizer')!.functionName = 'renamed-dev-ticket-authorizer';
    expect(deploymentOf(renamed)).not.toEqual(deploymentOf(guarded.manifest));
    expect(deploymentOf(structuredClone(guarded.manifest))).toEqual(deploymentOf(guarded.manifest));
  });

  it('warns, naming the channel and its setting, when its timeout outlives the 29 s WebSocket integration timeout', () => {
    expect(generate(plain).warnings.filter((w) => /WebSocket integration/.test(w.text))).toEqual([]);
    const slow = generate(editChannel(plain, 'chat-channel', (fn) => (fn.timeout = 60)));
    expect(slow.warnings.filter((w) => /WebSocket integration/.test(w.text)).map(formatDiagnostic)).toEqual([
      expect.stringMatching(/\(channel chat, channels-app-dev-chat-channel\) may run 60 s, but API Gateway stops waiting for a WebSocket integration after 29 s.*functions\.chat-channel\.timeout/s),
    ]);
  });

  it('integrates with the live alias when the channel has provisioned concurrency', () => {
    const warm = editChannel(plain, 'chat-channel', (fn) => {
      fn.provisionedConcurrency = 2;
    });
    const { root } = generate(warm);
    expect(root.Resources['ChatChannelWebSocketIntegration']!.Properties['IntegrationUri']).toEqual(lambdaUri('ChatChannelLiveAlias'));
    expect(root.Resources['ChatChannelWebSocketPermission']!.Properties['FunctionName']).toEqual({ Ref: 'ChatChannelLiveAlias' });
  });

  it("applies the config's throttle and detailed metrics to every route of the stage", () => {
    const config = { ...plain.config, api: { ...plain.config.api, throttle: { rate: 20, burst: 40 }, metrics: true } };
    const { root } = generate({ config, manifest: plain.manifest });
    expect(root.Resources['ChatChannelWebSocketStage']!.Properties['DefaultRouteSettings']).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, DetailedMetricsEnabled: true });
  });
});

describe('guarded and tracked channels', () => {
  it('puts a REQUEST authorizer reading the query string on the lobby\'s $connect only, with its invoke permission', () => {
    const { root } = generate(guarded);
    expect(root.Resources['LobbyChannelWebSocketAuthorizer']?.Properties).toEqual({
      ApiId: { Ref: 'LobbyChannelWebSocketApi' }, Name: 'ticket', AuthorizerType: 'REQUEST', AuthorizerUri: lambdaUri('TicketAuthorizerFunction.Arn'), IdentitySource: ['route.request.querystring.ticket'],
    });
    expect(root.Resources['LobbyChannelRouteConnect']?.Properties).toMatchObject({ RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'LobbyChannelWebSocketAuthorizer' } });
    // A tracked channel has $disconnect too, and only $connect is guarded.
    expect(root.Resources['LobbyChannelRouteDisconnect']?.Properties).toMatchObject({ RouteKey: '$disconnect', AuthorizationType: 'NONE' });
    expect(root.Resources['LobbyChannelRouteEnter']?.Properties).toMatchObject({ AuthorizationType: 'NONE' });
    expect(root.Resources['LobbyChannelWebSocketAuthorizerPermission']?.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': ['TicketAuthorizerFunction', 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: arn('${LobbyChannelWebSocketApi}/authorizers/*'),
    });
    const deploymentId = (root.Resources['LobbyChannelWebSocketStage']!.Properties['DeploymentId'] as { Ref: string }).Ref;
    expect(root.Resources[deploymentId]!.DependsOn).toContain('LobbyChannelWebSocketAuthorizerPermission');
  });

  it('guards the desk\'s $connect with IAM, and leaves the unguarded chat open', () => {
    const { root } = generate(guarded);
    expect(root.Resources['DeskChannelRouteConnect']?.Properties).toMatchObject({ RouteKey: '$connect', AuthorizationType: 'AWS_IAM' });
    expect(root.Resources['DeskChannelRouteConnect']?.Properties['AuthorizerId']).toBeUndefined();
    expect(root.Resources['DeskChannelRouteAsk']?.Properties).toMatchObject({ AuthorizationType: 'NONE' });
    expect(root.Resources['ChatChannelRouteConnect']?.Properties).toMatchObject({ AuthorizationType: 'NONE' });
    expect(Object.keys(ofType(root, 'AWS::ApiGatewayV2::Authorizer'))).toEqual(['LobbyChannelWebSocketAuthorizer']);
  });

  it('keeps the Apis in the root and the rest with each channel\'s function when split, however the roles are shared', () => {
    const nested = generate(guarded, { split: 'always' });
    expect(Object.keys(ofType(nested.root, 'AWS::ApiGatewayV2::Api')).sort()).toEqual(['ChatChannelWebSocketApi', 'DeskChannelWebSocketApi', 'LobbyChannelWebSocketApi', 'RoomsChannelWebSocketApi']);
    const lobby = nested.children.find((child) => child.logicalId === 'LobbyChannelStack')!;
    expect(Object.values(lobby.template.Resources).map((resource) => resource.Type).filter((type) => type.startsWith('AWS::ApiGatewayV2')).sort()).toEqual([
      'AWS::ApiGatewayV2::Authorizer', 'AWS::ApiGatewayV2::Deployment', 'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Stage',
    ]);
    // The Api and the authorizer's function come from outside (the connections table too, once the build links it).
    expect(Object.keys(lobby.template.Parameters ?? {})).toEqual(expect.arrayContaining(['LobbyChannelWebSocketApi', 'TicketAuthorizerFunctionArn']));
    expect(nested.root.Resources['LobbyChannelStack']!.Properties['Parameters']).toMatchObject({ LobbyChannelWebSocketApi: { Ref: 'LobbyChannelWebSocketApi' } });

    // One role for the app, in the root: it names the Apis there, so no stack waits for another that waits for it.
    const shared = generate({ config: { ...guarded.config, iamRoles: 'app' }, manifest: guarded.manifest }, { split: 'always' });
    const role = JSON.stringify(shared.root.Resources['AppSharedRole']);
    expect(role).toContain('${LobbyChannelWebSocketApi}/dev/POST/@connections/*');
    expect(shared.root.Resources['AppSharedRole']!.DependsOn).toBeUndefined();
  });

  it('refuses, in one line naming the channel file, an unknown authorizer, a TOKEN one and an identity source WebSocket APIs cannot read', () => {
    const errorOf = (app: { config: ResolvedConfig; manifest: BuildManifest }) => {
      try {
        generateTemplates(app);
      } catch (error) {
        return isSlsError(error) ? error.diagnostics.map(formatDiagnostic).join('\n') : String(error);
      }
      return 'no error';
    };
    const unknown = editChannel(guarded, 'lobby-channel', (fn) => {
      fn.channel!.auth = 'nobody';
    });
    expect(errorOf(unknown)).toMatch(/^app\/channels\/lobby-channel\.ts: LobbyChannel static auth 'nobody' names no authorizer of the app \(its authorizers: ticket\) — add app\/authorizers\/nobody-authorizer\.ts with static type = 'request', or write static auth = 'iam'$/);

    const token = structuredClone(guarded.manifest);
    token.authorizers = token.authorizers!.map((spec) => (spec.name === 'ticket' && spec.type === 'request' ? { type: 'token', name: 'ticket', functionKey: spec.functionKey, identitySource: 'method.request.header.Authorization', ttl: 0, source: spec.source } : spec));
    expect(errorOf({ config: guarded.config, manifest: token })).toMatch(/^app\/channels\/lobby-channel\.ts: LobbyChannel static auth 'ticket' names TicketAuthorizer \(app\/authorizers\/ticket-authorizer\.ts\), a TOKEN authorizer; a WebSocket API's \$connect takes a Lambda REQUEST authorizer or IAM — make it a REQUEST authorizer/);

    const body = structuredClone(guarded.manifest);
    body.authorizers = body.authorizers!.map((spec) => (spec.type === 'request' ? { ...spec, identitySources: ['method.request.body.ticket'] } : spec));
    expect(errorOf({ config: guarded.config, manifest: body })).toMatch(/^app\/channels\/lobby-channel\.ts: LobbyChannel static auth 'ticket': identity source "method\.request\.body\.ticket" of TicketAuthorizer \(app\/authorizers\/ticket-authorizer\.ts\) is not one a WebSocket API can read/);
  });
});
