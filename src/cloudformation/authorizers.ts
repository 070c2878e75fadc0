// Authorizers on the REST API: an `AWS::ApiGateway::Authorizer` per authorizer of the manifest
// (TOKEN / REQUEST calling its Lambda, COGNITO_USER_POOLS checking the pools' JWTs), the permission
// letting API Gateway invoke a Lambda one, and how each method is guarded.
//
// Every authorizer the app has is deployed, used by a method or not: it is app code the build
// already turned into a function, an unused one costs one permission, and keeping it means a
// route edit that drops its last use neither deletes it nor, when a later edit uses it again,
// creates it under a new id (API Gateway refuses to delete an authorizer a method still names, so
// churn there is what fails deploys).
import type { AuthorizerSpec } from '../build/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { FIXED_IDS } from './ids.js';
import { ref, sub } from './intrinsics.js';
import { invokedPermission } from './live-alias.js';
import { functionGroup, type AppModel } from './model.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import { integrationUri, invokeTarget } from './rest-api.js';

const TYPES = { token: 'TOKEN', request: 'REQUEST', cognito: 'COGNITO_USER_POOLS' } as const;

/**
 * API Gateway calls a Lambda authorizer from `<api>/authorizers/<authorizer id>` (doc "Control
 * access to HTTP APIs with AWS Lambda authorizers"; obs repost.aws QUueKWr4bAR3eDw9nVqhJLlQ).
 * `*` rather than the Authorizer's id: in nested stacks the permission sits with its function
 * while the Authorizer, in the root, needs that function's ARN, so naming the id would make the
 * two stacks wait for each other. `*` still allows only this API's authorizers.
 */
function authorizerSourceArn(): unknown {
  return sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${FIXED_IDS.restApi}}/authorizers/*`);
}

function authorizerProperties(spec: AuthorizerSpec, ctx: GenerateContext, model: AppModel): Record<string, unknown> {
  const common = { Name: spec.name, RestApiId: ref(FIXED_IDS.restApi), Type: TYPES[spec.type], AuthorizerResultTtlInSeconds: spec.ttl };
  if (spec.type === 'cognito') {
    return { ...common, ProviderARNs: [...spec.userPoolArns], IdentitySource: spec.identitySource };
  }
  const fn = model.functions.find((candidate) => candidate.key === spec.functionKey);
  if (!fn) throw new Error(`authorizer ${spec.name} names function ${spec.functionKey}, which the manifest does not have`);
  const uri = integrationUri(invokeTarget(ctx.ids.functions.get(fn.key)!));
  if (spec.type === 'token') {
    return { ...common, AuthorizerUri: uri, IdentitySource: spec.identitySource, ...(spec.validation !== undefined ? { IdentityValidationExpression: spec.validation } : {}) };
  }
  // REQUEST: the identity sources comma-separated (doc AWS::ApiGateway::Authorizer IdentitySource);
  // none at all is allowed only without caching, which the build's checks leave to it.
  return { ...common, AuthorizerUri: uri, ...(spec.identitySources.length > 0 ? { IdentitySource: spec.identitySources.join(',') } : {}) };
}

export function authorizerParts(model: AppModel, ctx: GenerateContext): Part[] {
  return model.authorizers.flatMap((spec): Part[] => {
    const ids = ctx.ids.authorizers.get(spec.name)!;
    const authorizer: Part = {
      id: ids.authorizer,
      home: ROOT_HOME,
      source: `authorizer ${spec.name} (${spec.source})`,
      resource: { Type: 'AWS::ApiGateway::Authorizer', Properties: authorizerProperties(spec, ctx, model) },
    };
    if (spec.type === 'cognito') return [authorizer];
    const fn = model.functions.find((candidate) => candidate.key === spec.functionKey)!;
    const fnIds = ctx.ids.functions.get(fn.key)!;
    // As for routes (rest-api.ts): API Gateway invokes the alias, which the function's permission does not cover.
    const permission = invokedPermission(fnIds, 'apigateway.amazonaws.com', authorizerSourceArn());
    // With its function, as the routes' permissions are: in nested stacks it reaches the RestApi through a parameter.
    return [authorizer, { id: ids.permission!, home: functionGroup(fn).key, source: fn.source, resource: permission }];
  });
}

/** API Gateway caches an authorizer's result for at most an hour (doc API Gateway API reference, Authorizer: "The maximum value is 3600"). */
export const AUTHORIZER_TTL_MAX = 3600;

/**
 * What API Gateway would refuse at deploy time. A REQUEST authorizer's cache is keyed by its
 * identity sources, so caching one needs at least one (doc API reference, Authorizer
 * identitySource: required for REQUEST when caching is enabled).
 */
function settingProblems(spec: AuthorizerSpec): Diagnostic[] {
  const where = `authorizer ${spec.name} (${spec.source})`;
  if (!Number.isInteger(spec.ttl) || spec.ttl < 0 || spec.ttl > AUTHORIZER_TTL_MAX) {
    return [{ text: `${where}: ttl ${spec.ttl} is not a whole number of seconds from 0 to ${AUTHORIZER_TTL_MAX}`, hint: `API Gateway caches results for at most an hour; 0 turns the cache off` }];
  }
  if (spec.type === 'request' && spec.ttl > 0 && spec.identitySources.length === 0) {
    return [{ text: `${where}: a REQUEST authorizer cached for ${spec.ttl} s needs at least one identity source, the key of its cache`, hint: "name the header, query string, stage variable or context value it reads (static identitySource = ['method.request.header.Authorization']), or set static ttl = 0" }];
  }
  return [];
}

/**
 * Routes naming an authorizer the app does not have, or naming a Lambda one as Cognito (or the
 * reverse): the build resolves routes against the same list, so these mean a stale manifest.
 */
export function authorizerDiagnostics(model: AppModel): Diagnostic[] {
  const byName = new Map(model.authorizers.map((spec) => [spec.name, spec]));
  const problems: Diagnostic[] = model.authorizers.flatMap(settingProblems);
  for (const method of model.methods) {
    const auth = method.auth;
    if (!auth || auth.type === 'iam') continue;
    const spec = byName.get(auth.authorizer);
    const names = [...byName.keys()].join(', ') || 'none';
    if (!spec) {
      problems.push({ text: `${method.label} is guarded by authorizer ${auth.authorizer}, which the app does not have (its authorizers: ${names})`, hint: 'add app/authorizers/<name>-authorizer.ts or a Cognito authorizer under `authorizers` in the config, then build again' });
    } else if ((spec.type === 'cognito') !== (auth.type === 'cognito')) {
      problems.push({ text: `${method.label} uses authorizer ${auth.authorizer} as a ${auth.type === 'cognito' ? 'Cognito' : 'Lambda'} authorizer, but it is a ${spec.type === 'cognito' ? 'Cognito' : 'Lambda'} one (${spec.source})`, hint: 'build again: the manifest is older than the authorizers' });
    }
  }
  return problems;
}
