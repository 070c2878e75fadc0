// API keys and usage plans (config `usagePlans`): an `AWS::ApiGateway::ApiKey` per key, named
// `<app>-<stage>-<key>` with a value API Gateway generates (never in the template, so never in
// a change set or a repository), a UsagePlan per plan covering this stage, and a UsagePlanKey per
// key of a plan. Each key's id is a root output, which `sls-ts status` reads the value with.
import { formatKeyPath } from '../config/report.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { apiKeyName, apiKeysOf } from './edge-ids.js';
import { FIXED_IDS } from './ids.js';
import { ref, withTags } from './intrinsics.js';
import type { AppModel } from './model.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import type { TemplateOutput } from './types.js';

function planName(config: ResolvedConfig, plan: string): string {
  return `${config.name}-${config.stage}-${plan}`;
}

export function usagePlanParts(ctx: GenerateContext): Part[] {
  const { config } = ctx;
  const parts: Part[] = [];
  for (const { name, plans } of apiKeysOf(config.usagePlans)) {
    parts.push({
      id: ctx.ids.apiKeys.get(name)!.key,
      home: ROOT_HOME,
      source: `API key ${name} (${plans.map((plan) => formatKeyPath(['usagePlans', plan, 'keys'])).join(', ')})`,
      resource: {
        Type: 'AWS::ApiGateway::ApiKey',
        Properties: {
          Name: apiKeyName(config, name),
          Description: `API key ${name} of ${config.name} (${config.stage}), usage plan ${plans.join(', ')}; deployed by sls-ts`,
          Enabled: true,
          ...withTags(ctx.tags),
        },
      },
    });
  }
  for (const plan of config.usagePlans) {
    const ids = ctx.ids.usagePlans.get(plan.name)!;
    const source = formatKeyPath(['usagePlans', plan.name]);
    parts.push({
      id: ids.plan,
      home: ROOT_HOME,
      source,
      resource: {
        Type: 'AWS::ApiGateway::UsagePlan',
        Properties: {
          UsagePlanName: planName(config, plan.name),
          Description: plan.description ?? `${plan.name} usage plan of ${config.name} (${config.stage}), deployed by sls-ts`,
          // Ref of the Stage (its name) rather than the name written out: API Gateway rejects a
          // plan naming a stage that does not exist yet, and the Ref makes CloudFormation create
          // the Stage first (obs aws/serverless-application-model#32, #1560).
          ApiStages: [{ ApiId: ref(FIXED_IDS.restApi), Stage: ref(FIXED_IDS.stage) }],
          ...(plan.throttle ? { Throttle: { RateLimit: plan.throttle.rate, ...(plan.throttle.burst !== undefined ? { BurstLimit: plan.throttle.burst } : {}) } } : {}),
          ...(plan.quota ? { Quota: { Limit: plan.quota.limit, Period: plan.quota.period, ...(plan.quota.offset !== undefined ? { Offset: plan.quota.offset } : {}) } } : {}),
          ...withTags(ctx.tags),
        },
      },
    });
    for (const key of new Set(plan.keys)) {
      parts.push({
        id: ids.keys.get(key)!,
        home: ROOT_HOME,
        source: `${source}.keys: ${key}`,
        resource: {
          Type: 'AWS::ApiGateway::UsagePlanKey',
          Properties: { KeyId: ref(ctx.ids.apiKeys.get(key)!.key), KeyType: 'API_KEY', UsagePlanId: ref(ids.plan) },
        },
      });
    }
  }
  return parts;
}

/** `<Key>ApiKeyId` per key: the id `sls-ts status` passes to GetApiKey (includeValue) to print the key. */
export function apiKeyOutputValues(ctx: GenerateContext): Record<string, TemplateOutput> {
  return Object.fromEntries(apiKeysOf(ctx.config.usagePlans).map(({ name, plans }) => {
    const ids = ctx.ids.apiKeys.get(name)!;
    return [ids.output, { Description: `Id of API key ${name} (${apiKeyName(ctx.config, name)}, usage plan ${plans.join(', ')})`, Value: ref(ids.key) }];
  }));
}

/**
 * Errors and warnings of the config's usage plans against the API. A key in two plans is an
 * error: every plan here covers the one stage, and API Gateway lets a key into one plan per stage,
 * so the second UsagePlanKey would fail the deploy (409 ConflictException: src a faithful
 * emulator's CreateUsagePlanKey check, "API key is already associated with a usage plan for API
 * stage"; inf: a request's key must pick one plan's throttle and quota).
 */
export function usagePlanDiagnostics(model: AppModel, config: ResolvedConfig): Diagnostic[] {
  const file = config.configFile ? { file: config.configFile } : {};
  const problems: Diagnostic[] = [];
  for (const { name, plans } of apiKeysOf(config.usagePlans)) {
    const distinct = [...new Set(plans)];
    if (distinct.length < 2) continue;
    problems.push({
      text: `${distinct.map((plan) => formatKeyPath(['usagePlans', plan, 'keys'])).join(' and ')} ${distinct.length === 2 ? 'both' : 'all'} list API key ${name}, but API Gateway lets a key into one usage plan per stage, and each covers stage ${config.stage}`,
      hint: `keep ${name} in one plan, and give a client that needs another plan a key of its own`,
      ...file,
    });
  }
  const keyed = model.methods.filter((method) => method.apiKey);
  const api = model.methods.length > 0;
  if (keyed.length > 0 && config.usagePlans.length === 0) {
    const shown = keyed.slice(0, 3).map((method) => `${method.method} ${method.path}`).join(', ');
    problems.push({
      level: 'warning',
      text: `${keyed.length} route${keyed.length === 1 ? '' : 's'} require an API key (${shown}${keyed.length > 3 ? ', …' : ''}), but the config has no usagePlans: API Gateway answers them 403 Forbidden whatever key is sent`,
      hint: "add a usage plan with a key: usagePlans: { default: { keys: ['my-client'] } }",
      ...file,
    });
  }
  if (!api && config.usagePlans.length > 0) {
    problems.push({
      level: 'warning',
      text: `usagePlans are left out of the stack: the app has no routes, so there is no API stage for a plan to cover`,
      hint: 'add routes (config/routes.ts), or remove usagePlans',
      ...file,
    });
  }
  return problems;
}
