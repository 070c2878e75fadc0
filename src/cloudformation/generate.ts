// ResolvedConfig + build manifest in, templates out. Pure: no file system, no network, no clock.
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { authorizerDiagnostics, authorizerParts } from './authorizers.js';
import { bucketParts } from './bucket.js';
import { checkReferences, checkTemplates } from './checks.js';
import { corsGatewayResponseParts } from './cors.js';
import { deploymentPart, hashApi, stagePart } from './deployment.js';
import { domainDiagnostics, domainParts } from './domain.js';
import { functionParts } from './functions.js';
import { iamWarnings, roleParts } from './iam.js';
import { assignIds, groupsOf, OUTPUT_NAMES } from './ids.js';
import { tagList } from './intrinsics.js';
import { serializeTemplate } from './json.js';
import { apiQuotaWarnings, fitsLimits, limitDiagnostics, measureTemplate, roleCountWarnings, treeDiagnostics } from './limits.js';
import { hasApi, modelApp } from './model.js';
import { modelRoles } from './roles.js';
import { buildOutputs } from './outputs.js';
import type { GenerateContext, Part } from './parts.js';
import { resourceParts } from './resources.js';
import { httpApiOutputs, httpApiPart, httpApiQuotaDiagnostics, httpIntegrationParts, httpPermissionParts, httpRouteIdRequests, httpRouteParts, httpStageParts, modelHttpRoutes } from './http-api.js';
import { httpAuthorizerIdRequests, httpAuthorizerParts, httpAuthorizerWarnings } from './http-api-auth.js';
import { apiMethodParts, apiPermissionParts, apiResourceParts, restApiPart } from './rest-api.js';
import { scheduleParts } from './schedules.js';
import { accessLogParts } from './stage-settings.js';
import { concurrencyErrors, provisionedWarnings } from './concurrency.js';
import { jobQueueParts } from './job-queues.js';
import { subscribedBucketNames, subscriptionParts, subscriptionWarnings } from './subscriptions.js';
import { usagePlanDiagnostics, usagePlanParts } from './usage-plans.js';
import { websocketAuthDiagnostics } from './websocket-auth.js';
import { websocketIdRequests, websocketOutputs, websocketParts, websocketQuotaWarnings } from './websocket-api.js';
import { assembleNested, assembleSingle, type Assembled, type NestedGroup } from './split.js';
import type { GeneratedTemplates, GenerateTemplatesInput, StacksLayout } from './types.js';

const SPLIT_HINT = 'past one template the app moves into nested stacks, which a deployed one-template stack cannot do (its functions would be created again before being deleted): set `stacks: \'nested\'` before its first deploy, or use the `single` layout, which keeps templates small';
const NESTED_HINT = 'a nested stack holds one controller\'s functions (or a job, a function, or the API paths and methods under one top-level path, with a parameter per function they call): split the controller or spread its paths, or use the `single` layout';
const ROOT_HINT = 'the root holds one nested stack per controller, job, function and top-level path: merge some, or use the `single` layout';

export function generateTemplates(input: GenerateTemplatesInput): GeneratedTemplates {
  const { config, manifest } = input;
  const http = config.apiType === 'http';
  // An HTTP API answers CORS preflights itself: no OPTIONS methods of ours.
  const model = modelApp(manifest, !http && config.cors !== false);
  const roles = modelRoles(model.functions, config.iamRoles);
  const httpRoutes = http ? modelHttpRoutes(model.functions, manifest.defaultAuth) : [];
  const extraIds = http ? [...httpRouteIdRequests(httpRoutes), ...httpAuthorizerIdRequests(manifest.authorizers ?? [], model.functions)] : [];
  // Channels' WebSocket APIs, whichever API type the HTTP routes use.
  extraIds.push(...websocketIdRequests(model.functions));
  // An HTTP API has no usage plans (the config refuses them with api: 'http').
  const ids = assignIds(model, roles, config.resources, subscribedBucketNames(config, manifest), !http && hasApi(model) ? config.usagePlans : [], extraIds);
  const invalid = [...concurrencyErrors(model.functions), ...authorizerDiagnostics(model), ...websocketAuthDiagnostics(manifest)];
  if (invalid.length > 0) throw new SlsError(invalid);
  const ctx: GenerateContext = { config, manifest, tags: tagList(config.tags), ids, methods: input.methods ?? 'path' };
  const warnings: Diagnostic[] = [...iamWarnings(roles, ctx), ...roleCountWarnings(roles.length), ...subscriptionWarnings(model.functions, config), ...provisionedWarnings(model.functions, model.routed)];
  const edgeProblems = usagePlanDiagnostics(model, config);
  const edgeErrors = edgeProblems.filter((d) => (d.level ?? 'error') === 'error');
  if (edgeErrors.length > 0) throw new SlsError(edgeErrors);
  warnings.push(...edgeProblems);
  const domainProblems = domainDiagnostics(config, hasApi(model));
  const domainErrors = domainProblems.filter((d) => (d.level ?? 'error') === 'error');
  if (domainErrors.length > 0) throw new SlsError(domainErrors);
  warnings.push(...domainProblems);

  const parts: Part[] = [...bucketParts(config), ...resourceParts(ctx)];
  for (const fn of model.functions) parts.push(...functionParts(fn, ctx), ...scheduleParts(fn, ctx), ...subscriptionParts(fn, ctx), ...jobQueueParts(fn, ctx));
  for (const role of roles) parts.push(...roleParts(role, ctx));
  let routeHash: string | undefined;
  let deploymentId: string | undefined;
  let httpOutputs: ReturnType<typeof httpApiOutputs> | undefined;
  if (http && hasApi(model)) {
    parts.push(
      httpApiPart(ctx), ...httpStageParts(ctx), ...httpAuthorizerParts(ctx), ...httpIntegrationParts(httpRoutes, ctx),
      ...httpRouteParts(httpRoutes, ctx), ...httpPermissionParts(httpRoutes, ctx), ...domainParts(ctx),
    );
    const quotas = httpApiQuotaDiagnostics(httpRoutes);
    if (quotas.some((d) => (d.level ?? 'error') === 'error')) throw new SlsError(quotas.filter((d) => (d.level ?? 'error') === 'error'));
    warnings.push(...httpAuthorizerWarnings(ctx), ...quotas);
    httpOutputs = httpApiOutputs();
  } else if (hasApi(model)) {
    const api = [restApiPart(ctx), ...authorizerParts(model, ctx), ...apiResourceParts(model, ctx), ...apiMethodParts(model, ctx), ...apiPermissionParts(model, ctx)];
    api.push(...corsGatewayResponseParts(config), ...usagePlanParts(ctx));
    // Authorizers' functions too: the stage's snapshot holds the authorizer's function ARN, which a renamed app changes behind the same ids.
    const lambdaAuthorizers = new Set(model.authorizers.flatMap((spec) => (spec.type === 'cognito' ? [] : [spec.functionKey])));
    const called = model.functions.filter((fn) => model.routed.has(fn.key) || lambdaAuthorizers.has(fn.key));
    routeHash = hashApi(api, called, (fn) => ctx.ids.functions.get(fn.key)!.fn);
    const deployment = deploymentPart(routeHash);
    if (parts.some((part) => part.id === deployment.id) || api.some((part) => part.id === deployment.id)) {
      throw new Error(`logical id ${deployment.id} is taken`);
    }
    deploymentId = deployment.id;
    parts.push(...api, deployment, ...accessLogParts(ctx), stagePart(routeHash, ctx), ...domainParts(ctx));
    warnings.push(...apiQuotaWarnings(model.paths.length));
  }
  parts.push(...websocketParts(model.functions, ctx, parts));
  warnings.push(...websocketQuotaWarnings(model.functions));
  const outputs = buildOutputs(ctx, model.functions, routeHash, httpOutputs, websocketOutputs(model.functions, ctx));
  warnings.push(...outputs.warnings);

  const description = `sls-ts: ${config.name} (${config.stage})`;
  const assembleInput = (stacks: StacksLayout) => ({
    parts,
    outputs: { ...outputs.outputs, [OUTPUT_NAMES.stacks]: { Description: 'How this stack is laid out; a later deploy keeps it', Value: stacks } },
    description,
    ...(deploymentId ? { deploymentId } : {}),
  });
  const unresolved = checkReferences({ model, parts, ids: ctx.ids, config, ...(deploymentId ? { deploymentId } : {}) });
  if (unresolved.length > 0) throw new SlsError(unresolved);
  let assembled: Assembled | undefined;
  if (input.split !== 'always' && config.stacks !== 'nested') {
    const root = assembleSingle(assembleInput('single'));
    if (fitsLimits(measureTemplate(root, serializeTemplate(root)))) assembled = { root, children: [], stackSources: {} };
  }
  if (!assembled) {
    const groups = new Map<string, NestedGroup>(groupsOf(model).map((group) => [group.key, { id: ctx.ids.groups.get(group.key)!, description: group.description }]));
    assembled = assembleNested(assembleInput(ctx.methods === 'function' ? 'nested-methods-with-functions' : 'nested'), groups);
  }

  const diagnostics = [...checkLimits(assembled), ...checkTemplates({ model, parts, assembled, ids: ctx.ids, config, ...(deploymentId ? { deploymentId } : {}) })];
  const errors = diagnostics.filter((d) => (d.level ?? 'error') === 'error');
  if (errors.length > 0) throw new SlsError(errors);
  warnings.push(...diagnostics);

  const perTemplate: Record<string, number> = { root: Object.keys(assembled.root.Resources).length };
  for (const child of assembled.children) perTemplate[child.logicalId] = Object.keys(child.template.Resources).length;
  return {
    root: assembled.root,
    children: assembled.children,
    warnings,
    stats: {
      resources: Object.values(perTemplate).reduce((sum, count) => sum + count, 0),
      perTemplate,
      apiResources: model.paths.length,
    },
    sources: {
      ...Object.fromEntries(parts.map((part) => [part.id, part.source])),
      ...assembled.stackSources,
    },
  };
}

function checkLimits(assembled: Assembled): Diagnostic[] {
  const nested = assembled.children.length > 0;
  const templates = [assembled.root, ...assembled.children.map((child) => child.template)];
  return [
    ...limitDiagnostics(nested ? 'the root template' : 'the template', measureTemplate(assembled.root, serializeTemplate(assembled.root)), nested ? ROOT_HINT : SPLIT_HINT),
    ...assembled.children.flatMap((child) => limitDiagnostics(`nested stack ${child.logicalId}`, measureTemplate(child.template, child.body), NESTED_HINT)),
    ...treeDiagnostics(templates.reduce((sum, template) => sum + Object.keys(template.Resources).length, 0), templates.length),
  ];
}
