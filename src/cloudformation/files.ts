import type { BuildManifest } from '../build/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { generateTemplates } from './generate.js';
import { serializeTemplate } from './json.js';

/**
 * The templates as files for the build directory: `template.json` (the root, exactly the bytes
 * deploy uploads) and `stack-<LogicalId>.json` per nested stack. Pure: the build writes them.
 */
export function templateFiles(config: ResolvedConfig, manifest: BuildManifest, split?: 'auto' | 'always'): { files: Record<string, string>; warnings: Diagnostic[] } {
  const generated = generateTemplates({ config, manifest, ...(split && { split }) });
  const files: Record<string, string> = { 'template.json': serializeTemplate(generated.root) };
  for (const child of generated.children) files[`stack-${child.logicalId}.json`] = child.body;
  return { files, warnings: generated.warnings };
}
