// Authorizers of an HTTP API (`api: 'http'`), from the manifest's AuthorizerSpecs: Cognito user
// pools become JWT authorizers (API Gateway v2 has no COGNITO_USER_POOLS type), Lambda authorizers
// REQUEST ones with payload 1.0 that answer with an IAM policy, as on REST. Sources:
// doc CloudFormation AWS::ApiGatewayV2::Authorizer (AuthorizerType REQUEST | JWT; IdentitySource
// `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`; Audience and Issuer
// required for JWT, issuer `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`);
// doc "Working with AWS Lambda authorizers for HTTP APIs" (TOKEN type and validation regex are REST only).
import type { AuthorizerSpec, BuiltFunction, MethodAuth } from '../build/types.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { FIXED_IDS } from './ids.js';
import { ref, sub } from './intrinsics.js';
import { invokedPermission } from './live-alias.js';
import { isPlainKey, pascalWords, type IdRequest } from './logical-ids.js';
import { functionGroup } from './model.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import { integrationUri, invokeTarget } from './rest-api.js';

const IDENTITY_SOURCES: Array<[RegExp, string]> = [
  [/^method\.request\.header\.(.+)$/, '$request.header.'],
  [/^method\.request\.querystring\.(.+)$/, '$request.querystring.'],
  [/^stageVariables\.(.+)$/, '$stageVariables.'],
  [/^context\.(.+)$/, '$context.'],
];

/** REST's `method.request.header.Authorization` → HTTP API's `$request.header.Authorization`. */
export function httpIdentitySource(source: string): string | undefined {
  for (const [pattern, prefix] of IDENTITY_SOURCES) {
    const match = pattern.exec(source);
    if (match) return `${prefix}${match[1]}`;
  }
  return undefined;
}

const authorizerKey = (name: string) => `http-authorizer:${name}`;
const permissionKey = (fn: BuiltFunction) => `function:${fn.key}#http-authorizer-permission`;

/** Logical ids the HTTP API's authorizers need, for assignIds. */
export function httpAuthorizerIdRequests(authorizers: readonly AuthorizerSpec[], functions: readonly BuiltFunction[]): IdRequest[] {
  const requests: IdRequest[] = authorizers.map((spec) => ({
    key: authorizerKey(spec.name), stem: `HttpAuthorizer${pascalWords(spec.name)}`, plain: isPlainKey(spec.name), label: `authorizer ${spec.name}`,
  }));
  for (const spec of authorizers) {
    if (spec.type === 'cognito') continue;
    const fn = functions.find((candidate) => candidate.key === spec.functionKey);
    if (!fn) continue;
    requests.push({ key: permissionKey(fn), owner: `function:${fn.key}`, stem: pascalWords(fn.key), suffix: 'HttpPermission', plain: isPlainKey(fn.key), label: fn.source });
  }
  return requests;
}

/** `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC` → its tokens' `iss`. */
export function cognitoIssuer(userPoolArn: string): string | undefined {
  const match = /^arn:(aws[a-z-]*):cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+)$/.exec(userPoolArn);
  if (!match) return undefined;
  const [, partition, region, poolId] = match;
  return `https://cognito-idp.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}/${poolId}`;
}

function fail(ctx: GenerateContext, text: string, hint: string): never {
  throw new SlsError({ text, hint, ...(ctx.config.configFile ? { file: ctx.config.configFile } : {}) });
}

function identitySources(sources: readonly string[], what: string, ctx: GenerateContext): string[] {
  return sources.map((source) => httpIdentitySource(source) ?? fail(ctx, `${what}: identity source ${JSON.stringify(source)} is not a header, query string, stage variable or context expression`, 'write e.g. method.request.header.Authorization or method.request.querystring.token'));
}

function authorizerPart(spec: AuthorizerSpec, ctx: GenerateContext, properties: Record<string, unknown>): Part {
  return {
    id: ctx.ids.extra.get(authorizerKey(spec.name))!,
    home: ROOT_HOME,
    source: `authorizer ${spec.name} (${spec.source})`,
    resource: { Type: 'AWS::ApiGatewayV2::Authorizer', Properties: { ApiId: ref(FIXED_IDS.httpApi), Name: spec.name, ...properties } },
  };
}

function jwtPart(spec: Extract<AuthorizerSpec, { type: 'cognito' }>, ctx: GenerateContext): Part {
  const path = `authorizers.${spec.name}`;
  const audience = ctx.config.authorizers.find((authorizer) => authorizer.name === spec.name)?.audience;
  if (!audience || audience.length === 0) fail(ctx, `${path}.audience: is required with api: 'http' (a JWT authorizer accepts only tokens for the app clients it lists)`, "list the user pool's app client ids, e.g. audience: ['1example23456789']");
  if (spec.userPoolArns.length !== 1) fail(ctx, `${path}.userPoolArns: an HTTP API's JWT authorizer trusts one user pool, got ${spec.userPoolArns.length}`, 'declare one authorizer per user pool');
  const issuer = cognitoIssuer(spec.userPoolArns[0]!) ?? fail(ctx, `${path}.userPoolArns[0]: ${spec.userPoolArns[0]} is not a user pool ARN`, 'write arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>');
  return authorizerPart(spec, ctx, {
    AuthorizerType: 'JWT',
    IdentitySource: identitySources([spec.identitySource], path, ctx),
    JwtConfiguration: { Issuer: issuer, Audience: [...audience] },
  });
}

function lambdaParts(spec: Exclude<AuthorizerSpec, { type: 'cognito' }>, ctx: GenerateContext): Part[] {
  const fn = ctx.manifest.functions.find((candidate) => candidate.key === spec.functionKey);
  if (!fn) throw new Error(`authorizer ${spec.name} names function ${spec.functionKey}, which the manifest does not have`);
  const fnIds = ctx.ids.functions.get(fn.key)!;
  const sources = spec.type === 'token' ? [spec.identitySource] : spec.identitySources;
  const authorizer = authorizerPart(spec, ctx, {
    // HTTP APIs have no TOKEN type: a TOKEN authorizer becomes a REQUEST one on its one source.
    AuthorizerType: 'REQUEST',
    // The `live` alias when the authorizer has provisioned concurrency, as for REST (authorizers.ts).
    AuthorizerUri: integrationUri(invokeTarget(fnIds)),
    // 1.0, not 2.0 (doc "Control access to HTTP APIs with AWS Lambda authorizers": "If you need
    // compatibility with REST APIs, use version 1.0"): the event has REST's REQUEST shape (methodArn,
    // headers, query) and the answer is an IAM policy, principal and context — what sls-ts's
    // Authorizer class reads and returns (it refuses a 2.0 event). Simple responses are 2.0 only.
    AuthorizerPayloadFormatVersion: '1.0',
    ...(sources.length > 0 ? { IdentitySource: identitySources(sources, `authorizer ${spec.name} (${spec.source})`, ctx) } : {}),
    AuthorizerResultTtlInSeconds: spec.ttl,
  });
  const permission: Part = {
    id: ctx.ids.extra.get(permissionKey(fn))!,
    home: functionGroup(fn).key,
    source: fn.source,
    resource: invokedPermission(fnIds, 'apigateway.amazonaws.com', sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${FIXED_IDS.httpApi}}/authorizers/*`)),
  };
  return [authorizer, permission];
}

export function httpAuthorizerParts(ctx: GenerateContext): Part[] {
  return (ctx.manifest.authorizers ?? []).flatMap((spec) => (spec.type === 'cognito' ? [jwtPart(spec, ctx)] : lambdaParts(spec, ctx)));
}

/** What HTTP APIs leave out of a TOKEN authorizer, said rather than dropped quietly. */
export function httpAuthorizerWarnings(ctx: GenerateContext): Diagnostic[] {
  return (ctx.manifest.authorizers ?? []).flatMap((spec): Diagnostic[] => (spec.type === 'token' ? [{
    level: 'warning',
    text: `authorizer ${spec.name} (${spec.source}) is a TOKEN authorizer, which HTTP APIs do not have: with api: 'http' it is called as a REQUEST one, with no token of its own (the identity source is in its request's headers or query)${spec.validation !== undefined ? ', and its validation regex is not used' : ''}`,
    hint: "make it a REQUEST authorizer (static type = 'request') reading the header itself, or keep api: 'rest'",
  }] : []));
}

/** A route's AuthorizationType, AuthorizerId and scopes. */
export function httpRouteAuth(auth: MethodAuth | undefined, label: string, ctx: GenerateContext): Record<string, unknown> {
  if (!auth) return { AuthorizationType: 'NONE' };
  if (auth.type === 'iam') return { AuthorizationType: 'AWS_IAM' };
  const id = ctx.manifest.authorizers?.some((spec) => spec.name === auth.authorizer) ? ctx.ids.extra.get(authorizerKey(auth.authorizer)) : undefined;
  if (!id) fail(ctx, `${label}: authorizer ${auth.authorizer} is not declared`, 'add app/authorizers/<name>-authorizer.ts, or declare it under the config\'s `authorizers`');
  if (auth.type === 'lambda') return { AuthorizationType: 'CUSTOM', AuthorizerId: ref(id) };
  return { AuthorizationType: 'JWT', AuthorizerId: ref(id), ...(auth.scopes && auth.scopes.length > 0 ? { AuthorizationScopes: [...auth.scopes] } : {}) };
}
