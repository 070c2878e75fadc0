import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { loadDeployRoom } from './lazy.js';
import type { Output } from './output.js';
import { printDiagnostics } from './output.js';

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
    .option('-s, --stage <name>', 'stage to work on', 'dev')
    .option('-r, --region <region>', 'AWS region (default: config, then AWS_REGION, then the profile\'s region, then us-east-1)')
    .option('--profile <name>', 'AWS credentials profile')
    .option('-C, --cwd <dir>', 'the app folder (default: the current directory)')
    .option('--verbose', 'print more detail');
}

/** Loads the app's config for a command, printing its warnings. */
export async function loadAppConfig(output: Output, options: CommonOptions, command: 'build' | 'server' | 'deploy' = 'build') {
  if (options.profile) process.env.AWS_PROFILE = options.profile;
  const root = resolve(options.cwd ?? process.cwd());
  // Commands that talk to AWS honour the profile's region (the SDK's chain) before the default.
  const profileRegion = command === 'deploy' && !options.region ? await (await loadDeployRoom()).sdkRegion(options.profile) : undefined;
  const loaded = await loadConfig({ root, stage: options.stage, command, ...(options.region && { region: options.region }), ...(profileRegion && { profileRegion }) });
  printDiagnostics(output, loaded.warnings, root);
  return loaded;
}
