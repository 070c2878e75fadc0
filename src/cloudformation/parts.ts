// A resource on its way into a template: generated once, then placed in the root or in a nested
// stack. Ids and bodies do not depend on the placement; only the references crossing stacks are
// rewritten (see split.ts).
import type { BuildManifest } from '../build/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { LogicalIds } from './ids.js';
import type { Tag } from './intrinsics.js';
import type { TemplateResource } from './types.js';

export const ROOT_HOME = 'root';

export interface Part {
  id: string;
  resource: TemplateResource;
  /** `root`, or the key of the group (nested stack) it belongs to when the app is split. */
  home: string;
  /** What produced it, for messages: `PostsController`, `GET /posts → posts#index`. */
  source: string;
}

export interface GenerateContext {
  config: ResolvedConfig;
  manifest: BuildManifest;
  tags: Tag[];
  ids: LogicalIds;
  /** See GenerateTemplatesInput.methods. */
  methods: 'path' | 'function';
}
