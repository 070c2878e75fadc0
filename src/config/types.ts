// What an app writes in sls-ts.config.ts (UserConfig) and what every tool reads (ResolvedConfig).
import type { LinkEntry, RemovalPolicy, ResolvedLink, ResolvedResource, ResourceDeclaration } from './resources.js';

export type * from './resources.js';

export type Layout = 'controller' | 'action' | 'single';
/** `auto`: nested stacks only once the app outgrows one template; `nested`: from the first deploy. */
export type StacksSetting = 'auto' | 'nested';
/** Who shares an IAM role: each function its own, a controller's functions one, or the whole app one. */
export type IamRolesSetting = 'function' | 'controller' | 'app';
export type Runtime = 'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x';
export type Architecture = 'arm64' | 'x86_64';

/** An IAM policy statement, written as in a CloudFormation policy document. */
export interface IamStatement {
  Sid?: string;
  Effect?: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[] | Record<string, unknown> | Array<string | Record<string, unknown>>;
  Condition?: Record<string, unknown>;
}

/** Settings a controller, an action, a job or a function can override. */
export interface FunctionSettings {
  memory?: number;
  timeout?: number;
  env?: Record<string, string>;
  iam?: IamStatement[];
  description?: string;
  /** Declared resources this uses (added to the app's `link`): IAM for them, their names in the environment. */
  link?: LinkEntry[];
  /**
   * Concurrent executions reserved for the function (ReservedConcurrentExecutions): a floor taken
   * from the account's pool and a ceiling on the function. 0 stops it from running at all.
   */
  reservedConcurrency?: number;
  /**
   * Execution environments kept initialized (no cold starts) on the function's `live` alias, which
   * everything the app deploys then calls (API Gateway, schedules, subscriptions, job queues).
   * Billed while deployed; at most reservedConcurrency when both are set.
   */
  provisionedConcurrency?: number;
}

export interface ControllerSettings extends FunctionSettings {
  /** Per-action overrides (they matter in the `action` layout; IAM statements add up in every layout). */
  actions?: Record<string, FunctionSettings>;
}

export interface CorsSettings {
  /** Allowed origins, or '*' (default). */
  origins?: string[] | '*';
  headers?: string[];
  methods?: string[];
  credentials?: boolean;
  maxAge?: number;
}

/** CloudWatch access logs of the API stage: `true` for the defaults. */
export interface AccessLogSettings {
  /** Days CloudWatch keeps them; default the app's `logRetentionDays`. */
  retentionDays?: number;
  /** API Gateway's access log format (`$context` variables); default one JSON line per request. */
  format?: string;
}

/** Requests per second for the whole stage (API Gateway's method settings on every method). */
export interface ThrottleSettings {
  /** Steady requests per second. */
  rate: number;
  /** Requests allowed at once above the rate (the token bucket's size). */
  burst?: number;
}

/**
 * Which API Gateway product serves the routes: `rest` (default; API Gateway v1, payload 1.0) or
 * `http` (API Gateway v2, payload 2.0: cheaper and faster, fewer features — no API keys, usage plans
 * or binary media types; Cognito through a JWT authorizer).
 */
export type ApiType = 'rest' | 'http';

/** Settings of the API Gateway stage. */
export interface ApiSettings {
  /** `api: 'http'` is short for `api: { type: 'http' }`; default `rest`. */
  type?: ApiType;
  accessLogs?: boolean | AccessLogSettings;
  throttle?: ThrottleSettings;
  /** Detailed CloudWatch metrics per method (billed as custom metrics). */
  metrics?: boolean;
}

export interface BuildSettings {
  /** Warn when a function's zip is larger than this (KB). Default 5120 (5 MB). */
  sizeBudgetKB?: number;
  minify?: boolean;
  sourcemap?: boolean;
  /**
   * Keep every class's and function's name through minifying (esbuild's keepNames), for code that
   * reads them, like `this.name = new.target.name` in error classes. Default false: it makes
   * bundles ~6% bigger. Controllers and jobs keep their names either way.
   */
  keepNames?: boolean;
  /**
   * Let controllers and jobs share files: what several of them import (the runtime, a base controller, a
   * model) goes once into `chunk-<hash>.mjs` files that each of their zips carries, instead of
   * into every function's single file. Default true: builds take a fraction of the time on apps
   * with many controllers, at more bytes per zip — a function carries the whole of each shared
   * file it imports, parts only its siblings use included (a job carries the web runtime).
   * Plain functions (app/functions) are one file either way. false: every function is one file,
   * tree-shaken on its own.
   */
  splitting?: boolean;
  /** More packages to leave out of bundles (`@aws-sdk/*` always is: the Lambda runtime has it). */
  external?: string[];
  /**
   * Run the app's TypeScript check (`tsc --noEmit -p tsconfig.json`) before `sls-ts build` and
   * `sls-ts deploy`, stopping at type errors: esbuild strips types without checking them.
   * Default false; `--typecheck` / `--no-typecheck` override it for one run.
   */
  typecheck?: boolean;
}

/**
 * A custom domain in front of the REST API (regional endpoint). Usually set per stage, since one
 * hostname can serve one stage: `stages: { prod: { domain: { name: 'api.example.com', hostedZone: 'example.com.' } } }`.
 */
export interface DomainSettings {
  /** The hostname, e.g. `api.example.com` (no scheme, no trailing dot). */
  name: string;
  /** An ACM certificate covering `name`, in the stack's region. Without it, the stack requests one, validated by DNS in `hostedZone`. */
  certificateArn?: string;
  /** The Route 53 zone to add A and AAAA alias records to: its name (`example.com.`) or id (`Z…`). */
  hostedZone?: string;
  /** Serve the API under `https://<name>/<basePath>` rather than at the domain's root. */
  basePath?: string;
}

/**
 * An authorizer without a Lambda: API Gateway checks the Cognito user pool's JWT itself
 * (COGNITO_USER_POOLS). Lambda authorizers are classes in app/authorizers/ instead.
 */
export interface CognitoAuthorizerSettings {
  type: 'cognito';
  /** The user pools whose tokens are accepted: `arn:aws:cognito-idp:<region>:<account>:userpool/<id>`. */
  userPoolArns: string[];
  /** Where the token is; default `method.request.header.Authorization`. */
  identitySource?: string;
  /**
   * The user pool app client ids whose tokens are accepted. Required with `api: 'http'`: an HTTP
   * API checks Cognito tokens with a JWT authorizer, which needs the audience (a token's `aud`, or
   * `client_id` for an access token). REST APIs ignore it.
   */
  audience?: string[];
  /** Seconds API Gateway keeps a token's result (0–3600, default 300). */
  ttl?: number;
  /**
   * For `sls-ts server` and sls-ts/testing, which cannot reach Cognito: a JWKS file (path from
   * the app's root) whose keys sign the tokens used locally, or `unverified: true` to accept any
   * well-formed, unexpired token without checking its signature (said loudly at every start).
   */
  local?: { jwks?: string; unverified?: boolean };
}

export type AuthorizerSettings = CognitoAuthorizerSettings;

/** A usage plan: who may call `apiKey: true` routes, how fast and how much. */
export interface UsagePlanSettings {
  /** Names of the API keys the plan gives out; each stage gets its own key (`<app>-<stage>-<name>`), its value chosen by API Gateway and printed by `sls-ts status`. */
  keys: string[];
  throttle?: ThrottleSettings;
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number };
  description?: string;
}

export interface AppSettings {
  region?: string;
  runtime?: Runtime;
  memory?: number;
  timeout?: number;
  architecture?: Architecture;
  layout?: Layout;
  /**
   * `auto` (default) or `nested`. An app deployed as one template cannot later move into nested
   * stacks (CloudFormation would create every function again before deleting it), so an app that
   * will grow past 500 resources can start nested. Once nested, a stack stays nested.
   */
  stacks?: StacksSetting;
  /**
   * `function` (default): one role per Lambda. `controller`: one per controller (the action layout
   * otherwise makes one per action), `app`: one for every function. A shared role holds the union
   * of its functions' statements and logs for exactly their log groups.
   */
  iamRoles?: IamRolesSetting;
  env?: Record<string, string>;
  iam?: IamStatement[];
  cors?: boolean | CorsSettings;
  binaryMediaTypes?: string[];
  logRetentionDays?: number;
  tags?: Record<string, string>;
  controllers?: Record<string, ControllerSettings>;
  jobs?: Record<string, FunctionSettings>;
  functions?: Record<string, FunctionSettings>;
  build?: BuildSettings;
  /** Resources every function links (each controller, action, job and function adds its own). */
  link?: LinkEntry[];
  /** Whether tables and buckets outlive the stack; default `retain` on stages named like production, `destroy` elsewhere. */
  removal?: RemovalPolicy;
  /** The API's type (`'rest'` or `'http'`, or `{ type }` beside the stage's access logs, throttling, detailed metrics). */
  api?: ApiType | ApiSettings;
  /** X-Ray active tracing on the API stage and every function. */
  tracing?: boolean;
  /** Default for every function (controllers, actions, jobs and functions override it). */
  reservedConcurrency?: number;
  /** Default for every function (controllers, actions, jobs and functions override it). */
  provisionedConcurrency?: number;
  /** A custom domain for the API; `false` in a stage drops the app's. */
  domain?: DomainSettings | false;
  /**
   * What guards every route unless its controller (`static auth`) or the route (`{ auth }`) says
   * otherwise: an authorizer's name, `'iam'`, or `false` (default: public).
   */
  auth?: string | false;
  /** Authorizers API Gateway runs without a Lambda (Cognito user pools), by name. */
  authorizers?: Record<string, AuthorizerSettings>;
  /** Usage plans, by name, handing out the API keys that `apiKey: true` routes require. */
  usagePlans?: Record<string, UsagePlanSettings>;
}

export interface UserConfig extends AppSettings {
  /** The app's name: lowercase letters, digits and hyphens; prefixes the stack and function names. */
  name: string;
  /** Partial overrides per stage: `stages: { prod: { memory: 2048 } }`. */
  stages?: Record<string, AppSettings>;
  /** Tables, buckets, queues, topics and raw CloudFormation: `resources: { posts: table({ key: 'id' }) }`. */
  resources?: Record<string, ResourceDeclaration>;
}

/** What a config function receives: `defineConfig(({ stage }) => ({ … }))`. */
export interface ConfigEnv {
  stage: string;
  /** `server` under the dev server, `build` otherwise. */
  command: 'build' | 'server' | 'deploy';
}

export type ConfigInput = UserConfig | ((env: ConfigEnv) => UserConfig | Promise<UserConfig>);

export interface ResolvedCors {
  origins: string[] | '*';
  headers: string[];
  methods: string[];
  credentials: boolean;
  maxAge: number;
}

export interface ResolvedApiSettings {
  /** False when off; otherwise the retention and format filled in. */
  readonly accessLogs: false | { readonly retentionDays: number; readonly format: string };
  readonly throttle?: { readonly rate: number; readonly burst?: number };
  readonly metrics: boolean;
}

export interface ResolvedDomain {
  readonly name: string;
  readonly certificateArn?: string;
  /** As written: a zone name (always ending in a dot here) or a zone id. */
  readonly hostedZone?: { readonly name: string } | { readonly id: string };
  /** Without slashes at either end; absent for the domain's root. */
  readonly basePath?: string;
}

export interface ResolvedCognitoAuthorizer {
  readonly name: string;
  readonly type: 'cognito';
  readonly userPoolArns: readonly string[];
  readonly identitySource: string;
  /** The app client ids (see CognitoAuthorizerSettings.audience), when given. */
  readonly audience?: readonly string[];
  readonly ttl: number;
  readonly local: { readonly jwks?: string; readonly unverified: boolean };
}

export interface ResolvedUsagePlan {
  readonly name: string;
  readonly keys: readonly string[];
  readonly throttle?: { readonly rate: number; readonly burst?: number };
  readonly quota?: { readonly limit: number; readonly period: 'DAY' | 'WEEK' | 'MONTH'; readonly offset?: number };
  readonly description?: string;
}

export interface ResolvedFunctionSettings {
  readonly memory: number;
  readonly timeout: number;
  readonly env: Readonly<Record<string, string>>;
  readonly iam: readonly IamStatement[];
  readonly description?: string;
}

/** Every default filled in, the stage applied; never mutated after loading. */
export interface ResolvedConfig {
  readonly name: string;
  readonly stage: string;
  /** Absolute path of the app (the folder holding sls-ts.config.ts). */
  readonly root: string;
  /** Absolute path of the config file, if there is one. */
  readonly configFile?: string;
  readonly region: string;
  readonly runtime: Runtime;
  readonly memory: number;
  readonly timeout: number;
  /** The app-wide defaults of every function, when set. */
  readonly reservedConcurrency?: number;
  readonly provisionedConcurrency?: number;
  readonly architecture: Architecture;
  readonly layout: Layout;
  readonly stacks: StacksSetting;
  readonly iamRoles: IamRolesSetting;
  /** The config's `env` merged over the .env files: these become Lambda environment variables. */
  readonly env: Readonly<Record<string, string>>;
  readonly iam: readonly IamStatement[];
  readonly cors: ResolvedCors | false;
  readonly binaryMediaTypes: readonly string[];
  readonly logRetentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly controllers: Readonly<Record<string, ControllerSettings>>;
  readonly jobs: Readonly<Record<string, FunctionSettings>>;
  readonly functions: Readonly<Record<string, FunctionSettings>>;
  readonly build: Required<BuildSettings>;
  /** The declared resources, in declaration order, with this stage's removal policy applied. */
  readonly resources: readonly ResolvedResource[];
  /** What every function links. */
  readonly link: readonly ResolvedLink[];
  readonly removal: RemovalPolicy;
  /** `http`: API Gateway v2 (an HTTP API, payload 2.0); `rest` (default): API Gateway v1. */
  readonly apiType: ApiType;
  readonly api: ResolvedApiSettings;
  readonly tracing: boolean;
  /** This stage's custom domain, if it has one. */
  readonly domain?: ResolvedDomain;
  /** The app-wide default guard, if any (see AppSettings.auth). */
  readonly auth?: string | false;
  /** Config-declared authorizers (Cognito), sorted by name. */
  readonly authorizers: readonly ResolvedCognitoAuthorizer[];
  /** Sorted by name. */
  readonly usagePlans: readonly ResolvedUsagePlan[];
}
