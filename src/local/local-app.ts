// What the local engines need of an app, from wherever a caller has it: the app's folder (its
// sls-ts.config.ts is loaded), a resolved config, or an inline `{ name, resources }` in tests.
import { fileURLToPath } from 'node:url';
import type { ResolvedResource, ResourceDeclaration } from '../config/index.js';
import { resolveResources } from '../config/resolve-resources.js';
import type { LocalEnginesOptions } from './engines.js';

/** An app as the engines see it; `resources` declared (`{ posts: table({ key: 'id' }) }`) or resolved. */
export interface LocalAppInput {
  name: string;
  stage?: string;
  region?: string;
  resources?: readonly ResolvedResource[] | Readonly<Record<string, ResourceDeclaration>>;
}

const DEFAULT_STAGE = 'test';

/** The app folder (path or file URL) or the app itself → the engines' options; `stage` wins over the input's. */
export async function resolveLocalApp(source: string | URL | LocalAppInput, stage?: string): Promise<LocalEnginesOptions> {
  if (typeof source === 'string' || source instanceof URL) {
    const root = typeof source === 'string' ? source : fileURLToPath(source);
    // Loaded on demand: the config loader brings esbuild, which tests of inline apps never need.
    const { loadConfig } = await import('../config/load.js');
    const { config } = await loadConfig({ root, stage: stage ?? DEFAULT_STAGE, command: 'server' });
    return { app: config.name, stage: config.stage, region: config.region, resources: config.resources };
  }
  const appStage = stage ?? source.stage ?? DEFAULT_STAGE;
  const resources = Array.isArray(source.resources)
    ? (source.resources as readonly ResolvedResource[])
    : resolveResources(source.resources as Readonly<Record<string, ResourceDeclaration>> | undefined, appStage);
  return { app: source.name, stage: appStage, ...(source.region !== undefined && { region: source.region }), resources };
}
