// UserConfig + stage + .env → ResolvedConfig: every default filled in, frozen.
import { resolve as resolvePath } from 'node:path';
import { cloneData, deepFreeze } from '../shared/objects.js';
import {
  DEFAULT_ACCESS_LOG_FORMAT, DEFAULT_ARCHITECTURE, DEFAULT_BUILD, DEFAULT_CORS, DEFAULT_IAM_ROLES, DEFAULT_LAYOUT, DEFAULT_STACKS, DEFAULT_LOG_RETENTION_DAYS, DEFAULT_MEMORY,
  DEFAULT_REGION, DEFAULT_RUNTIME, DEFAULT_TIMEOUT,
} from './defaults.js';
import { resolveDomain } from './domain.js';
import { mergeSettings } from './merge.js';
import { defaultRemoval, resolveLinks, resolveResources } from './resolve-resources.js';
import type { ApiSettings, AppSettings, CorsSettings, ResolvedApiSettings, ResolvedCognitoAuthorizer, ResolvedConfig, ResolvedCors, ResolvedUsagePlan, UserConfig } from './types.js';

export interface ResolveOptions {
  stage: string;
  /** The app's folder; made absolute. */
  root: string;
  configFile?: string;
  /** Values from the .env files (see loadDotenv). */
  dotenv?: Record<string, string>;
  /** `--region`: wins over the config and the environment. */
  region?: string;
  /** The AWS profile's region (~/.aws/config), before the built-in default. */
  profileRegion?: string;
  /** Where AWS_REGION / AWS_DEFAULT_REGION are read from; process.env unless a test passes its own. */
  processEnv?: Record<string, string | undefined>;
}

function resolveCors(cors: boolean | CorsSettings | undefined): ResolvedCors | false {
  if (!cors) return false;
  const given: CorsSettings = cors === true ? {} : cors;
  return {
    origins: given.origins ?? DEFAULT_CORS.origins,
    headers: given.headers ?? [...DEFAULT_CORS.headers],
    methods: given.methods ?? [...DEFAULT_CORS.methods],
    credentials: given.credentials ?? DEFAULT_CORS.credentials,
    maxAge: given.maxAge ?? DEFAULT_CORS.maxAge,
  };
}

/** `api: 'http'` → `{ type: 'http' }`, so a stage's `api: 'http'` keeps the app's access logs and throttle when merged. */
export function normalizeApi(api: unknown): unknown {
  return api === 'rest' || api === 'http' ? { type: api } : api;
}

function resolveApi(api: ApiSettings | undefined, logRetentionDays: number): ResolvedApiSettings {
  const logs = api?.accessLogs;
  const given = logs === true ? {} : logs || undefined;
  return {
    accessLogs: given ? { retentionDays: given.retentionDays ?? logRetentionDays, format: given.format ?? DEFAULT_ACCESS_LOG_FORMAT } : false,
    ...(api?.throttle ? { throttle: { rate: api.throttle.rate, ...(api.throttle.burst !== undefined ? { burst: api.throttle.burst } : {}) } } : {}),
    metrics: api?.metrics ?? false,
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function resolveAuthorizers(authorizers: AppSettings['authorizers']): ResolvedCognitoAuthorizer[] {
  return Object.entries(authorizers ?? {}).map(([name, given]) => ({
    name,
    type: 'cognito' as const,
    userPoolArns: [...given.userPoolArns],
    identitySource: given.identitySource ?? 'method.request.header.Authorization',
    ...(given.audience !== undefined ? { audience: [...given.audience] } : {}),
    ttl: given.ttl ?? 300,
    local: { ...(given.local?.jwks !== undefined ? { jwks: given.local.jwks } : {}), unverified: given.local?.unverified ?? false },
  })).sort(byName);
}

function resolveUsagePlans(plans: AppSettings['usagePlans']): ResolvedUsagePlan[] {
  return Object.entries(plans ?? {}).map(([name, plan]) => ({
    name,
    keys: [...plan.keys],
    ...(plan.throttle ? { throttle: { rate: plan.throttle.rate, ...(plan.throttle.burst !== undefined ? { burst: plan.throttle.burst } : {}) } } : {}),
    ...(plan.quota ? { quota: { ...plan.quota } } : {}),
    ...(plan.description !== undefined ? { description: plan.description } : {}),
  })).sort(byName);
}

/** The settings of `stage`: the app's, with that stage's overrides merged in (see mergeSettings). */
export function applyStage(user: UserConfig, stage: string): AppSettings {
  const { name: _name, stages, resources: _resources, ...app } = cloneData(user);
  const overrides = stages && Object.hasOwn(stages, stage) ? stages[stage] : undefined;
  const withApi = <T extends AppSettings>(settings: T): T => (settings.api === undefined ? settings : { ...settings, api: normalizeApi(settings.api) as ApiSettings });
  return mergeSettings<AppSettings>(withApi(app), overrides && withApi(overrides));
}

/** Expects a config validateUserConfig accepted; the result is deeply frozen. */
export function resolveConfig(user: UserConfig, options: ResolveOptions): ResolvedConfig {
  const settings = applyStage(user, options.stage);
  const processEnv = options.processEnv ?? process.env;
  const config: ResolvedConfig = {
    name: user.name,
    stage: options.stage,
    root: resolvePath(options.root),
    ...(options.configFile ? { configFile: resolvePath(options.configFile) } : {}),
    // An empty AWS_REGION means unset, as the AWS SDK treats it.
    region: options.region ?? settings.region ?? (processEnv.AWS_REGION || processEnv.AWS_DEFAULT_REGION || options.profileRegion || DEFAULT_REGION),
    runtime: settings.runtime ?? DEFAULT_RUNTIME,
    memory: settings.memory ?? DEFAULT_MEMORY,
    timeout: settings.timeout ?? DEFAULT_TIMEOUT,
    ...(settings.reservedConcurrency !== undefined ? { reservedConcurrency: settings.reservedConcurrency } : {}),
    ...(settings.provisionedConcurrency !== undefined ? { provisionedConcurrency: settings.provisionedConcurrency } : {}),
    architecture: settings.architecture ?? DEFAULT_ARCHITECTURE,
    layout: settings.layout ?? DEFAULT_LAYOUT,
    stacks: settings.stacks ?? DEFAULT_STACKS,
    iamRoles: settings.iamRoles ?? DEFAULT_IAM_ROLES,
    // The config wins over .env files: it is the reviewed, per-stage source of truth, while .env
    // files carry local values and secrets for keys the config leaves open. A key set in both is
    // taken as the config pinning it deliberately.
    env: { ...options.dotenv, ...settings.env },
    iam: settings.iam ?? [],
    cors: resolveCors(settings.cors),
    binaryMediaTypes: settings.binaryMediaTypes ?? [],
    logRetentionDays: settings.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    tags: settings.tags ?? {},
    controllers: settings.controllers ?? {},
    jobs: settings.jobs ?? {},
    functions: settings.functions ?? {},
    build: {
      sizeBudgetKB: settings.build?.sizeBudgetKB ?? DEFAULT_BUILD.sizeBudgetKB,
      minify: settings.build?.minify ?? DEFAULT_BUILD.minify,
      sourcemap: settings.build?.sourcemap ?? DEFAULT_BUILD.sourcemap,
      keepNames: settings.build?.keepNames ?? DEFAULT_BUILD.keepNames,
      splitting: settings.build?.splitting ?? DEFAULT_BUILD.splitting,
      external: settings.build?.external ?? [],
      typecheck: settings.build?.typecheck ?? DEFAULT_BUILD.typecheck,
    },
    resources: resolveResources(user.resources, options.stage, settings.removal),
    link: resolveLinks(settings.link),
    removal: settings.removal ?? defaultRemoval(options.stage),
    apiType: (settings.api as ApiSettings | undefined)?.type ?? 'rest',
    api: resolveApi(settings.api as ApiSettings | undefined, settings.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS),
    tracing: settings.tracing ?? false,
    ...(settings.auth !== undefined ? { auth: settings.auth } : {}),
    authorizers: resolveAuthorizers(settings.authorizers),
    usagePlans: resolveUsagePlans(settings.usagePlans),
  };
  const domain = resolveDomain(settings.domain);
  if (domain) Object.assign(config, { domain });
  return deepFreeze(config);
}
