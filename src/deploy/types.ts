// What the deploy room tells its caller: progress as typed events while it works, results when it
// is done. Nothing here prints; the CLI renders events (a live line on a TTY, plain lines in CI).
import type { Diagnostic } from '../shared/errors.js';

/** One stack event as the deploy follows it, nested stacks included. */
export interface StackEventInfo {
  id: string;
  timestamp: Date;
  /** The id (ARN) of the stack the event belongs to. */
  stackId: string;
  /** Logical ids of the nested stacks from the root down to the resource's stack ([] for the root). */
  stackPath: string[];
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
  reason?: string;
}

export type ChangeAction = 'add' | 'modify' | 'replace' | 'remove' | 'import' | 'dynamic';

export interface ResourceChange {
  action: ChangeAction;
  logicalId: string;
  type: string;
  /** Nested stacks from the root down to this resource ([] when it is in the root). */
  stackPath: string[];
  /** `Conditional` when CloudFormation may replace it depending on values known at deploy time. */
  replacement?: 'True' | 'Conditional';
  /** The controller, job, route or function that produced it, when the templates say so. */
  source?: string;
}

/** A table or bucket a deploy replaces or removes: its data goes with it unless it is retained. */
export interface DataChange {
  /** The name under `resources` (undefined when sls-ts cannot trace the logical id to one). */
  name?: string;
  logicalId: string;
  kind: 'table' | 'bucket';
  action: 'replace' | 'remove';
  /** DeletionPolicy (removed) or UpdateReplacePolicy (replaced) Retain: CloudFormation leaves it in the account. */
  retained: boolean;
  /** The table or bucket name now deployed. */
  physicalId?: string;
  /** A replacement under the name it has now, which CloudFormation refuses (sls-ts names its tables). */
  keepsName?: boolean;
  stackPath: string[];
}

/** A resource the stack kept out of a delete (DeletionPolicy Retain): it stays in the account. */
export interface RetainedResource {
  logicalId: string;
  type: string;
  physicalId?: string;
  /** The name under `resources`, when the config declares it. */
  name?: string;
}

/** The first resource that failed, with what produced it and a hint for common causes. */
export interface DeployFailure {
  logicalId: string;
  type: string;
  status: string;
  reason: string;
  stackPath: string[];
  physicalId?: string;
  source?: string;
  hint?: string;
}

export type StackStatusPhase = 'waiting' | 'deleting-failed-create' | 'continuing-rollback' | 'rolling-back';

export type DeployEvent =
  | { type: 'stack-found'; stackName: string; status: string | undefined }
  | { type: 'stack-waiting'; stackName: string; status: string; phase: StackStatusPhase }
  | { type: 'stack-recovered'; stackName: string; from: string; status: string | undefined }
  | { type: 'build-start' }
  | { type: 'build-done'; functions: number; durationMs: number; warnings: Diagnostic[] }
  | { type: 'templates-ready'; resources: number; nestedStacks: number; warnings: Diagnostic[] }
  | { type: 'bootstrap-start'; stackName: string }
  | { type: 'bootstrap-done'; stackName: string; bucket: string }
  | { type: 'upload-start'; files: number }
  | { type: 'upload-file'; key: string; bytes: number; skipped: boolean; done: number; total: number }
  | { type: 'upload-done'; uploaded: number; skipped: number; bytes: number }
  | { type: 'changeset-start'; name: string }
  | { type: 'changeset-ready'; name: string; changes: ResourceChange[] }
  /** Tables and buckets the change set replaces or removes, before anything is asked or executed. */
  | { type: 'data-changes'; changes: DataChange[] }
  | { type: 'no-changes' }
  | { type: 'execute-start'; total: number }
  | { type: 'resource'; event: StackEventInfo; done: number; total: number }
  | { type: 'stack-done'; stackName: string; status: string }
  | { type: 'stage-verified'; restApiId: string; stage: string; deploymentId: string; matches: boolean }
  /**
   * Routes go: a first stack update deletes their methods (`removed`: method ids, `Stack/id` inside
   * a nested stack, or a removed nested stack's id for all of its methods) while the stage stays on
   * `deploymentId`; then the deploy's own update gives the stage a Deployment without them.
   */
  | { type: 'routes-removing'; removed: string[]; deploymentId: string }
  | { type: 'function-checked'; key: string; functionName: string; changed: boolean }
  | { type: 'function-updated'; key: string; functionName: string }
  | { type: 'drift-reconciled'; functions: string[] }
  | { type: 'bucket-emptied'; bucket: string; deleted: number }
  | { type: 'delete-start'; stackName: string }
  /** What the stack delete leaves in the account (DeletionPolicy Retain). */
  | { type: 'retained'; resources: RetainedResource[] }
  | { type: 'warning'; diagnostic: Diagnostic };

export type DeployEventType = DeployEvent['type'];

export type Emit = (event: DeployEvent) => void;

/** One route with the URL it answers on once deployed. */
export interface DeployedRoute {
  method: string;
  path: string;
  url: string;
  /** `PostsController` / `app/functions/hello`. */
  source: string;
}

export interface DeployResult {
  stackName: string;
  /** `plan`: stopped after the change set (`--plan`); `no-changes`: nothing to do; `deployed`: executed. */
  outcome: 'deployed' | 'no-changes' | 'plan';
  firstDeploy: boolean;
  changes: ResourceChange[];
  /** Tables and buckets the deploy replaced or removed (or would, for a plan). */
  dataChanges: DataChange[];
  outputs: Record<string, string>;
  apiUrl?: string;
  /** The custom domain's URL (config `domain`), from the DomainUrl output. */
  domainUrl?: string;
  routes: DeployedRoute[];
  /** Each WebSocket channel's wss:// URL, from the stack's outputs. */
  channels?: ChannelUrl[];
  uploaded: number;
  skipped: number;
  durationMs: number;
  warnings: Diagnostic[];
}

/** What the code-only path hot-swapped (recorded in the bucket until a full deploy reconciles it). */
export interface HotSwap {
  functionName: string;
  /** sha256 (hex) of the code now running. */
  sha256: string;
  /** sha256 (hex) of the code the stack's template still points at. */
  templateSha256: string;
  at: string;
}

export interface DeployState {
  version: 1;
  /** Function key → what was hot-swapped into it since the last full deploy. */
  hotSwapped: Record<string, HotSwap>;
}

export interface CodeDeployResult {
  stackName: string;
  updated: string[];
  unchanged: string[];
  durationMs: number;
  warnings: Diagnostic[];
}

export interface RemoveResult {
  stackName: string;
  /** False when there was no stack to delete. */
  removed: boolean;
  bucket?: string;
  objectsDeleted: number;
  /** Declared buckets (removal destroy) emptied before the stack delete, with how many objects each held. */
  emptied: Array<{ bucket: string; deleted: number }>;
  /** What stays in the account after the delete. */
  retained: RetainedResource[];
  durationMs: number;
}

export interface StatusResult {
  stackName: string;
  region: string;
  exists: boolean;
  status?: string;
  reason?: string;
  lastUpdated?: string;
  outputs: Record<string, string>;
  drift: Array<HotSwap & { key: string }>;
  events: StackEventInfo[];
  /** The stage's API keys (usage plans' `keys`) with their values: secrets, shown only by `status`. */
  apiKeys: DeployedApiKey[];
  /** Each WebSocket channel's URLs (from the outputs), when the app has channels. */
  channels?: ChannelUrl[];
}

/** An API key the stack created, as `sls-ts status` reads it back from API Gateway. */
export interface DeployedApiKey {
  /** The key's name in the config (`usagePlans.*.keys`), or API Gateway's name for it. */
  name: string;
  /** API Gateway's key id (not a secret). */
  id: string;
  /** The value clients send in `x-api-key`; absent when it could not be read (see `error`). */
  value?: string;
  /** Present (false) only for a key disabled in API Gateway. */
  enabled?: false;
  /** Why the value could not be read (e.g. access denied for apigateway:GET). */
  error?: string;
}

export interface UrlResult {
  stackName: string;
  url: string;
  /** Where the URL came from: the stack's ApiUrl output or the REST API found in API Gateway. */
  from: 'outputs' | 'api-gateway';
  /** The custom domain's hostname, when `url` is its URL (config `domain`). */
  domain?: string;
  /** Each WebSocket channel's URL and @connections endpoint, when the app has channels. */
  channels?: ChannelUrl[];
}

export interface ChannelUrl {
  /** `chat` for app/channels/chat-channel.ts. */
  channel: string;
  /** `wss://<api id>.execute-api.<region>.amazonaws.com/<stage>`. */
  url: string;
  /** `https://…/<stage>/@connections`: where the backend posts to connections. */
  connectionsUrl?: string;
}

export interface InvokeRemoteResult {
  functionName: string;
  statusCode: number;
  /** The function's result as text (JSON in almost every case). */
  payload: string;
  /** `Unhandled` / `Handled` when the function failed. */
  functionError?: string;
  /** The last 4 KB of the invocation's log, decoded. */
  logTail?: string;
  executedVersion?: string;
}

export interface LogEvent {
  id: string;
  timestamp: number;
  functionName: string;
  stream: string;
  message: string;
}
