// The Deployment snapshots the API for the stage. CloudFormation only creates one when its
// logical id is new, so the id carries a hash of everything the snapshot depends on: a route,
// integration, CORS or binary-type change gets a new Deployment, an unchanged API keeps its id.
import type { BuildManifest, BuiltFunction } from '../build/types.js';
import type { ResolvedConfig } from '../config/types.js';
import { DEPLOYMENT_ID_PREFIX, FIXED_IDS } from './ids.js';
import { ref, withTags } from './intrinsics.js';
import { canonicalJson, sha256Hex } from './json.js';
import { modelApp } from './model.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import { stageSettings } from './stage-settings.js';
import type { Template, TemplateResource } from './types.js';

export const ROUTE_HASH_LENGTH = 10;

// Gateway responses, authorizers and API keys too: a change to them reaches the stage only through
// a new deployment (doc "Updates to REST APIs that require redeployment" lists GatewayResponse,
// Authorizer and ApiKey). Methods carry their guard (AuthorizationType, AuthorizerId, scopes,
// ApiKeyRequired), so that is in it as well. Usage plans and their keys are not: a deployment
// snapshots methods, integrations, models, mapping templates and authorizers (doc "Create a
// deployment for a REST API in API Gateway"), not who may call them.
const API_TYPES = new Set(['AWS::ApiGateway::Resource', 'AWS::ApiGateway::Method', 'AWS::ApiGateway::GatewayResponse', 'AWS::ApiGateway::Authorizer', 'AWS::ApiGateway::ApiKey']);
const DEPLOYMENT_TYPE = 'AWS::ApiGateway::Deployment';

/**
 * Hashes the API as generated (resources and methods with their ids, the RestApi's settings that
 * a deployment captures) plus the names of the functions the integrations call: renaming the app
 * changes the function ARNs behind unchanged logical ids. Code changes are not in it: proxy
 * integrations call the function's latest code without a new deployment.
 */
export function hashApi(parts: readonly Part[], functions: readonly BuiltFunction[], functionIds: (fn: BuiltFunction) => string): string {
  const api = parts
    .filter((part) => API_TYPES.has(part.resource.Type))
    .map((part) => [part.id, part.resource.Properties] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const restApi = parts.find((part) => part.id === FIXED_IDS.restApi)?.resource.Properties ?? {};
  const names = functions.map((fn) => [functionIds(fn), fn.functionName]).sort(([a], [b]) => (a! < b! ? -1 : 1));
  const snapshot = {
    binaryMediaTypes: restApi['BinaryMediaTypes'] ?? [],
    endpoint: restApi['EndpointConfiguration'],
    api,
    functions: names,
  };
  return sha256Hex(canonicalJson(snapshot)).slice(0, ROUTE_HASH_LENGTH);
}

/** What the Deployment's description says, so the deploy can check the stage serves this API. */
export function deploymentDescription(hash: string): string {
  return `sls-ts routes ${hash}`;
}

export function deploymentId(hash: string): string {
  return `${DEPLOYMENT_ID_PREFIX}${hash}`;
}

/**
 * What the Deployment must wait for: every method it snapshots, and every permission letting API
 * Gateway invoke a function. The stage switches to a new Deployment as soon as it exists, so an
 * integration whose permission is still being created would answer 500 until it is.
 */
export function gatesDeployment(resource: { Type: string; Properties?: Record<string, unknown> }): boolean {
  // Gateway responses are in the snapshot too (they always stay in the root, next to it).
  if (resource.Type === 'AWS::ApiGateway::Method' || resource.Type === 'AWS::ApiGateway::GatewayResponse') return true;
  // The REST API's own permissions only: a channel's WebSocket API has a Deployment of its own (websocket-api.ts).
  return resource.Type === 'AWS::Lambda::Permission' && resource.Properties?.['Principal'] === 'apigateway.amazonaws.com' && JSON.stringify(resource.Properties['SourceArn'] ?? '').includes(`\${${FIXED_IDS.restApi}}`);
}

/** DependsOn is filled in when the templates are assembled: what gates it, or the stacks holding that. */
export function deploymentPart(hash: string): Part {
  return {
    id: deploymentId(hash),
    home: ROOT_HOME,
    source: 'REST API deployment',
    resource: {
      Type: DEPLOYMENT_TYPE,
      DependsOn: [],
      Properties: {
        RestApiId: ref(FIXED_IDS.restApi),
        // The deploy step compares this with the stage's deployment to confirm the routes are live.
        Description: deploymentDescription(hash),
      },
    },
  };
}

export function stagePart(hash: string, ctx: GenerateContext): Part {
  return {
    id: FIXED_IDS.stage,
    home: ROOT_HOME,
    source: `stage ${ctx.config.stage}`,
    resource: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: {
        RestApiId: ref(FIXED_IDS.restApi),
        DeploymentId: ref(deploymentId(hash)),
        StageName: ctx.config.stage,
        Description: `${ctx.config.name} ${ctx.config.stage}`,
        ...stageSettings(ctx.config),
        ...withTags(ctx.tags),
      },
    },
  };
}

export interface DeploymentResource {
  id: string;
  resource: TemplateResource;
}

/** The API Deployment of a root template (generated, or read back from a deployed stack). */
export function findDeployment(template: Pick<Template, 'Resources'>): DeploymentResource | undefined {
  const found = Object.entries(template.Resources ?? {}).find(([, resource]) => resource?.Type === DEPLOYMENT_TYPE);
  return found && { id: found[0], resource: found[1] };
}

/** Every method the API has, as `GET /posts/{id}`: what the stage's deployment must serve, no more. */
export function apiMethods(manifest: BuildManifest, config: Pick<ResolvedConfig, 'cors'>): string[] {
  return modelApp(manifest, config.cors !== false).methods.map((method) => `${method.method} ${method.path}`);
}
