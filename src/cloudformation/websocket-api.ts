// WebSocket channels (app/channels/*-channel.ts): one WebSocket API per channel class, each with
// its own route selection expression, URL and stage. Per channel: the Api (in the root, see
// websocketParts), one Lambda proxy integration, a Route per route key, a Deployment whose id
// carries a hash of what it snapshots, the Stage named after the sls-ts stage, the invoke
// permission, and `static auth`'s authorizer on $connect (websocket-auth.ts). Sources: doc
// CloudFormation AWS::ApiGatewayV2::Api / Integration / Route / Deployment / Stage; doc "Use
// @connections commands in your backend service" (ManageConnections on
// `<api>/<stage>/POST/@connections/*`, GET and DELETE for connection info and disconnecting).
import type { BuiltFunction, ChannelRouting } from '../build/types.js';
import type { Diagnostic } from '../shared/errors.js';
import type { TemplateOutput } from './types.js';
import { tagMap } from './http-api.js';
import { ref, sub } from './intrinsics.js';
import { canonicalJson, sha256Hex } from './json.js';
import { invokedPermission } from './live-alias.js';
import { isPlainKey, LOGICAL_ID_MAX, pascalWords, type IdRequest } from './logical-ids.js';
import { functionGroup } from './model.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import { integrationUri, invokeTarget } from './rest-api.js';
import { channelAuthorizerParts, connectRouteAuth } from './websocket-auth.js';

/** A channel function with its routing (BuiltFunction.kind === 'channel'). */
export interface ChannelFunction extends BuiltFunction {
  channel: ChannelRouting;
}

export function channelFunctions(functions: readonly BuiltFunction[]): ChannelFunction[] {
  return functions.filter((fn): fn is ChannelFunction => fn.kind === 'channel' && fn.channel !== undefined);
}

const DEPLOYMENT_HASH_LENGTH = 10;
/** API Gateway's limit on an API's name (doc API Gateway V2 API reference, Api name: 128 characters). */
const API_NAME_MAX = 128;
/** Doc "Amazon API Gateway quotas for configuring and running a WebSocket API": 300 routes per API (raisable). */
export const WEBSOCKET_ROUTE_QUOTA = 300;

export type WebSocketPiece = 'api' | 'integration' | 'stage' | 'permission' | 'authorizer' | 'authorizer-permission' | 'url-output' | 'connections-output';
const SUFFIXES: Record<WebSocketPiece, string> = {
  api: 'WebSocketApi',
  integration: 'WebSocketIntegration',
  stage: 'WebSocketStage',
  permission: 'WebSocketPermission',
  authorizer: 'WebSocketAuthorizer',
  'authorizer-permission': 'WebSocketAuthorizerPermission',
  'url-output': 'WebSocketUrl',
  'connections-output': 'ConnectionsUrl',
};
/** Output names end in these: `sls-ts url` finds the channels' URLs by them (`ChatWebSocketUrl`). */
export const WEBSOCKET_OUTPUT_SUFFIXES = { url: SUFFIXES['url-output'], connections: SUFFIXES['connections-output'] } as const;

const pieceKey = (fn: BuiltFunction, piece: WebSocketPiece) => `channel:${fn.key}#${piece}`;
const routeKeyId = (fn: BuiltFunction, routeKey: string) => `channel:${fn.key}#route:${routeKey}`;

/** `$connect` → `Connect`; a named action reads back only when it is one lowercase word (`whoami`), else its id takes a hash. */
function routeWords(routeKey: string): { words: string; plain: boolean } {
  if (routeKey.startsWith('$')) return { words: pascalWords(routeKey), plain: true };
  return { words: pascalWords(routeKey), plain: /^[a-z][a-z0-9]*$/.test(routeKey) && !['connect', 'disconnect', 'default'].includes(routeKey) };
}

/** Logical ids (and output names) of every channel's resources, for assignIds. */
export function websocketIdRequests(functions: readonly BuiltFunction[]): IdRequest[] {
  return channelFunctions(functions).flatMap((fn) => {
    const owner = `function:${fn.key}`;
    const stem = pascalWords(fn.key);
    const plain = isPlainKey(fn.key);
    const label = `${fn.source} (channel ${fn.channel.name})`;
    const pieces: WebSocketPiece[] = ['api', 'integration', 'stage', 'permission', ...(fn.channel.auth && fn.channel.auth !== 'iam' ? ['authorizer', 'authorizer-permission'] as const : [])];
    const outputs: WebSocketPiece[] = ['url-output', 'connections-output'];
    return [
      ...pieces.map((piece): IdRequest => ({ key: pieceKey(fn, piece), owner, stem, suffix: SUFFIXES[piece], plain, label })),
      // Named after the channel, as `url` prints them.
      ...outputs.map((piece): IdRequest => ({ key: pieceKey(fn, piece), owner: `channel:${fn.channel.name}`, stem: pascalWords(fn.channel.name), suffix: SUFFIXES[piece], plain: isPlainKey(fn.channel.name), label })),
      ...fn.channel.routeKeys.map((routeKey): IdRequest => {
        const { words, plain: plainRoute } = routeWords(routeKey);
        return { key: routeKeyId(fn, routeKey), stem: `${stem}Route${words}`, plain: plain && plainRoute, label: `${label} route ${routeKey}` };
      }),
    ];
  });
}

/** `<app>-<stage>-<channel>`, shortened with a stable hash past API Gateway's 128 characters. */
export function websocketApiName(config: GenerateContext['config'], channel: ChannelRouting): string {
  const name = `${config.name}-${config.stage}-${channel.name}`;
  if (name.length <= API_NAME_MAX) return name;
  return `${name.slice(0, API_NAME_MAX - 9)}-${sha256Hex(name).slice(0, 8)}`;
}

export const websocketApiId = (fn: BuiltFunction, ctx: GenerateContext): string => ctx.ids.extra.get(pieceKey(fn, 'api'))!;
export const websocketPieceId = (fn: BuiltFunction, piece: WebSocketPiece, ctx: GenerateContext): string => ctx.ids.extra.get(pieceKey(fn, piece))!;

/**
 * The Api stays in the root; the rest goes with the channel's function. A role in the root (`iamRoles:
 * 'app'`) names the Api in its ManageConnections statement while the function's stack needs that role:
 * an Api in the function's stack would make the two wait for each other.
 */
function apiPart(fn: ChannelFunction, ctx: GenerateContext): Part {
  const { config } = ctx;
  return {
    id: websocketApiId(fn, ctx),
    home: ROOT_HOME,
    source: `${fn.source} (channel ${fn.channel.name})`,
    resource: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: {
        Name: websocketApiName(config, fn.channel),
        Description: `${config.name} (${config.stage}) channel ${fn.channel.name}, deployed by sls-ts`,
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: fn.channel.routeSelection,
        ...tagMap(ctx.tags),
      },
    },
  };
}

/**
 * A WebSocket stage serves the Deployment it names, and a stage does not redeploy itself unless
 * AutoDeploy is set (doc AWS::ApiGatewayV2::Stage AutoDeploy: "The default value is false"; obs
 * aws/aws-lambda-dotnet#605: routes added by a stack update stay undeployed). As for REST
 * (deployment.ts), the Deployment's id carries a hash of what it snapshots, so CloudFormation
 * creates a new one whenever routes, the integration or the authorizer change.
 */
function deploymentHash(snapshot: readonly Part[], api: Part, functions: readonly BuiltFunction[]): string {
  const parts = snapshot.map((part) => [part.id, part.resource.Type, part.resource.Properties] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  // The names of the functions it calls too: renaming the app changes the ARNs behind unchanged ids.
  const names = functions.map((called) => called.functionName).sort();
  return sha256Hex(canonicalJson({ routeSelection: api.resource.Properties['RouteSelectionExpression'], parts, functions: names })).slice(0, DEPLOYMENT_HASH_LENGTH);
}

function stageSettings(ctx: GenerateContext): Record<string, unknown> {
  // Throttle and detailed metrics apply to every route (DefaultRouteSettings). Access logs do not
  // follow: their format is written with REST/HTTP variables ($context.httpMethod, .path) that a
  // WebSocket API does not have, and they need the account's CloudWatch role.
  const { throttle, metrics } = ctx.config.api;
  const settings = {
    ...(throttle ? { ThrottlingRateLimit: throttle.rate } : {}),
    ...(throttle?.burst !== undefined ? { ThrottlingBurstLimit: throttle.burst } : {}),
    ...(metrics ? { DetailedMetricsEnabled: true } : {}),
  };
  return Object.keys(settings).length > 0 ? { DefaultRouteSettings: settings } : {};
}

function channelParts(fn: ChannelFunction, ctx: GenerateContext): Part[] {
  const fnIds = ctx.ids.functions.get(fn.key)!;
  const home = functionGroup(fn).key;
  const source = `${fn.source} (channel ${fn.channel.name})`;
  const apiId = websocketApiId(fn, ctx);
  const integrationId = websocketPieceId(fn, 'integration', ctx);
  const api = apiPart(fn, ctx);
  const integration: Part = {
    id: integrationId,
    home,
    source,
    resource: {
      Type: 'AWS::ApiGatewayV2::Integration',
      // A WebSocket API calls Lambda through the apigateway invocations URI with POST, as REST
      // does (doc API Gateway V2 API reference, Integration integrationMethod; src serverless
      // lib/plugins/aws/package/compile/events/websockets/lib/integrations.js). The `live` alias
      // when the function has provisioned concurrency, as for every other invoker.
      Properties: { ApiId: ref(apiId), IntegrationType: 'AWS_PROXY', IntegrationMethod: 'POST', IntegrationUri: integrationUri(invokeTarget(fnIds)) },
    },
  };
  const guarded = ctx.ids.extra.has(pieceKey(fn, 'authorizer'));
  const placement = { apiId, home, source, ...(guarded ? { authorizerId: websocketPieceId(fn, 'authorizer', ctx), permissionId: websocketPieceId(fn, 'authorizer-permission', ctx) } : {}) };
  const authorizer = channelAuthorizerParts(fn, ctx, placement);
  const routes: Part[] = fn.channel.routeKeys.map((routeKey) => ({
    id: ctx.ids.extra.get(routeKeyId(fn, routeKey))!,
    home,
    source: `${source} route ${routeKey}`,
    resource: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: ref(apiId),
        RouteKey: routeKey,
        Target: sub(`integrations/\${${integrationId}}`),
        // Only $connect may carry an authorizer (doc "Controlling and managing access to a WebSocket API").
        ...(routeKey === '$connect' ? connectRouteAuth(fn, placement) : { AuthorizationType: 'NONE' }),
      },
    },
  }));
  const permission: Part = {
    id: websocketPieceId(fn, 'permission', ctx),
    home,
    source,
    // Any stage and route of this channel's API, and nothing else.
    resource: invokedPermission(fnIds, 'apigateway.amazonaws.com', sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiId}}/*`)),
  };
  const authorizerFn = ctx.manifest.functions.filter((candidate) => authorizer.length > 0 && candidate.kind === 'authorizer' && candidate.authorizer === fn.channel.auth);
  const hash = deploymentHash([integration, ...routes, ...authorizer], api, [fn, ...authorizerFn]);
  const deploymentId = `${pascalWords(fn.key).slice(0, LOGICAL_ID_MAX - 'WebSocketDeployment'.length - DEPLOYMENT_HASH_LENGTH)}WebSocketDeployment${hash}`;
  const permissions = [permission, ...authorizer.filter((part) => part.resource.Type === 'AWS::Lambda::Permission')];
  const deployment: Part = {
    id: deploymentId,
    home,
    source: `${source} deployment`,
    resource: {
      Type: 'AWS::ApiGatewayV2::Deployment',
      // Every route (API Gateway refuses to deploy an API without them), and the permissions: the
      // stage serves the new deployment at once, and a route whose function API Gateway may not
      // invoke yet would fail its messages until they exist.
      DependsOn: [...routes, ...permissions].map((part) => part.id).sort(),
      Properties: { ApiId: ref(apiId), Description: `sls-ts channel ${fn.channel.name} ${hash}` },
    },
  };
  const stage: Part = {
    id: websocketPieceId(fn, 'stage', ctx),
    home,
    source: `${source} stage ${ctx.config.stage}`,
    resource: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: ref(apiId),
        StageName: ctx.config.stage,
        DeploymentId: ref(deploymentId),
        Description: `${ctx.config.name} ${ctx.config.stage}`,
        ...stageSettings(ctx),
        ...tagMap(ctx.tags),
      },
    },
  };
  return [api, integration, ...authorizer, ...routes, permission, deployment, stage];
}

/** Every channel's resources; throws when a Deployment's hashed id meets another id. */
export function websocketParts(functions: readonly BuiltFunction[], ctx: GenerateContext, taken: readonly Part[]): Part[] {
  const parts = channelFunctions(functions).flatMap((fn) => channelParts(fn, ctx));
  const ids = new Set(taken.map((part) => part.id));
  for (const part of parts) {
    if (ids.has(part.id)) throw new Error(`logical id ${part.id} is taken`);
    ids.add(part.id);
  }
  return parts;
}

/** A channel with more route keys than API Gateway allows per API without a quota increase, or a timeout its integration outlives. */
export function websocketQuotaWarnings(functions: readonly BuiltFunction[]): Diagnostic[] {
  const channels = channelFunctions(functions);
  const routes = channels.filter((fn) => fn.channel.routeKeys.length > WEBSOCKET_ROUTE_QUOTA).map((fn) => ({
    level: 'warning' as const,
    text: `${fn.source} (channel ${fn.channel.name}) has ${fn.channel.routeKeys.length} routes; API Gateway allows ${WEBSOCKET_ROUTE_QUOTA} per WebSocket API unless the quota is raised`,
    hint: 'ask for more in Service Quotas (Routes per API) before deploying, or serve several actions from default() reading the message itself',
  }));
  // Doc "quotas for configuring and running a WebSocket API": integration timeout 50 ms – 29 s.
  const timeouts = channels.filter((fn) => fn.timeout > WEBSOCKET_INTEGRATION_TIMEOUT_SECONDS).map((fn) => ({
    level: 'warning' as const,
    text: `${fn.source} (channel ${fn.channel.name}, ${fn.functionName}) may run ${fn.timeout} s, but API Gateway stops waiting for a WebSocket integration after ${WEBSOCKET_INTEGRATION_TIMEOUT_SECONDS} s (the client gets an error; $connect fails)`,
    hint: `post long results later with this.send() from a job, or lower the timeout to ${WEBSOCKET_INTEGRATION_TIMEOUT_SECONDS} s or less (functions.${fn.key}.timeout)`,
  }));
  return [...routes, ...timeouts];
}

/** API Gateway's WebSocket integration timeout, not raisable (doc: 50 milliseconds – 29 seconds). */
export const WEBSOCKET_INTEGRATION_TIMEOUT_SECONDS = 29;

/** What a channel's function may do with its connections: send (POST), read (GET) and close (DELETE) them. */
export function websocketRoleStatements(fn: BuiltFunction, ctx: GenerateContext): Record<string, unknown>[] {
  if (fn.kind !== 'channel' || !fn.channel) return [];
  const apiId = websocketApiId(fn, ctx);
  return [{
    Effect: 'Allow',
    Action: 'execute-api:ManageConnections',
    Resource: ['POST', 'GET', 'DELETE'].map((method) => sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiId}}/${ctx.config.stage}/${method}/@connections/*`)),
  }];
}

/** `ChatWebSocketUrl` (wss://…/<stage>) and `ChatConnectionsUrl` (its @connections endpoint) per channel. */
export function websocketOutputs(functions: readonly BuiltFunction[], ctx: GenerateContext): Record<string, TemplateOutput> {
  const outputs: Record<string, TemplateOutput> = {};
  for (const fn of channelFunctions(functions)) {
    const base = `\${${websocketApiId(fn, ctx)}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${ctx.config.stage}`;
    outputs[websocketPieceId(fn, 'url-output', ctx)] = { Description: `WebSocket URL of channel ${fn.channel.name} (${fn.source})`, Value: sub(`wss://${base}`) };
    outputs[websocketPieceId(fn, 'connections-output', ctx)] = { Description: `@connections endpoint of channel ${fn.channel.name} (${fn.source})`, Value: sub(`https://${base}/@connections`) };
  }
  return outputs;
}
