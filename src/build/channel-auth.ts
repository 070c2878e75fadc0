// A channel's `static auth`: the authorizer on its WebSocket API's $connect route. A WebSocket API
// takes a Lambda REQUEST authorizer or AWS_IAM, nothing else — doc APIGW "Control access to WebSocket
// APIs with AWS Lambda REQUEST authorizers"; doc AWS::ApiGatewayV2::Authorizer AuthorizerType ("For
// WebSocket APIs, specify REQUEST for a Lambda function using incoming request parameters"; JWT is for
// HTTP APIs) and IdentitySource ("For WEBSOCKET APIs … route.request.header.Auth, route.request.querystring.Name").
import { relative } from 'node:path';
import { websocketIdentitySource } from '../router/index.js';
import type { Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import type { ChannelInfo } from './inspect-channels.js';
import type { AuthorizerSpec } from './types.js';

/** The name a channel gives for AWS_IAM (as routes do). */
const IAM = 'iam';

// Browsers' WebSocket API sets no headers of its own choosing: a query parameter is what a page can send.
const QUERY_HINT = "browsers cannot set headers on a WebSocket: read a query parameter, static identitySource = ['method.request.querystring.token'], and connect to ws://…/<channel>?token=…";

/** One line per channel whose `static auth` names no authorizer a WebSocket API can use. */
export function channelAuthDiagnostics(root: string, channels: readonly ChannelInfo[], specs: readonly AuthorizerSpec[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const channel of channels) {
    const name = channel.auth;
    if (name === undefined || name === IAM) continue;
    const where = relative(root, channel.file);
    const fail = (text: string, hint: string) => diagnostics.push({ file: channel.file, text: `${where}: ${channel.className}.auth ${text}`, hint });
    const spec = specs.find((candidate) => candidate.name === name);
    if (!spec) {
      const near = closestMatch(name, [...specs.map((candidate) => candidate.name), IAM]);
      fail(`names authorizer "${name}", which the app does not have`, near ? `did you mean "${near}"?` : `create app/authorizers/${name}-authorizer.ts with static type = 'request', or write 'iam'`);
      continue;
    }
    if (spec.type === 'cognito') {
      fail(`names "${name}", a Cognito authorizer, but a WebSocket API's $connect takes a Lambda REQUEST authorizer or 'iam' only`, `write an app/authorizers/<name>-authorizer.ts with static type = 'request' that verifies the token; ${QUERY_HINT}`);
      continue;
    }
    if (spec.type === 'token') {
      fail(`names "${name}", a TOKEN authorizer, but a WebSocket API's $connect takes REQUEST authorizers only`, `set static type = 'request' on ${spec.source}; ${QUERY_HINT}`);
      continue;
    }
    const unusable = spec.identitySources.find((source) => websocketIdentitySource(source) === undefined);
    if (unusable !== undefined) fail(`names "${name}", whose identity source ${unusable} has no counterpart on a WebSocket API's $connect request`, `use method.request.header.<Name>, method.request.querystring.<name> or stageVariables.<name>; ${QUERY_HINT}`);
  }
  return diagnostics;
}

