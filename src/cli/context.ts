import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILES, findAppRoot, loadConfig } from '../config/index.js';
import { SlsError } from '../shared/errors.js';
import { loadDeployRoom } from './lazy.js';
import type { Output } from './output.js';
import { printDiagnostics } from './output.js';
import { folderFlag, stageFlag } from './flags.js';

/** Options every command shares (see DESIGN.md §1). */
export interface CommonOptions {
  stage: string;
  region?: string;
  profile?: string;
  verbose?: boolean;
  cwd?: string;
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('-s, --stage <name>', 'stage to work on', stageFlag, 'dev')
    .option('-r, --region <region>', 'AWS region (default: config, then AWS_REGION, then the profile\'s region, then us-east-1)')
    .option('--profile <name>', 'AWS credentials profile')
    .option('-C, --cwd <dir>', 'the app folder, or any folder inside it (default: the current directory)', folderFlag)
    .option('--verbose', 'print more detail');
}

/** The folder `-C` names (or the current one): where the search for the app starts. */
export function startFolder(options: { cwd?: string }): string {
  return resolve(options.cwd ?? process.cwd());
}

/** The app around the start folder: the nearest folder at or above it with an sls-ts config. */
export function appRoot(options: { cwd?: string }): string {
  const start = startFolder(options);
  const root = findAppRoot(start);
  if (root) return root;
  throw new SlsError({
    text: `no sls-ts config in ${start} or any folder above it (looked for ${CONFIG_FILES.join(', ')})`,
    hint: 'run sls-ts inside an app folder (or pass -C <app>), or create an app with `sls-ts new <name>`',
  });
}

/** Loads the app's config for a command, printing its warnings. */
export async function loadAppConfig(output: Output, options: CommonOptions, command: 'build' | 'server' | 'deploy' = 'build') {
  if (options.profile) process.env.AWS_PROFILE = options.profile;
  const root = appRoot(options);
  // Commands that talk to AWS honour the profile's region (the SDK's chain) before the default.
  const profileRegion = command === 'deploy' && !options.region ? await (await loadDeployRoom()).sdkRegion(options.profile) : undefined;
  const loaded = await loadConfig({ root, stage: options.stage, command, ...(options.region && { region: options.region }), ...(profileRegion && { profileRegion }) });
  printDiagnostics(output, loaded.warnings, root);
  return loaded;
}
