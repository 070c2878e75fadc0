import type { PrecompiledRoute } from '../router/index.js';
import type { IamStatement, Layout, ResolvedLink } from '../config/types.js';
import type { JobQueueOptions, JobSubscription } from '../config/subscriptions.js';

export type FunctionKind = 'controller' | 'action' | 'single' | 'job' | 'function' | 'authorizer' | 'channel';

/** How API Gateway guards one method, resolved from the route, its controller and the app. */
export type MethodAuth =
  | { type: 'lambda'; authorizer: string }
  | { type: 'cognito'; authorizer: string; scopes?: string[] }
  | { type: 'iam' };

/** A route as the manifest keeps it: what the Lambda bundle gets, plus how API Gateway guards it. Absent `auth`: public. */
export interface ManifestRoute extends PrecompiledRoute {
  auth?: MethodAuth;
  apiKey?: boolean;
}

/**
 * An authorizer the API uses. TOKEN and REQUEST ones are classes in app/authorizers/ (each its
 * own function, `functionKey`); Cognito ones are declared in the config.
 */
export type AuthorizerSpec =
  | { type: 'token'; name: string; functionKey: string; identitySource: string; ttl: number; validation?: string; source: string }
  | { type: 'request'; name: string; functionKey: string; identitySources: string[]; ttl: number; source: string }
  | { type: 'cognito'; name: string; userPoolArns: string[]; identitySource: string; ttl: number; source: string };

/** How a channel's WebSocket API routes: its selection expression and the route keys its function serves. */
export interface ChannelRouting {
  name: string;
  routeSelection: string;
  /** `$connect`, `$disconnect`, `$default` (those the class defines, plus $connect when guarded and both
   * $connect and $disconnect when connections are tracked) and each named action. */
  routeKeys: string[];
  /** The authorizer on $connect: an app authorizer's name (a REQUEST one) or 'iam'. */
  auth?: string;
  /** The declared table tracking the channel's connections (config `resources`). */
  connections?: string;
}

/** A schedule as EventBridge wants it: `rate(1 day)`, `cron(0 12 * * ? *)`. */
export interface ScheduleSpec {
  kind: 'rate' | 'cron';
  expression: string;
}

export interface Artifact {
  /** Zip file name inside the build directory. */
  file: string;
  /** sha256 of the zip bytes (hex): same sources → same bytes → same hash. */
  sha256: string;
  /** S3 key the deploy uploads to; it carries the hash so unchanged code is never uploaded twice. */
  key: string;
  zippedBytes: number;
  unzippedBytes: number;
  /** sha256 of the files inside (paths and bytes): lets the next build reuse an unchanged zip. */
  codeSha256: string;
}

/** One Lambda function of the chosen layout. */
export interface BuiltFunction {
  /** Stable key within the app, after its file: `posts-controller`, `posts-controller-show` (action layout), `controller` (single layout), `cleanup-job`, `hello`. */
  key: string;
  kind: FunctionKind;
  /** AWS function name `<app>-<stage>-<key>`, shortened with a stable hash to fit 64 characters. */
  functionName: string;
  /** Lambda handler setting, e.g. `index.handler`. */
  handler: string;
  /** Controller key (`admin/users`), for controller and action functions. */
  controller?: string;
  action?: string;
  /** Job key (`cleanup`) for job functions; function name (`hello`) for plain functions. */
  job?: string;
  function?: string;
  /** What produced it, for messages: `PostsController`, `PostsController#show`, `CleanupJob`, `app/functions/hello.ts`. */
  source: string;
  /** Routes API Gateway sends to this function. */
  routes: ManifestRoute[];
  /** The authorizer's name (`admin` for app/authorizers/admin-authorizer.ts), for authorizer functions. */
  authorizer?: string;
  /** The channel's name (`chat` for app/channels/chat-channel.ts) and its WebSocket API's routing, for channel functions. */
  channel?: ChannelRouting;
  schedules: ScheduleSpec[];
  /** A job's event sources (`static events`), as written in its class. Empty for other kinds. */
  events: JobSubscription[];
  /** A job's own queue (`static queue`), fed by `performLater`; `true` in the class reads as `{}`. */
  jobQueue?: JobQueueOptions;
  memory: number;
  timeout: number;
  /** ReservedConcurrentExecutions, when set (`reservedConcurrency`, layered like memory). */
  reservedConcurrency?: number;
  /** Warm environments on the `live` alias, when set and above 0 (`provisionedConcurrency`). */
  provisionedConcurrency?: number;
  environment: Record<string, string>;
  /** Statements beyond the default (logs for its own log group), app + controller + action added up. */
  iam: IamStatement[];
  /** Where each of `iam` is written in the config (`controllers.posts.iam[0]`), for messages; same order. */
  iamPaths?: string[];
  /**
   * Declared resources it uses: the app's `link`, its controller's and action's (and those of
   * every action or controller it serves), each once with the widest access any of them asks for.
   */
  links: ResolvedLink[];
  description: string;
  artifact: Artifact;
}

/** `.sls-ts/build/<stage>/manifest.json`: everything CloudFormation and deploy need. */
export interface BuildManifest {
  app: string;
  stage: string;
  region: string;
  layout: Layout;
  runtime: string;
  architecture: string;
  functions: BuiltFunction[];
  /** Every authorizer of the app, sorted by name (Lambda ones have their function in `functions`). */
  authorizers?: AuthorizerSpec[];
  /**
   * The app-wide guard (config `auth`), resolved: what the single layout's `/` and `/{proxy+}`
   * methods get; routes guarded otherwise get methods of their own.
   */
  defaultAuth?: MethodAuth;
}
