// A channel's `static auth`: the guard on its WebSocket API's $connect route, the only route that
// may carry one (doc "Controlling and managing access to a WebSocket API in API Gateway"). An app
// authorizer becomes an AWS::ApiGatewayV2::Authorizer of type REQUEST calling its function (TOKEN
// and JWT are not WebSocket types: doc AWS::ApiGatewayV2::Authorizer AuthorizerType), `'iam'`
// AuthorizationType AWS_IAM. Its identity sources are the REST-style ones of the authorizer class,
// as the WebSocket API writes them (`route.request.querystring.token`; websocketIdentitySource).
import type { AuthorizerSpec, BuildManifest, BuiltFunction } from '../build/types.js';
import { websocketIdentitySource } from '../router/index.js';
import type { Diagnostic } from '../shared/errors.js';
import { ref, sub } from './intrinsics.js';
import { invokedPermission } from './live-alias.js';
import type { GenerateContext, Part } from './parts.js';
import { integrationUri, invokeTarget } from './rest-api.js';

/** Where the channel's parts go and the ids its authorizer takes (see websocket-api.ts). */
export interface ChannelAuthPlacement {
  apiId: string;
  home: string;
  source: string;
  authorizerId?: string;
  permissionId?: string;
}

/** The file a channel's diagnostics name (`app/channels/chat-channel.ts`): its function key is its file's. */
function channelFile(fn: BuiltFunction): string {
  return `app/channels/${fn.key}.ts`;
}

function lambdaAuthorizer(fn: BuiltFunction, authorizers: readonly AuthorizerSpec[] | undefined): Extract<AuthorizerSpec, { type: 'request' }> | undefined {
  const spec = authorizers?.find((candidate) => candidate.name === fn.channel?.auth);
  return spec?.type === 'request' ? spec : undefined;
}

/**
 * What API Gateway would refuse for a channel's `static auth`, one line each naming the channel's
 * file: an authorizer the app does not have, a TOKEN or Cognito one, or an identity source a
 * WebSocket API cannot read (only headers, query strings, stage variables and context values:
 * doc AWS::ApiGatewayV2::Authorizer IdentitySource).
 */
export function websocketAuthDiagnostics(manifest: Pick<BuildManifest, 'functions' | 'authorizers'>): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const names = (manifest.authorizers ?? []).map((spec) => spec.name).join(', ') || 'none';
  for (const fn of manifest.functions) {
    const auth = fn.kind === 'channel' ? fn.channel?.auth : undefined;
    if (auth === undefined || auth === 'iam') continue;
    const where = `${channelFile(fn)}: ${fn.source} static auth '${auth}'`;
    const spec = manifest.authorizers?.find((candidate) => candidate.name === auth);
    if (!spec) {
      problems.push({ text: `${where} names no authorizer of the app (its authorizers: ${names})`, hint: `add app/authorizers/${auth}-authorizer.ts with static type = 'request', or write static auth = 'iam'` });
    } else if (spec.type !== 'request') {
      const kind = spec.type === 'token' ? 'a TOKEN authorizer' : 'a Cognito authorizer';
      problems.push({ text: `${where} names ${spec.source}, ${kind}; a WebSocket API's $connect takes a Lambda REQUEST authorizer or IAM`, hint: spec.type === 'token' ? `make it a REQUEST authorizer (static type = 'request') reading e.g. method.request.querystring.token — browsers cannot set headers on a WebSocket` : 'guard the channel with a REQUEST authorizer that verifies the token itself, or with static auth = \'iam\'' });
    } else {
      for (const source of spec.identitySources) {
        if (websocketIdentitySource(source) === undefined) {
          problems.push({ text: `${where}: identity source ${JSON.stringify(source)} of ${spec.source} is not one a WebSocket API can read`, hint: 'use method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>' });
        }
      }
    }
  }
  return problems;
}

/** The channel's Authorizer and the permission letting its API call the authorizer's function (none for 'iam' or no auth). */
export function channelAuthorizerParts(fn: BuiltFunction, ctx: GenerateContext, placement: ChannelAuthPlacement): Part[] {
  const spec = lambdaAuthorizer(fn, ctx.manifest.authorizers);
  if (!spec || !placement.authorizerId || !placement.permissionId) return [];
  const authorizerFn = ctx.manifest.functions.find((candidate) => candidate.key === spec.functionKey);
  if (!authorizerFn) throw new Error(`authorizer ${spec.name} names function ${spec.functionKey}, which the manifest does not have`);
  const authIds = ctx.ids.functions.get(authorizerFn.key)!;
  const identity = spec.identitySources.flatMap((source) => websocketIdentitySource(source) ?? []);
  return [
    {
      id: placement.authorizerId,
      home: placement.home,
      source: `${placement.source} authorizer ${spec.name} (${spec.source})`,
      resource: {
        Type: 'AWS::ApiGatewayV2::Authorizer',
        Properties: {
          ApiId: ref(placement.apiId),
          Name: spec.name,
          AuthorizerType: 'REQUEST',
          // The `live` alias when the authorizer has provisioned concurrency, as on REST.
          AuthorizerUri: integrationUri(invokeTarget(authIds)),
          // No AuthorizerResultTtlInSeconds nor payload version: both are HTTP API settings (doc
          // AWS::ApiGatewayV2::Authorizer: "Supported only for HTTP API Lambda authorizers").
          ...(identity.length > 0 ? { IdentitySource: identity } : {}),
        },
      },
    },
    {
      // With the channel, not the authorizer's function: the channel's Deployment waits for it.
      id: placement.permissionId,
      home: placement.home,
      source: placement.source,
      resource: invokedPermission(authIds, 'apigateway.amazonaws.com', sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${placement.apiId}}/authorizers/*`)),
    },
  ];
}

/** The $connect route's AuthorizationType (and AuthorizerId). */
export function connectRouteAuth(fn: BuiltFunction, placement: ChannelAuthPlacement): Record<string, unknown> {
  const auth = fn.channel?.auth;
  if (auth === 'iam') return { AuthorizationType: 'AWS_IAM' };
  if (auth === undefined || !placement.authorizerId) return { AuthorizationType: 'NONE' };
  return { AuthorizationType: 'CUSTOM', AuthorizerId: ref(placement.authorizerId) };
}
