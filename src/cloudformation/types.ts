// The shapes this room produces. Templates are plain JSON-ready objects: the build writes them
// next to the zips and the deploy uploads them, both through serializeTemplate.
import type { BuildManifest } from '../build/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';

export interface TemplateResource {
  Type: string;
  DependsOn?: string[];
  /** Ours are Delete or Retain; a raw resource (config `cloudformation(…)`) may say Snapshot or RetainExceptOnCreate. */
  DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot' | 'RetainExceptOnCreate';
  UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
  Metadata?: Record<string, unknown>;
  Properties: Record<string, unknown>;
}

export interface TemplateParameter {
  Type: 'String';
  Description?: string;
}

export interface TemplateOutput {
  Description?: string;
  Value: unknown;
}

export interface Template {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Parameters?: Record<string, TemplateParameter>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateOutput>;
}

/** The root's `SlsTsStacks` output: one template, or nested stacks with the methods placed as `methods` says. */
export type StacksLayout = 'single' | 'nested' | 'nested-methods-with-functions';

/** A nested stack's template, ready to upload to the artifacts bucket. */
export interface ChildTemplate {
  /** The `AWS::CloudFormation::Stack` resource in the root that creates it. */
  logicalId: string;
  /** `templates/<sha256 of body>.json`: the root's TemplateURL points at this key. */
  key: string;
  /** The exact JSON to upload (its sha256 is in `key`). */
  body: string;
  template: Template;
}

export interface TemplateStats {
  /** Resources across every template, nested stack resources included. */
  resources: number;
  /** `root` and each child's logical id → its resource count. */
  perTemplate: Record<string, number>;
  /** `AWS::ApiGateway::Resource` count (path parts; the root `/` comes with the RestApi). */
  apiResources: number;
}

export interface GeneratedTemplates {
  root: Template;
  children: ChildTemplate[];
  warnings: Diagnostic[];
  stats: TemplateStats;
  /**
   * Logical id → what produced it (`PostsController`, `GET /posts/{id} → posts#show`), across
   * every template, so a failed deploy can name the controller, job or function at fault.
   */
  sources: Record<string, string>;
}

export interface GenerateTemplatesInput {
  config: ResolvedConfig;
  manifest: BuildManifest;
  /**
   * `auto` (default) nests stacks only when one template cannot hold the app. `always` nests
   * even a small app: the deploy passes it when the deployed stack is already nested, because
   * moving named functions back into the root would collide with the ones being removed.
   */
  split?: 'auto' | 'always';
  /**
   * Where a nested app's API methods live: `path` (default), in the stack of the path they hang on,
   * so a route moving to another controller updates in place; `function`, with the function they
   * call, only for a stack an earlier sls-ts deployed that way (moving them would collide too).
   */
  methods?: 'path' | 'function';
}
