// The REST API: the RestApi, a resource per path part, a method per route (AWS_PROXY to the
// function serving it) and one invoke permission per routed function, scoped to this API.
import type { BuiltFunction } from '../build/types.js';
import { FIXED_IDS, methodKey, pathHome, type FunctionIds } from './ids.js';
import { methodAuthProperties } from './method-auth.js';
import { corsMethodProperties } from './cors.js';
import { getAtt, ref, sub, withTags } from './intrinsics.js';
import { invokedPermission } from './live-alias.js';
import { functionGroup, type AppModel, type ApiMethodModel } from './model.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';

export function restApiPart(ctx: GenerateContext): Part {
  const { config } = ctx;
  const binary = [...new Set(config.binaryMediaTypes)].sort();
  return {
    id: FIXED_IDS.restApi,
    home: ROOT_HOME,
    source: 'REST API',
    resource: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: {
        Name: `${config.name}-${config.stage}`,
        Description: `${config.name} (${config.stage}), deployed by sls-ts`,
        EndpointConfiguration: { Types: ['REGIONAL'] },
        ...(binary.length > 0 ? { BinaryMediaTypes: binary } : {}),
        ...withTags(ctx.tags),
      },
    },
  };
}

/** The id of a path's resource: `/` is the RestApi's own root resource. */
export function resourceIdOf(path: string, ctx: GenerateContext): unknown {
  return path === '/' ? getAtt(FIXED_IDS.restApi, 'RootResourceId') : ref(ctx.ids.resources.get(path)!);
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function apiResourceParts(model: AppModel, ctx: GenerateContext): Part[] {
  return model.paths.map((path) => ({
    id: ctx.ids.resources.get(path)!,
    home: pathHome(path),
    source: `API path ${path}`,
    resource: {
      Type: 'AWS::ApiGateway::Resource',
      Properties: {
        RestApiId: ref(FIXED_IDS.restApi),
        ParentId: resourceIdOf(parentOf(path), ctx),
        PathPart: path.slice(path.lastIndexOf('/') + 1),
      },
    },
  }));
}

/** The Lambda proxy integration URI for a function in this template (`target`: its `.Arn`, or an alias id, whose Ref is its ARN). */
export function integrationUri(target: string): unknown {
  return sub(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${target}}/invocations`);
}

/** What API Gateway calls: the `live` alias when the function has provisioned concurrency (its warm environments are there), else the function. */
export function invokeTarget(ids: FunctionIds): string {
  return ids.alias ?? `${ids.fn}.Arn`;
}

function methodPart(method: ApiMethodModel, ctx: GenerateContext): Part {
  const id = ctx.ids.methods.get(methodKey(method.method, method.path))!;
  const base = { RestApiId: ref(FIXED_IDS.restApi), ResourceId: resourceIdOf(method.path, ctx), HttpMethod: method.method, AuthorizationType: 'NONE' };
  if (!method.fn) {
    const cors = ctx.config.cors;
    if (cors === false) throw new Error(`${method.label} needs cors settings`);
    // A preflight stays with its resource: it has no function to follow.
    return { id, home: pathHome(method.path), source: method.label, resource: { Type: 'AWS::ApiGateway::Method', Properties: { ...base, ...corsMethodProperties(cors) } } };
  }
  const fnIds = ctx.ids.functions.get(method.fn.key)!;
  // With its resource, not with its function: moving a route to another controller must update the
  // Method in place. In another stack CloudFormation would create it there before deleting it here,
  // and API Gateway refuses a second method on the same resource and verb. The function's ARN
  // comes in as a parameter (see split.ts). Stacks deployed before keep theirs with the function.
  return {
    id,
    home: ctx.methods === 'function' ? functionGroup(method.fn).key : pathHome(method.path),
    source: method.label,
    resource: {
      Type: 'AWS::ApiGateway::Method',
      Properties: { ...base, ...methodAuthProperties(method, ctx), Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: integrationUri(invokeTarget(fnIds)) } },
    },
  };
}

export function apiMethodParts(model: AppModel, ctx: GenerateContext): Part[] {
  return model.methods.map((method) => methodPart(method, ctx));
}

function apiPermission(ids: FunctionIds): Part['resource'] {
  // Any stage, method and path of this API, and nothing else.
  // On the alias when there is one (invokedPermission): a permission on the function does not cover it.
  return invokedPermission(ids, 'apigateway.amazonaws.com', sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${FIXED_IDS.restApi}}/*`));
}

export function apiPermissionParts(model: AppModel, ctx: GenerateContext): Part[] {
  const routed = model.functions.filter((fn) => model.routed.has(fn.key));
  return routed.map((fn: BuiltFunction) => {
    const ids = ctx.ids.functions.get(fn.key)!;
    return {
      id: ids.apiPermission!,
      home: functionGroup(fn).key,
      source: fn.source,
      resource: apiPermission(ids),
    };
  });
}
